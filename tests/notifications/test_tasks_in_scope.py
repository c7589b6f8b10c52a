"""Every Celery task runs as a worker runs it: scoping on, no tenant in scope.

Each task is applied eagerly inside `worker_scope()`; a ScopeError here would be a task
that fails in production on every run. The last test finds the project's tasks, so a new
task cannot be added without a test here.
"""

from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import ExportJob, ExportStatus, Role
from accounts.tasks import export_job_run_task, export_jobs_sweep_task
from commissions.models import PayoutRequest
from commissions.tasks import commissions_daily_task
from config.celery_app import app as celery_app
from notifications.models import (
    Notification,
    NotificationChannel,
    NotificationKind,
    OutboxEmail,
    OutboxStatus,
)
from notifications.tasks import email_deliver_task, notifications_digest_task, outbox_flush_task
from orders.models import AttemptStatus, OrderStatus, Payment, PaymentAttempt
from orders.tasks import payment_attempts_reconcile_task, payment_links_expired_notify_task
from partners.models import (
    Incident,
    Meeting,
    OfferAnnouncement,
    PartnerTier,
    Scorecard,
    Tier,
    TierProposal,
)
from partners.tasks import (
    incidents_raise_task,
    meetings_schedule_task,
    offers_announce_task,
    scorecards_refresh_task,
    tiers_evaluate_task,
)
from tests.accounts.factories import ExportJobFactory, MembershipFactory, ResellerUserFactory
from tests.notifications.factories import NotificationFactory, OutboxEmailFactory
from tests.orders.factories import (
    OrderFactory,
    PaymentAttemptFactory,
    PaymentLinkFactory,
    TestProviderChargeFactory,
)
from tests.partners.factories import OfferRecipientFactory, ScorecardFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoping import worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]

TESTED_TASKS = {
    # Run in worker_scope() beside their real HTTP receiver, in tests/api/test_webhooks.py.
    "api.tasks.webhook_deliver_task",
    "api.tasks.webhook_deliveries_flush_task",
    "accounts.tasks.export_job_run_task",
    "accounts.tasks.export_jobs_sweep_task",
    "notifications.tasks.email_deliver_task",
    "notifications.tasks.outbox_flush_task",
    "notifications.tasks.notifications_digest_task",
    "orders.tasks.payment_attempts_reconcile_task",
    "commissions.tasks.commissions_daily_task",
    "orders.tasks.payment_links_expired_notify_task",
    "partners.tasks.scorecards_refresh_task",
    "partners.tasks.tiers_evaluate_task",
    "partners.tasks.incidents_raise_task",
    "partners.tasks.offers_announce_task",
    "partners.tasks.meetings_schedule_task",
}


def run_in_worker(task, *args):
    with worker_scope():
        return task.apply(args=args).get()


@pytest.fixture
def pending(manufacturer, other_manufacturer):
    """One pending email per tenant, old enough for the periodic flush."""
    emails = [OutboxEmailFactory(manufacturer=m) for m in (manufacturer, other_manufacturer)]
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    return emails


def test_email_deliver_task_in_a_worker(pending):
    ours, theirs = pending

    assert run_in_worker(email_deliver_task, ours.pk) is True
    assert run_in_worker(email_deliver_task, ours.pk) is False  # idempotent

    with scopes_disabled():
        ours.refresh_from_db()
        theirs.refresh_from_db()
    assert ours.status == OutboxStatus.SENT
    assert theirs.status == OutboxStatus.PENDING
    assert [m.to for m in mail.outbox] == [[ours.recipient]]


def test_outbox_flush_task_in_a_worker(pending):
    """The flush is a platform job: it delivers every tenant's email, each to its recipient."""
    with scopes_disabled():
        young = OutboxEmailFactory(manufacturer=pending[0].manufacturer)

    assert run_in_worker(outbox_flush_task) == 2

    with scopes_disabled():
        assert set(
            OutboxEmail.objects.filter(status=OutboxStatus.SENT).values_list("pk", flat=True)
        ) == {email.pk for email in pending}
        young.refresh_from_db()
    assert young.status == OutboxStatus.PENDING
    assert sorted(m.to[0] for m in mail.outbox) == sorted(email.recipient for email in pending)


def test_outbox_flush_task_gives_up_and_tells_the_owners_in_a_worker(manufacturer, owner, settings):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.Refusing"
    with scopes_disabled():
        email = OutboxEmailFactory(
            manufacturer=manufacturer,
            next_attempt_at=timezone.now(),
            retry_until=timezone.now() - timedelta(seconds=1),
        )

    assert run_in_worker(outbox_flush_task) == 0

    with scopes_disabled():
        email.refresh_from_db()
        notices = list(Notification.objects.filter(kind=NotificationKind.EMAIL_FAILED))
    assert email.status == OutboxStatus.FAILED
    assert [notice.user for notice in notices] == [owner]


