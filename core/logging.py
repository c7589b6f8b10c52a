"""Log lines that name their request and tenant, as JSON for the log shipper or as text."""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

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
