"""Django sessions in ``cerfa.store``: never evicted, refused when the store is full.

A session only holds the ids of its contracts and the CSRF secret (``CSRF_USE_SESSIONS``);
the contracts themselves are entries of their own (``cerfa/wizard/storage.py``). A new
session is refused with ``StoreFull`` when the store has no room: ``SessionMiddleware``
below answers « service momentanément saturé » then, and the sessions already there are
kept. The key names the entry only through its digest: whoever reads Redis's keys learns
no cookie.
"""

from __future__ import annotations

import hashlib

from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware

from cerfa.clients import may_create
from cerfa.store import SESSION, StoreFull, get_store


def store_key(session_key: str) -> str:
    return f"cerfa:{SESSION}:{hashlib.sha256(session_key.encode()).hexdigest()}"


class SessionStore(SessionBase):
    def load(self):
        data = get_store().get(store_key(self.session_key)) if self.session_key else None
        if data is None:
            self._session_key = None
            return {}
        return data

    def exists(self, session_key):
        return bool(session_key) and get_store().get(store_key(session_key)) is not None

    def create(self):
        for _ in range(10):
            self._session_key = self._get_new_session_key()
            try:
                self.save(must_create=True)
            except CreateError:
                continue
            self.modified = True
            return
        raise RuntimeError("no free session key after 10 tries")  # pragma: no cover

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()
        store = get_store()
        data = self._get_session(no_load=must_create)
        key = store_key(self.session_key)
        if must_create:
            if not store.create(SESSION, key, data, self.get_expiry_age()):
                raise CreateError
        elif not store.replace(key, data, self.get_expiry_age()):
            raise UpdateError

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key:
            get_store().delete(store_key(session_key))

    @classmethod
    def clear_expired(cls):
        pass  # the store forgets expired entries itself


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, with two changes.

    - A session is written only when a request changes it; any other request only gives
      it more time (``touch``). Writing it back at every request (Django's
      ``SESSION_SAVE_EVERY_REQUEST``) let a slow request, a lookup say, put back the copy
      it had read, dropping a contract that another tab had just added.
    - A new session counts against its address's allowance (``cerfa.clients``).
    - « saturé » instead of a 500 when no new session has room, or a view's write none.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.modified and session.session_key is None:
            if not session.is_empty() and may_create(request, "session"):
                # This address started too many sessions lately: none is stored for this
                # page (its forms will ask to reload it), and nothing else is lost.
                session.clear()
                session.modified = False
        if session is not None and not session.modified and session.session_key:
            if session.accessed and not session.is_empty():
                get_store().touch(store_key(session.session_key), session.get_expiry_age())
        try:
            return super().process_response(request, response)
        except StoreFull:
            from cerfa.views import saturated

            return saturated(request)

    def process_exception(self, request, exception):
        # A view whose write found no room (Redis at its maxmemory): « saturé », not a 500.
        if isinstance(exception, StoreFull):
            from cerfa.views import saturated

            return saturated(request)
        return None
