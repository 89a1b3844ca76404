"""The dossier a contract's stored steps make, kept beside the contract between requests.

Every page of the wizard needs the dossier its stored steps make: reading each step
through its form (about ten Django forms built and validated) and running every rule took
most of a page's time (issue 13), and the answer is the same until the steps change. So a
request that made it leaves it in the store next to the contract (``memo_key``), with the
digest of what it was made from (``digest``): the steps' stored data, the keys a draft had
that the format does not know, today's date (the rules' deadlines depend on it) and the
code that reads them (``code_digest``). The next request with the same digest reads it back
instead; any other digest makes it again.

The memo is the contract's own data in another shape, with the same life:

- in the same store, in memory or Redis, never on disk;
- written only for a contract that still exists, with a lifetime a little shorter than the
  contract's own (each request gives the contract ``SESSION_COOKIE_AGE`` more), so it never
  outlives it; erasing the contract erases it (``forget``);
- an entry of its own kind (``MEMO``), so that writing it never races with a step being
  stored (the contract's entry is written only when the steps change), and a full store
  refuses it without refusing anything else: the page then works as before, only slower.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import json
import zlib
from pathlib import Path

from django.conf import settings

from cerfa.store import CONTRAT, MEMO, StoreFull, get_store
from cerfa.wizard import convert

# The shape of what is kept (``Built.to_memo``): another shape reads as no memo.
VERSION = 1
# The memo expires this much before the contract written in the same request.
MARGIN_SECONDS = 5
ROOT = Path(__file__).resolve().parent.parent.parent


@functools.cache
def code_digest() -> str:
    """What the dossier and its findings are made by: the rules, their tables, the wizard
    and the installed template (its boxes' widths; without it, a finding says so). Read from the files' names, sizes and times once per process, so that a new
    version of the code or of a table, served from the same Redis, never reads a memo of the
    old one."""
    digest = hashlib.sha256()
    for folder in (ROOT / "rules", ROOT / "cerfa", ROOT / "pdf_template"):
        for path in sorted(folder.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def today() -> datetime.date:
    return datetime.date.today()


def digest(store) -> str:
    """The digest of everything the contract's dossier and findings are made from."""
    text = json.dumps(
        [
            VERSION,
            code_digest(),
            today().isoformat(),
            store.data.get(store.step_data_key) or {},
            list(store.extra_data.get("ignored_keys", [])),
        ],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def memo_key(contract_key: str) -> str:
    """``cerfa:memo:…`` beside ``cerfa:contrat:…``: the same session digest and contract."""
    return contract_key.replace(f":{CONTRAT}:", f":{MEMO}:", 1)


def load(store) -> convert.Built | None:
    """The contract's dossier as a request made it earlier, if made from the same digest."""
    kept = get_store().get(memo_key(store.key))
    if not kept or kept.get("digest") != digest(store):
        return None
    try:
        built = json.loads(zlib.decompress(base64.b64decode(kept["built"])))
        return convert.Built.from_memo(built)
    except (KeyError, TypeError, ValueError, zlib.error):
        return None  # another shape (a memo of other code): made again


def remember(store, built: convert.Built, fresh: bool) -> None:
    """Keep ``built`` (made from the stored steps as they are now) to be written when the
    request ends (``write``), with whatever findings the request computes meanwhile.
    ``fresh``: made in this request (not read from a memo)."""
    store.memo_pending = (digest(store), built, fresh, built.has_findings)


def write(store) -> None:
    """Write what ``remember`` kept, if the steps have not changed since and it holds
    something the stored memo lacks (a dossier made anew, or its findings)."""
    pending = getattr(store, "memo_pending", None)
    if pending is None:
        return
    made_from, built, fresh, had_findings = pending
    if not fresh and (had_findings or not built.has_findings):
        return  # read from the memo, which already holds all of it
    if made_from != digest(store):
        return  # the steps changed after it was made
    # Compressed: each step's tree repeats the ones before it, and a memo must not take
    # the room of the contracts (about 4 kB against 23 kB for the example's).
    text = json.dumps(built.to_memo(), ensure_ascii=False, separators=(",", ":"))
    packed = base64.b64encode(zlib.compress(text.encode(), 1)).decode("ascii")
    value = {"digest": made_from, "built": packed}
    ttl = max(settings.SESSION_COOKIE_AGE - MARGIN_SECONDS, 1)
    key = memo_key(store.key)
    backend = get_store()
    try:
        if not backend.replace(key, value, ttl) and backend.create(MEMO, key, value, ttl):
            if backend.get(store.key) is None:
                forget(store.key)  # its contract was erased meanwhile: nothing outlives it
    except StoreFull:
        pass  # no room: the pages make the dossier each time, as without a memo


def forget(contract_key: str) -> None:
    get_store().delete(memo_key(contract_key))
