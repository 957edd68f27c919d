"""The lock store endpoints.yml names: in memory by default, Redis with REDIS_URL, and
each change of a lock one Redis transaction, so that Rasa instances sharing Redis never
hand out one ticket twice or lose one."""
import asyncio
import threading

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.utils.endpoints import read_endpoint_config

from bot.lock_store import AtomicRedisLockStore, EnvironmentLockStore
from tests.conftest import ROOT
from tests.support.redis_server import REDIS_TEST_URL, redis_or_skip, unique_prefix


@pytest.fixture
def redis_store():
    client = redis_or_skip()
    prefix = unique_prefix()
    store = AtomicRedisLockStore(REDIS_TEST_URL, key_prefix=prefix)
    yield store
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def endpoint_variables(monkeypatch):
    """endpoints.yml's other ${VARIABLES}, which the Makefile sets."""
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused.db")


def test_endpoints_yml_gives_in_memory_locks_without_redis_url(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "lock_store")
    assert config.type == "bot.lock_store.EnvironmentLockStore"
    assert isinstance(LockStore.create(config), InMemoryLockStore)


def test_endpoints_yml_gives_redis_locks_with_redis_url(monkeypatch):
    redis_or_skip()
    monkeypatch.setenv("REDIS_URL", REDIS_TEST_URL)
    monkeypatch.setenv("REDIS_LOCK_PREFIX", "clinicA")
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "lock_store")
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix.startswith("clinicA:")


def test_a_wrong_redis_url_fails_at_start(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    with pytest.raises(Exception):
        EnvironmentLockStore(endpoint_config=None)


def test_tickets_are_served_in_order_and_the_lock_goes_when_done(redis_store):
    first = redis_store.issue_ticket("c")
    second = redis_store.issue_ticket("c")
    assert (first, second) == (0, 1)
    lock = redis_store.get_lock("c")
    assert not lock.is_locked(first) and lock.is_locked(second)
    redis_store.cleanup("c", first)
    assert not redis_store.get_lock("c").is_locked(second)
    redis_store.cleanup("c", second)
    assert redis_store.get_lock("c") is None


def test_rasa_lock_context_serialises_one_conversation(redis_store):
    """Two coroutines of one conversation: the second enters after the first leaves."""
    order = []

    async def turn(name):
        async with redis_store.lock("conv", wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")

    async def both():
        await asyncio.gather(turn("a"), turn("b"))

    asyncio.run(both())
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    assert redis_store.get_lock("conv") is None


def test_a_ticket_of_a_dead_instance_expires_after_the_lifetime(redis_store, monkeypatch):
    """An instance that died holding a conversation's lock: the next message waits the
    lock's lifetime (15 s by default, not Rasa's 60), then goes ahead."""
    assert redis_store.lifetime == 15.0
    redis_store.lifetime = 5.0
    abandoned = redis_store.issue_ticket("orphan", 0.3)  # never cleaned up
    assert redis_store.get_lock("orphan").is_locked(abandoned + 1)

    async def next_message(conversation_id):
        started = asyncio.get_running_loop().time()
        async with redis_store.lock(conversation_id):
            return asyncio.get_running_loop().time() - started

    waited = asyncio.run(next_message("orphan"))
    assert 0.2 < waited < 2.0
    assert redis_store.get_lock("orphan") is None

    # a message that waited longer than its own ticket's life goes ahead (Rasa's own
    # loop would wait forever)
    redis_store.lifetime = 0.3
    redis_store.issue_ticket("stuck", 0.3)
    waited = asyncio.run(asyncio.wait_for(next_message("stuck"), timeout=5))
    assert waited < 2.0


def test_concurrent_tickets_are_all_distinct_and_kept(redis_store):
    """Eight threads (standing in for Rasa instances) take 40 tickets each for one
    conversation: 320 distinct numbers, all in the stored lock."""
    issued = []
    guard = threading.Lock()

    def take():
        mine = [redis_store.issue_ticket("busy") for _ in range(40)]
        with guard:
            issued.extend(mine)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = [ticket.number for ticket in redis_store.get_lock("busy").tickets]
    assert len(issued) == len(set(issued)) == 320
    assert sorted(stored) == sorted(issued)

    def finish(numbers):
        for number in numbers:
            redis_store.cleanup("busy", number)

    halves = [issued[0::2], issued[1::2]]
    threads = [threading.Thread(target=finish, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert redis_store.get_lock("busy") is None  # every ticket finished, nothing left behind
