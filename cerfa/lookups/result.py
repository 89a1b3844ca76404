"""What every lookup returns: never an exception, always a ``LookupResult``.

The wizard and ``cerfa complete`` read ``status``:

- ``ok``: ``values`` holds what was found, keyed by the dossier's own field names (the same
  nesting as dossier format v1, relative to the block being filled: ``denomination``,
  ``adresse.code_postal``…); ``choices`` lists alternatives when the answer is not unique
  (each keyed like ``values``); ``details`` carries what is shown but is no dossier field
  (the title of a convention collective, an INSEE headcount band…);
- ``closed``: found, but closed (an establishment, a CFA): treat it as an error;
- ``not_found``: the source answered and does not know the value;
- ``invalid``: the value typed cannot be looked up (wrong format): nothing was sent;
- ``unavailable``: lookups are off, or the source is down, slow or answered nonsense.
  The user types the values; say it discreetly with ``UNAVAILABLE_MESSAGE``. A client
  past its own limit of lookups gets ``TOO_MANY_MESSAGE`` instead (``too_many``).

``messages`` are French sentences for the user. ``reason`` is for logs and tests (English,
never shown, never personal).

Postal codes and diplomas are also answered by tables kept with the service
(``offline.py``) when their API has no answer: ``from_table`` says that the values come
from such a table (``source`` names it), ``api_unavailable`` that the API itself could not
answer (disabled, down, slow, refused), so that a caller need not ask it again at once.
Neither is sent to the browser: ``source`` says it in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OK = "ok"
CLOSED = "closed"
NOT_FOUND = "not_found"
INVALID = "invalid"
UNAVAILABLE = "unavailable"

UNAVAILABLE_MESSAGE = "Recherche indisponible : saisissez les informations vous-même."
TOO_MANY_MESSAGE = (
    "Trop de recherches en peu de temps : patientez un instant avant de relancer la "
    "recherche, ou saisissez les informations vous-même."
)


@dataclass(frozen=True)
class LookupResult:
    status: str
    values: dict[str, Any] = field(default_factory=dict)
    choices: tuple[dict[str, Any], ...] = ()
    # For display only, not dossier fields: the label of an IDCC, an INSEE band…
    details: dict[str, Any] = field(default_factory=dict)
    messages: tuple[str, ...] = ()
    source: str = ""  # French name of the public source, shown as "Source : …"
    reason: str = ""
    from_table: bool = False
    api_unavailable: bool = False

    @property
    def ok(self) -> bool:
        return self.status == OK

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (what the wizard's endpoints send)."""
        return {
            "status": self.status,
            "values": self.values,
            "choices": list(self.choices),
            "details": self.details,
            "messages": list(self.messages),
            "source": self.source,
        }


def unavailable(reason: str, source: str = "") -> LookupResult:
    return LookupResult(UNAVAILABLE, messages=(UNAVAILABLE_MESSAGE,), source=source, reason=reason)


def too_many() -> LookupResult:
    """The client asked too much, too fast: nothing was looked up."""
    return LookupResult(UNAVAILABLE, messages=(TOO_MANY_MESSAGE,), reason="client limit")


def invalid(message: str) -> LookupResult:
    return LookupResult(INVALID, messages=(message,), reason="invalid input")


def not_found(message: str, source: str) -> LookupResult:
    return LookupResult(NOT_FOUND, messages=(message,), source=source, reason="not found")
