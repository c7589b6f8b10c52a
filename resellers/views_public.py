"""The public sign-up page behind a reseller's affiliate link: no login, no tenant in the URL.

The token identifies the link; `affiliate_link_by_token_unscoped` is the single unscoped
lookup, and everything after it runs scoped to the link's manufacturer and reseller.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_scopes import scope

from core.ratelimits import limited
from resellers import services
from resellers.forms import AffiliateSignupForm
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
                services.affiliate_signup(link=link, **data)
            except services.AffiliateLinkRefused:
                return _retired(request, link)
            return redirect("resellers_public:thanks", token=token)
        context = {"form": form, "link": link, "reseller": reseller}
        return render(request, "resellers/public/join.html", context)


@never_cache
@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = affiliate_link_by_token_unscoped(token=token)
    if link is None:
        return _invalid(request)
    context = {"link": link, "reseller": link.partnership.reseller}
    return render(request, "resellers/public/thanks.html", context)