def test_notifications_digest_task_in_a_worker(manufacturer, other_manufacturer):
    with scopes_disabled():
        ours = NotificationFactory(
            manufacturer=manufacturer, channel=NotificationChannel.DIGEST, title="Ours"
        )
        theirs = NotificationFactory(
            manufacturer=other_manufacturer, channel=NotificationChannel.DIGEST, title="Theirs"
        )

    assert run_in_worker(notifications_digest_task) == 2
    assert run_in_worker(notifications_digest_task) == 0

    with scopes_disabled():
        digests = {
            email.recipient: email.body for email in OutboxEmail.objects.filter(kind="digest")
        }
    assert set(digests) == {ours.user.email, theirs.user.email}
    assert "[Acme Audio] Ours" in digests[ours.user.email]
    assert "Theirs" not in digests[ours.user.email]
    assert "[Borealis Lighting] Theirs" in digests[theirs.user.email]
    assert "Ours" not in digests[theirs.user.email]


def test_payment_attempts_reconcile_task_in_a_worker(manufacturer, other_manufacturer, settings):
    """A platform job: each tenant's lost attempt is finished in that tenant's scope."""
    settings.PAYMENT_PROVIDER = "orders.payments.TestPaymentProvider"  # the attempts' provider
    with scopes_disabled():
        charged = PaymentAttemptFactory(link__order__partnership__manufacturer=manufacturer)
        lost = PaymentAttemptFactory(link__order__partnership__manufacturer=other_manufacturer)
        TestProviderChargeFactory(idempotency_key=charged.idempotency_key, amount=charged.amount)
        PaymentAttempt.objects.update(created_at=timezone.now() - timedelta(minutes=5))

    assert run_in_worker(payment_attempts_reconcile_task) == 2
    assert run_in_worker(payment_attempts_reconcile_task) == 0

    with scopes_disabled():
        charged.refresh_from_db()
        lost.refresh_from_db()
        assert (charged.status, lost.status) == (AttemptStatus.SUCCEEDED, AttemptStatus.FAILED)
        assert Payment.objects.get().order == charged.order
        charged.order.refresh_from_db()
        assert charged.order.status == OrderStatus.PLACED


def test_commissions_daily_task_in_a_worker(manufacturer, other_manufacturer):
    """A platform job: each tenant's due commissions go into that tenant's own request."""
    from tests.commissions.factories import CommissionEntryFactory

    long_ago = timezone.localdate() - timedelta(weeks=12)
    with scopes_disabled():
        ours = CommissionEntryFactory(
            partnership__manufacturer=manufacturer, eligible_from=long_ago, pay_by=long_ago
        )
        theirs = CommissionEntryFactory(
            partnership__manufacturer=other_manufacturer, eligible_from=long_ago, pay_by=long_ago
        )

    assert run_in_worker(commissions_daily_task) == 2
    assert run_in_worker(commissions_daily_task) == 0  # once a day

    with scopes_disabled():
        requests = {r.partnership_id: r for r in PayoutRequest.objects.all()}
        assert set(requests) == {ours.partnership_id, theirs.partnership_id}
        assert [item.entry for item in requests[ours.partnership_id].items.all()] == [ours]
        assert requests[theirs.partnership_id].manufacturer == other_manufacturer


def test_payment_links_expired_notify_task_in_a_worker(manufacturer, other_manufacturer):
    """Each tenant's link that expired unpaid is told once to its reseller, in its scope; a
    live link and a used one are not."""
    past = timezone.now() - timedelta(minutes=1)
    with scopes_disabled():
        ours = PaymentLinkFactory(order__partnership__manufacturer=manufacturer, expires_at=past)
        theirs = PaymentLinkFactory(
            order__partnership__manufacturer=other_manufacturer, expires_at=past
        )
        PaymentLinkFactory(order__partnership__manufacturer=manufacturer)
        PaymentLinkFactory(
            order__partnership__manufacturer=manufacturer, expires_at=past, used_at=past
        )

    assert run_in_worker(payment_links_expired_notify_task) == 2
    assert run_in_worker(payment_links_expired_notify_task) == 0

    with scopes_disabled():
        told = Notification.objects.filter(kind=NotificationKind.PAYMENT_LINK)
        assert sorted(told.values_list("manufacturer_id", "user_id")) == sorted(
            [
                (manufacturer.pk, ours.order.created_by_id),
                (other_manufacturer.pk, theirs.order.created_by_id),
            ]
        )
        assert all(
            ours.order.number in note.title for note in told.filter(manufacturer=manufacturer)
        )


def test_scorecards_refresh_task_in_a_worker(manufacturer, other_manufacturer):
    """A platform job: each tenant's scorecards are stored in that tenant's scope."""
    with scopes_disabled():
        ours = OrderFactory(partnership__manufacturer=manufacturer)
        theirs = OrderFactory(partnership__manufacturer=other_manufacturer)

    assert run_in_worker(scorecards_refresh_task) == 2
    assert run_in_worker(scorecards_refresh_task) == 2  # idempotent: rows updated in place

    with scopes_disabled():
        month = timezone.localdate().replace(day=1)
        cards = {card.partnership_id: card.orders for card in Scorecard.objects.filter(month=month)}
    assert cards == {ours.partnership_id: 1, theirs.partnership_id: 1}


