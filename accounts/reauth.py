"""Re-authentication before sensitive actions (GitHub's "sudo mode").

`@recent_auth_required` lets a view run only when the user typed their password or a code
within `REAUTH_MAX_AGE` seconds (a login counts); otherwise the user is sent to confirm it
and brought back. `two_factor=True` also requires the user to have two-factor login set up:
approving and paying payouts and managing API keys use that form (ASVS: whoever moves money
or hands out credentials has a second factor). `methods=("POST",)` guards only the change,
for a page whose reading needs nothing more (a payout batch is read, then marked paid).

Apply it inside the tenant decorator, so a foreign tenant still answers 404 first:

    @manufacturer_view(roles=STAFF_ROLES)
    @recent_auth_required(two_factor=True)
    def payout_approve(request, ...): ...
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, overload
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.sessions import REAUTH_AT_KEY, now_ts
from accounts.two_factor import two_factor_enabled

View = Callable[..., HttpResponseBase]


def auth_is_recent(request: HttpRequest) -> bool:
    stamp = int(request.session.get(REAUTH_AT_KEY, 0))
    return now_ts() - stamp <= int(settings.REAUTH_MAX_AGE)


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTH_AT_KEY] = now_ts()


def _same_site_path(request: HttpRequest, url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.get_host():
        return None
    return urlunsplit(("", "", parts.path, parts.query, "")) or None


def _back_to(request: HttpRequest) -> str:
    # A POST cannot be replayed after the detour: come back to the page it was sent from
    # (htmx names it; a plain form's Referer does), never to a URL that answers only POST.
    if request.method == "GET":
        return request.get_full_path()
    return (
        _same_site_path(request, request.headers.get("HX-Current-URL"))
        or _same_site_path(request, request.headers.get("Referer"))
        or request.get_full_path()
    )


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


@overload
def recent_auth_required(
    view: View, *, two_factor: bool = False, methods: tuple[str, ...] | None = None
) -> View: ...
@overload
def recent_auth_required(
    view: None = None, *, two_factor: bool = False, methods: tuple[str, ...] | None = None
) -> Callable[[View], View]: ...
def recent_auth_required(
    view: View | None = None,
    *,
    two_factor: bool = False,
    methods: tuple[str, ...] | None = None,
) -> View | Callable[[View], View]:
    def decorator(view_func: View) -> View:
        @wraps(view_func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if methods is not None and request.method not in methods:
                return view_func(request, *args, **kwargs)
            user = request.user
            if two_factor and not two_factor_enabled(user):  # type: ignore[arg-type]
                messages.warning(request, _("This action needs two-factor login: set it up first."))
                query = urlencode({"next": _back_to(request)})
                return _redirect(request, f"{reverse('accounts_public:two_factor_setup')}?{query}")
            if not auth_is_recent(request):
                query = urlencode({"next": _back_to(request)})
                return _redirect(request, f"{reverse('accounts_public:reauth')}?{query}")
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
