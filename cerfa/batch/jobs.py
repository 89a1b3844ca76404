"""A batch of contracts in the session's store (issue 10): read, completed, checked.

Nothing is kept anywhere but in ``cerfa.store``, like a contract in progress: no file, no
Python global, so that with Redis two processes serve the same batch. A batch is a head
entry (its name, its progress, each row's counts, the rows opened in the wizard) and one
entry per ``CHUNK`` rows (each row's dossier and findings), so that a page of the table
or one step of the work reads and writes a hundred rows, never two thousand.

Keys: the session holds ``{"id": …, "secret": …}`` under ``SESSION_KEY``. The id is in the
batch's URLs; the entries are named by a digest of the secret, which never leaves the
session (an id seen in a URL leads nowhere), and which stays the same when the session's
key is renewed (``storage.new_contract`` does so with its first contract). Entries are of
the store's ``contrat`` kind: a batch counts against ``CERFA_MAX_CONTRACTS`` as one entry
per ``CHUNK`` rows, and expires after ``SESSION_COOKIE_AGE`` without use, like a contract.

One batch per session at a time: a new file replaces the batch before it. A batch is
processed by the requests that look at it (the progress page and its script), each for
about ``CERFA_BATCH_STEP_MS``, under a lock taken in the store (its ``create`` refuses a key
that exists, atomically in both backends): no thread or worker is left running for it,
and a process that dies mid-step leaves a lock that expires after ``LOCK_SECONDS``.

Completion is offline (the bundled tables and the pure deductions of ``rules.complete``,
as ``cerfa complete --hors-ligne``): two thousand rows of lookups would wait on public
services and their rate limits; the wizard proposes them when a row is opened.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
import uuid
from typing import Any

from django.conf import settings

from cerfa.batch import reading
from cerfa.store import CONTRAT, StoreFull, get_store
from rules import sheet
from rules.dossier import Dossier
from rules.findings import Finding

log = logging.getLogger("cerfa.batch")

SESSION_KEY = "cerfa_lot"
CHUNK = 100  # rows per store entry
LOCK_SECONDS = 15  # a lock left by a process that died goes after this
# The whole batch as stored, past which a file is refused: 2,000 rows of full dossiers
# with their findings take about 15 MB; the memory backend holds CERFA_STORE_MAX_MB for
# everyone, and a Redis value may not pass 512 MB.
MAX_BATCH_BYTES = 40_000_000


class BatchTooBig(Exception):
    """The batch would take more than ``MAX_BATCH_BYTES`` in the store."""


def _dumped(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


# -- reading a file --------------------------------------------------------------------


def read_file(data: bytes, name: str) -> tuple[list[dict], list[str]]:
    """The rows of a batch file, each a dict of JSON values, and the messages of the
    columns ignored. ``sheet.SheetError`` when the file as a whole cannot be read.

    A row whose cells cannot all be read keeps its French messages (``problems``) and the
    dossier of its other cells, when they make one: it opens in the wizard with what
    could be read, and is left out of the PDFs until fixed there, as ``cerfa fill``
    leaves it out.
    """
    if reading.is_zip(name):
        return [
            _row(None, member, dossier, [problem] if problem else [], [])
            for member, dossier, problem in reading.drafts_of(data)
        ], []
    from cerfa.batch.labels import column_labels

    labels = column_labels()
    table = reading.rows_of(data, name)
    read, ignored = sheet.read_table(table, labels)
    cols = sheet.columns(table[0], labels)[0] if read and any(r.problems for r in read) else []
    rows = []
    for row in read:
        dossier = row.dossier
        if dossier is None:
            dossier = _readable_part(row.number, table[row.number - 1], cols)
        rows.append(_row(row.number, None, dossier, row.problems, row.infos))
    return rows, ignored


def _readable_part(number: int, cells: list, cols: list[sheet.Column]) -> Dossier | None:
    """The dossier of a row's readable cells (None when even they make none)."""
    good = []
    for col in cols:
        cell = cells[col.index] if col.index < len(cells) else None
        if sheet.is_blank(cell):
            continue
        try:
            sheet.value_of(col.path, sheet.LEAVES[col.path], cell)
        except sheet.CellError:
            continue
        good.append(col)
    return sheet.read_row(number, cells, good).dossier


