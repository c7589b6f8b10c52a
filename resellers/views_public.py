"""The public sign-up page behind a reseller's affiliate link: no login, no tenant in the URL.

The token identifies the link; `affiliate_link_by_token_unscoped` is the single unscoped
lookup, and everything after it runs scoped to the link's manufacturer and reseller.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope

from core.ratelimits import limited
from resellers import services
from resellers.forms import AffiliateSignupForm, SignupResendForm
from resellers.models import AffiliateLink
from resellers.selectors.affiliate_links import (
    affiliate_link_by_token_unscoped,
    affiliate_link_usable,
)


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "resellers/public/invalid.html", status=404)


def _retired(request: HttpRequest, link: AffiliateLink) -> HttpResponse:
    return render(request, "resellers/public/retired.html", {"link": link}, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
@limited(("ip", "5/h"), ("post:email", "2/h"), group="join")
def join(request: HttpRequest, token: str) -> HttpResponse:
    link = affiliate_link_by_token_unscoped(token=token)
    if link is None:
        return _invalid(request)
    if not affiliate_link_usable(link):
        return _retired(request, link)
    reseller = link.partnership.reseller
    with scope(manufacturer=link.manufacturer, reseller=reseller):
        form = AffiliateSignupForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "consent"}
            try:
                services.affiliate_signup_request(link=link, **data)
            except services.AffiliateLinkRefused:
                return _retired(request, link)
            return redirect("resellers_public:thanks", token=token)
        context = {"form": form, "link": link, "reseller": reseller}
        return render(request, "resellers/public/join.html", context)


@never_cache
@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    """ "Check your email": the same page whoever signed up (it reveals no customer)."""
    link = affiliate_link_by_token_unscoped(token=token)
    if link is None:
        return _invalid(request)
    context = {"link": link, "reseller": link.partnership.reseller, "form": SignupResendForm()}
    return render(request, "resellers/public/thanks.html", context)


@never_cache
@require_POST
@limited(("ip", "10/h"), ("post:email", "3/h"), group="join-resend")
def resend(request: HttpRequest, token: str) -> HttpResponse:
    link = affiliate_link_by_token_unscoped(token=token)
    if link is None:
        return _invalid(request)
    if not affiliate_link_usable(link):
        return _retired(request, link)
    form = SignupResendForm(request.POST)
    reseller = link.partnership.reseller
    if not form.is_valid():
        context = {"link": link, "reseller": reseller, "form": form}
        return render(request, "resellers/public/thanks.html", context, status=400)
    with scope(manufacturer=link.manufacturer, reseller=reseller):
        services.affiliate_signup_resend(link=link, email=form.cleaned_data["email"])
    context = {"link": link, "reseller": reseller, "form": SignupResendForm(), "resent": True}
    return render(request, "resellers/public/thanks.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@limited(("ip", "30/h"), group="join-confirm")
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a mail scanner that opens links confirms nothing); POST confirms."""
    try:
        signup = services.affiliate_signup_by_token_unscoped(token)
    except services.SignupTokenExpired:
        return render(request, "resellers/public/confirm_invalid.html", {"expired": True},
                      status=410)  # fmt: skip
    except services.SignupTokenInvalid:
        return render(request, "resellers/public/confirm_invalid.html", status=404)
    link = signup.link
    reseller = link.partnership.reseller
    context: dict[str, object] = {"signup": signup, "link": link, "reseller": reseller}
    if request.method == "POST":
        with scope(manufacturer=link.manufacturer, reseller=reseller):
            try:
                services.affiliate_signup_confirm(signup=signup)
            except services.AffiliateLinkRefused:
                return _retired(request, link)
        context["confirmed"] = True
    elif signup.confirmed_at is not None:
        context["confirmed"] = True
    return render(request, "resellers/public/confirm.html", context)
