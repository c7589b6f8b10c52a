"""Redis stopped, then hung, under a logged-in reseller: pages answer, nothing is lost.

The portal runs here on its Redis settings (core.cache.TolerantRedisCache with the configured
timeouts, a real Redis broker, tasks not run inline) against a Redis of this test's own,
which it stops and then replaces with a listener that accepts connections and never
answers. Skipped where redis-server is missing, except on CI (CI=true).
"""

import json
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connections
from django.urls import reverse

from notifications.models import OutboxEmail, OutboxStatus
from ops.chaos.processes import HungListener
from tests.conftest import RedisServer, reset_broker_connections
from tests.orders.checkout_helpers import filled_cart, make_channel

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Far above what the configured timeouts allow, far below "hung forever": a request still
# running after this is one that waited on Redis with no timeout.
HUNG = 60
HEALTH = "/health/?format=json"


@pytest.fixture
def portal_redis(tmp_path, settings) -> Iterator[RedisServer]:
    """This test's Redis as the portal's cache and broker, exactly as REDIS_URL sets them."""
    from config.celery_app import app

    server = RedisServer(tmp_path)
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": server.url,
            "FAILURE_COOLDOWN": django_settings.CACHE_FAILURE_COOLDOWN,
            "OPTIONS": {
                "socket_connect_timeout": django_settings.REDIS_CONNECT_TIMEOUT,
                "socket_timeout": django_settings.REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    previous_broker = app.conf.broker_url
    app.conf.broker_url = server.url
    reset_broker_connections(app)
    app.conf.task_always_eager = False
    try:
        yield server
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url = previous_broker
        reset_broker_connections(app)
        server.stop()


@pytest.fixture
def channel(manufacturer):
    channel = make_channel(manufacturer)
    filled_cart(channel)
    return channel


def answered_in_time(requests: Callable[[], Any]) -> Any:
    """Run the requests in a thread; fail if they are still waiting after HUNG seconds."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = requests()
        except BaseException as error:  # handed to the test below
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=HUNG)
    assert not thread.is_alive(), f"The requests still waited on Redis after {HUNG}s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def browse_and_check_out(client, channel) -> dict[str, Any]:
    """A logged-in reseller opens two pages and checks out (which emails a payment link)."""
    kwargs = {"reseller_public_id": channel.reseller.public_id}
    dashboard = client.get(reverse("accounts_reseller:dashboard", kwargs=kwargs))
    kwargs["manufacturer_slug"] = channel.manufacturer.slug
    cart = client.get(reverse("orders_reseller:cart", kwargs=kwargs))
    checkout = client.post(
        reverse("orders_reseller:cart_checkout", kwargs=kwargs),
        {"payment_method": "payment_link", "recipient": "accounts@doe.example"},
        follow=True,
    )
    health = client.get(HEALTH)
    return {
        "statuses": [dashboard.status_code, cart.status_code, checkout.status_code],
        "health": (health.status_code, json.loads(health.content)),
    }


# Production keeps sessions in the database; with cached_db every request reads and writes
# the cache too, which is how a Redis outage used to fail every logged-in request.
SESSION_ENGINES = pytest.mark.parametrize(
    "session_engine",
    ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"],
    ids=["db-sessions", "cached-db-sessions"],
)


def queued_tasks(server: RedisServer) -> int:
    client = redis.Redis.from_url(server.url)
    try:
        return int(client.llen("celery"))
    finally:
        client.close()


def test_with_redis_up_the_email_task_goes_through_the_broker(portal_redis, channel, client_for):
    client = client_for(channel.user)

    seen = answered_in_time(lambda: browse_and_check_out(client, channel))

    assert seen["statuses"] == [200, 200, 200]
    assert seen["health"] == (
        200,
        {"Database(alias='default')": "OK", "Cache(alias='default')": "OK", "Broker()": "OK"},
    )
    assert queued_tasks(portal_redis) == 1, "the delivery task was published to Redis"
    assert cache.set("probe", "ok") is None and cache.get("probe") == "ok"


@SESSION_ENGINES
def test_with_redis_stopped_pages_answer_and_the_email_waits_in_the_outbox(
    portal_redis, channel, client_for, caplog, settings, session_engine
):
    settings.SESSION_ENGINE = session_engine
    client = client_for(channel.user)
    portal_redis.stop()

    with caplog.at_level(logging.WARNING):
        seen = answered_in_time(lambda: browse_and_check_out(client, channel))

    assert seen["statuses"] == [200, 200, 200]
    status, checks = seen["health"]
    assert status == 200, "Redis is shared by every node: its outage must not empty the pool"
    assert checks["Database(alias='default')"] == "OK"
    assert checks["Cache(alias='default')"] != "OK"
    assert checks["Broker()"] != "OK"
    email = OutboxEmail.objects.get(recipient="accounts@doe.example")
    assert email.status == OutboxStatus.PENDING, "left for the outbox flush to send"
    assert "Broker unavailable" in caplog.text
    assert "Cache unavailable" in caplog.text


@SESSION_ENGINES
def test_with_redis_hung_pages_answer_and_the_email_waits_in_the_outbox(
    portal_redis, channel, client_for, caplog, settings, session_engine
):
    settings.SESSION_ENGINE = session_engine
    client = client_for(channel.user)
    assert cache.set("warm", "pooled connection") is None  # a pooled connection goes stale
    portal_redis.stop()
    hung = HungListener(portal_redis.port)
    try:
        with caplog.at_level(logging.WARNING):
            seen = answered_in_time(lambda: browse_and_check_out(client, channel))
            cached = answered_in_time(lambda: cache.get("warm", "missed"))
    finally:
        hung.close()

    assert hung.accepted, "the portal did connect to the hung Redis"
    assert seen["statuses"] == [200, 200, 200]
    status, checks = seen["health"]
    assert status == 200
    assert checks["Cache(alias='default')"] != "OK"
    assert checks["Broker()"] != "OK"
    assert cached == "missed"
    email = OutboxEmail.objects.get(recipient="accounts@doe.example")
    assert email.status == OutboxStatus.PENDING
    assert "Broker unavailable" in caplog.text
    assert "Cache unavailable" in caplog.text
