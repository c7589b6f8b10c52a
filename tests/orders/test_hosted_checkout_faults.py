"""The hosted checkout's exactly-once, under faults, against the fake provider (fakepay).

The direct seam's fault tests (test_payment_faults.py) kill the database connection at each
step of a charge the portal makes; with the hosted checkout the portal makes no charge: the
provider charges on its own page and the step that can die is the webhook that confirms it.
Here the connection dies while the webhook confirms; the provider delivers again, and the
order is paid once. Runs on the suite's real PostgreSQL."""

import pytest
from django.test import Client

from orders.models import Order, OrderStatus, Payment
from orders.services import payments
from tests.orders.test_hosted_checkout import deliver, paid_session
from tests.orders.test_payment_faults import kill_connection, once
from tests.orders.test_payment_link import send_link


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", ["before confirming", "after confirming, before commit"])
def test_a_connection_killed_while_the_webhook_confirms_still_pays_once(
    manufacturer, monkeypatch, settings, step
):
    settings.PAYMENT_PROVIDER = "orders.payments_hosted.FakepayProvider"
    _channel, order, token = send_link(manufacturer)
    client = Client(raise_request_exception=False)
    session = paid_session(client, token)
    confirm = payments.payment_attempt_confirm
    die = once(kill_connection)

    def confirm_with_a_crash(**kwargs):
        if step == "before confirming":
            die()
        result = confirm(**kwargs)
        die()
        return result

    monkeypatch.setattr(payments, "payment_attempt_confirm", confirm_with_a_crash)

    assert deliver(client, session).status_code == 500  # the provider will try again
    assert not Payment.objects.filter(order=order).exists()  # nothing half-done
    assert deliver(client, session).status_code == 200
    assert deliver(client, session).status_code == 200  # a late duplicate

    assert Payment.objects.filter(order=order).count() == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