def _row(number, member, dossier, problems, infos) -> dict:
    return {
        "ligne": number,
        "fichier": member,
        "dossier": dossier.to_dict() if dossier is not None else None,
        "problemes": list(problems),
        "infos": [f.to_dict() for f in infos],
        "verifie": False,
        "findings": [],
        "repris": None,  # digest of the wizard's contract the row was last taken from
    }


# -- the store -------------------------------------------------------------------------


def _prefix(secret: str) -> str:
    return f"cerfa:{CONTRAT}:lot:{hashlib.sha256(secret.encode()).hexdigest()}"


def _head_key(secret: str) -> str:
    return _prefix(secret) + ":tete"


def _chunk_key(secret: str, index: int) -> str:
    return f"{_prefix(secret)}:{index}"


def _lock_key(secret: str) -> str:
    return _prefix(secret) + ":verrou"


def _ttl() -> int:
    return settings.SESSION_COOKIE_AGE


class Batch:
    """The session's batch: its head read from the store, its chunks read on demand."""

    def __init__(self, lot_id: str, secret: str, head: dict):
        self.id = lot_id
        self.secret = secret
        self.head = head

    @property
    def total(self) -> int:
        return self.head["total"]

    @property
    def done(self) -> int:
        return self.head["done"]

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    @property
    def chunks(self) -> int:
        return -(-self.total // CHUNK)

    def chunk(self, index: int) -> list[dict]:
        return (get_store().get(_chunk_key(self.secret, index)) or {"rows": []})["rows"]

    def save_chunk(self, index: int, rows: list[dict]) -> None:
        get_store().replace(_chunk_key(self.secret, index), {"rows": rows}, _ttl())

    def save_head(self) -> None:
        get_store().replace(_head_key(self.secret), self.head, _ttl())

    def touch(self) -> None:
        """Every entry gets ``SESSION_COOKIE_AGE`` more: the batch lives while it is used."""
        store = get_store()
        store.touch(_head_key(self.secret), _ttl())
        for index in range(self.chunks):
            store.touch(_chunk_key(self.secret, index), _ttl())

    def rows(self):
        """(index, row) of every row, a chunk at a time."""
        for index in range(self.chunks):
            for offset, row in enumerate(self.chunk(index)):
                yield index * CHUNK + offset, row

    def row(self, index: int) -> dict | None:
        if not 0 <= index < self.total:
            return None
        rows = self.chunk(index // CHUNK)
        return rows[index % CHUNK] if index % CHUNK < len(rows) else None


def current(request, lot_id: str | None = None) -> Batch | None:
    """The session's batch (the one named ``lot_id``, if given), None if there is none."""
    held = request.session.get(SESSION_KEY)
    if not held or (lot_id is not None and held.get("id") != lot_id):
        return None
    head = get_store().get(_head_key(held["secret"]))
    if head is None:
        return None
    return Batch(held["id"], held["secret"], head)


def create(request, name: str, rows: list[dict], ignored: list[str]) -> Batch:
    """A new batch of ``rows`` for this session, replacing the one before it.

    Raises ``BatchTooBig`` or ``StoreFull`` (nothing is replaced then: the entries are
    made before the session names them).
    """
    chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]
    encoded = [_dumped({"rows": chunk}) for chunk in chunks]
    if sum(map(len, encoded)) > MAX_BATCH_BYTES:
        raise BatchTooBig
    lot_id, secret = uuid.uuid4().hex, secrets.token_hex(32)
    head = {
        "nom": name[:200],
        "total": len(rows),
        "done": 0,
        "ignored": ignored,
        # Per row, once checked: [errors, warnings, gives a PDF] (``counts``); the
        # table's totals come from it.
        "counts": [],
        "ouverts": {},  # row index → the wizard contract it was opened as (hex)
        "cree": time.time(),
    }
    store = get_store()
    made = []
    try:
        for index, chunk in enumerate(chunks):
            store.create(CONTRAT, _chunk_key(secret, index), {"rows": chunk}, _ttl())
            made.append(_chunk_key(secret, index))
        store.create(CONTRAT, _head_key(secret), head, _ttl())
    except Exception:
        for key in made:
            store.delete(key)
        raise
    erase(request)
    if request.session.session_key is None or not request.session.get("cerfa_contrats"):
        # As with a first contract: a session key planted in this browser (fixation)
        # never leads to the batch.
        request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": lot_id, "secret": secret}
    return Batch(lot_id, secret, head)


def erase(request) -> bool:
    """Delete the session's batch now (the contracts opened from it stay, each its own)."""
    held = request.session.get(SESSION_KEY)
    if not held:
        return False
    store = get_store()
    head = store.get(_head_key(held["secret"]))
    count = -(-head["total"] // CHUNK) if head else 0
    for index in range(count):
        store.delete(_chunk_key(held["secret"], index))
    store.delete(_head_key(held["secret"]))
    store.delete(_lock_key(held["secret"]))
    del request.session[SESSION_KEY]
    return True


def held(session) -> bool:
    """Whether a session holds a batch (erasing its last contract then keeps it)."""
    return bool(session.get(SESSION_KEY))


# -- the work --------------------------------------------------------------------------


def advance(batch: Batch, seconds: float | None = None) -> Batch:
    """Complete and check the next rows for about ``seconds`` (``CERFA_BATCH_STEP_MS``), one row
    at least; nothing when another request is at it (it holds the lock) or when
    everything is done."""
    if batch.finished:
        return batch
    store = get_store()
    lock = _lock_key(batch.secret)
    try:
        if not store.create(CONTRAT, lock, {"depuis": time.time()}, LOCK_SECONDS):
            return batch
    except StoreFull:  # no room for a lock now; a later request goes on
        return batch
    try:
        # What another request did before the lock was taken.
        head = store.get(_head_key(batch.secret))
        if head is None:
            return batch
        batch.head = head
        if seconds is None:
            seconds = settings.CERFA_BATCH_STEP_MS / 1000
        deadline = time.monotonic() + seconds
        while not batch.finished:
            index = batch.done // CHUNK
            rows = batch.chunk(index)
            if batch.done - index * CHUNK >= len(rows):
                break  # a chunk gone (expired with the session): nothing more to do
            for offset in range(batch.done - index * CHUNK, len(rows)):
                check_row(rows[offset])
                batch.head["counts"].append(counts(rows[offset]))
                batch.head["done"] += 1
                if time.monotonic() >= deadline:
                    break
            try:
                batch.save_chunk(index, rows)
                batch.save_head()
            except StoreFull:
                break  # Redis near its memory limit: these rows are checked again later
            if time.monotonic() >= deadline:
                break
    finally:
        store.delete(lock)
    return batch


def check_row(row: dict) -> None:
    """Complete (offline) and check one row in place; a bug met on it is one French line
    for that row, and the others go on."""
    from cerfa.checks import findings_for
    from cerfa.completion import complete_dossier

    row["verifie"] = True
    if row["dossier"] is None:
        return
    try:
        dossier = Dossier.from_dict(row["dossier"])
        completed, filled = complete_dossier(dossier, use_lookups=False)
        found = [Finding(**_finding_args(f)) for f in row["infos"]]
        found += filled + findings_for(completed)
    except Exception as exc:
        # The type only: a message may quote what was typed.
        log.error("batch row check failed: %s", type(exc).__name__)
        row["problemes"].append(
            "La vérification a échoué sur cette ligne, une erreur de ce service : merci de "
            "la signaler. Les autres lignes sont vérifiées."
        )
        return
    row["dossier"] = completed.to_dict()
    row["findings"] = [f.to_dict() for f in found]


def _finding_args(data: dict) -> dict:
    return {**data, "fields": tuple(data.get("fields", ()))}


def findings_of(row: dict) -> list[Finding]:
    return [Finding(**_finding_args(f)) for f in row["findings"]]


def counts(row: dict) -> list[int]:
    """[errors, warnings, 1 if it gives a PDF else 0] of a checked row; each problem of
    reading is an error."""
    levels = [f["level"] for f in row["findings"]]
    return [
        len(row["problemes"]) + levels.count("error"),
        levels.count("warning"),
        int(fillable(row)),
    ]


def dossier_of(row: dict) -> Dossier | None:
    return Dossier.from_dict(row["dossier"]) if row["dossier"] is not None else None


def fillable(row: dict) -> bool:
    """A row gives a PDF when its dossier was read whole (``cerfa fill`` leaves out a row
    with a cell it cannot read), or once taken back from the wizard."""
    return row["dossier"] is not None and not row["problemes"]


# -- to the wizard and back ------------------------------------------------------------


def wizard_data(batch: Batch, index: int, row: dict) -> dict:
    """A new contract's store data (formtools' layout) holding the row's dossier, and
    where it comes from (``extra_data["lot"]``: the « Revenir au lot » link)."""
    from cerfa.wizard import convert, storage

    dossier = dossier_of(row) or Dossier()
    data = storage.blank()
    data["step_data"] = convert.step_data_from(dossier)
    data["extra_data"] = {
        "ignored_keys": dossier.ignored_keys,
        "lot": {"id": batch.id, "ligne": index},
    }
    return data


def origin(request, contrat_id: uuid.UUID) -> tuple[str, int] | None:
    """(batch id, row index) a contract of this session was opened from, when that batch
    is still the session's (and still in the store, which this keeps it in longer)."""
    from cerfa.wizard import storage

    held_now = request.session.get(SESSION_KEY)
    if not held_now or contrat_id.hex not in storage.contract_ids(request):
        return None
    data = get_store().get(storage.store_key(request, contrat_id)) or {}
    lot = (data.get("extra_data") or {}).get("lot")
    if not lot or lot.get("id") != held_now["id"]:
        return None
    batch = current(request, lot["id"])
    if batch is None:
        return None
    # Working on a row in the wizard is using the batch: it lives as long as the contract.
    batch.touch()
    return lot["id"], int(lot["ligne"])


def take_back(request, batch: Batch) -> None:
    """Each opened row whose contract changed takes the contract's dossier and findings
    (the wizard's contract is the row from then on); a contract since erased or expired
    leaves its row as it was last taken."""
    from cerfa.checks import findings_for
    from cerfa.wizard import convert, storage
    from cerfa.wizard.steps import STEPS

    changed: dict[int, list[dict]] = {}
    for key, hex_id in batch.head["ouverts"].items():
        index = int(key)
        contrat_id = uuid.UUID(hex_id)
        if not storage.has_contract(request, contrat_id):
            continue
        data = get_store().get(storage.store_key(request, contrat_id)) or {}
        step_data = data.get("step_data") or {}
        digest = hashlib.sha256(_dumped(step_data)).hexdigest()
        chunk = changed.get(index // CHUNK) or batch.chunk(index // CHUNK)
        if index % CHUNK >= len(chunk):
            continue  # its part of the batch is gone (expired): nothing to take back into
        row = chunk[index % CHUNK]
        if row.get("repris") == digest:
            continue
        built = convert.build({step.name: step_data.get(step.name) for step in STEPS})
        built.dossier.ignored_keys = list((data.get("extra_data") or {}).get("ignored_keys", []))
        unreadable = [
            Finding("error", "saisie.illisible", (), f"« {error.label} » : {error.message}")
            for error in built.errors
            if error.message
        ]
        row.update(
            dossier=built.dossier.to_dict(),
            problemes=[],
            infos=[],
            verifie=True,
            findings=[f.to_dict() for f in unreadable + findings_for(built.dossier)],
            repris=digest,
        )
        if index < len(batch.head["counts"]):
            batch.head["counts"][index] = counts(row)
        changed[index // CHUNK] = chunk
    for index, chunk in changed.items():
        batch.save_chunk(index, chunk)
    if changed:
        batch.save_head()
