"""The outbox: an email exists only if its transaction commits; a worker claims a batch with
a lease, sends it over one connection outside any lock, and records each outcome; failures
are retried with backoff for a day, then shown to the tenant's owners."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import Role
from notifications import services
from notifications.models import Notification, NotificationKind, OutboxEmail, OutboxStatus
from notifications.services import email_deliver, email_enqueue, outbox_claim, outbox_flush
from notifications.tasks import email_deliver_task, outbox_flush_task
from tests.notifications.factories import OutboxEmailFactory
from tests.notifications.mail_backends import state

BACKENDS = "tests.notifications.mail_backends."


def enqueue(**overrides) -> OutboxEmail:
    fields = {
        "recipient": "partner@example.test",
        "subject": "Your qualification was granted",
        "body": "Welcome to the programme.",
        "kind": "test",
    }
    return email_enqueue(**{**fields, **overrides})


def due(**fields) -> OutboxEmail:
    """A pending email the sweep may take now."""
    return OutboxEmailFactory(next_attempt_at=timezone.now() - timedelta(seconds=1), **fields)


@pytest.fixture
def backend(settings):
    """backend("Refusing") switches to one of tests/notifications/mail_backends.py."""
    state.reset()

    def use(name: str) -> None:
        settings.EMAIL_BACKEND = BACKENDS + name

    use("Counting")
    return use


class Boom(Exception):
    pass


def test_rolled_back_transaction_leaves_no_email(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        enqueue()
        raise Boom

    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_committed_email_is_delivered_once_with_its_message_id():
    with transaction.atomic():
        email = enqueue()
        assert mail.outbox == [], "nothing is sent before the commit"

    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.claimed_until is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["partner@example.test"]
    assert mail.outbox[0].subject == "Your qualification was granted"
    assert email.message_id.startswith("<") and email.message_id.endswith(">")
    assert mail.outbox[0].message()["Message-ID"] == email.message_id

    assert email_deliver(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_every_email_gets_its_own_message_id(db):
    first, second = enqueue(), enqueue()
    assert first.message_id != second.message_id


def test_smtp_connections_time_out_after_email_timeout(settings):
    assert settings.EMAIL_TIMEOUT == 10
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert smtp.timeout == 10
    settings.EMAIL_TIMEOUT = 3
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 3


@pytest.mark.django_db(transaction=True)
def test_flush_delivers_what_the_broker_lost(monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(email_deliver_task, "delay", broker_down)
    with transaction.atomic():
        email = enqueue()
    email.refresh_from_db()
    assert email.status == OutboxStatus.PENDING
    assert mail.outbox == []
    assert outbox_flush_task.delay().get() == 0, "a young email is left to its own task"

    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    sent = outbox_flush_task.delay().get()

    email.refresh_from_db()
    assert sent == 1
    assert email.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    assert outbox_flush_task.delay().get() == 0
    assert len(mail.outbox) == 1


def test_a_batch_goes_over_one_connection_in_a_few_queries(
    db, backend, django_assert_max_num_queries
):
    emails = [due() for _ in range(30)]

    # claim: SELECT … FOR UPDATE SKIP LOCKED, UPDATE claimed_until, SELECT the rows (3 with
    # the savepoint of the transaction), then one UPDATE for all sent; 3 batches of 12.
    with django_assert_max_num_queries(3 * 6 + 3):
        assert outbox_flush(batch_size=12) == 30

    assert state.opened == 3
    assert len(mail.outbox) == 30
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert {m.message()["Message-ID"] for m in mail.outbox} == {e.message_id for e in emails}


def test_a_refusing_server_leaves_the_email_pending_with_a_backoff(db, backend):
    backend("Refusing")
    email = due()

    assert outbox_flush() == 0
    email.refresh_from_db()
    assert email.status == OutboxStatus.PENDING
    assert email.attempts == 1
    assert email.claimed_until is None
    assert "Connection refused" in email.last_error
    first_wait = email.next_attempt_at - email.last_attempt_at
    assert timedelta(seconds=59) < first_wait < timedelta(seconds=61)
    assert outbox_flush() == 0, "not due again before its backoff"
    assert email.attempts == OutboxEmail.objects.get(pk=email.pk).attempts

    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert outbox_flush() == 0
    email.refresh_from_db()
    assert email.attempts == 2
    second_wait = email.next_attempt_at - email.last_attempt_at
    assert timedelta(seconds=119) < second_wait < timedelta(seconds=121)


def test_backoff_doubles_up_to_two_hours():
    assert services.retry_delay(1) == timedelta(minutes=1)
    assert services.retry_delay(3) == timedelta(minutes=4)
    assert services.retry_delay(8) == timedelta(hours=2)
    assert services.retry_delay(200) == timedelta(hours=2)


def test_after_a_day_the_email_fails_and_the_owners_are_told(
    db, backend, manufacturer, other_manufacturer, make_member
):
    backend("Refusing")
    owners = {make_member(manufacturer, Role.OWNER), make_member(manufacturer, Role.OWNER)}
    manager = make_member(manufacturer, Role.MANAGER)
    other_owner = make_member(other_manufacturer, Role.OWNER)
    gone = timezone.now() - timedelta(seconds=1)
    ours = [due(manufacturer=manufacturer, retry_until=gone) for _ in range(2)]
    young = due(manufacturer=manufacturer)

    assert outbox_flush() == 0

    for email in ours:
        email.refresh_from_db()
        assert email.status == OutboxStatus.FAILED
    young.refresh_from_db()
    assert young.status == OutboxStatus.PENDING, "a younger email still has its day of retries"
    notices = Notification.objects.filter(kind=NotificationKind.EMAIL_FAILED)
    assert {n.user for n in notices} == owners, "one notice per owner for the whole batch"
    assert "2 emails could not be delivered" in notices[0].title
    assert notices[0].url == f"/m/{manufacturer.slug}/emails/failed/"
    assert not notices.filter(user__in=[manager, other_owner]).exists()


def test_a_failed_notice_about_failures_tells_nobody_again(db, backend, manufacturer, owner):
    backend("Refusing")
    due(manufacturer=manufacturer, kind=NotificationKind.EMAIL_FAILED, retry_until=timezone.now())

    assert outbox_flush() == 0

    assert OutboxEmail.objects.get().status == OutboxStatus.FAILED
    assert not Notification.objects.exists()


def test_a_refused_recipient_fails_alone_and_the_batch_goes_on(db, backend):
    backend("BouncesOne")
    first, bounced, last = due(), due(recipient="bounce@example.test"), due()

    assert outbox_flush() == 2

    statuses = dict(OutboxEmail.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[last.pk] == OutboxStatus.SENT
    assert statuses[bounced.pk] == OutboxStatus.PENDING
    assert "No such user" in OutboxEmail.objects.get(pk=bounced.pk).last_error
    assert state.opened == 1


def test_a_dropped_connection_leaves_the_rest_of_the_batch_for_later(db, backend):
    backend("DropsAfterTwo")
    emails = [due() for _ in range(5)]

    assert outbox_flush() == 2

    rows = list(OutboxEmail.objects.filter(pk__in=[e.pk for e in emails]).order_by("pk"))
    assert [r.status for r in rows] == [OutboxStatus.SENT] * 2 + [OutboxStatus.PENDING] * 3
    assert state.attempted == 3, "the batch stopped at the first dropped connection"
    assert all("unexpectedly closed" in r.last_error for r in rows[2:])
    assert all(r.next_attempt_at > timezone.now() for r in rows[2:])


def test_a_crash_after_sending_resends_only_after_the_lease_with_the_same_message_id(
    db, backend, monkeypatch
):
    email = due()

    def crash(**kwargs):
        raise Boom

    with monkeypatch.context() as patch:
        patch.setattr(services, "_record_outcomes", crash)
        with pytest.raises(Boom):
            outbox_flush()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboxStatus.PENDING
    assert email.claimed_until > timezone.now() + timedelta(minutes=4)

    assert outbox_flush() == 0, "nobody sends it again while the claim holds"
    assert email_deliver(email_id=email.pk) is False

    OutboxEmail.objects.filter(pk=email.pk).update(claimed_until=timezone.now())
    assert outbox_flush() == 1
    assert len(mail.outbox) == 2
    assert {m.message()["Message-ID"] for m in mail.outbox} == {email.message_id}


def test_a_batch_hands_back_what_it_cannot_send_before_its_lease_ends(db, backend, monkeypatch):
    emails = [due() for _ in range(3)]
    batch = outbox_claim()
    # The lease is nearly over: the batch sends nothing and releases every row.
    OutboxEmail.objects.update(claimed_until=timezone.now() + timedelta(seconds=5))
    for email in batch:
        email.claimed_until = timezone.now() + timedelta(seconds=5)

    assert services.outbox_send(emails=batch) == 0

    assert mail.outbox == []
    assert set(OutboxEmail.objects.values_list("claimed_until", flat=True)) == {None}
    assert outbox_flush() == len(emails)


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_email_once_and_hold_no_lock_while_sending(backend):
    assert connection.vendor == "postgresql"
    backend("Blocking")
    emails = [due() for _ in range(6)]
    results: dict[str, object] = {}

    def second_worker():
        try:
            with transaction.atomic():
                # The first worker's rows are not locked while it talks to the server.
                results["locked"] = list(
                    OutboxEmail.objects.select_for_update(nowait=True).values_list("pk", flat=True)
                )
            results["second"] = outbox_flush(batch_size=3)
        finally:
            connection.close()

    def run_second_worker():
        other = threading.Thread(target=second_worker)
        other.start()
        other.join(10)
        state.release.set()

    state.during_send.append(run_second_worker)
    results["first"] = outbox_flush(batch_size=3)

    assert sorted(results["locked"]) == sorted(e.pk for e in emails)
    assert results["first"] == 3
    assert results["second"] == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.recipient for e in emails)
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_an_email_whose_worker_died_mid_send_is_the_sweeps_a_minute_later(db, backend, monkeypatch):
    email = due()
    monkeypatch.setattr(services, "outbox_send", lambda emails: 0)  # killed while sending
    before = timezone.now()
    assert email_deliver(email_id=email.pk) is False
    email.refresh_from_db()
    assert before < email.claimed_until <= timezone.now() + timedelta(seconds=60)
    monkeypatch.undo()
    assert outbox_flush() == 0  # still held: not sent twice meanwhile

    OutboxEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )  # a minute later
    assert outbox_flush() == 1
    assert len(mail.outbox) == 1
