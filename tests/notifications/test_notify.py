"""notify(): preferences, in-app notifications, email through the outbox, the daily digest,
and delivery exactly once when the broker is down or the job and the task race."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import Role
from communications.services.conversations import conversation_start, reseller_reply, staff_reply
from notifications.models import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    OutboxEmail,
    OutboxStatus,
)
from notifications.services import email_deliver, notify
from notifications.tasks import email_deliver_task, notifications_digest_task, outbox_flush_task
from salesreps.services import portfolio_assign
from tests.accounts.factories import (
    ManufacturerFactory,
    MembershipFactory,
    ResellerFactory,
    ResellerUserFactory,
    UserFactory,
)
from tests.notifications.mail_backends import state
from tests.resellers.factories import PartnershipFactory


@pytest.fixture
def channel(db):
    tenant = ManufacturerFactory(slug="acme-n")
    owner = MembershipFactory(manufacturer=tenant, role=Role.OWNER, user=UserFactory()).user
    manager = MembershipFactory(manufacturer=tenant, role=Role.MANAGER, user=UserFactory()).user
    rep = MembershipFactory(manufacturer=tenant, role=Role.SELLER, user=UserFactory()).user
    other_rep = MembershipFactory(manufacturer=tenant, role=Role.SELLER, user=UserFactory()).user
    reseller = ResellerFactory(name="Soundhouse")
    reseller_user = ResellerUserFactory(reseller=reseller).user
    partnership = PartnershipFactory(manufacturer=tenant, reseller=reseller)
    portfolio_assign(manufacturer=tenant, partnership=partnership, rep=rep, by=owner)
    return {
        "tenant": tenant, "owner": owner, "manager": manager, "rep": rep,
        "other_rep": other_rep, "reseller_user": reseller_user, "partnership": partnership,
    }  # fmt: skip


def prefer(user, manufacturer, channel, kind=NotificationKind.MESSAGE_RECEIVED):
    NotificationPreference.objects.update_or_create(
        user=user, manufacturer=manufacturer, kind=kind, defaults={"channel": channel}
    )


def write(channel, body="Hello"):
    return conversation_start(
        partnership=channel["partnership"],
        kind="general",
        subject="",
        body=body,
        author=channel["reseller_user"],
    )


def test_a_reseller_message_notifies_staff_and_the_customers_rep(channel):
    write(channel)
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {channel["owner"].pk, channel["manager"].pk, channel["rep"].pk}
    assert channel["other_rep"].pk not in notified
    note = Notification.objects.filter(user=channel["owner"]).get()
    assert note.channel == NotificationChannel.EMAIL  # the default for new messages
    assert note.url.startswith(f"/m/{channel['tenant'].slug}/communications/")


def test_staff_replies_notify_the_resellers_users_not_the_staff(channel):
    conversation = write(channel)
    Notification.objects.all().delete()
    staff_reply(conversation=conversation, author=channel["owner"], body="Hi")
    (note,) = Notification.objects.all()
    assert note.kind == "staff_replied"
    assert note.user == channel["reseller_user"]


def test_preferences_are_respected(channel, django_capture_on_commit_callbacks):
    tenant = channel["tenant"]
    prefer(channel["owner"], tenant, NotificationChannel.OFF)
    prefer(channel["manager"], tenant, NotificationChannel.IN_APP)
    prefer(channel["rep"], tenant, NotificationChannel.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        write(channel)
    assert not Notification.objects.filter(user=channel["owner"]).exists()
    assert Notification.objects.get(user=channel["manager"]).email is None
    assert Notification.objects.get(user=channel["rep"]).channel == NotificationChannel.DIGEST
    assert OutboxEmail.objects.count() == 0
    assert mail.outbox == []


def test_preferences_are_per_manufacturer(channel):
    elsewhere = ManufacturerFactory()
    prefer(channel["owner"], elsewhere, NotificationChannel.OFF)
    write(channel)
    assert Notification.objects.filter(user=channel["owner"]).exists()


def test_email_is_written_with_the_message_and_rolls_back_with_it(channel):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        write(channel)
        assert OutboxEmail.objects.count() == 3
        raise Boom
    assert not OutboxEmail.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_broker_down_then_restart_delivers_each_email_exactly_once(channel, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(email_deliver_task, "delay", broker_down)
    conversation = write(channel, body="first")
    reseller_reply(conversation=conversation, author=channel["reseller_user"], body="second")
    reseller_reply(conversation=conversation, author=channel["reseller_user"], body="third")
    assert mail.outbox == [], "nothing was delivered while the broker was down"
    pending = OutboxEmail.objects.filter(status=OutboxStatus.PENDING)
    assert pending.count() == 9  # 3 messages x (owner, manager, rep)

    monkeypatch.undo()  # the broker is back; the periodic job picks up what was left
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert outbox_flush_task.delay().get() == 9
    assert outbox_flush_task.delay().get() == 0
    for email in OutboxEmail.objects.all():
        assert email_deliver(email_id=email.pk) is False

    assert len(mail.outbox) == 9
    sent = sorted((m.to[0], m.body.split("\n")[0]) for m in mail.outbox)
    assert len(set(sent)) == 9, "each notification was delivered once"
    assert not OutboxEmail.objects.exclude(status=OutboxStatus.SENT).exists()


@pytest.mark.django_db(transaction=True)
def test_the_task_and_the_job_racing_deliver_once(monkeypatch, settings):
    """The task's claim holds while it sends; the job, running meanwhile, skips the email."""
    assert connection.vendor == "postgresql"
    from notifications.services import email_enqueue

    state.reset()
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.Blocking"
    monkeypatch.setattr(email_deliver_task, "delay", lambda *a, **k: None)
    with transaction.atomic():
        email = email_enqueue(recipient="a@example.test", subject="s", body="b")
    OutboxEmail.objects.update(next_attempt_at=timezone.now())
    results = {}

    def job():
        try:
            results["job"] = email_deliver(email_id=email.pk) or outbox_flush_task.delay().get()
        finally:
            connection.close()

    def run_job_meanwhile():
        other = threading.Thread(target=job)
        other.start()
        other.join(10)
        state.release.set()

    state.during_send.append(run_job_meanwhile)
    results["task"] = email_deliver(email_id=email.pk)

    assert results == {"task": True, "job": 0}
    assert state.attempted == 1
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert email_deliver(email_id=email.pk) is False


