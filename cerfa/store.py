"""Where sessions and contracts in progress live: memory only, never evicted, never on disk.

A cache (Django's local-memory cache, or Redis with an LRU policy) forgets the least
recently used entry when it is full: one client creating contracts by the thousand would
evict other people's work. This store never does. Each kind of entry (``session``,
``contrat``) has a fixed capacity; when it is reached, a *new* entry is refused
(``StoreFull``: the views answer « service momentanément saturé ») and every existing one
is kept until its own expiry, or until the user erases it.

Two backends, chosen by ``REDIS_URL``:

- ``MemoryStore``: this process's memory. Expired entries are swept by a background thread
  every ``sweep_seconds`` (they are gone from memory within that time of their expiry);
  a byte budget bounds the whole.
- ``RedisStore``: a Redis server shared by several processes. Redis removes expired keys
  itself; each kind is counted in a sorted set of its keys by expiry time, updated with
  its key in one script, so that the count is right across processes. New entries are
  also refused when Redis nears its ``maxmemory``. Redis must keep nothing on disk and
  evict nothing: ``redis_problems`` says what is wrong with a server's settings
  (``cerfa/startup.py`` refuses to start on it).

Values are JSON (dicts of lists of strings, as formtools and Django's sessions keep them):
what is stored is exactly what was typed, never code (no pickle).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

SESSION = "session"
CONTRAT = "contrat"
# What a contract's stored steps make, kept beside it (cerfa/wizard/memo.py): counted apart,
# so that a full store refuses a memo without refusing a contract, and as many as contracts.
MEMO = "memo"
KINDS = (SESSION, CONTRAT, MEMO)


class StoreFull(Exception):
    """No room for a new entry of this kind now; existing entries are untouched."""


@dataclass(frozen=True)
class Capacity:
    sessions: int
    contracts: int
    # The memory backend's budget for all values together, in bytes.
    max_bytes: int

    def of(self, kind: str) -> int:
        return self.sessions if kind == SESSION else self.contracts


def _dump(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _load(raw: bytes | None) -> dict | None:
    return None if raw is None else json.loads(raw)


class MemoryStore:
    def __init__(
        self,
        capacity: Capacity,
        sweep_seconds: float = 30,
        clock: Callable[[], float] = time.monotonic,
        start_sweeper: bool = True,
    ):
        self.capacity = capacity
        self._clock = clock
        self._lock = threading.Lock()
        # key -> (kind, expires at, value as bytes)
        self._entries: dict[str, tuple[str, float, bytes]] = {}
        self._counts = dict.fromkeys(KINDS, 0)
        self._bytes = 0
        self._last_sweep = -float("inf")
        self.sweep_seconds = sweep_seconds
        if start_sweeper:
            thread = threading.Thread(target=self._sweep_forever, name="cerfa-store-sweeper")
            thread.daemon = True
            thread.start()

    # -- reading and writing --------------------------------------------------------------

    def get(self, key: str) -> dict | None:
        with self._lock:
            entry = self._live(key)
            return None if entry is None else _load(entry[2])

    def create(self, kind: str, key: str, value: dict, ttl: float) -> bool:
        """Store a new entry; False if the key exists. Raises ``StoreFull`` when full."""
        raw = _dump(value)
        with self._lock:
            if self._live(key) is not None:
                return False
            if self._is_full(kind, len(raw)):
                # Make room from expired entries, but sweep (a walk of every entry, under
                # the lock) at most once a second while full: refusals stay cheap.
                if self._clock() - self._last_sweep >= 1:
                    self._sweep_locked()
                if kind != MEMO:
                    self._evict_memos(kind, len(raw))
                if self._is_full(kind, len(raw)):
                    raise StoreFull(kind)
            self._put(key, kind, raw, ttl)
            return True

    def replace(self, key: str, value: dict, ttl: float) -> bool:
        """Write an existing entry again (and give it ``ttl`` more); False if it is gone.

        Never refused for room: what a user already has must keep working. A value can only
        grow by what one request carries, which the request size limit bounds.
        """
        raw = _dump(value)
        with self._lock:
            entry = self._live(key)
            if entry is None:
                return False
            self._drop(key)
            self._put(key, entry[0], raw, ttl)
            return True

    def touch(self, key: str, ttl: float) -> bool:
        """Give an existing entry ``ttl`` more without writing it; False if it is gone."""
        with self._lock:
            entry = self._live(key)
            if entry is None:
                return False
            self._entries[key] = (entry[0], self._clock() + ttl, entry[2])
            return True

    def rename(self, old: str, new: str) -> bool:
        """Move an entry to another key, keeping its kind, value and expiry (never refused
        for room: the count does not change); False if it is gone."""
        with self._lock:
            entry = self._live(old)
            if entry is None:
                return False
            if self._live(new) is not None:
                self._drop(new)
            del self._entries[old]
            self._entries[new] = entry
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            if key in self._entries:
                self._drop(key)

    def count(self, kind: str) -> int:
        with self._lock:
            self._sweep_locked()
            return self._counts[kind]

    def keys(self) -> list[str]:
        """Every live key (for tests and the canary check)."""
        with self._lock:
            self._sweep_locked()
            return list(self._entries)

    @property
    def bytes_used(self) -> int:
        """What the values take now, expired ones included until they are swept."""
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts = dict.fromkeys(KINDS, 0)
            self._bytes = 0

    # -- inside the lock ------------------------------------------------------------------

    def _live(self, key: str):
        entry = self._entries.get(key)
        if entry is not None and entry[1] <= self._clock():
            self._drop(key)
            return None
        return entry

    def _is_full(self, kind: str, size: int) -> bool:
        return (
            self._counts[kind] >= self.capacity.of(kind)
            or self._bytes + size > self.capacity.max_bytes
        )

    def _evict_memos(self, kind: str, size: int) -> None:
        """Memos (what a contract's steps make, made again on demand) give their room to a
        new entry of another kind: the soonest to expire first."""
        memos = sorted(
            (expires, key) for key, (k, expires, _) in self._entries.items() if k == MEMO
        )
        for _, key in memos:
            if not self._is_full(kind, size):
                return
            self._drop(key)

    def _put(self, key: str, kind: str, raw: bytes, ttl: float) -> None:
        self._entries[key] = (kind, self._clock() + ttl, raw)
        self._counts[kind] += 1
        self._bytes += len(raw)

    def _drop(self, key: str) -> None:
        kind, _, raw = self._entries.pop(key)
        self._counts[kind] -= 1
        self._bytes -= len(raw)

    def _sweep_locked(self) -> None:
        now = self._clock()
        self._last_sweep = now
        for key in [k for k, (_, expires, _) in self._entries.items() if expires <= now]:
            self._drop(key)

    def sweep(self) -> None:
        with self._lock:
            self._sweep_locked()

    def _sweep_forever(self) -> None:
        while True:
            time.sleep(self.sweep_seconds)
            self.sweep()


# One script, so that the count and the key change together even with several processes.
# KEYS[1]: the kind's sorted set of keys by expiry, KEYS[2]: the key.
# ARGV: now, expires at, ttl in ms, capacity, value.
_CREATE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], KEYS[2])
return 1
"""
# ARGV: expires at, ttl in ms, value.
_REPLACE = """
if redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2], 'XX') then
  redis.call('ZADD', KEYS[1], 'XX', ARGV[1], KEYS[2])
  return 1
end
return 0
"""

# ARGV: expires at, ttl in ms.
_TOUCH = """
if redis.call('PEXPIRE', KEYS[2], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[1], 'XX', ARGV[1], KEYS[2])
  return 1
end
return 0
"""

# KEYS[1]: the index, KEYS[2]: the old key, KEYS[3]: the new one.
_RENAME = """
local expires = redis.call('ZSCORE', KEYS[1], KEYS[2])
if redis.call('EXISTS', KEYS[2]) == 0 or not expires then return 0 end
redis.call('RENAME', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[1], KEYS[2])
redis.call('ZADD', KEYS[1], expires, KEYS[3])
return 1
"""

# New entries are refused past this share of Redis's maxmemory, so that the entries already
# there can still be written until they expire (Redis refuses every write when full).
REDIS_MEMORY_SHARE = 0.8


class RedisStore:
    def __init__(
        self,
        url: str,
        capacity: Capacity,
        prefix: str = "cerfa",
        memory_check_seconds: float = 1.0,
    ):
        import redis

        self.capacity = capacity
        # INFO is cheap, but not needed at every creation.
        self.memory_check_seconds = memory_check_seconds
        self.prefix = prefix
        self.redis = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
        )
        self._create = self.redis.register_script(_CREATE)
        self._replace = self.redis.register_script(_REPLACE)
        self._touch = self.redis.register_script(_TOUCH)
        self._rename = self.redis.register_script(_RENAME)
        self._memory_checked = -float("inf")
        self._memory_full = False

    def _index(self, kind: str) -> str:
        return f"{self.prefix}:index:{kind}"

    def _kind_of(self, key: str) -> str:
        return key.split(":", 2)[1] if key.count(":") >= 2 else CONTRAT

    def get(self, key: str) -> dict | None:
        return _load(self.redis.get(key))

    def create(self, kind: str, key: str, value: dict, ttl: float) -> bool:
        if self._near_maxmemory() and (
            kind == MEMO or not self._evict_memos() or self._near_maxmemory()
        ):
            raise StoreFull(kind)
        now = time.time()

        with _full_when_out_of_memory(kind):
            done = self._create(
                keys=[self._index(kind), key],
                args=[now, now + ttl, int(ttl * 1000), self.capacity.of(kind), _dump(value)],
            )
        if done == 0:
            raise StoreFull(kind)
        return done == 1

    def _evict_memos(self) -> bool:
        """Memos give their room to an entry of another kind (they are made again on
        demand): every one goes. False if there was none."""
        keys = self.redis.zrange(self._index(MEMO), 0, -1)
        if not keys:
            return False
        pipe = self.redis.pipeline()
        pipe.delete(*keys)
        pipe.zrem(self._index(MEMO), *keys)
        pipe.execute()
        self._memory_checked = -float("inf")  # look again at the memory now freed
        return True

    def replace(self, key: str, value: dict, ttl: float) -> bool:
        with _full_when_out_of_memory(self._kind_of(key)):
            return bool(
                self._replace(
                    keys=[self._index(self._kind_of(key)), key],
                    args=[time.time() + ttl, int(ttl * 1000), _dump(value)],
                )
            )

    def touch(self, key: str, ttl: float) -> bool:
        return bool(
            self._touch(
                keys=[self._index(self._kind_of(key)), key],
                args=[time.time() + ttl, int(ttl * 1000)],
            )
        )

    def rename(self, old: str, new: str) -> bool:
        return bool(self._rename(keys=[self._index(self._kind_of(old)), old, new]))

    def delete(self, key: str) -> None:
        pipe = self.redis.pipeline()
        pipe.delete(key)
        pipe.zrem(self._index(self._kind_of(key)), key)
        pipe.execute()

    def count(self, kind: str) -> int:
        self.redis.zremrangebyscore(self._index(kind), "-inf", time.time())
        return self.redis.zcard(self._index(kind))

    def keys(self) -> list[str]:
        return [k.decode() for k in self.redis.scan_iter(match=f"{self.prefix}:*")]

    def clear(self) -> None:
        keys = list(self.redis.scan_iter(match=f"{self.prefix}:*"))
        if keys:
            self.redis.delete(*keys)

    def _near_maxmemory(self) -> bool:
        now = time.monotonic()
        if now - self._memory_checked >= self.memory_check_seconds:
            info = self.redis.info("memory")
            limit = int(info.get("maxmemory", 0) or 0)
            used = int(info.get("used_memory", 0) or 0)
            self._memory_full = bool(limit) and used > limit * REDIS_MEMORY_SHARE
            self._memory_checked = now
        return self._memory_full


