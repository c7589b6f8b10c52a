"""The load balancer's health endpoint (django-health-check), served by core.middleware."""

import dataclasses
import datetime
from typing import Any, ClassVar

from celery import current_app
from django.http import HttpRequest, HttpResponse
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

# Each check gives up after its timeout (plus django-health-check's one second of grace).
CHECK_TIMEOUT = datetime.timedelta(seconds=2)


@dataclasses.dataclass
class Broker(HealthCheck):
    """Open a connection to the Celery broker: one attempt, bounded by the broker timeouts."""

    timeout: datetime.timedelta = dataclasses.field(default=CHECK_TIMEOUT, repr=False)

    def run(self) -> None:
        try:
            with current_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=0)
        except Exception as error:  # kombu, redis and socket errors alike mean "down"
            raise ServiceUnavailable("Broker unreachable") from error


class Database(checks.Database):
    timeout = CHECK_TIMEOUT


class PortalHealthView(HealthCheckView):
    """Database, cache and broker, each reported; only the database decides the status.

    A node without its database cannot serve a page, so it answers 500 and leaves the pool.
    Redis is shared by every node and the portal works without it (core.cache,
    core.enqueue): failing the check for it would take every node out at once, the outage
    this endpoint exists to prevent. Its state is in the body for monitoring to alert on.
    """

    checks = (
        Database,
        (checks.Cache, {"timeout": CHECK_TIMEOUT}),
        Broker,
    )
    critical: ClassVar[tuple[type[HealthCheck], ...]] = (Database,)

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = await super().get(request, *args, **kwargs)
        critical_failed = any(
            result.error for result in self.results if isinstance(result.check, self.critical)
        )
        if response.status_code == 500 and not critical_failed:
            response.status_code = 200
        return response
