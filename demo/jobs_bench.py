"""The periodic jobs' figure for `benchmark_pages --jobs`: each task of the beat schedule
run once over the whole database, timed with its query count, in a transaction that is
rolled back (so the run leaves nothing behind and can be repeated at another size)."""

import time
from dataclasses import dataclass
from importlib import import_module
from typing import Protocol

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings


class _Out(Protocol):
    def write(self, text: str) -> object: ...


@dataclass(frozen=True)
class JobFigure:
    name: str
    task: str
    seconds: float
    queries: int
    result: object


def _task(dotted: str) -> object:
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


def time_beat_jobs() -> list[JobFigure]:
    """Every beat task, in schedule order, each in its own rolled-back transaction. Emails go
    to locmem and tasks enqueued after commit never leave (the transaction does not commit)."""
    figures = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        dotted = str(entry["task"])
        task = _task(dotted)
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                try:
                    result = task.run()  # type: ignore[attr-defined]
                except Exception as error:  # a figure to print, not a reason to stop
                    result = f"failed: {type(error).__name__}: {error}"[:120]
                seconds = time.perf_counter() - started
            mail.outbox = []
            transaction.set_rollback(True)
        figures.append(JobFigure(name, dotted, seconds, len(captured), result))
    return figures


def report_beat_jobs(out: _Out, figures: list[JobFigure]) -> None:
    out.write(f"{'periodic job':<28} {'seconds':>8} {'queries':>8}  result\n")
    for figure in figures:
        out.write(
            f"{figure.name:<28} {figure.seconds:>8.2f} {figure.queries:>8}  {figure.result!r}\n"
        )