@pytest.mark.django_db(transaction=True)
def test_the_daily_digest_bundles_and_is_idempotent(channel):
    tenant = channel["tenant"]
    prefer(channel["owner"], tenant, NotificationChannel.DIGEST)
    for other in ("manager", "rep"):
        prefer(channel[other], tenant, NotificationChannel.OFF)
    conversation = write(channel, body="one")
    reseller_reply(conversation=conversation, author=channel["reseller_user"], body="two")
    assert mail.outbox == []

    assert notifications_digest_task.delay().get() == 1
    assert notifications_digest_task.delay().get() == 0
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [channel["owner"].email]
    assert "2 notifications" in digest.subject
    assert "one" in digest.body and "two" in digest.body
    assert not Notification.objects.filter(channel="digest", email__isnull=True).exists()


def test_notify_is_the_shared_path(channel):
    notes = notify(
        users=[channel["owner"], channel["manager"]],
        manufacturer=channel["tenant"],
        kind=NotificationKind.ORDER_STATUS,
        title="New order 1001",
        body="",
        url="/m/acme-n/orders/",
    )
    assert len(notes) == 2
    assert all(n.channel == NotificationChannel.IN_APP for n in notes)  # default for orders


# --- the bell and the list page -----------------------------------------------------------


def test_bell_shows_the_unread_count_in_one_query(channel, client_for):
    write(channel)
    client = client_for(channel["owner"])
    response = client.get(reverse("notifications_public:list"))
    assert response.status_code == 200
    assert 'data-testid="unread-count">1<' in response.content.decode()
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from notifications.context_processors import unread

    request = RequestFactory().get("/")
    request.user = channel["owner"]
    with CaptureQueriesContext(connection) as queries:
        assert unread(request) == {"notifications_unread": 1}
    assert len(queries) == 1


def test_mark_read_and_mark_all_read(channel, client_for):
    write(channel)
    write(channel, body="again")
    client = client_for(channel["owner"])
    first, second = Notification.objects.filter(user=channel["owner"])
    response = client.post(
        reverse("notifications_public:read", args=[first.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.is_read
    response = client.post(reverse("notifications_public:read", args=[second.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == second.url
    write(channel, body="third")
    client.post(reverse("notifications_public:read_all"))
    assert not Notification.objects.filter(user=channel["owner"], read_at__isnull=True).exists()
    assert Notification.objects.filter(user=channel["manager"], read_at__isnull=True).count() == 3


def test_someone_elses_notification_is_404(channel, client_for):
    write(channel)
    theirs = Notification.objects.filter(user=channel["manager"]).first()
    client = client_for(channel["owner"])
    assert client.post(reverse("notifications_public:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read
    html = client.get(reverse("notifications_public:list")).content.decode()
    assert f'id="notification-{theirs.pk}"' not in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("notifications_public:list"))
    assert response.status_code == 302
