import re
import uuid
from collections.abc import Callable
from typing import Any

import sentry_sdk
from asgiref.sync import async_to_sync
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from core.health import PortalHealthView
from core.logging import NO_VALUE, request_id_var, tenant_var

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the load balancer is kept when it looks like one; anything else (too
# long, or with characters that could forge a log line) is replaced by our own.
ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestContextMiddleware:
    """Give the request an id (the caller's X-Request-ID or a new one) and name its tenant.

    Every log line written while the request runs carries both (core.logging), and the
    response returns the id so a user's report can be matched to the logs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if ACCEPTED_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        request_id_var.set(request_id)
        tenant_var.set(NO_VALUE)
        # Lets an error in Sentry be matched to its log lines (a no-op without SENTRY_DSN).
        sentry_sdk.set_tag("request_id", request_id)
        # Not reset on the way out: Django logs a 4xx response ("Not Found: …") after the
        # middleware has returned. core.logging.forget_request_context does it when it finishes.
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        # The slug of /m/<slug>/… and /r/<id>/m/<slug>/…; the tenant views 404 a foreign one.
        slug = view_kwargs.get("manufacturer_slug")
        if slug:
            tenant_var.set(str(slug))
            sentry_sdk.set_tag("tenant", str(slug))


class HealthCheckMiddleware:
    """Answer the load balancer's probe before host checks, HTTPS redirects and sessions.

    The balancer asks by the node's address, over plain HTTP, with no cookie: the rest of
    the stack would answer it 400 (ALLOWED_HOSTS) or 301 (SECURE_SSL_REDIRECT).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.health_view = async_to_sync(PortalHealthView.as_view())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != settings.HEALTH_CHECK_PATH:
            return self.get_response(request)
        response = self.health_view(request)
        if hasattr(response, "render"):
            response.render()
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page of a logged-in user and every page reached by a
    token (a payment link, an invitation, a sign-up): no browser or proxy keeps a copy of a
    portal page, an export or a link's page after the user leaves (ASVS 8.2.1)."""

    TOKEN_PREFIXES = ("/pay/", "/invite/", "/join/", "/login/", "/password/", "/account/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(
            self.TOKEN_PREFIXES
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response
