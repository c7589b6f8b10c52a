"""The outbox through a real broker: Redis and a Celery worker in its own process.

Skipped where redis-server is missing, except on CI (CI=true), where that is a failure.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, transaction

from notifications.models import OutboxEmail, OutboxStatus
from notifications.services import email_enqueue

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
DELIVERY_TIMEOUT_SECONDS = 30
WORKER_START_TIMEOUT_SECONDS = 60


def database_url() -> str:
    """The test database Django is using right now, for the worker."""
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}"
        f"/{settings['NAME']}"
    )


def celery_command() -> list[str]:
    program = Path(sys.executable).parent / "celery"
    base = [str(program)] if program.exists() else [sys.executable, "-m", "celery"]
    return [
        *base,
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        "celery",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def wait_until_ready(worker: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT_SECONDS
    while "ready." not in log_path.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()}")
        time.sleep(0.1)


@pytest.fixture
def celery_worker(celery_broker_url, transactional_db, tmp_path) -> Iterator[Path]:
    """A real worker on the test database and the test Redis; yields its log file."""
    from config.celery_app import app

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "EMAIL_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": celery_broker_url,
            "CELERY_BROKER_URL": celery_broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "DATA_DIR": str(tmp_path),
            "PYTHONUNBUFFERED": "1",
        }
    )
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen(  # noqa: S603 - fixed arguments
        celery_command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    app.conf.task_always_eager = False
    try:
        wait_until_ready(worker, log_path)
        yield log_path
    finally:
        app.conf.task_always_eager = True
        worker.terminate()  # warm shutdown: finishes the task, closes its connections
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()


def test_outbox_email_is_delivered_by_a_real_worker(celery_worker):
    assert not connection.in_atomic_block, (
        "A transaction is still open from an earlier test: nothing here would be committed."
    )
    with transaction.atomic():
        email = email_enqueue(
            recipient="partner@example.test",
            subject="Delivered through Redis",
            body="Sent by a Celery worker in its own process.",
            kind="integration",
        )

    deadline = time.monotonic() + DELIVERY_TIMEOUT_SECONDS
    status = OutboxStatus.PENDING
    while time.monotonic() < deadline:
        status = OutboxEmail.objects.values_list("status", flat=True).get(pk=email.pk)
        if status != OutboxStatus.PENDING:
            break
        time.sleep(0.2)

    log = celery_worker.read_text()
    assert status == OutboxStatus.SENT, f"The worker did not deliver in time; its log:\n{log}"
    email.refresh_from_db()
    assert email.attempts == 1
