"""Django's Redis cache backend, keeping one redis-py client per connection pool.

The stock backend builds a new redis.Redis object on every cache call, and building one
(its table of response callbacks) costs more than the round trip to Redis itself. A client is
safe to share between threads: it takes a connection from the pool for each command.

It also skips the memcached key checks Django runs on every key (a Python loop over each
character, for warnings about keys memcached would refuse): Redis takes any key.
"""

from django.core.cache.backends import redis as django_redis


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def validate_key(self, key):
        pass
