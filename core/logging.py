"""Log lines that name their request and tenant, as JSON for the log shipper or as text."""

import json
import logging
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

NO_VALUE = "-"

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_VALUE)
tenant_var: ContextVar[str] = ContextVar("tenant", default=NO_VALUE)


class RequestContextFilter(logging.Filter):
    """Give every record `request_id` and `tenant` (the manufacturer's slug), `-` outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.tenant = tenant_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, tenant, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_VALUE),
            "tenant": getattr(record, "tenant", NO_VALUE),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def forget_request_context(**kwargs: object) -> None:
    """On request_finished: what is logged between two requests belongs to neither."""
    request_id_var.set(NO_VALUE)
    tenant_var.set(NO_VALUE)


# A task enqueued during a request logs under that request's id and tenant: the ids travel
# as message headers (before_task_publish) and the worker adopts them while the task runs.
# A task run inline (no broker) has no such headers and keeps its caller's context.
_adopted: dict[str, tuple[Token[str], Token[str]]] = {}


def carry_request_context(headers: dict[str, object] | None = None, **kwargs: object) -> None:
    if headers is not None:
        headers.setdefault("request_id", request_id_var.get())
        headers.setdefault("tenant", tenant_var.get())


def adopt_request_context(task_id: str = "", task: Any = None, **kwargs: object) -> None:
    request = getattr(task, "request", None)
    request_id = getattr(request, "request_id", None)
    if not request_id:
        return
    _adopted[task_id] = (
        request_id_var.set(str(request_id)),
        tenant_var.set(str(getattr(request, "tenant", None) or NO_VALUE)),
    )


def release_request_context(task_id: str = "", **kwargs: object) -> None:
    tokens = _adopted.pop(task_id, None)
    if tokens is not None:
        request_id_var.reset(tokens[0])
        tenant_var.reset(tokens[1])
