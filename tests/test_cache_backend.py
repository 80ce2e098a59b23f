import json
import socket
import time
import uuid
import warnings

import pytest
from django.core.cache.backends.redis import RedisCache as StockRedisCache

from drugs.cache_backend import RedisCache
from tests.subprocesses import run_with_settings


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


# The near cache: copies of the page cache's keys in this process, dropped when Redis pushes
# word that their key changed.

NEAR_SERVER = "redis://127.0.0.1:6379/12"


@pytest.fixture
def near_cache():
    prefix = f"near-{uuid.uuid4().hex}"
    params = {"KEY_PREFIX": prefix, "OPTIONS": {"NEAR_CACHE_PREFIXES": ["page:", "tag:"]}}
    cache = RedisCache(NEAR_SERVER, params)
    # Another app server: Django's own backend on the same Redis, with no copies.
    other = StockRedisCache(NEAR_SERVER, {"KEY_PREFIX": prefix})
    yield cache, other
    other.delete_many([*keys_of(other, "page:"), *keys_of(other, "tag:")])


def next_request():
    """Wait as a reader's next request would, after the writer's answer: Redis sends its word
    of a change right after answering the writer, in the same pass."""
    time.sleep(0.001)


def keys_of(cache, prefix):
    raw = cache.make_key(prefix)
    client = cache._cache.get_client(None)
    return [key.decode()[len(raw) - len(prefix) :] for key in client.keys(raw + "*")]


@pytest.fixture
def round_trips(near_cache, monkeypatch):
    """How many times the near-cached backend has read from Redis."""
    cache, _other = near_cache
    client = cache._cache.get_client(None)
    calls = []
    real_mget = client.mget
    monkeypatch.setattr(client, "mget", lambda *args: calls.append(args) or real_mget(*args))
    return calls


def test_a_repeated_read_of_a_page_key_makes_no_round_trip(near_cache, round_trips):
    cache, other = near_cache
    other.set_many({"page:home": b"<html>", "tag:home": 7})
    assert cache.get_many(["page:home", "tag:home"]) == {"page:home": b"<html>", "tag:home": 7}
    assert cache.get_many(["page:home", "tag:home"]) == {"page:home": b"<html>", "tag:home": 7}
    assert cache.get("tag:home") == 7
    assert len(round_trips) == 1


def test_keys_outside_the_prefixes_are_always_read_from_redis(near_cache, round_trips):
    cache, other = near_cache
    other.set("session:1", "a")
    assert cache.get("session:1") == "a"
    other.set("session:1", "b")
    assert cache.get("session:1") == "b"
    assert cache.get_many(["session:1", "tag:home"]) == {"session:1": "b"}


def test_a_change_written_by_another_server_is_read_at_once(near_cache):
    cache, other = near_cache
    for version in range(200):
        other.set("tag:drug:1", version, None)
        next_request()
        assert cache.get("tag:drug:1") == version
        assert cache.get("tag:drug:1") == version  # the copy, once it is made


def test_a_change_written_through_this_backend_is_read_at_once(near_cache):
    cache, _other = near_cache
    for version in range(200):
        cache.set_many({"tag:drug:1": version, "tag:az": version}, None)
        assert cache.get_many(["tag:drug:1", "tag:az"]) == {
            "tag:drug:1": version,
            "tag:az": version,
        }
        cache.set("page:x", str(version))
        assert cache.get("page:x") == str(version)


def test_a_write_is_read_back_before_redis_word_of_it_arrives(near_cache, monkeypatch):
    cache, _other = near_cache
    cache.set_many({"tag:az": 1, "page:az": "old"}, None)
    assert cache.get_many(["tag:az", "page:az"]) == {"tag:az": 1, "page:az": "old"}
    monkeypatch.setattr(cache._cache._near._connection, "can_read", lambda timeout=0: False)
    writes = [
        (lambda: cache.set("page:az", "set"), "set"),
        (lambda: cache.set_many({"page:az": "set_many"}), "set_many"),
        (lambda: cache.delete("page:az"), None),
        (lambda: cache.add("page:az", "add"), "add"),
        (lambda: cache.delete_many(["page:az"]), None),
    ]
    for write, value in writes:
        write()
        assert cache.get("page:az") == value
    cache.incr("tag:az")
    assert cache.get("tag:az") == 2
    cache.clear()
    assert cache.get("tag:az") is None


def test_deletes_expiry_and_flushes_elsewhere_drop_the_copies(near_cache):
    cache, other = near_cache
    cache.set("page:kept", "a")
    other.set_many({"page:gone": "b", "page:expiring": "c"})
    other.touch("page:expiring", 1)
    assert cache.get_many(["page:kept", "page:gone", "page:expiring"]) == {
        "page:kept": "a",
        "page:gone": "b",
        "page:expiring": "c",
    }
    other.delete("page:gone")
    next_request()
    assert cache.get("page:gone") is None
    deadline = time.monotonic() + 5  # Redis deletes expired keys within a moment
    while cache.get("page:expiring") is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cache.get("page:expiring") is None
    assert cache.get("page:kept") == "a"
    other.clear()
    next_request()
    assert cache.get("page:kept") is None


