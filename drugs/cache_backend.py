"""Django's Redis cache backend, keeping one redis-py client per connection pool, and a near
cache: copies, in this process, of the keys Redis tells it about when they change.

The stock backend builds a new redis.Redis object on every cache call, and building one
(its table of response callbacks) costs more than the round trip to Redis itself. A client is
safe to share between threads: it takes a connection from the pool for each command.

It also skips the memcached key checks Django runs on every key (a Python loop over each
character, for warnings about keys memcached would refuse): Redis takes any key.

The near cache (OPTIONS "NEAR_CACHE_PREFIXES") is Redis's client-side caching in broadcast
mode. A round trip to Redis costs a cached page more than everything else it does, and a page
is read far more often than it changes; see NearCache.
"""

import collections
import contextlib
import logging
import os
import threading
import time

from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

NEAR_CACHE_MAX_BYTES = 64 * 1024 * 1024


class NearCache:
    """Values of the keys under some prefixes, copied in this process, each kept until Redis
    says that its key changed.

    A connection of its own asks Redis to push the name of every key under the prefixes that
    anyone writes, deletes, expires or evicts (CLIENT TRACKING ON BCAST), and every lookup
    first takes in the names that arrived. Redis sends them in the same pass as its answer to
    the writer, microseconds apart, so a change saved through one app server is seen by the
    next request to any other, which comes at least a network hop after the writer's answer.
    A process drops its copies of what it writes itself as it writes them.

    While that connection is down, or has not answered a PING for LEASE_SECONDS (a silent
    network failure, or a process that was idle), nothing is served from here. Copies made
    before a connection was lost may have missed a change: they are dropped. Thread-safe; one
    per process.
    """

    PING_SECONDS = 1
    LEASE_SECONDS = 3
    RETRY_SECONDS = 1

    def __init__(self, connection_pool, prefixes, max_bytes=NEAR_CACHE_MAX_BYTES):
        self._pool = connection_pool
        self._prefixes = tuple(prefixes)
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._values = collections.OrderedDict()  # raw key -> raw value, least recent first
        self._bytes = 0
        # Counts the changes taken in: a value read from Redis is kept only if no change was
        # taken in while it was being read (it may be the value from before that change).
        self._changes = 0
        self._connection = None
        self._unreachable = False
        self._retry_at = 0.0
        self._ping_sent_at = None
        self._answered_at = 0.0

    def tracks(self, key):
        return key.startswith(self._prefixes)

    def get_many(self, keys):
        """(values of `keys` as Redis last stored them, None for a key not held here or None
        if no copy may be used now, a token for keep())."""
        with self._lock:
            if not self._take_in_changes():
                return None, None
            values = [self._values.get(key) for key in keys]
            for key, value in zip(keys, values, strict=True):
                if value is not None:
                    self._values.move_to_end(key)
            return values, self._changes

    def keep(self, keys, values, token):
        """Copy what Redis answered for `keys`, read after get_many() handed out `token`."""
        with self._lock:
            if token is None or not self._take_in_changes() or token != self._changes:
                return
            for key, value in zip(keys, values, strict=True):
                if value is not None and self.tracks(key):
                    self._store(key, value)

    def forget(self, keys=None):
        """Drop the copies of `keys` (of all keys if None): this process has just written
        them, and Redis's word of it may still be on its way."""
        with self._lock:
            self._changes += 1
            if keys is None:
                self._drop_all()
            else:
                for key in keys:
                    self._discard(key)

    def _store(self, key, value):
        self._discard(key)
        if len(value) > self._max_bytes // 16:
            return  # one huge value would push out everything else
        self._values[key] = value
        self._bytes += len(key) + len(value)
        while self._bytes > self._max_bytes:
            old_key, old_value = self._values.popitem(last=False)
            self._bytes -= len(old_key) + len(old_value)

    def _drop_all(self):
        self._values.clear()
        self._bytes = 0
        self._changes += 1

    def _discard(self, key):
        value = self._values.pop(key, None)
        if value is not None:
            self._bytes -= len(key) + len(value)

    def _take_in_changes(self):
        """Apply the key changes Redis has pushed; False if the copies may not be used now.

        A PONG means that Redis's word of every change made before it has arrived, so copies
        are used only within LEASE_SECONDS of the last one (a PING goes out every
        PING_SECONDS while requests come in): after a quiet spell, the first requests read
        from Redis until the PONG is back.
        """
        now = time.monotonic()
        if self._connection is None or self._connection.pid != os.getpid():
            if now < self._retry_at:
                return False
            return self._connect(now)
        try:
            while self._connection.can_read(0):
                if self._connection.read_response(push_request=True) in (b"PONG", "PONG"):
                    self._ping_sent_at = None
                    self._answered_at = now
            if self._ping_sent_at is None:
                if now - self._answered_at >= self.PING_SECONDS:
                    self._connection.send_command("PING")
                    self._ping_sent_at = now
            elif now - self._ping_sent_at > self.LEASE_SECONDS:
                raise TimeoutError("Redis did not answer PING on the tracking connection")
        except Exception:
            logger.warning("Near cache: lost the tracking connection to Redis", exc_info=True)
            self._disconnect(now)
            return False
        return now - self._answered_at <= self.LEASE_SECONDS

    def _connect(self, now):
        self._drop_all()  # they may have changed while nobody was listening
        try:
            connection = self._pool.make_connection()
            connection.connect()
            connection._parser.set_invalidation_push_handler(self._changed)
            prefixes = [part for prefix in self._prefixes for part in ("PREFIX", prefix)]
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", *prefixes)
            connection.read_response()
        except Exception:
            # Once a second while Redis is unreachable: said once, until it works again.
            log = logger.debug if self._unreachable else logger.warning
            log("Near cache: no tracking connection to Redis", exc_info=True)
            self._unreachable = True
            self._disconnect(now)
            return False
        self._unreachable = False
        self._connection = connection
        self._ping_sent_at = None
        self._answered_at = now
        return True

    def _disconnect(self, now):
        if self._connection is not None:
            with contextlib.suppress(Exception):  # it is being dropped for failing already
                self._connection.disconnect()
        self._connection = None
        self._retry_at = now + self.RETRY_SECONDS
        self._drop_all()

    def _changed(self, message):
        """A pushed ["invalidate", [keys]]; None instead of keys when the database was flushed."""
        self._changes += 1
        keys = message[1]
        if keys is None:
            self._drop_all()
        else:
            for key in keys:
                self._discard(key.decode() if isinstance(key, bytes) else key)


