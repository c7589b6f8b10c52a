from celery import shared_task

from accounts.exports import export_job_run, export_jobs_sweep


@shared_task(acks_late=True)
def export_job_run_task(job_id: int) -> bool:
    return export_job_run(job_id=job_id)


@shared_task
def export_jobs_sweep_task() -> int:
    """Periodic: start again the exports whose task was lost or whose worker died."""
    return export_jobs_sweep()
