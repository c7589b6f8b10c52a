"""Enqueue a Celery task after the transaction commits, without ever failing the request."""

import functools
import logging
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.cooldown import Cooldown

logger = logging.getLogger(__name__)

# A broker that refuses, resets or does not answer; kombu wraps most of these in
# OperationalError, the rest arrive as they are.
BROKER_UNAVAILABLE = (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)

broker_cooldown = Cooldown(getattr(settings, "BROKER_FAILURE_COOLDOWN", 10.0))


def enqueue_after_commit(task: "Task[Any, Any]", *args: Any) -> None:
    """Send `task(*args)` to the broker once the caller's transaction has committed.

    The task must be one whose work a periodic sweep also finds (the outbox's flush):
    when the broker is down or hung the call is logged and dropped, the request goes on,
    and the sweep delivers later. After a failure the broker is left alone for
    BROKER_FAILURE_COOLDOWN seconds, so a refusing broker costs one timeout, not one per task.
    """
    transaction.on_commit(functools.partial(_enqueue, task, args))


def _enqueue(task: "Task[Any, Any]", args: tuple[Any, ...]) -> None:
    if broker_cooldown.active():
        logger.warning(
            "Broker skipped during its cooldown: %s%r is left to the periodic sweep",
            task.name,
            args,
        )
        return
    try:
        task.delay(*args)
    except BROKER_UNAVAILABLE:
        broker_cooldown.start()
        logger.warning(
            "Broker unavailable: %s%r is left to the periodic sweep; broker skipped for %gs",
            task.name,
            args,
            broker_cooldown.seconds,
            exc_info=True,
        )
