"""A Redis cache that a Redis outage or hang cannot turn into an error page."""

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.cooldown import Cooldown

logger = logging.getLogger(__name__)

# What a Redis that is down (refused, reset) or hung (socket timeout) raises; anything else
# (a bad key, a serialisation bug) is a programming error and still raises.
REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)

Method = TypeVar("Method", bound=Callable[..., Any])

# One cooldown per Redis location and process: Django gives each thread its own cache
# object, and a hung Redis should cost a process one timeout, not one per thread.
cooldowns: dict[str, Cooldown] = {}


def _miss(answer: Callable[[], Any]) -> Callable[[Method], Method]:
    """Run the cache call; when Redis is unavailable, log it and return `answer()` (a miss)."""

    def decorate(method: Method) -> Method:
        @functools.wraps(method)
        def wrapper(self: "TolerantRedisCache", *args: Any, **kwargs: Any) -> Any:
            if self.cooldown.active():
                return answer()
            try:
                return method(self, *args, **kwargs)
            except REDIS_UNAVAILABLE:
                self.cooldown.start()
                logger.warning(
                    "Cache unavailable: %s answered as a miss; the cache is skipped for %gs",
                    method.__name__,
                    self.cooldown.seconds,
                    exc_info=True,
                )
                return answer()

        return wrapper  # type: ignore[return-value]

    return decorate


class TolerantRedisCache(RedisCache):
    """Django's RedisCache, where a connection error or timeout is logged and is a miss.

    Reads answer the caller's default, writes and deletes do nothing, `incr` raises the
    ValueError of a missing key. After one failure the process skips Redis for
    FAILURE_COOLDOWN seconds (5 unless the CACHES entry says otherwise), so a hung Redis
    costs one socket timeout per process and cooldown, not one per cache call.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        seconds = float(params.pop("FAILURE_COOLDOWN", 5))
        super().__init__(server, params)
        self.cooldown = cooldowns.setdefault(f"{server}|{seconds}", Cooldown(seconds))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        if self.cooldown.active():
            return default
        try:
            return super().get(key, default, version)
        except REDIS_UNAVAILABLE:
            self.cooldown.start()
            logger.warning("Cache unavailable: get answered as a miss", exc_info=True)
            return default

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        if not self.cooldown.active():
            try:
                return super().incr(key, delta, version)
            except REDIS_UNAVAILABLE:
                self.cooldown.start()
                logger.warning("Cache unavailable: incr answered as a miss", exc_info=True)
        raise ValueError(f"Key '{key}' not found.")

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        if not self.cooldown.active():
            try:
                return super().set_many(data, timeout, version)
            except REDIS_UNAVAILABLE:
                self.cooldown.start()
                logger.warning("Cache unavailable: set_many stored nothing", exc_info=True)
        return list(data)

    add = _miss(lambda: False)(RedisCache.add)
    set = _miss(lambda: None)(RedisCache.set)
    touch = _miss(lambda: False)(RedisCache.touch)
    delete = _miss(lambda: False)(RedisCache.delete)
    get_many = _miss(dict)(RedisCache.get_many)
    has_key = _miss(lambda: False)(RedisCache.has_key)
    delete_many = _miss(lambda: None)(RedisCache.delete_many)
    clear = _miss(lambda: False)(RedisCache.clear)
