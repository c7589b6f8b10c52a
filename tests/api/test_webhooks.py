"""Webhooks: events queued in the transaction of the change, signed, retried with backoff,
sent once after success, listed with their responses, sent again on request.

A real HTTP receiver on a loopback port checks each signature the way a customer would."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from api.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from api.tasks import webhook_deliver_task, webhook_deliveries_flush_task
from api.webhooks import (
    webhook_deliver,
    webhook_deliveries_flush,
    webhook_endpoint_create,
    webhook_signature_valid,
)
from orders.services.orders import order_transition
from orders.workflow import MANUFACTURER
from tests.orders.factories import make_order
from tests.scoping import worker_scope

pytestmark = pytest.mark.django_db


class Receiver:
    """Answers each POST with the next of `answers` (the last one repeats)."""

    def __init__(self, answers=(200,)) -> None:
        self.answers = list(answers)
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = (
                    receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                )
                self.send_response(status)
                self.end_headers()
                self.wfile.write(f"answered {status}".encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver listens on loopback
    made = []

    def make(answers=(200,)):
        receiver = Receiver(answers)
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.close()


def register(tenant, url, events=None):
    return webhook_endpoint_create(
        manufacturer=tenant.manufacturer,
        created_by=tenant.owner.user,
        url=url,
        events=events or [WebhookEvent.ORDER_CREATED, WebhookEvent.ORDER_STATUS_CHANGED],
    )


def test_a_new_order_is_delivered_signed_after_commit(
    tenant, receiver_factory, django_capture_on_commit_callbacks
):
    receiver = receiver_factory()
    endpoint = register(tenant, receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(tenant.partnership, tenant.products[:1])

    assert len(receiver.received) == 1
    request = receiver.received[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert webhook_signature_valid(
        secret=endpoint.secret, header=headers["portal-signature"], body=request["body"]
    )
    assert not webhook_signature_valid(
        secret="whsec_wrong", header=headers["portal-signature"], body=request["body"]
    )
    assert not webhook_signature_valid(
        secret=endpoint.secret, header=headers["portal-signature"], body=request["body"] + " "
    )
    payload = json.loads(request["body"])
    assert payload["type"] == "order.created"
    assert payload["data"]["order"]["number"] == order.number
    assert headers["portal-event-id"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status, delivery.attempts) == ("delivered", 200, 1)


def test_an_old_timestamp_is_refused_by_the_receiver_check(tenant, receiver_factory):
    endpoint = register(tenant, receiver_factory().url)
    from api.webhooks import webhook_signature

    header = webhook_signature(secret=endpoint.secret, timestamp=1_000_000, body="{}")

    assert not webhook_signature_valid(secret=endpoint.secret, header=header, body="{}")
    assert webhook_signature_valid(secret=endpoint.secret, header=header, body="{}", now=1_000_100)


def test_a_rolled_back_change_sends_nothing(tenant, receiver_factory):
    register(tenant, receiver_factory().url)

    with pytest.raises(RuntimeError), transaction.atomic():
        make_order(tenant.partnership, tenant.products[:1])
        raise RuntimeError("the change fails after the event")

    assert not WebhookDelivery.objects.exists()


def test_only_subscribed_active_endpoints_of_the_tenant_get_the_event(
    tenant, other_tenant, receiver_factory
):
    created_only = register(tenant, receiver_factory().url, [WebhookEvent.ORDER_CREATED])
    status_only = register(tenant, receiver_factory().url, [WebhookEvent.ORDER_STATUS_CHANGED])
    foreign = register(other_tenant, receiver_factory().url)

    order = make_order(tenant.partnership, tenant.products[:1])
    order_transition(order=order, to_status="accepted", side=MANUFACTURER, changed_by=None)

    assert sorted(WebhookDelivery.objects.values_list("endpoint_id", "event_type")) == sorted(
        [(created_only.pk, "order.created"), (status_only.pk, "order.status_changed")]
    )
    assert not WebhookDelivery.objects.filter(endpoint=foreign).exists()


def test_a_failing_receiver_is_retried_with_backoff_and_never_twice_after_success(
    tenant, receiver_factory
):
    receiver = receiver_factory(answers=[500, 503, 200])
    register(tenant, receiver.url, [WebhookEvent.ORDER_CREATED])
    make_order(tenant.partnership, tenant.products[:1])
    delivery = WebhookDelivery.objects.get()

    assert webhook_deliver(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    first_wait = delivery.next_attempt_at - delivery.last_attempt_at
    # Not due yet: the sweep leaves it alone.
    assert webhook_deliveries_flush() == 0
    assert len(receiver.received) == 1

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert webhook_deliveries_flush() == 0
    delivery.refresh_from_db()
    second_wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert second_wait > first_wait  # backoff grows

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert webhook_deliveries_flush() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 3, 200)

    # Delivered: neither the sweep nor a late task sends it again.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert webhook_deliveries_flush() == 0
    assert webhook_deliver(delivery_id=delivery.pk) is False
    assert len(receiver.received) == 3
    assert len({r["headers"]["Portal-Event-Id"] for r in receiver.received}) == 1


def test_a_delivery_past_its_day_of_retries_fails(tenant, receiver_factory):
    receiver = receiver_factory(answers=[500])
    register(tenant, receiver.url, [WebhookEvent.ORDER_CREATED])
    make_order(tenant.partnership, tenant.products[:1])
    WebhookDelivery.objects.update(retry_until=timezone.now() + timedelta(seconds=10))

    webhook_deliveries_flush()

    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED


def test_an_unreachable_endpoint_is_recorded_not_raised(tenant, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    register(tenant, "http://127.0.0.1:9/nothing-listens", [WebhookEvent.ORDER_CREATED])
    make_order(tenant.partnership, tenant.products[:1])

    assert webhook_deliveries_flush() == 0
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_error and delivery.response_status is None


def test_http_is_refused_unless_allowed(tenant, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    from api.webhooks import WebhookRefused

    with pytest.raises(WebhookRefused):
        register(tenant, "http://erp.example.test/hooks")
    assert register(tenant, "https://erp.example.test/hooks").url.startswith("https://")


# --- the pages ------------------------------------------------------------------------------


def test_an_owner_registers_an_endpoint_and_sees_deliveries_with_responses(
    tenant, client_for, receiver_factory, django_capture_on_commit_callbacks
):
    receiver = receiver_factory(answers=[500])
    client = client_for(tenant.owner.user)
    base = f"/m/{tenant.manufacturer.slug}/webhooks/"

    added = client.post(base, {"url": receiver.url, "events": ["order.created"]})

    assert added.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        make_order(tenant.partnership, tenant.products[:1])
    page = client.get(added["Location"])
    assert page.status_code == 200
    assert "answered 500" in page.content.decode()
    delivery = WebhookDelivery.objects.get()

    receiver.answers = [200]
    with django_capture_on_commit_callbacks(execute=True):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed")
        resent = client.post(f"{added['Location']}deliveries/{delivery.pk}/resend/")
    assert resent.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert len(receiver.received) == 2


@pytest.mark.parametrize(
    "data",
    [
        {"url": "not a url", "events": ["order.created"]},
        {"url": "https://erp.example.test/h", "events": []},
        {"url": "https://erp.example.test/h", "events": ["order.exploded"]},
    ],
)
def test_bad_endpoint_input_registers_nothing(data, tenant, client_for):
    response = client_for(tenant.owner.user).post(f"/m/{tenant.manufacturer.slug}/webhooks/", data)

    assert response.status_code == 400
    from api.models import WebhookEndpoint

    assert not WebhookEndpoint.objects.exists()


def test_reps_and_other_tenants_cannot_reach_the_endpoints(tenant, other_tenant, client_for):
    endpoint = register(tenant, "https://erp.example.test/hooks")
    path = f"/m/{tenant.manufacturer.slug}/webhooks/{endpoint.pk}/"

    assert client_for(tenant.rep.user).get(path).status_code == 403
    assert client_for(other_tenant.owner.user).get(path).status_code == 404
    foreign_path = f"/m/{other_tenant.manufacturer.slug}/webhooks/{endpoint.pk}/"
    assert client_for(other_tenant.owner.user).get(foreign_path).status_code == 404
    assert client_for(tenant.manager.user).get(path).status_code == 200


def test_webhook_tasks_run_in_a_worker(tenant, other_tenant, receiver_factory):
    """The task and the periodic sweep, as a bare worker runs them (tests/scoping.py): each
    tenant's delivery is sent, in scope, to its own endpoint."""
    receiver = receiver_factory()
    for each in (tenant, other_tenant):
        register(each, receiver.url, [WebhookEvent.ORDER_CREATED])
        make_order(each.partnership, each.products[:1])
    ours, theirs = WebhookDelivery.objects.order_by("pk")
    WebhookDelivery.objects.filter(pk=theirs.pk).update(next_attempt_at=timezone.now())

    with worker_scope():
        assert webhook_deliver_task.apply(args=(ours.pk,)).get() is True
        assert webhook_deliveries_flush_task.apply().get() == 1

    assert len(receiver.received) == 2
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
