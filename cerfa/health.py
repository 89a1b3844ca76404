"""``/sante/``: whether this process can serve, for whoever deploys it.

Three checks, each a short French message: the official template is in place and is
CERFA 10103*14, the store of sessions and contracts answers, and the database of the
statistics (aggregate counts, cerfa/stats/) answers. HTTP 200 when every check passes,
503 otherwise. Nothing personal is read or written: no session is opened, no contract is
touched.

A probe may call it every few seconds, so it stays cheap: the template is verified once
per process and file version (its size and modification time), never filled; Redis gets
one PING, bounded by the store's own two-second timeouts.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from cerfa.pdf import template
from cerfa.store import get_store


@dataclass(frozen=True)
class Check:
    ok: bool
    message: str
    # False for a part the service does not use: reported, never failing. Every part is used
    # today (the database holds the statistics); the key stays for probes that read it.
    used: bool = True


# The verdict on the template file, keyed by (path, size, modification time in ns).
_verified: dict[tuple[str, int, int], Check] = {}
_verified_lock = threading.Lock()


def template_check(path: Path | None = None) -> Check:
    path = path or template.template_path()
    try:
        stat = path.stat()
    except OSError:
        return Check(
            False, f"Le modèle CERFA 10103*14 est absent ({path}) : lancez « make install »."
        )
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _verified_lock:
        known = _verified.get(key)
    if known is not None:
        return known
    found = _verify(path, stat.st_size)
    with _verified_lock:
        # Only the file's current version is worth remembering.
        _verified.clear()
        _verified[key] = found
    return found


def _verify(path: Path, size: int) -> Check:
    if size > template.MAX_SIZE:
        return Check(False, f"{path} est bien trop gros pour être le CERFA 10103*14.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Check(False, f"Le modèle CERFA 10103*14 est illisible ({exc.strerror}).")
    # A cache written at install for these very bytes says they were verified then; without
    # it, the template is verified here (pypdf, some 100 ms, once per file version).
    if not template.cache_is_current(path, data):
        try:
            template.verify(data)
        except template.TemplateError as exc:
            return Check(False, str(exc))
    return Check(True, "Modèle CERFA 10103*14 en place et vérifié.")


def store_check() -> Check:
    store = get_store()
    client = getattr(store, "redis", None)
    if client is None:
        return Check(True, "Sessions en mémoire de ce processus : disponibles.")
    import redis

    try:
        client.ping()
    except redis.RedisError:
        return Check(False, "Redis ne répond pas : les sessions et contrats sont inaccessibles.")
    return Check(True, "Redis répond : sessions et contrats accessibles.")


def database_check() -> Check:
    """The database of the statistics (aggregates only) answers and has its table: one
    cheap query. The service serves without it (counts wait in memory), but the
    « Statistiques » page does not, so a deployment wants to know."""
    from django.db import DatabaseError

    from cerfa.stats.models import DailyCount

    try:
        DailyCount.objects.exists()
    except DatabaseError:
        return Check(
            False,
            "La base de données des statistiques ne répond pas, ou n’est pas créée "
            "(lancez « make install », qui applique les migrations).",
        )
    return Check(True, "La base de données des statistiques répond.")


def report() -> tuple[bool, dict]:
    """Whether all is well, and what to answer (no personal data: only these messages)."""
    checks = {
        "template": template_check(),
        "store": store_check(),
        "database": database_check(),
    }
    healthy = all(check.ok for check in checks.values())
    return healthy, {
        "status": "ok" if healthy else "error",
        "message": "Le service fonctionne." if healthy else "Le service ne peut pas servir.",
        "checks": {name: asdict(check) for name, check in checks.items()},
    }
