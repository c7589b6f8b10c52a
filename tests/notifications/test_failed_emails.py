"""The "Failed emails" page: what the outbox gave up on, for owners and managers, with CSV
and "send again"; another tenant's emails are 404, a rep gets 403."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from notifications.models import OutboxEmail, OutboxStatus
from notifications.services import outbox_flush
from tests.accounts.factories import ResellerUserFactory
from tests.accounts.test_tenancy import assert_friendly_404
from tests.notifications.factories import OutboxEmailFactory
from tests.notifications.mail_backends import state
from tests.resellers.factories import PartnershipFactory

ROW = re.compile(r'id="failed-email-\d+"')


def fail(settings, manufacturer, count=1, **fields) -> list[OutboxEmail]:
    """Emails of `manufacturer` that the outbox gave up on, through the real sweep."""
    state.reset()
    previous = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.Refusing"
    now = timezone.now()
    emails = [
        OutboxEmailFactory(
            manufacturer=manufacturer,
            next_attempt_at=now - timedelta(seconds=1),
            retry_until=now - timedelta(seconds=1),
            **fields,
        )
        for _ in range(count)
    ]
    outbox_flush()
    settings.EMAIL_BACKEND = previous
    for email in emails:
        email.refresh_from_db()
        assert email.status == OutboxStatus.FAILED
    return emails


def page_url(manufacturer) -> str:
    return f"/m/{manufacturer.slug}/emails/failed/"


def resend_url(manufacturer, email) -> str:
    return f"/m/{manufacturer.slug}/emails/{email.pk}/resend/"


@pytest.fixture
def failed(settings, manufacturer, other_manufacturer):
    ours = fail(settings, manufacturer, recipient="dealer@example.test", subject="Order ORD-1")
    theirs = fail(settings, other_manufacturer, recipient="theirs@example.test")
    return ours[0], theirs[0]


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER])
def test_staff_see_their_tenants_failed_emails_only(
    client_for, make_member, manufacturer, failed, role
):
    ours, theirs = failed
    pending = OutboxEmailFactory(manufacturer=manufacturer, recipient="pending@example.test")

    response = client_for(make_member(manufacturer, role)).get(page_url(manufacturer))

    assert response.status_code == 200
    page = response.content.decode()
    assert ours.recipient in page
    assert "Order ORD-1" in page
    assert "Connection refused" in page
    assert "Send this email to dealer@example.test again?" in page
    assert theirs.recipient not in page
    assert pending.recipient not in page


def test_the_empty_page_says_nothing_failed(
    client_for, owner, manufacturer, settings, other_manufacturer
):
    fail(settings, other_manufacturer)
    page = client_for(owner).get(page_url(manufacturer)).content.decode()
    assert "No failed emails" in page


def test_the_list_pages_in_a_fixed_number_of_queries(
    client_for, owner, manufacturer, settings, django_assert_max_num_queries
):
    fail(settings, manufacturer, count=30)
    client = client_for(owner)
    client.get(page_url(manufacturer))  # warm the session and the site's caches

    with django_assert_max_num_queries(12):
        first = client.get(page_url(manufacturer))
    second = client.get(page_url(manufacturer) + "?page=2", headers={"HX-Request": "true"})

    assert len(ROW.findall(first.content.decode())) == 25
    assert "1–25 of 30" in first.content.decode()
    assert len(ROW.findall(second.content.decode())) == 5
    assert "<html" not in second.content.decode(), "htmx gets the table partial"


def test_csv_export_lists_the_tenants_failed_emails(client_for, manager, manufacturer, failed):
    ours, _theirs = failed
    response = client_for(manager).get(page_url(manufacturer) + "?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Recipient", "Subject"]
    assert [row[0] for row in rows[1:]] == [ours.recipient]
    assert rows[1][-1] == ours.message_id


def test_send_again_requeues_the_email_and_it_is_delivered(
    client_for, owner, manufacturer, failed, django_capture_on_commit_callbacks
):
    ours, _theirs = failed

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(resend_url(manufacturer, ours), follow=True)

    assert response.redirect_chain[-1][0] == page_url(manufacturer)
    assert "queued again" in response.content.decode()
    ours.refresh_from_db()
    assert ours.status == OutboxStatus.SENT  # its task ran after the commit (tasks are inline)
    assert ours.retry_until > timezone.now() + timedelta(hours=23)
    assert [m.message()["Message-ID"] for m in mail.outbox] == [ours.message_id]


def test_send_again_on_an_email_already_queued_changes_nothing(client_for, owner, manufacturer):
    pending = OutboxEmailFactory(manufacturer=manufacturer)

    response = client_for(owner).post(resend_url(manufacturer, pending), follow=True)

    assert "no longer failed" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == OutboxStatus.PENDING
    assert mail.outbox == []


def test_send_again_is_a_post(client_for, owner, manufacturer, failed):
    assert client_for(owner).get(resend_url(manufacturer, failed[0])).status_code == 405


def test_another_tenants_or_a_missing_email_is_404(client_for, owner, manufacturer, failed):
    _ours, theirs = failed
    client = client_for(owner)
    assert client.post(resend_url(manufacturer, theirs)).status_code == 404
    missing = OutboxEmail(pk=theirs.pk + 1000)
    assert client.post(resend_url(manufacturer, missing)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == OutboxStatus.FAILED


def test_a_sales_rep_gets_403(client_for, seller, make_member, manufacturer, failed):
    ours, _theirs = failed
    for rep in (seller, make_member(manufacturer, Role.SELLER)):
        client = client_for(rep)
        assert client.get(page_url(manufacturer)).status_code == 403
        assert client.get(page_url(manufacturer) + "?format=csv").status_code == 403
        assert client.post(resend_url(manufacturer, ours)).status_code == 403
    ours.refresh_from_db()
    assert ours.status == OutboxStatus.FAILED


def test_a_reseller_user_gets_the_same_404_as_for_any_portal_they_do_not_belong_to(
    client_for, manufacturer, failed
):
    ours, _theirs = failed
    for _ in range(2):
        membership = ResellerUserFactory()
        PartnershipFactory(manufacturer=manufacturer, reseller=membership.reseller)
        client = client_for(membership.user)
        assert_friendly_404(client.get(page_url(manufacturer)))
        assert client.post(resend_url(manufacturer, ours)).status_code == 404


def test_another_tenants_staff_get_404(
    client_for, make_member, other_manufacturer, manufacturer, failed
):
    client = client_for(make_member(other_manufacturer, Role.OWNER))
    assert client.get(page_url(manufacturer)).status_code == 404
    assert client.post(resend_url(manufacturer, failed[0])).status_code == 404


def test_anonymous_is_sent_to_login(client, manufacturer, failed):
    for response in (
        client.get(page_url(manufacturer)),
        client.post(resend_url(manufacturer, failed[0])),
    ):
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_staff_find_the_page_in_the_navigation_and_reps_do_not(
    client_for, owner, seller, manufacturer
):
    def nav(user):
        response = client_for(user).get(f"/m/{manufacturer.slug}/")
        return {item["url"] for item in response.context["nav_items"]}

    assert page_url(manufacturer) in nav(owner)
    assert page_url(manufacturer) not in nav(seller)
