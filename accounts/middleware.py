from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from django_scopes.state import state

from accounts import audit, i18n, sessions, two_factor
from accounts.models import AuditAction
from core.client_ip import client_ip


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


class SessionPolicyMiddleware:
    """Idle and absolute session limits, and two-factor login where it is required.

    - A session idle for SESSION_IDLE_TIMEOUT or older than SESSION_COOKIE_AGE ends: the
      user is logged out and sent to the login page.
    - A user who must have two-factor login (accounts.two_factor.two_factor_required) and
      has none can only reach its setup page; a session of a user who has a second factor
      but did not use it (one opened before it was set up) ends. What the check finds is
      kept in the session (accounts.two_factor.STATE_RECHECK), so a page costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _exempt(self, path: str) -> bool:
        return path.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/logout/"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._exempt(request.path):
            return self.get_response(request)
        if sessions.session_expired(request):
            key = request.session.session_key
            logout(request)
            sessions.session_forget(key)
            messages.info(request, _("You were logged out after a while without activity."))
            return self._go(request, redirect_to_login(request.get_full_path()))
        sessions.session_touch(request)
        state = self._two_factor_state(request, user)
        if state == "verify":
            key = request.session.session_key
            logout(request)
            sessions.session_forget(key)
            messages.info(request, _("Log in again with your authenticator code."))
            return self._go(request, redirect_to_login(request.get_full_path()))
        setup = reverse("accounts_public:two_factor_setup")
        if state == "enrol" and request.path != setup:
            query = urlencode({"next": request.get_full_path()})
            response = HttpResponseRedirect(f"{setup}?{query}")
            return self._go(request, response)
        return self.get_response(request)

    def _two_factor_state(self, request: HttpRequest, user: Any) -> str:
        if getattr(user, "otp_device", None) is not None:
            return "ok"
        return two_factor.session_two_factor_state(request.session, user)

    @staticmethod
    def _go(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "htmx", False):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class AuditContextMiddleware:
    """Gives the audit log the client's address for whatever the request records, and records
    every CSV a logged-in member downloads (an export, ASVS 7.1)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = audit.current_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if (
                user is not None
                and user.is_authenticated
                and response.get("Content-Type", "").startswith("text/csv")
            ):
                audit.audit_record(
                    action=AuditAction.EXPORT,
                    actor=user,
                    manufacturer=getattr(request, "tenant", None),
                    target=request.get_full_path(),
                )
            return response
        finally:
            audit.current_ip.reset(token)


class UserLocaleMiddleware:
    """Activate the language, formats and time zone of whoever is asking.

    A logged-in user reads in their own (accounts.i18n.user_locale; their first login gave
    them the browser's). A visitor reads in the language picked in the
    top bar, else the browser's. `?lang=<code>` shows one page in another of the portal's
    languages; an unknown code, like a malformed Accept-Language header, is ignored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = ""
        if user is not None and user.is_authenticated:
            # A user with no language yet (one from before languages) reads the visitor's.
            code, zone = i18n.user_locale(user)
            if not user.language:
                code = i18n.user_language_code(*i18n.language_from_request(request))
        else:
            code = i18n.user_language_code(*i18n.language_from_request(request))
        asked = i18n.supported_language(request.GET.get(i18n.LANGUAGE_QUERY_PARAMETER))
        if asked and asked != i18n.base_language(code):
            code = asked
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        if zone:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
