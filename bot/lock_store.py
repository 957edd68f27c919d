"""Rasa's lock store: one message of a conversation processed at a time.

endpoints.yml names `bot.lock_store.EnvironmentLockStore`: with REDIS_URL set (e.g.
redis://redis:6379/0), a Redis lock store shared by every Rasa instance, so that several
instances can serve the same conversations; without it, Rasa's in-memory lock store,
right for one instance.

Rasa 3.6's RedisLockStore reads a conversation's lock, changes it and writes it back in
separate commands. Two instances receiving messages of one conversation at the same time
(a patient sending twice quickly, behind a load balancer) can both read the same lock,
and one's ticket is overwritten: both then process at once, or a ticket is lost. Here
every such change is one Redis transaction (WATCH/MULTI, retried on conflict).

A ticket lives LOCK_LIFETIME seconds (Rasa's default is 60): if the instance holding it
dies, the conversation's next message waits that long. A turn takes well under a second,
so 15 s is plenty (TICKET_LOCK_LIFETIME, Rasa's own variable, overrides it). Messages
waiting for a lock look again every 0.1 s, not every second.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Any, Callable, Optional, Text, Tuple

from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)

logger = logging.getLogger(__name__)

KEY_PREFIX_VARIABLE = "REDIS_LOCK_PREFIX"  # to share one Redis between assistants
DEFAULT_LOCK_LIFETIME = 15.0
WAIT_BETWEEN_TRIES = 0.1


def lock_lifetime() -> float:
    value = (os.environ.get("TICKET_LOCK_LIFETIME") or "").strip()
    return float(value) if value else DEFAULT_LOCK_LIFETIME


def redis_url() -> Optional[str]:
    return (os.environ.get("REDIS_URL") or "").strip() or None


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's RedisLockStore with each read-change-write of a lock made atomic."""

    def __init__(self, url: str, key_prefix: Optional[Text] = None,
                 socket_timeout: float = DEFAULT_SOCKET_TIMEOUT_IN_SECONDS) -> None:
        import redis

        self.red = redis.StrictRedis.from_url(url, socket_timeout=socket_timeout)
        self.key_prefix = "lock:"
        if key_prefix:
            self._set_key_prefix(key_prefix)
        self.lifetime = lock_lifetime()
        LockStore.__init__(self)

    def lock(self, conversation_id: Text, lock_lifetime: Optional[float] = None,
             wait_time_in_seconds: float = WAIT_BETWEEN_TRIES):
        """Rasa's ticket lock with this store's lifetime and wait between tries (Rasa
        calls it with its defaults)."""
        if lock_lifetime is None or lock_lifetime == LOCK_LIFETIME:
            lock_lifetime = self.lifetime
        return super().lock(conversation_id, lock_lifetime,
                            min(wait_time_in_seconds, WAIT_BETWEEN_TRIES))

    async def _acquire_lock(self, conversation_id: Text, ticket: int,
                            wait_time_in_seconds: float) -> TicketLock:
        """Wait for this ticket's turn. Rasa's own loop waits forever once the waiting
        ticket itself has expired (the lock then serves no one); here a ticket that
        expired while waiting goes ahead, as the lock's lifetime promises."""
        while True:
            self.update_lock(conversation_id)
            lock = self.get_lock(conversation_id)
            if lock is None or all(t.number != ticket for t in lock.tickets):
                logger.warning("Lock ticket of conversation %s expired while waiting; "
                               "going ahead", conversation_id)
                return lock or self.create_lock(conversation_id)
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)

    def _change(self, conversation_id: Text,
                change: Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Any]]) -> Any:
        """Apply `change` to the stored lock in one transaction; it returns the lock to
        store (None deletes it) and a result."""
        key = self.key_prefix + conversation_id
        outcome = {}

        def transaction(pipe) -> None:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new_lock, outcome["result"] = change(lock)
            pipe.multi()
            if new_lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, new_lock.dumps())

        self.red.transaction(transaction, key)
        return outcome.get("result")

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock):
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def remove_expired(lock):
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, remove_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def finish(lock):
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Finish the ticket, and delete the lock when no one else waits, atomically."""
        def finish_and_maybe_delete(lock):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish_and_maybe_delete)


def create_lock_store() -> LockStore:
    url = redis_url()
    if url:
        store = AtomicRedisLockStore(url, key_prefix=os.environ.get(KEY_PREFIX_VARIABLE))
        store.red.ping()  # fail at start, not at the first message, when Redis is wrong
        logger.info("Lock store: Redis at %s", _without_password(url))
        return store
    return InMemoryLockStore()


def _without_password(url: str) -> str:
    from redis.connection import parse_url

    parts = parse_url(url)
    return f"{parts.get('host', '?')}:{parts.get('port', 6379)}/{parts.get('db', 0)}"


class EnvironmentLockStore(LockStore):
    """The lock store endpoints.yml names: `EnvironmentLockStore(endpoint_config=...)`
    gives Redis's (REDIS_URL set) or the in-memory one; Rasa only accepts a class here,
    so the choice is made in `__new__`."""

    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # type: ignore[misc]
        return create_lock_store()
