"""The local Redis server for tests (REDIS_TEST_URL, default redis://127.0.0.1:6379/0).
Skipped where none runs, but not in CI: CI machines run Redis."""
import os
import uuid

import pytest

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


def redis_or_skip():
    import redis

    client = redis.StrictRedis.from_url(REDIS_TEST_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_TEST_URL}: {error}")
    return client


def unique_prefix() -> str:
    """A key prefix of Rasa's allowed form (alphanumeric) no other test uses."""
    return "test" + uuid.uuid4().hex[:12]
