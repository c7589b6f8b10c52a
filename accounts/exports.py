"""Large CSV exports as background jobs with a progress bar (core.exports builds the rows).

A list page's "Export CSV" calls `csv_export_response`: an export of up to
EXPORT_INLINE_MAX_ROWS rows streams at once, a larger one becomes an `ExportJob` that a worker
runs (`export_job_run`) while the member watches its progress page. A job whose task was lost
(the broker was down) or whose worker died is started again by `export_jobs_sweep`.
"""

import io
import logging
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from accounts.models import ExportJob, ExportStatus, Manufacturer, ManufacturerMembership, User
from accounts.tenancy import ManufacturerRequest
from core.enqueue import enqueue_after_commit
from core.exports import build_csv_export, export_params
from core.listing import csv_response, csv_write

logger = logging.getLogger(__name__)

# A running job whose progress has not moved for this long lost its worker.
EXPORT_STALLED_AFTER = timedelta(minutes=5)
# A queued job whose task has not started after this long was lost with the broker.
EXPORT_LOST_AFTER = timedelta(minutes=1)
EXPORT_MAX_ATTEMPTS = 3
PROGRESS_EVERY_ROWS = 500


def csv_export_response(request: ManufacturerRequest, kind: str) -> HttpResponseBase:
    """The list page's CSV: streamed now when small, else a background job to watch."""
    params = export_params(request.GET)
    export = build_csv_export(
        kind, manufacturer=request.tenant, membership=request.membership, params=params
    )
    size = export.size()
    if size <= settings.EXPORT_INLINE_MAX_ROWS:
        return csv_response(filename=export.filename, header=export.header, rows=export.rows)
    job = export_job_start(
        manufacturer=request.tenant, user=request.user, kind=kind, params=params, size=size
    )
    return redirect("accounts_manufacturer:export_job", request.tenant.slug, job.public_id)


def export_job_start(
    *, manufacturer: Manufacturer, user: User, kind: str, params: dict[str, str], size: int
) -> ExportJob:
    from accounts.tasks import export_job_run_task

    with transaction.atomic():
        job = ExportJob.objects.create(
            manufacturer=manufacturer, requested_by=user, kind=kind, params=params, rows_total=size
        )
        enqueue_after_commit(export_job_run_task, job.pk)
    return job


def export_job_run(*, job_id: int) -> bool:
    """Build the job's file in this worker; False when another worker has it or it is over.

    Runs in the job's tenant scope, with the visibility its member has now: a member removed
    since asking gets no file.
    """
    with scopes_disabled():
        claimed = ExportJob.objects.filter(
            pk=job_id, status=ExportStatus.QUEUED, attempts__lt=EXPORT_MAX_ATTEMPTS
        ).update(
            status=ExportStatus.RUNNING,
            attempts=F("attempts") + 1,
            rows_done=0,
            updated_at=timezone.now(),
        )
        if claimed != 1:
            return False
        job = ExportJob.objects.select_related("manufacturer", "requested_by").get(pk=job_id)
    with scope(manufacturer=job.manufacturer):
        try:
            _export_job_write(job)
        except Exception:
            logger.exception("Export job %s (%s) failed", job.public_id, job.kind)
            ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
                status=ExportStatus.FAILED,
                error=_("The export failed. Try again, or contact support if it fails again."),
                finished_at=timezone.now(),
            )
            return False
    return True


def _export_job_write(job: ExportJob) -> None:
    membership = ManufacturerMembership.objects.filter(
        manufacturer=job.manufacturer, user=job.requested_by, user__is_active=True
    ).first()
    if membership is None:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            error=_("You are no longer a member of this manufacturer."),
            finished_at=timezone.now(),
        )
        return
    export = build_csv_export(
        job.kind, manufacturer=job.manufacturer, membership=membership, params=job.params
    )

    def report(rows_done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(
            rows_done=rows_done,
            rows_total=max(job.rows_total, rows_done),
            updated_at=timezone.now(),
        )

    buffer = io.StringIO()
    written = csv_write(
        buffer, header=export.header, rows=export.rows, on_progress=report,
        every=PROGRESS_EVERY_ROWS,
    )  # fmt: skip
    stamp = timezone.localdate().isoformat()
    filename = f"{export.filename}-{stamp}.csv"
    job.file.save(filename, ContentFile(buffer.getvalue().encode("utf-8")), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        file=job.file.name,
        filename=filename,
        rows_done=written,
        rows_total=written,
        finished_at=timezone.now(),
    )


def export_jobs_sweep() -> int:
    """Periodic: start again the jobs whose task was lost or whose worker died; idempotent.

    A job that has failed EXPORT_MAX_ATTEMPTS times is marked failed instead."""
    from accounts.tasks import export_job_run_task

    now = timezone.now()
    stuck = Q(status=ExportStatus.QUEUED, updated_at__lt=now - EXPORT_LOST_AFTER) | Q(
        status=ExportStatus.RUNNING, updated_at__lt=now - EXPORT_STALLED_AFTER
    )
    with scopes_disabled():
        ExportJob.objects.filter(stuck, attempts__gte=EXPORT_MAX_ATTEMPTS).update(
            status=ExportStatus.FAILED,
            error=_("The export could not be finished. Try again."),
            finished_at=now,
        )
        restarted = list(
            ExportJob.objects.filter(stuck, attempts__lt=EXPORT_MAX_ATTEMPTS).values_list(
                "pk", flat=True
            )
        )
        ExportJob.objects.filter(pk__in=restarted).update(
            status=ExportStatus.QUEUED, updated_at=now
        )
    for job_id in restarted:
        enqueue_after_commit(export_job_run_task, job_id)
    return len(restarted)


def access_export_job(
    *, manufacturer: Manufacturer, user: User, public_id: "UUID | str"
) -> ExportJob:
    """The member's own job in this tenant; another member's, tenant's or none: one 404."""
    job = ExportJob.objects.filter(
        manufacturer=manufacturer, requested_by=user, public_id=public_id
    ).first()
    if job is None:
        raise Http404(_("No such export."))
    return job
