import socket
import warnings

import pytest

from drugs.cache_backend import RedisCache


def redis_is_up():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")


def test_reuses_one_client_and_round_trips_values():
    cache = RedisCache("redis://127.0.0.1:6379/12", {"KEY_PREFIX": "backend-test"})
    cache.set("greeting", {"text": "hello"}, 10)
    assert cache.get("greeting") == {"text": "hello"}
    assert cache.get_many(["greeting", "missing"]) == {"greeting": {"text": "hello"}}
    client = cache._cache.get_client("greeting")
    assert cache._cache.get_client("other") is client
    assert cache._cache.get_client("greeting", write=True) is client
    cache.delete("greeting")
    assert cache.get("greeting") is None


def test_takes_any_key_without_memcached_warnings():
    cache = RedisCache("redis://127.0.0.1:6379/12", {"KEY_PREFIX": "backend-test"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.set("a key with spaces and ünïcode " + "x" * 300, 1, 10)
        assert cache.get("a key with spaces and ünïcode " + "x" * 300) == 1
