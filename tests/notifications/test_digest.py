"""The daily digest is idempotent: run twice, one after the other or at the same moment,
each digest notification is emailed once, in one email per user.

Two users (each gets their own email), one of them with digest notifications from two
manufacturers (bundled into one email), and an in-app notification that never goes out.
"""

import threading

import pytest
from django.db import connection, transaction

from accounts.models import Role
from notifications.models import Notification, NotificationChannel, NotificationKind, OutboxEmail
from notifications.services import digest_send, notify, preferences_save
from notifications.tasks import notifications_digest_task
from tests.accounts.factories import ManufacturerFactory, MembershipFactory, UserFactory

ORDERS = NotificationKind.ORDER_CREATED
DIGEST = NotificationChannel.DIGEST


@pytest.fixture
def digests(db):
    acme = ManufacturerFactory(name="Acme Audio", slug="acme-d")
    borealis = ManufacturerFactory(name="Borealis Lighting", slug="borealis-d")
    anna = UserFactory(email="anna@example.test")
    ben = UserFactory(email="ben@example.test")
    for manufacturer, user in ((acme, anna), (borealis, anna), (acme, ben)):
        MembershipFactory(manufacturer=manufacturer, user=user, role=Role.MANAGER)
        preferences_save(user=user, manufacturer=manufacturer, channels={ORDERS: DIGEST})
    return {"acme": acme, "borealis": borealis, "anna": anna, "ben": ben}


def note(user, manufacturer, title, kind=ORDERS) -> None:
    notify(users=[user], manufacturer=manufacturer, kind=kind, title=title)


def digest_emails():
    return list(OutboxEmail.objects.filter(kind="digest").order_by("pk"))


def fill(d) -> None:
    note(d["anna"], d["acme"], "Order 1001")
    note(d["anna"], d["borealis"], "Order B-7")
    note(d["ben"], d["acme"], "Order 1002")
    note(d["anna"], d["acme"], "Seen in the app only", kind=NotificationKind.PAYOUT)  # in-app


def test_the_service_run_twice_sends_one_email_per_user(digests):
    fill(digests)
    anna, ben = digests["anna"], digests["ben"]

    first = digest_send(user_id=anna.pk)
    assert first is not None
    assert digest_send(user_id=anna.pk) is None
    assert digest_send(user_id=ben.pk) is not None
    assert digest_send(user_id=ben.pk) is None

    emails = digest_emails()
    assert [e.recipient for e in emails] == ["anna@example.test", "ben@example.test"]
    assert "2 notifications" in emails[0].subject
    assert "[Acme Audio] Order 1001" in emails[0].body
    assert "[Borealis Lighting] Order B-7" in emails[0].body
    assert "Order 1002" not in emails[0].body and "Seen in the app" not in emails[0].body
    assert "Order 1002" in emails[1].body


def test_the_job_run_twice_sends_each_notification_once(digests):
    fill(digests)
    assert notifications_digest_task.delay().get() == 2
    assert notifications_digest_task.delay().get() == 0
    assert len(digest_emails()) == 2
    linked = Notification.objects.filter(channel=NotificationChannel.DIGEST, email__isnull=False)
    assert linked.count() == 3


def test_a_later_run_sends_only_what_came_since(digests):
    fill(digests)
    notifications_digest_task.delay().get()
    note(digests["anna"], digests["acme"], "Order 1003")
    assert notifications_digest_task.delay().get() == 1
    latest = digest_emails()[-1]
    assert latest.recipient == "anna@example.test"
    assert latest.subject.endswith("1 notification")
    assert "Order 1003" in latest.body and "Order 1001" not in latest.body


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_one_email(digests):
    """Run A has bundled the rows and not committed; run B, meanwhile, must not send them."""
    assert connection.vendor == "postgresql"
    fill(digests)
    anna = digests["anna"]
    results = {}

    def second_run():
        try:
            results["B"] = digest_send(user_id=anna.pk)
        finally:
            connection.close()

    with transaction.atomic():
        results["A"] = digest_send(user_id=anna.pk)
        other = threading.Thread(target=second_run)
        other.start()
        other.join(5)
        finished_while_a_was_open = not other.is_alive()
    other.join(10)

    assert results["A"] is not None
    assert results["B"] is None
    assert finished_while_a_was_open, "run B waited for run A instead of skipping its rows"
    assert [e.recipient for e in digest_emails()] == ["anna@example.test"]