def test_while_the_tracking_connection_is_lost_every_read_goes_to_redis(near_cache, round_trips):
    cache, other = near_cache
    other.set("tag:az", 1)
    assert cache.get("tag:az") == 1
    local_port = cache._cache._near._connection._sock.getsockname()[1]
    client = other._cache.get_client(None)
    [tracking_id] = [
        entry["id"] for entry in client.client_list() if entry["addr"].endswith(f":{local_port}")
    ]
    client.client_kill_filter(_id=tracking_id)
    other.set("tag:az", 2)
    next_request()
    assert cache.get("tag:az") == 2
    assert cache.get("tag:az") == 2  # no copies until the connection is back
    assert len(round_trips) == 3


def test_a_tracking_connection_that_stops_answering_is_dropped(near_cache, round_trips):
    cache, other = near_cache
    other.set("tag:az", 1)
    assert cache.get("tag:az") == 1
    near = cache._cache._near
    # A PING sent long ago and never answered: the network may have dropped Redis's word.
    near._ping_sent_at = time.monotonic() - near.LEASE_SECONDS - 1
    near._connection.read_response = lambda *args, **kwargs: None  # the PONG never comes
    assert cache.get("tag:az") == 1
    assert len(round_trips) == 2
    assert near._connection is None


def test_after_a_quiet_spell_copies_wait_for_a_pong(near_cache, round_trips):
    cache, other = near_cache
    other.set("tag:az", 1)
    assert cache.get("tag:az") == 1
    near = cache._cache._near
    near._answered_at = time.monotonic() - near.LEASE_SECONDS - 1  # no PONG for a while
    assert cache.get("tag:az") == 1
    assert len(round_trips) == 2  # from Redis, while a PING goes out
    for _attempt in range(100):  # the PONG comes back within a moment: copies again
        before = len(round_trips)
        assert cache.get("tag:az") == 1
        if len(round_trips) == before:
            break
        time.sleep(0.01)
    else:
        pytest.fail("copies were not used again after the PONG")


def test_a_value_read_while_a_change_arrives_is_not_kept(near_cache, round_trips):
    cache, other = near_cache
    other.set("tag:az", 1)
    near = cache._cache._near
    keys = [cache.make_key("tag:az")]
    _values, token = near.get_many(keys)
    stale = cache._cache.get_client(None).mget(keys)  # read just before another server's write
    other.set("tag:az", 2)
    assert near._connection.can_read(2)  # Redis's word of it arrives before the read is kept
    near.keep(keys, stale, token)
    assert cache.get("tag:az") == 2


def test_the_copies_stay_within_their_size(near_cache):
    _cache, other = near_cache
    params = {
        "KEY_PREFIX": other.key_prefix,
        "OPTIONS": {"NEAR_CACHE_PREFIXES": ["page:"], "NEAR_CACHE_MAX_BYTES": 100_000},
    }
    small = RedisCache(NEAR_SERVER, params)
    other.set_many({f"page:{number}": "x" * 1000 for number in range(300)})
    for number in range(300):
        assert small.get(f"page:{number}") == "x" * 1000
    near = small._cache._near
    assert 0 < near._bytes <= 100_000
    assert len(near._values) < 100
    assert small.get("page:299") == "x" * 1000


def test_no_copies_with_replicas():
    cache = RedisCache([NEAR_SERVER, NEAR_SERVER], {"OPTIONS": {"NEAR_CACHE_PREFIXES": ["page:"]}})
    assert cache._cache._near is None


@pytest.mark.parametrize(
    "near_cache_mb, options",
    [
        (None, {"NEAR_CACHE_PREFIXES": ["page:", "tag:"], "NEAR_CACHE_MAX_BYTES": 64 << 20}),
        ("16", {"NEAR_CACHE_PREFIXES": ["page:", "tag:"], "NEAR_CACHE_MAX_BYTES": 16 << 20}),
        ("0", None),  # no copies: every hit asks Redis
    ],
)
def test_near_cache_mb_sizes_or_turns_off_the_copies(near_cache_mb, options):
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default'].get('OPTIONS')))"
    )
    printed = run_with_settings(
        script, REDIS_URL=NEAR_SERVER, DJANGO_DEBUG="1", NEAR_CACHE_MB=near_cache_mb
    )
    assert json.loads(printed) == options


def test_an_unreachable_redis_is_reported_once_until_it_works_again(caplog, monkeypatch):
    params = {"OPTIONS": {"NEAR_CACHE_PREFIXES": ["page:"], "socket_connect_timeout": 0.2}}
    cache = RedisCache("redis://127.0.0.1:1/0", params)  # nothing listens there
    near = cache._cache._near
    monkeypatch.setattr(near, "RETRY_SECONDS", 0)
    for _ in range(3):
        assert near.get_many([cache.make_key("page:x")]) == (None, None)
    warnings = [r for r in caplog.records if r.levelname == "WARNING" and "Near cache" in r.msg]
    assert len(warnings) == 1
