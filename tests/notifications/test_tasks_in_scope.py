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
from orders.tasks import payment_attempts_reconcile_task
from tests.accounts.factories import ExportJobFactory, MembershipFactory
from tests.notifications.factories import NotificationFactory, OutboxEmailFactory
from tests.orders.factories import PaymentAttemptFactory, TestProviderChargeFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoping import worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]

TESTED_TASKS = {
    "accounts.tasks.export_job_run_task",
    "accounts.tasks.export_jobs_sweep_task",
    "notifications.tasks.email_deliver_task",
    "notifications.tasks.outbox_flush_task",
    "notifications.tasks.notifications_digest_task",
    "orders.tasks.payment_attempts_reconcile_task",
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