@contextlib.contextmanager
def _full_when_out_of_memory(kind: str):
    """Redis at its maxmemory refuses writes (« OOM »): the store is full."""
    from redis.exceptions import OutOfMemoryError

    try:
        yield
    except OutOfMemoryError:
        raise StoreFull(kind) from None


def redis_problems(client, allow_persistence: bool = False) -> list[str]:
    """What makes a Redis server unfit to hold personal data, one French line each.

    ``save`` (snapshots) and ``appendonly`` write every key to disk, so an apprentice's
    name and NIR would outlive the session (in ``dump.rdb``, even at shutdown): refused
    unless ``allow_persistence`` (``CERFA_REDIS_ALLOW_PERSISTENCE``). An eviction policy
    other than ``noeviction`` would drop contracts in progress when memory is full: always
    refused.
    """
    import redis

    override = ", ou CERFA_REDIS_ALLOW_PERSISTENCE=true si ce disque est aussi sûr que la mémoire."
    try:
        config = {}
        for name in ("save", "appendonly", "maxmemory-policy"):
            config.update(client.config_get(name))
    except redis.ResponseError:
        return [
            "Redis refuse la commande CONFIG : impossible de vérifier qu’il ne garde rien sur "
            "disque (save, appendonly) et n’efface rien (maxmemory-policy) ; configurez-le "
            "comme docs/redis.conf" + override
        ]
    problems = []
    if not allow_persistence and str(config.get("save", "")).strip():
        problems.append(
            f"Redis enregistre ses données sur disque (save « {config['save']} ») : les "
            'données saisies y survivraient. Mettez save "" (voir docs/redis.conf)' + override
        )
    if not allow_persistence and str(config.get("appendonly", "no")).lower() == "yes":
        problems.append(
            "Redis écrit chaque modification sur disque (appendonly yes) : les données "
            "saisies y survivraient. Mettez appendonly no (voir docs/redis.conf)" + override
        )
    policy = str(config.get("maxmemory-policy", "noeviction"))
    if policy != "noeviction":
        problems.append(
            f"Redis efface des clés quand sa mémoire est pleine (maxmemory-policy {policy}) : "
            "des contrats en cours seraient perdus. Mettez maxmemory-policy noeviction (voir "
            "docs/redis.conf)."
        )
    return problems


_store = None
_store_lock = threading.Lock()


def get_store():
    """The process's store, made from the settings on first use."""
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                from django.conf import settings

                capacity = Capacity(
                    sessions=settings.CERFA_MAX_SESSIONS,
                    contracts=settings.CERFA_MAX_CONTRACTS,
                    max_bytes=settings.CERFA_STORE_MAX_MB * 1_000_000,
                )
                if settings.REDIS_URL:
                    _store = RedisStore(settings.REDIS_URL, capacity)
                else:
                    _store = MemoryStore(capacity, sweep_seconds=settings.CERFA_SWEEP_SECONDS)
    return _store


def reset_store() -> None:
    """Forget the process's store (tests that change its settings)."""
    global _store
    with _store_lock:
        _store = None
