"""The store of sessions and contracts: fixed room, never evicts, forgets on time."""

from __future__ import annotations

import time

import pytest

from cerfa.store import CONTRAT, SESSION, Capacity, MemoryStore, RedisStore, StoreFull
from tests.server import start_redis


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def memory(contracts=3, sessions=5, max_bytes=1_000_000, clock=None, **kwargs):
    return MemoryStore(
        Capacity(sessions=sessions, contracts=contracts, max_bytes=max_bytes),
        clock=clock or Clock(),
        start_sweeper=kwargs.pop("start_sweeper", False),
        **kwargs,
    )


def test_a_full_store_refuses_new_entries_and_keeps_every_existing_one():
    store = memory(contracts=3)
    for i in range(3):
        assert store.create(CONTRAT, f"c{i}", {"n": [str(i)]}, ttl=60)
    with pytest.raises(StoreFull):
        store.create(CONTRAT, "c3", {}, ttl=60)
    assert [store.get(f"c{i}") for i in range(3)] == [{"n": ["0"]}, {"n": ["1"]}, {"n": ["2"]}]
    # Each kind has its own room: contracts filling up leave sessions free.
    assert store.create(SESSION, "s0", {}, ttl=60)
    # Writing an existing entry again is never refused, even when the store is full.
    assert store.replace("c0", {"n": ["0", "plus"]}, ttl=60)
    assert store.get("c0") == {"n": ["0", "plus"]}
    store.delete("c1")
    assert store.create(CONTRAT, "c3", {}, ttl=60)


def test_the_byte_budget_bounds_the_whole():
    store = memory(contracts=100, max_bytes=1_000)
    store.create(CONTRAT, "a", {"x": "é" * 400}, ttl=60)  # 800 bytes of UTF-8, and JSON
    with pytest.raises(StoreFull):
        store.create(CONTRAT, "b", {"x": "y" * 300}, ttl=60)
    assert store.get("a") == {"x": "é" * 400}


def test_an_existing_key_is_not_created_again_and_a_gone_one_is_not_replaced():
    store = memory()
    assert store.create(CONTRAT, "k", {"v": 1}, ttl=60)
    assert not store.create(CONTRAT, "k", {"v": 2}, ttl=60)
    assert store.get("k") == {"v": 1}
    store.delete("k")
    assert not store.replace("k", {"v": 3}, ttl=60)
    assert store.get("k") is None


def test_entries_expire_and_activity_extends_them():
    clock = Clock()
    store = memory(clock=clock)
    store.create(CONTRAT, "k", {"v": 1}, ttl=60)
    clock.now += 50
    store.replace("k", {"v": 2}, ttl=60)
    clock.now += 50
    assert store.get("k") == {"v": 2}
    clock.now += 11
    assert store.get("k") is None
    assert store.count(CONTRAT) == 0


def test_expired_entries_leave_memory_without_anyone_asking_for_them():
    """The sweeper thread forgets them (every CERFA_SWEEP_SECONDS, at most 60)."""
    clock = Clock()
    store = memory(clock=clock, start_sweeper=True, sweep_seconds=0.05)
    store.create(CONTRAT, "k", {"nir": "x" * 10_000}, ttl=60)
    assert store.bytes_used > 10_000
    clock.now += 61
    deadline = time.monotonic() + 5
    while store.bytes_used and time.monotonic() < deadline:
        time.sleep(0.02)
    assert store.bytes_used == 0


def test_a_full_store_makes_room_from_expired_entries_first():
    clock = Clock()
    store = memory(contracts=2, clock=clock)
    store.create(CONTRAT, "old", {}, ttl=10)
    store.create(CONTRAT, "live", {}, ttl=100)
    clock.now += 11
    assert store.create(CONTRAT, "new", {}, ttl=100)
    assert store.get("live") == {} and store.get("old") is None


def test_refusals_of_a_full_store_sweep_at_most_once_a_second():
    clock = Clock()
    store = memory(contracts=2, clock=clock)
    store.create(CONTRAT, "a", {}, ttl=0.3)
    store.create(CONTRAT, "b", {}, ttl=100)
    with pytest.raises(StoreFull):
        store.create(CONTRAT, "c", {}, ttl=100)  # swept now: nothing had expired yet
    clock.now += 0.5  # "a" has expired, but the last sweep was half a second ago
    with pytest.raises(StoreFull):
        store.create(CONTRAT, "c", {}, ttl=100)
    clock.now += 0.6
    assert store.create(CONTRAT, "c", {}, ttl=100)


@pytest.fixture
def redis():
    server = start_redis()
    yield server
    server.stop()


def redis_store(redis, contracts=3, sessions=5):
    return RedisStore(
        redis.url,
        Capacity(sessions=sessions, contracts=contracts, max_bytes=0),
        memory_check_seconds=0,  # Redis's memory looked at for every creation here
    )


