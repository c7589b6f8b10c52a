"""core.enqueue.enqueue_after_commit: after commit only, and a broker failure never escapes."""

import logging

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from core.enqueue import broker_cooldown, enqueue_after_commit


class FakeTask:
    """Records what was enqueued; raises `error` instead when one is given."""

    name = "tests.fake_task"

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.sent: list[tuple] = []

    def delay(self, *args):
        if self.error is not None:
            raise self.error
        self.sent.append(args)


def test_the_task_is_sent_after_commit_not_before(db, django_capture_on_commit_callbacks):
    task = FakeTask()

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(task, 7, "x")
        assert task.sent == []

    assert task.sent == [(7, "x")]


def test_a_rolled_back_transaction_sends_nothing(transactional_db):
    task = FakeTask()

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit(task, 1)
        raise RuntimeError

    assert task.sent == []


@pytest.mark.parametrize(
    "error",
    [OperationalError("Connection refused"), ConnectionRefusedError(), TimeoutError()],
    ids=["kombu", "refused", "timeout"],
)
def test_a_broker_failure_is_logged_and_does_not_escape(
    db, django_capture_on_commit_callbacks, caplog, error
):
    with (
        caplog.at_level(logging.WARNING, logger="core.enqueue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_after_commit(FakeTask(error), 1)

    assert "Broker unavailable: tests.fake_task(1,)" in caplog.text
    assert broker_cooldown.active()


def test_after_a_broker_failure_the_broker_is_skipped_for_the_cooldown(
    db, django_capture_on_commit_callbacks, caplog
):
    failing, healthy = FakeTask(OperationalError("Connection refused")), FakeTask()

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(failing, 1)
        enqueue_after_commit(healthy, 2)
    assert healthy.sent == [], "skipped: the broker just failed"
    assert "tests.fake_task(2,) is left to the periodic sweep" in caplog.text

    broker_cooldown.reset()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(healthy, 3)
    assert healthy.sent == [(3,)]


def test_a_bug_in_the_call_is_not_mistaken_for_the_broker(db, django_capture_on_commit_callbacks):
    with pytest.raises(TypeError), django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(FakeTask(TypeError("bad arguments")), 1)

    assert not broker_cooldown.active()
