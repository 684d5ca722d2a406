"""Django's Redis cache, failing fast for a few seconds after Redis failed to answer.

Every user of the cache tolerates its absence (throttles let requests through, rendered Markdown is
rendered again), but a Redis that accepts connections and never answers costs each cache call a whole
socket timeout, and one request makes several. After a call fails to connect or times out, calls in
this process raise at once for SKIP_AFTER_FAILURE seconds, then Redis is tried again.
"""

import functools
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

SKIP_AFTER_FAILURE = 5.0
_last_failure = None  # time.monotonic() of this process's last failed call


class CacheUnavailable(RedisConnectionError):
    """The cache failed moments ago and was not tried again."""


def _fail_fast(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        global _last_failure
        if _last_failure is not None and time.monotonic() - _last_failure < SKIP_AFTER_FAILURE:
            raise CacheUnavailable("The cache failed moments ago; not tried again yet.")
        try:
            result = method(self, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError):
            _last_failure = time.monotonic()
            raise
        _last_failure = None
        return result

    return call


class FailFastRedisCacheClient(RedisCacheClient):
    pass


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(FailFastRedisCacheClient, _name, _fail_fast(getattr(RedisCacheClient, _name)))


class FailFastRedisCache(RedisCache):
    """Django's RedisCache (configure it the same way) whose calls fail at once for a few seconds after a failure."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailFastRedisCacheClient
