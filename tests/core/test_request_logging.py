"""Request ids and tenants on every log line of a request; the id goes back in a header."""

import json
import logging
import re

import pytest
from celery.app.task import Context
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.test import Client
from django.urls import reverse

from core.logging import (
    JsonFormatter,
    RequestContextFilter,
    forget_request_context,
    request_id_var,
    tenant_var,
)

pytestmark = pytest.mark.django_db


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(RequestContextFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def collected():
    handler = Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def missing_order_url(manufacturer) -> str:
    return reverse(
        "orders_manufacturer:detail", kwargs={"manufacturer_slug": manufacturer.slug, "pk": 999999}
    )


def test_a_request_gets_an_id_and_returns_it():
    first, second = Client().get("/health/"), Client().get("/accounts/login/")

    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_load_balancers_request_id_is_kept():
    response = Client().get("/health/", HTTP_X_REQUEST_ID="lb-2f1c.77:a_B")

    assert response["X-Request-ID"] == "lb-2f1c.77:a_B"


@pytest.mark.parametrize("offered", ["id\nforged log line", "x" * 200, "<script>", ""], ids=repr)
def test_a_request_id_that_could_forge_a_log_line_is_replaced(offered):
    response = Client().get("/health/", HTTP_X_REQUEST_ID=offered)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_log_lines_of_a_tenant_request_name_the_request_and_the_tenant(
    client_for, owner, manufacturer, other_manufacturer, make_member, collected
):
    other_owner = make_member(other_manufacturer, "owner")

    first = client_for(owner).get(missing_order_url(manufacturer), HTTP_X_REQUEST_ID="req-one")
    second = client_for(other_owner).get(missing_order_url(other_manufacturer))

    assert first.status_code == second.status_code == 404
    assert [(r.request_id, r.tenant) for r in collected] == [
        ("req-one", "acme"),
        (second["X-Request-ID"], "borealis"),
    ]


def test_log_lines_outside_a_request_say_so(collected):
    logging.getLogger("django.request").warning("from a task")

    assert [(r.request_id, r.tenant) for r in collected] == [("-", "-")]


def test_a_request_leaves_no_tenant_behind(client_for, owner, manufacturer, collected):
    client_for(owner).get(missing_order_url(manufacturer))

    logging.getLogger("django.request").warning("after the request")

    assert (collected[-1].request_id, collected[-1].tenant) == ("-", "-")


def test_the_json_format_is_one_object_per_line_with_the_context():
    record = logging.LogRecord("portal", logging.ERROR, __file__, 1, "paid %s", ("twice",), None)
    RequestContextFilter().filter(record)

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "paid twice"
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "portal"
    assert (entry["request_id"], entry["tenant"]) == ("-", "-")


# --- into Celery tasks ----------------------------------------------------------------------


class FakeTask:
    def __init__(self, **headers) -> None:
        self.request = Context(headers)


def test_a_published_task_carries_the_request_id_and_tenant():
    headers: dict = {}
    request_id_var.set("req-9")
    tenant_var.set("acme")
    try:
        before_task_publish.send(sender="notifications.tasks.x", headers=headers, body=())
    finally:
        forget_request_context()

    assert (headers["request_id"], headers["tenant"]) == ("req-9", "acme")


def test_a_worker_logs_a_task_under_the_id_of_the_request_that_enqueued_it(collected):
    task = FakeTask(request_id="req-9", tenant="acme")

    task_prerun.send(sender=task, task_id="t1", task=task)
    logging.getLogger("django.request").warning("in the task")
    task_postrun.send(sender=task, task_id="t1", task=task)
    logging.getLogger("django.request").warning("after the task")

    assert [(r.request_id, r.tenant) for r in collected] == [("req-9", "acme"), ("-", "-")]


def test_a_task_run_inline_keeps_the_context_of_its_request(collected):
    task = FakeTask()
    request_id_var.set("req-inline")
    try:
        task_prerun.send(sender=task, task_id="t2", task=task)
        task_postrun.send(sender=task, task_id="t2", task=task)
        logging.getLogger("django.request").warning("still in the request")
    finally:
        forget_request_context()

    assert [r.request_id for r in collected] == ["req-inline"]