def test_redis_counts_across_processes_and_keeps_what_is_there(redis):
    # Two stores on one server, as two processes of the service would be.
    one, two = redis_store(redis), redis_store(redis)
    assert one.create(CONTRAT, "cerfa:contrat:a", {"n": 1}, ttl=60)
    assert two.create(CONTRAT, "cerfa:contrat:b", {"n": 2}, ttl=60)
    assert one.create(CONTRAT, "cerfa:contrat:c", {"n": 3}, ttl=60)
    with pytest.raises(StoreFull):
        two.create(CONTRAT, "cerfa:contrat:d", {}, ttl=60)
    assert two.get("cerfa:contrat:a") == {"n": 1}
    assert not two.create(CONTRAT, "cerfa:contrat:a", {"n": 9}, ttl=60)
    assert two.replace("cerfa:contrat:a", {"n": 10}, ttl=60)
    assert one.get("cerfa:contrat:a") == {"n": 10}
    one.delete("cerfa:contrat:b")
    assert two.count(CONTRAT) == 2
    assert two.create(CONTRAT, "cerfa:contrat:d", {}, ttl=60)
    assert not one.replace("cerfa:contrat:b", {}, ttl=60)  # erased stays erased


def test_redis_keys_carry_their_expiry_and_expired_ones_free_their_room(redis):
    store = redis_store(redis, contracts=1)
    store.create(CONTRAT, "cerfa:contrat:a", {}, ttl=1)
    assert 0 < redis.client().pttl("cerfa:contrat:a") <= 1000
    with pytest.raises(StoreFull):
        store.create(CONTRAT, "cerfa:contrat:b", {}, ttl=60)
    time.sleep(1.2)
    assert store.get("cerfa:contrat:a") is None
    assert store.create(CONTRAT, "cerfa:contrat:b", {}, ttl=60)


def test_redis_near_its_maxmemory_refuses_new_entries_but_writes_existing_ones(redis):
    store = redis_store(redis, contracts=1000)
    client = redis.client()
    store.create(CONTRAT, "cerfa:contrat:first", {"v": 1}, ttl=60)
    used = int(client.info("memory")["used_memory"])
    client.config_set("maxmemory", str(int(used / 0.8) + 200_000))
    created = 0
    with pytest.raises(StoreFull):
        for i in range(1000):
            store.create(CONTRAT, f"cerfa:contrat:{i}", {"v": "x" * 2000}, ttl=60)
            created += 1
    assert 0 < created < 1000
    assert store.replace("cerfa:contrat:first", {"v": 2}, ttl=60)
    assert store.get("cerfa:contrat:first") == {"v": 2}
    # At maxmemory itself Redis refuses every write: that too is « full », not a crash.
    client.config_set("maxmemory", "1")
    with pytest.raises(StoreFull):
        store.replace("cerfa:contrat:first", {"v": "y" * 5000}, ttl=60)


def test_touch_gives_more_time_without_writing(redis):
    clock = Clock()
    store = memory(clock=clock)
    store.create(SESSION, "s", {"v": 1}, ttl=60)
    clock.now += 50
    assert store.touch("s", ttl=60)
    clock.now += 50
    assert store.get("s") == {"v": 1}
    clock.now += 11
    assert not store.touch("s", ttl=60)
    shared = redis_store(redis)
    shared.create(SESSION, "cerfa:session:a", {"v": 1}, ttl=1)
    assert shared.touch("cerfa:session:a", ttl=60)
    assert redis.client().pttl("cerfa:session:a") > 1000
    assert not shared.touch("cerfa:session:gone", ttl=60)


def test_rename_moves_an_entry_with_its_expiry_and_count(redis):
    clock = Clock()
    store = memory(contracts=1, clock=clock)
    store.create(CONTRAT, "old", {"v": 1}, ttl=60)
    assert store.rename("old", "new")  # the store is full: a move is still allowed
    assert store.get("old") is None and store.get("new") == {"v": 1}
    assert store.count(CONTRAT) == 1 and not store.rename("gone", "x")
    clock.now += 61
    assert store.get("new") is None
    shared = redis_store(redis, contracts=1)
    shared.create(CONTRAT, "cerfa:contrat:a", {"v": 1}, ttl=60)
    assert shared.rename("cerfa:contrat:a", "cerfa:contrat:b")
    assert shared.get("cerfa:contrat:b") == {"v": 1} and shared.get("cerfa:contrat:a") is None
    assert 0 < redis.client().pttl("cerfa:contrat:b") <= 60_000
    assert shared.count(CONTRAT) == 1
    with pytest.raises(StoreFull):
        shared.create(CONTRAT, "cerfa:contrat:c", {}, ttl=60)


def test_redis_near_its_memory_limit_drops_the_memos_for_a_contract(redis, monkeypatch):
    """Memos (cerfa/wizard/memo.py) give their room to a contract: near Redis's maxmemory,
    a new contract drops them rather than being refused; a new memo is refused."""
    from cerfa.store import MEMO

    store = redis_store(redis)
    assert store.create(MEMO, "cerfa:memo:a:1", {"x": 1}, 60)
    near = iter([True, False])  # full at first; after the memos went, not any more
    monkeypatch.setattr(store, "_near_maxmemory", lambda: next(near))
    assert store.create(CONTRAT, "cerfa:contrat:a:1", {"x": 1}, 60)
    assert store.get("cerfa:memo:a:1") is None and store.count(MEMO) == 0
    monkeypatch.setattr(store, "_near_maxmemory", lambda: True)
    with pytest.raises(StoreFull):
        store.create(MEMO, "cerfa:memo:a:2", {"x": 1}, 60)
    with pytest.raises(StoreFull):  # no memo left to drop: the contract is refused
        store.create(CONTRAT, "cerfa:contrat:a:2", {"x": 1}, 60)
