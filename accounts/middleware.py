from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from django_scopes.state import state


class TenantScopeMiddleware:
    """Every request starts with scoping on and no tenant, so an unscoped query raises.

    A tenant view narrows the scope to its tenant. Django admin is for platform
    operators and works across tenants.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/"):
            with scopes_disabled():
                return self.get_response(request)
        # A fresh state, not a copy of the caller's: nothing outside the request leaks in.
        token = state.set({})
        try:
            with scope():
                return self.get_response(request)
        finally:
            state.reset(token)


class HtmxSessionExpiredMiddleware:
    """An htmx action whose session has expired gets 401, not the login page.

    The tenant views and `login_required` answer an anonymous request with a redirect to the
    login page; the browser follows it inside the XHR and htmx would swap the login form
    into the card, losing the action. An htmx request gets 401 instead, with the login
    address (returning to the page the user was on) in `X-Login-URL`; portal.js shows it.
    The view never ran, so nothing was changed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code in (301, 302)
            and not request.user.is_authenticated
        ):
            login = resolve_url(settings.LOGIN_URL)
            if urlsplit(response.get("Location", "")).path == login:
                return self._expired(request, login)
        return response

    @staticmethod
    def _expired(request: HttpRequest, login: str) -> HttpResponse:
        # Back to the page the action was clicked on (htmx names it), else the action's own.
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = current.path + (f"?{current.query}" if current.query else "")
        if current.netloc != request.get_host() or not back.startswith("/"):
            back = request.get_full_path()
        response = HttpResponse(
            _("Your session has expired. Log in again; nothing was changed."),
            status=401,
            content_type="text/plain; charset=utf-8",
        )
        response["X-Login-URL"] = f"{login}?{urlencode({'next': back})}"
        return response
