"""Telling clients apart, and giving each its own allowance.

What one client may do (lookups, new sessions, new contracts) is counted per client: its
address, as the server has it from the trusted proxy's headers (an IPv6 client by its /64),
and its session when it has one. The counts are token buckets (``ClientLimiter``) keyed
by salted digests: what stays in memory names no one and opens no session.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Allowance:
    """A client's allowance: ``burst`` lookups at once, given back at ``per_minute``."""

    per_minute: int
    burst: int


class ClientLimiter:
    """Token buckets per client, of several kinds at once (its address, its session…).

    ``take({"address": a, "session": s})`` spends one lookup from each bucket named, or
    none if any is empty. Only the ``max_clients`` most recently seen clients of each
    kind are remembered (a forgotten one starts again with a full bucket): memory stays
    bounded whatever the number of clients, and a client in use is never the one
    forgotten.
    """

    def __init__(
        self,
        allowances: Mapping[str, Allowance],
        max_clients: int,
        clock: Callable[[], float],
    ):
        self._allowances = dict(allowances)
        self._max = max(1, max_clients)
        self._clock = clock
        self._buckets: dict[str, OrderedDict[Hashable, tuple[float, float]]] = {
            kind: OrderedDict() for kind in self._allowances
        }
        self._lock = threading.Lock()

    def _level(self, kind: str, key: Hashable, now: float) -> float:
        allowance = self._allowances[kind]
        tokens, since = self._buckets[kind].get(key, (float(allowance.burst), now))
        return min(float(allowance.burst), tokens + (now - since) * allowance.per_minute / 60)

    def take(self, keys: Mapping[str, Hashable]) -> float:
        """0 when the lookup may go ahead (one token spent in each bucket), else the
        seconds until it may."""
        now = self._clock()
        with self._lock:
            levels = {kind: self._level(kind, key, now) for kind, key in keys.items()}
            wait = 0.0
            for kind, level in levels.items():
                if level < 1:
                    rate = self._allowances[kind].per_minute / 60
                    wait = max(wait, (1 - level) / rate)
            for kind, key in keys.items():
                buckets = self._buckets[kind]
                buckets.pop(key, None)
                buckets[key] = (levels[kind] - (0 if wait else 1), now)
                while len(buckets) > self._max:
                    buckets.popitem(last=False)
            return wait

    def tracked(self, kind: str) -> int:
        return len(self._buckets[kind])


# The limits keep digests, not addresses or session keys: what stays in memory names no
# one and opens no session. The key changes with each process, like the limits.
_SALT = os.urandom(16)


def digest(kind: str, value: str) -> bytes:
    return hashlib.blake2b(f"{kind}:{value}".encode(), key=_SALT, digest_size=16).digest()


def client_address(request) -> str:
    """The client's address as the limits count it: an IPv6 client by its /64 (one
    subscriber's whole network, which it can pick addresses from at will)."""
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"  # every client the server could not place shares one limit
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


_creations: ClientLimiter | None = None
_creations_lock = threading.Lock()


def creation_limiter() -> ClientLimiter:
    """How many new sessions and new contracts one address may start, and how many live
    checks one session may ask (settings in cerfa/settings/sessions.py): one client filling
    the store, or the processors, would lock everyone else out."""
    global _creations
    with _creations_lock:
        if _creations is None:
            from django.conf import settings

            _creations = ClientLimiter(
                {
                    "session": Allowance(
                        settings.CERFA_NEW_SESSIONS_PER_MINUTE, settings.CERFA_NEW_SESSIONS_BURST
                    ),
                    "contrat": Allowance(
                        settings.CERFA_NEW_CONTRACTS_PER_MINUTE,
                        settings.CERFA_NEW_CONTRACTS_BURST,
                    ),
                    "verification": Allowance(
                        settings.CERFA_LIVE_CHECKS_PER_MINUTE, settings.CERFA_LIVE_CHECKS_BURST
                    ),
                },
                max_clients=settings.CERFA_LOOKUP_CLIENTS_TRACKED,
                clock=time.monotonic,
            )
        return _creations


def reset_creation_limiter() -> None:
    """Forget the counts (tests that change the settings)."""
    global _creations
    with _creations_lock:
        _creations = None


def may_create(request, kind: str) -> float:
    """0 when this request's address may start one more ``kind`` (``"session"`` or
    ``"contrat"``) now, which is then counted; else the seconds to wait."""
    return creation_limiter().take({kind: digest("address", client_address(request))})


def may_verify(request) -> float:
    """0 when this request's session may have one more live check now, else the seconds
    to wait."""
    return creation_limiter().take(
        {"verification": digest("session", request.session.session_key or "")}
    )