# The near cache's own connection: RESP3, which carries Redis's pushes; quick to give up, so a
# Redis outage costs a request at most a second (and then one try a second).
TRACKING_CONNECTION = {"protocol": 3, "socket_connect_timeout": 1, "socket_timeout": 1}

# One near cache per Redis server and prefixes in each process, shared by the cache backends
# Django makes for each thread.
_near_caches = {}
_near_caches_lock = threading.Lock()


def _near_cache(server, prefixes, max_bytes, make_pool):
    key = (os.getpid(), server, tuple(prefixes), max_bytes)
    with _near_caches_lock:
        if key not in _near_caches:
            _near_caches[key] = NearCache(make_pool(), prefixes, max_bytes)
        return _near_caches[key]


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, *args, near_cache_prefixes=(), near_cache_max_bytes=None, **kwargs):
        super().__init__(servers, *args, **kwargs)
        self._clients = {}
        self._near = None
        if near_cache_prefixes:
            self._near = _near_cache(
                servers[0],
                near_cache_prefixes,
                near_cache_max_bytes,
                lambda: self._pool_class.from_url(
                    servers[0], **{**self._pool_options, **TRACKING_CONNECTION}
                ),
            )

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client

    def get(self, key, default):
        value = self.get_many([key]).get(key)
        return default if value is None else value

    def get_many(self, keys):
        keys = list(keys)
        near = self._near
        if near is None or not all(map(near.tracks, keys)):
            return super().get_many(keys)
        values, token = near.get_many(keys)
        if values is None or None in values:
            values = self.get_client(None).mget(keys)
            near.keep(keys, values, token)
        loads = self._serializer.loads
        found = zip(keys, values, strict=True)
        return {key: loads(value) for key, value in found if value is not None}

    # Writes go to Redis, then the copies of what they wrote are dropped.

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        finally:
            self._forget([key])

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        finally:
            self._forget([key])

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        finally:
            self._forget([key])

    def delete(self, key):
        try:
            return super().delete(key)
        finally:
            self._forget([key])

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        finally:
            self._forget([key])

    def set_many(self, data, timeout):
        try:
            super().set_many(data, timeout)
        finally:
            self._forget(list(data))

    def delete_many(self, keys):
        try:
            super().delete_many(keys)
        finally:
            self._forget(list(keys))

    def clear(self):
        try:
            return super().clear()
        finally:
            self._forget(None)

    def _forget(self, keys):
        if self._near is not None:
            self._near.forget(keys)


class RedisCache(django_redis.RedisCache):
    """OPTIONS, besides redis-py's: NEAR_CACHE_PREFIXES, the keys (as the application names
    them) that each process keeps copies of; NEAR_CACHE_MAX_BYTES, how much those may take.
    Redis is told the prefixes as stored, through make_key(): a KEY_FUNCTION must keep them
    prefixes, as Django's default does."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        prefixes = options.pop("NEAR_CACHE_PREFIXES", ())
        max_bytes = options.pop("NEAR_CACHE_MAX_BYTES", NEAR_CACHE_MAX_BYTES)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        # With replicas, a read may come from one that has not yet applied a change whose word
        # has already arrived here: copies are kept only where there is one server.
        if prefixes and len(self._servers) == 1:
            self._options = {
                **options,
                "near_cache_prefixes": [self.make_key(prefix) for prefix in prefixes],
                "near_cache_max_bytes": max_bytes,
            }

    def validate_key(self, key):
        pass
