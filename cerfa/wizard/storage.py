"""Where a contract in progress lives: in the cache (memory or Redis), never on disk.

Each contract has its own id, carried in its URLs (``/contrat/<id>/<step>/``), and its own
cache entry, keyed by the session and that id. So a CFA employee can fill two contracts
in two tabs: the tabs never write over each other's data (they would, were both contracts
kept inside the one session object that each request saves whole). The session itself only
holds the list of its contracts' ids.

Entries expire after ``SESSION_COOKIE_AGE`` seconds without activity, like the session;
« Terminer et effacer mes données » deletes them at once (``erase``).
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from formtools.wizard.storage.base import BaseStorage

SESSION_KEY = "cerfa_contrats"


def _ensure_session_key(request) -> str:
    if request.session.session_key is None:
        request.session.save()
    return request.session.session_key


def cache_key(request, contrat_id: uuid.UUID) -> str:
    # The session key is a secret: only its digest names the entry.
    digest = hashlib.sha256(_ensure_session_key(request).encode()).hexdigest()
    return f"cerfa:contrat:{digest}:{contrat_id.hex}"


def contract_ids(request) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def has_contract(request, contrat_id: uuid.UUID) -> bool:
    return (
        contrat_id.hex in contract_ids(request)
        and cache.get(cache_key(request, contrat_id)) is not None
    )


def new_contract(request, data: dict | None = None) -> uuid.UUID:
    """A new, empty contract (or one holding ``data``, formtools' storage layout)."""
    contrat_id = uuid.uuid4()
    ids = contract_ids(request)
    ids.append(contrat_id.hex)
    request.session[SESSION_KEY] = ids
    cache.set(cache_key(request, contrat_id), data or blank(), timeout=settings.SESSION_COOKIE_AGE)
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
    cache.delete(cache_key(request, contrat_id))
    ids = [i for i in contract_ids(request) if i != contrat_id.hex]
    if ids:
        request.session[SESSION_KEY] = ids
    else:
        request.session.flush()


def erase_all(request) -> None:
    for hex_id in contract_ids(request):
        cache.delete(cache_key(request, uuid.UUID(hex_id)))
    request.session.flush()


class ContractStorage(BaseStorage):
    """formtools storage for one contract: its cache entry, read once, written back once.

    The wizard's prefix is ``contrat_<id hex>`` (``views.ContratWizard.get_prefix``).
    """

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.contrat_id = uuid.UUID(prefix.removeprefix("contrat_"))
        self.key = cache_key(request, self.contrat_id)
        self._data = cache.get(self.key) or blank()
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
        if self.contrat_id.hex in contract_ids(self.request):
            cache.set(self.key, self._data, timeout=settings.SESSION_COOKIE_AGE)
