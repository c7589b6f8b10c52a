"""core.cache.TolerantRedisCache: Redis down or hung is a logged miss, never an exception."""

import logging
import pickle
import socket
import threading
from collections.abc import Iterator

import pytest

from core.cache import TolerantRedisCache
from tests.conftest import free_port


def make_cache(url: str, cooldown: float = 5) -> TolerantRedisCache:
    return TolerantRedisCache(
        url,
        {
            "FAILURE_COOLDOWN": cooldown,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    )


@pytest.fixture
def refused_url() -> str:
    """A loopback port nothing listens on: every connection is refused."""
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def hung_url() -> Iterator[tuple[str, list[socket.socket]]]:
    """A listener that accepts and never answers; yields its URL and the accepted sockets."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0", accepted
    listener.close()
    for connection in accepted:
        connection.close()


def test_a_refusing_redis_answers_every_call_as_a_miss(refused_url, caplog):
    cache = make_cache(refused_url, cooldown=0)

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("key") is None
        assert cache.get("key", "fallback") == "fallback"
        assert cache.get_or_set("key", "computed") == "computed"
        assert cache.set("key", 1) is None
        assert cache.add("key", 1) is False
        assert cache.has_key("key") is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"], "every key failed"
        assert cache.delete("key") is False
        assert cache.touch("key") is False
        cache.delete_many(["a", "b"])
        cache.clear()
        with pytest.raises(ValueError, match="not found"):
            cache.incr("counter")

    assert "Cache unavailable" in caplog.text


def test_a_hung_redis_is_a_miss_after_the_socket_timeout(hung_url):
    url, accepted = hung_url
    cache = make_cache(url)

    assert cache.get("key", "fallback") == "fallback"

    assert accepted, "the cache did reach the hung listener"


def test_after_a_failure_the_cache_leaves_redis_alone_for_the_cooldown(hung_url):
    url, accepted = hung_url
    cache = make_cache(url, cooldown=300)
    cache.get("key")
    connections_after_first_failure = len(accepted)

    for _ in range(5):
        assert cache.get("key", "fallback") == "fallback"
        assert cache.set("key", 1) is None

    assert len(accepted) == connections_after_first_failure
    cache.cooldown.reset()
    cache.get("key")
    assert len(accepted) > connections_after_first_failure, "asks again once it is over"


def test_every_thread_of_a_process_shares_the_cooldown(refused_url):
    first, second = make_cache(refused_url, cooldown=300), make_cache(refused_url, cooldown=300)

    first.get("key")

    assert second.cooldown.active()


def test_a_value_that_cannot_be_stored_still_raises(refused_url):
    cache = make_cache(refused_url)

    with pytest.raises((pickle.PicklingError, AttributeError)):
        cache.set("key", lambda: "a function cannot be pickled")

    assert not cache.cooldown.active(), "a bug is not mistaken for an outage"


@pytest.mark.integration
def test_a_running_redis_is_used_as_a_cache(redis_url):
    cache = make_cache(redis_url)
    cache.clear()

    cache.set("key", {"value": 1})
    assert cache.get("key") == {"value": 1}
    assert cache.add("key", 2) is False
    cache.set("counter", 1)
    assert cache.incr("counter") == 2
    assert cache.get_many(["key", "missing"]) == {"key": {"value": 1}}
    assert not cache.cooldown.active()
