"""What one client of the API may ask, and how big a body may be.

Calls are counted per client: its address as ``cerfa/clients.py`` places it (an IPv6
client by its /64), known only by an HMAC of it under a key derived from the secret key,
so that every process of the service finds the same count and no address is written
anywhere (Redis keeps nothing on disk either, cerfa/startup.py). Each client has a token
bucket: ``CERFA_API_BURST`` calls at once, given back at ``CERFA_API_PER_MINUTE``
(cerfa/settings/api.py). With ``REDIS_URL`` the buckets live in that Redis, updated by
one script so that processes counting at once never lose a call; without it, the service
runs one process (cerfa/startup.py) and ``ClientLimiter`` keeps them in its memory, the
``CERFA_LOOKUP_CLIENTS_TRACKED`` most recently seen.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

from cerfa.api.problems import PREFIX, Problem, refusal
from cerfa.clients import Allowance, ClientLimiter, client_address

REDIS_PREFIX = "cerfa-api-limite:"

# KEYS[1]: the client's bucket. ARGV: calls given back per second, burst. The clock is
# Redis's, the same for every process. Returns the seconds to wait, "0" when the call
# may go ahead (a string: Redis would cut a Lua number to an integer).
_TAKE = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens < 1 then wait = (1 - tokens) / rate else tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000))
return tostring(wait)
"""


def client_key(request) -> str:
    """The client's key: an HMAC of its address, the same in every process."""
    return salted_hmac("cerfa.api.limits", client_address(request)).hexdigest()[:32]


class RedisBuckets:
    def __init__(self, client, allowance: Allowance):
        self.allowance = allowance
        self.script = client.register_script(_TAKE)

    def take(self, key: str) -> float:
        rate = self.allowance.per_minute / 60
        return float(self.script(keys=[REDIS_PREFIX + key], args=[rate, self.allowance.burst]))


class MemoryBuckets:
    def __init__(self, allowance: Allowance):
        self.limiter = ClientLimiter(
            {"api": allowance},
            max_clients=settings.CERFA_LOOKUP_CLIENTS_TRACKED,
            clock=time.monotonic,
        )

    def take(self, key: str) -> float:
        return self.limiter.take({"api": key})


_buckets: RedisBuckets | MemoryBuckets | None = None
_lock = threading.Lock()


def buckets() -> RedisBuckets | MemoryBuckets:
    global _buckets
    with _lock:
        if _buckets is None:
            allowance = Allowance(settings.CERFA_API_PER_MINUTE, settings.CERFA_API_BURST)
            if settings.REDIS_URL:
                from cerfa.store import get_store

                _buckets = RedisBuckets(get_store().redis, allowance)
            else:
                _buckets = MemoryBuckets(allowance)
        return _buckets


def reset() -> None:
    """Forget the counts (tests that change the settings)."""
    global _buckets
    with _lock:
        _buckets = None


def take(request) -> None:
    """Count this call of its client, or refuse it (429 with ``Retry-After``)."""
    from redis.exceptions import RedisError

    try:
        wait = buckets().take(client_key(request))
    except RedisError:
        raise Problem("service-indisponible") from None
    if wait:
        raise Problem("trop-de-demandes", headers={"Retry-After": str(max(1, math.ceil(wait)))})


def check_size(request) -> None:
    """Refuse a body over ``CERFA_API_MAX_BODY_BYTES`` from its declared length, before
    Django reads it (the request guard has already refused it when served by uvicorn)."""
    limit = settings.CERFA_API_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not (declared.isascii() and declared.isdigit()):
        raise Problem("demande-incorrecte")
    if int(declared) > limit or len(request.body) > limit:
        raise Problem(
            "envoi-trop-volumineux",
            f"Le corps de la demande dépasse {limit // 1000} ko : un dossier en fait quelques-uns.",
        )


@dataclass(frozen=True)
class Route:
    """What the request guard (cerfa/asgi.py) applies to the API's addresses: its cap on
    bodies, and its refusals written as problems."""

    prefix: str
    max_body: int

    @staticmethod
    def refusal(code: int, path: str) -> tuple[bytes, bytes]:
        return b"application/problem+json", refusal(code, path)


def route() -> Route:
    return Route(PREFIX, settings.CERFA_API_MAX_BODY_BYTES)
