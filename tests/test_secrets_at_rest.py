"""Secrets at rest (ASVS 8.3.4, 2.10): after a payment link, an invitation and an unlock link
are emailed, no table holds a link that works: every row of every table is read and every
pay-link-shaped string in it tried. The emails themselves carry working links."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from notifications.models import OutboxEmail
from orders.selectors.payment_links import PaymentLinkInvalid, payment_link_resolve
from orders.services.payment_links import checkout_with_payment_link
from salesreps.services import rep_invite
from tests.orders.checkout_helpers import PAY_URL_RE, filled_cart, make_channel, pay_url

TOKENISH = re.compile(r"/pay/([A-Za-z0-9_\-]{16,})/")


def every_stored_text() -> str:
    """Every value of every row of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            chunks.extend(" ".join(str(value) for value in row) for row in cursor.fetchall())
    return "\n".join(chunks)


def assert_no_working_pay_link(stored: str, token: str) -> None:
    assert token not in stored
    for candidate in TOKENISH.findall(stored):
        with pytest.raises(PaymentLinkInvalid):
            payment_link_resolve(token=candidate)


def test_no_table_holds_a_working_payment_link(manufacturer, django_capture_on_commit_callbacks):
    channel = make_channel(manufacturer)
    with django_capture_on_commit_callbacks(execute=False):
        result = checkout_with_payment_link(
            cart=filled_cart(channel),
            recipient="jane@example.com",
            created_by=channel.user,
            pay_url=pay_url,
        )
    token = PAY_URL_RE.search(result.url).group(1)
    email = OutboxEmail.objects.get(kind="payment_link")
    assert email.status == "pending"

    assert_no_working_pay_link(every_stored_text(), token)  # waiting to be sent
    assert "kept sealed" in email.body

    from notifications.services import email_deliver

    assert email_deliver(email_id=email.pk)
    assert result.url in mail.outbox[-1].body  # the customer gets the working link
    email.refresh_from_db()
    assert email.status == "sent" and email.sealed == ""
    assert_no_working_pay_link(every_stored_text(), token)  # and after
    assert Client().get(f"/pay/{token}/").status_code == 200  # which works


def test_no_table_holds_an_invitation_or_unlock_link(manufacturer, manager, seller, make_member):
    from tests.accounts.factories import UserFactory

    someone = UserFactory(email="someone@example.test")
    rep_invite(
        manufacturer=manufacturer,
        email=someone.email,
        invited_by=manager,
        base_url="http://testserver/",
    )
    Client().post("/login/unlock/", {"email": seller.email})
    stored = every_stored_text()

    assert "/invite/join/" not in stored
    assert "/login/unlock/" not in stored
    for email in OutboxEmail.objects.all():
        assert email.sealed and "kept sealed" in email.body
