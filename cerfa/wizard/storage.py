"""Where a contract in progress lives: in ``cerfa.store`` (memory or Redis), never on disk.

Each contract has its own id, carried in its URLs (``/contrat/<id>/<step>/``), and its own
store entry, keyed by the session and that id. So a CFA employee can fill two contracts
in two tabs: the tabs never write over each other's data (they would, were both contracts
kept inside the one session object that each request saves whole). The session itself only
holds the list of its contracts' ids.

Entries expire after ``SESSION_COOKIE_AGE`` seconds without activity, like the session;
« Terminer et effacer mes données » deletes them at once (``erase``). A session holds at
most ``CERFA_CONTRACTS_PER_SESSION`` open contracts (``TooManyContracts``), and a new
contract is refused when the store is full (``StoreFull``): existing ones are never
pushed out.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from django.conf import settings
from formtools.wizard.storage.base import BaseStorage

from cerfa.store import CONTRAT, StoreFull, get_store

__all__ = ["StoreFull", "TooManyContracts"]

SESSION_KEY = "cerfa_contrats"


class TooManyContracts(Exception):
    """This session already holds ``CERFA_CONTRACTS_PER_SESSION`` open contracts."""


def _ensure_session_key(request) -> str:
    if request.session.session_key is None:
        request.session.save()
    return request.session.session_key


def store_key(request, contrat_id: uuid.UUID) -> str:
    # The session key is a secret: only its digest names the entry.
    digest = hashlib.sha256(_ensure_session_key(request).encode()).hexdigest()
    return f"cerfa:{CONTRAT}:{digest}:{contrat_id.hex}"


def contract_ids(request) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def has_contract(request, contrat_id: uuid.UUID) -> bool:
    return (
        contrat_id.hex in contract_ids(request)
        and get_store().get(store_key(request, contrat_id)) is not None
    )


def open_contracts(request) -> list[uuid.UUID]:
    """This session's contracts still in the store (an untouched one expires on its own)."""
    ids = [uuid.UUID(hex_id) for hex_id in contract_ids(request)]
    alive = [i for i in ids if get_store().get(store_key(request, i)) is not None]
    if len(alive) != len(ids):
        request.session[SESSION_KEY] = [i.hex for i in alive]
    return alive


def summaries(request) -> list[dict]:
    """This session's open contracts, for the home page: id and the apprentice's name."""
    found = []
    for contrat_id in open_contracts(request) if SESSION_KEY in request.session else []:
        data = get_store().get(store_key(request, contrat_id)) or {}
        steps = data.get(BaseStorage.step_data_key) or {}
        apprenti = steps.get("apprenti") or {}
        name = " ".join(
            (apprenti.get(field) or [""])[0].strip()
            for field in ("apprenti__prenom", "apprenti__nom_naissance")
        ).strip()
        found.append({"id": contrat_id, "name": name[:80]})
    return found


def new_contract(request, data: dict | None = None) -> uuid.UUID:
    """A new, empty contract (or one holding ``data``, formtools' storage layout).

    Raises ``TooManyContracts`` or ``StoreFull``; nothing is created then.
    """
    ids = open_contracts(request)
    if len(ids) >= settings.CERFA_CONTRACTS_PER_SESSION:
        raise TooManyContracts
    contrat_id = uuid.uuid4()
    key = store_key(request, contrat_id)
    get_store().create(CONTRAT, key, data or blank(), settings.SESSION_COOKIE_AGE)
    if not ids:
        # With its first contract, the session gets a new key: a key someone else planted
        # in this browser (session fixation) never leads to its contracts. The contract,
        # keyed by the session, follows (a move, which room never refuses).
        request.session.cycle_key()
        get_store().rename(key, store_key(request, contrat_id))
    request.session[SESSION_KEY] = [i.hex for i in ids] + [contrat_id.hex]
    return contrat_id


def blank() -> dict:
    return {
        BaseStorage.step_key: None,
        BaseStorage.step_data_key: {},
        BaseStorage.step_files_key: {},
        BaseStorage.extra_data_key: {},
    }


def erase(request, contrat_id: uuid.UUID) -> None:
    """Delete a contract's data now; with the last contract, the whole session goes."""
    from cerfa.wizard import memo  # it reads the steps through the forms

    key = store_key(request, contrat_id)
    get_store().delete(key)
    memo.forget(key)
    ids = [i for i in contract_ids(request) if i != contrat_id.hex]
    from cerfa.batch.jobs import held  # a batch keeps its session (cerfa/batch/jobs.py)

    if ids or held(request.session):
        request.session[SESSION_KEY] = ids
    else:
        request.session.flush()


class ContractStorage(BaseStorage):
    """formtools storage for one contract: its store entry, read once, written back once.

    The wizard's prefix is ``contrat_<id hex>`` (``views.ContratWizard.get_prefix``).
    """

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.contrat_id = uuid.UUID(prefix.removeprefix("contrat_"))
        self.key = store_key(request, self.contrat_id)
        self._data = get_store().get(self.key) or blank()
        # What was read, to write back only a change: a request that changes nothing (a
        # page shown, a live check) must never put back what a concurrent request — the
        # « Suivant » that follows a field left — has just replaced.
        self._read = json.dumps(self._data, sort_keys=True)
        self.version = 0

    def _get_data(self):
        return self._data

    def _set_data(self, value):
        self._data = value

    data = property(_get_data, _set_data)

    def set_step_data(self, step, cleaned_data):
        super().set_step_data(step, cleaned_data)
        self.version += 1  # what the steps make has changed

    def init_data(self):
        super().init_data()
        self.version = getattr(self, "version", 0) + 1

    def update_response(self, response):
        super().update_response(response)
        if self.contrat_id.hex not in contract_ids(self.request):
            return  # an erased contract stays erased
        if json.dumps(self._data, sort_keys=True) == self._read:
            alive = get_store().touch(self.key, settings.SESSION_COOKIE_AGE)
        else:
            alive = get_store().replace(self.key, self._data, settings.SESSION_COOKIE_AGE)
        if alive:
            from cerfa.wizard import memo  # it reads the steps through the forms

            # The dossier this request made from the steps, for the next request.
            memo.write(self)
