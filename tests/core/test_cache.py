"""The Redis cache with one client per connection pool (socialrx.core.cache), against a
real Redis: what Django's backend does, without a new client for every operation."""

import os

import pytest

from socialrx.core.cache import RedisCache

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server (REDIS_URL)")


def test_values_round_trip_and_every_call_shares_one_client():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-cache-client"})
    client = cache._cache.get_client()

    cache.delete_many(["k", "n"])
    cache.set("k", {"n": 1}, 30)
    assert cache.get("k") == {"n": 1}
    assert cache.add("n", 0, 30)
    assert cache.incr("n") == 1
    cache.delete_many(["k", "n"])
    assert cache.get("k") is None
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client
