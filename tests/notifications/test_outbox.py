"""The outbox: an email exists only if its transaction commits, and is sent exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications.models import OutboxEmail, OutboxStatus
from notifications.services import email_deliver, email_enqueue
from notifications.tasks import email_deliver_task, outbox_flush_task


def enqueue(**overrides) -> OutboxEmail:
    fields = {
        "recipient": "partner@example.test",
        "subject": "Your qualification was granted",
        "body": "Welcome to the programme.",
        "kind": "test",
    }
    return email_enqueue(**{**fields, **overrides})


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
def test_committed_email_is_delivered_once():
    with transaction.atomic():
        email = enqueue()
        assert mail.outbox == [], "nothing is sent before the commit"

    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert email.sent_at is not None
    assert email.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["partner@example.test"]
    assert mail.outbox[0].subject == "Your qualification was granted"

    assert email_deliver(email_id=email.pk) is False
    assert len(mail.outbox) == 1


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

    # The flush leaves young rows to their own task; this one has waited long enough.
    OutboxEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    sent = outbox_flush_task.delay().get()

    email.refresh_from_db()
    assert sent == 1
    assert email.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    assert outbox_flush_task.delay().get() == 0
    assert len(mail.outbox) == 1


def test_failed_transport_keeps_the_email_pending(db, monkeypatch):
    email = enqueue()

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server unreachable")

    monkeypatch.setattr("notifications.services.send_mail", smtp_down)

    assert email_deliver(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == OutboxStatus.PENDING
    assert email.attempts == 1
    assert "unreachable" in email.last_error
