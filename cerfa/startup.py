"""What must hold before the service serves anyone; each problem is one French line.

``manage.py serve`` prints them and stops (exit 2); ``cerfa/asgi.py`` refuses to load on
them, whichever server imports it.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def workers() -> int | None:
    """How many server processes ``WEB_CONCURRENCY`` asks for (1 when unset); None when it
    is not a whole number of at least 1."""
    raw = os.environ.get("WEB_CONCURRENCY", "").strip() or "1"
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        return None
    return int(raw)


def problems() -> list[str]:
    found = []
    try:
        settings.SECRET_KEY  # noqa: B018 - raises when it is empty
    except ImproperlyConfigured:
        found.append("DJANGO_SECRET_KEY manque : le service ne sert aucune page sans clé secrète.")
    count = workers()
    if count is None:
        found.append(
            "WEB_CONCURRENCY doit être un nombre entier d’au moins 1, pas "
            f"{os.environ.get('WEB_CONCURRENCY')!r}."
        )
    elif count > 1 and not settings.REDIS_URL:
        found.append(
            f"WEB_CONCURRENCY={count} demande REDIS_URL : sans Redis, chaque processus garde "
            "ses propres sessions et les contrats en cours se perdraient d’un processus à "
            "l’autre."
        )
    if settings.REDIS_URL:
        found.extend(_redis_problems())
    return found


def _redis_problems() -> list[str]:
    import redis

    from cerfa.store import redis_problems

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return ["Redis ne répond pas à l’adresse donnée par REDIS_URL."]
    return redis_problems(client, allow_persistence=settings.CERFA_REDIS_ALLOW_PERSISTENCE)


def refuse_if_unfit() -> None:
    found = problems()
    if found:
        raise ImproperlyConfigured(" ".join(found))