def test_tiers_evaluate_task_in_a_worker(manufacturer, other_manufacturer):
    """A platform job: each tenant's partners are judged against that tenant's tiers."""
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    with scopes_disabled():
        ours = PartnershipFactory(manufacturer=manufacturer)
        theirs = PartnershipFactory(manufacturer=other_manufacturer)
        Tier.objects.filter(name="Silver").update(months_held=1)
        ScorecardFactory(
            partnership=ours,
            month=last_month,
            orders=20,
            completed=20,
            completion_rate=100,
            cancellation_rate=0,
        )
        ScorecardFactory(
            partnership=theirs,
            month=last_month,
            orders=1,
            completed=1,
            completion_rate=100,
            cancellation_rate=0,
        )

    assert run_in_worker(tiers_evaluate_task) == 1
    assert run_in_worker(tiers_evaluate_task) == 1  # refreshed, not duplicated

    with scopes_disabled():
        proposals = list(TierProposal.objects.values_list("partnership_id", "to_tier__name"))
    assert proposals == [(ours.pk, "Silver")]


def test_incidents_raise_task_in_a_worker(manufacturer, other_manufacturer):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    with scopes_disabled():
        ours = PartnershipFactory(manufacturer=manufacturer)
        theirs = PartnershipFactory(manufacturer=other_manufacturer)
        ScorecardFactory(partnership=ours, month=last_month, orders=10, cancellation_rate=40)
        ScorecardFactory(partnership=theirs, month=last_month, orders=10, cancellation_rate=5)

    assert run_in_worker(incidents_raise_task) == 1
    assert run_in_worker(incidents_raise_task) == 0

    with scopes_disabled():
        assert list(Incident.objects.values_list("partnership_id", flat=True)) == [ours.pk]


def test_offers_announce_task_in_a_worker(manufacturer, other_manufacturer):
    with scopes_disabled():
        ours = PartnershipFactory(manufacturer=manufacturer)
        theirs = PartnershipFactory(manufacturer=other_manufacturer)
        for partnership in (ours, theirs):
            ResellerUserFactory(reseller=partnership.reseller)
        OfferRecipientFactory(partnership=ours)  # a published offer naming ours

    assert run_in_worker(offers_announce_task) == 1
    assert run_in_worker(offers_announce_task) == 0

    with scopes_disabled():
        assert list(OfferAnnouncement.objects.values_list("partnership_id", flat=True)) == [ours.pk]


def test_meetings_schedule_task_in_a_worker(manufacturer, other_manufacturer):
    with scopes_disabled():
        ours = PartnershipFactory(manufacturer=manufacturer)
        theirs = PartnershipFactory(manufacturer=other_manufacturer)
        bronze = PartnershipFactory(manufacturer=manufacturer)
        for partnership, name in ((ours, "Silver"), (theirs, "Gold")):
            tier = Tier.objects.get(manufacturer=partnership.manufacturer, name=name)
            PartnerTier.objects.create(
                manufacturer=partnership.manufacturer,
                partnership=partnership,
                tier=tier,
                since=timezone.now(),
            )

    assert run_in_worker(meetings_schedule_task) == 2
    assert run_in_worker(meetings_schedule_task) == 0  # idempotent

    with scopes_disabled():
        kinds = dict(Meeting.objects.values_list("partnership_id", "kind"))
        assert kinds == {ours.pk: "monthly", theirs.pk: "quarterly"}
        assert bronze.pk not in kinds


def test_export_tasks_in_a_worker(
    manufacturer, other_manufacturer, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Each tenant's export is built in its own tenant's scope, by the task and by the sweep."""
    settings.MEDIA_ROOT = tmp_path
    with scopes_disabled():
        ours = PartnershipFactory(manufacturer=manufacturer, reseller__name="Ours")
        theirs = PartnershipFactory(manufacturer=other_manufacturer, reseller__name="Theirs")
        jobs = [
            ExportJobFactory(
                manufacturer=p.manufacturer,
                requested_by=MembershipFactory(manufacturer=p.manufacturer, role=Role.OWNER).user,
            )
            for p in (ours, theirs)
        ]
        ExportJob.objects.filter(pk=jobs[1].pk).update(
            updated_at=timezone.now() - timedelta(minutes=5)
        )

    assert run_in_worker(export_job_run_task, jobs[0].pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert run_in_worker(export_jobs_sweep_task) == 1

    with scopes_disabled():
        for job, name, other in zip(jobs, ("Ours", "Theirs"), ("Theirs", "Ours"), strict=True):
            job.refresh_from_db()
            content = job.file.read().decode("utf-8-sig")
            assert job.status == ExportStatus.DONE
            assert name in content and other not in content


def test_every_project_task_is_run_in_a_worker_here():
    for app_config in apps.get_app_configs():
        if (Path(app_config.path) / "tasks.py").exists():
            import_module(f"{app_config.name}.tasks")
    project_tasks = {name for name in celery_app.tasks if not name.startswith("celery.")}
    assert project_tasks == TESTED_TASKS, (
        "Run each new task in worker_scope() in this file, then list it in TESTED_TASKS."
    )
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= TESTED_TASKS
