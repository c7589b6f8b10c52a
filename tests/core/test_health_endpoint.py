"""/health/: the load balancer's probe, past host checks and HTTPS redirects."""

import json

import pytest
from django.test import Client
from health_check import checks
from health_check.exceptions import ServiceUnavailable

from core import health

pytestmark = pytest.mark.django_db

ALL_OK = {"Database(alias='default')": "OK", "Cache(alias='default')": "OK", "Broker()": "OK"}


def probe(**headers) -> tuple[int, dict]:
    response = Client().get("/health/", {"format": "json"}, **headers)
    return response.status_code, json.loads(response.content)


def fail(monkeypatch, check_class) -> None:
    def down(self):
        raise ServiceUnavailable("down for the test")

    monkeypatch.setattr(check_class, "run", down)


def test_database_cache_and_broker_are_checked():
    assert probe() == (200, ALL_OK)


def test_the_probe_answers_whatever_host_it_is_asked_by(settings):
    settings.ALLOWED_HOSTS = ["portal.example.com"]

    assert probe(HTTP_HOST="node-7.lb.internal") == (200, ALL_OK)
    assert Client().get("/", HTTP_HOST="node-7.lb.internal").status_code == 400


def test_the_probe_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True

    assert probe() == (200, ALL_OK)
    assert Client().get("/").status_code == 301


def test_the_probe_works_for_an_anonymous_caller_and_sets_no_cookie():
    response = Client().get("/health/")

    assert response.status_code == 200
    assert not response.cookies
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_failing_database_takes_the_node_out_of_the_pool(monkeypatch):
    fail(monkeypatch, health.Database)

    status, body = probe()

    assert status == 500
    assert body["Database(alias='default')"] != "OK"


@pytest.mark.parametrize("name", ["cache", "broker"])
def test_a_failing_redis_is_reported_but_keeps_the_node_in_the_pool(monkeypatch, name):
    check_class, key = {
        "cache": (checks.Cache, "Cache(alias='default')"),
        "broker": (health.Broker, "Broker()"),
    }[name]
    fail(monkeypatch, check_class)

    status, body = probe()

    assert status == 200
    assert body[key] == "Unavailable: down for the test"
    assert body["Database(alias='default')"] == "OK"


def test_the_checks_give_up_within_seconds():
    for check in health.PortalHealthView().get_checks():
        assert check.timeout.total_seconds() <= 2, check
