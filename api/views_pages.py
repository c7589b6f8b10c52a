"""The API keys pages: /m/<slug>/api-keys/ and /r/<reseller ID>/api-keys/.

Any member makes keys that act as themselves, with their role; owners see and revoke every
key of the tenant. The secret is on the page once, in the answer to the POST that made it.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.tenancy import ManufacturerRequest, ResellerRequest, manufacturer_view, reseller_view
from api.forms import ApiKeyForm
from api.selectors import (
    access_api_key,
    access_reseller_api_key,
    api_keys_visible_to,
    reseller_api_keys,
)
from api.services import ApiKeyRefused, api_key_create, api_key_revoke, reseller_api_key_create
from core.listing import paginate


@manufacturer_view
@require_http_methods(["GET", "POST"])
def keys(request: ManufacturerRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            key, secret = api_key_create(
                manufacturer=request.tenant,
                membership=request.membership,
                name=form.cleaned_data["name"],
                access=form.cleaned_data["access"],
                expires_at=form.expires_at(),
            )
        except ApiKeyRefused as refused:
            form.add_error(None, refused.user_message)
        else:
            form = ApiKeyForm()
            messages.success(request, _("API key “%(name)s” created.") % {"name": key.name})
    rows = api_keys_visible_to(manufacturer=request.tenant, membership=request.membership)
    context = {
        "form": form,
        "secret": secret,
        "page_obj": paginate(request, rows),
        "portal": "manufacturer",
        "show_maker": request.membership.role == "owner",
    }
    return render(request, "api/keys.html", context, status=400 if form.errors else 200)


@manufacturer_view
@require_http_methods(["GET", "POST"])
def key_revoke(request: ManufacturerRequest, key_id: int) -> HttpResponse:
    key = access_api_key(manufacturer=request.tenant, membership=request.membership, key_id=key_id)
    if request.method == "POST":
        api_key_revoke(key=key, by=request.user)
        messages.success(request, _("API key “%(name)s” revoked.") % {"name": key.name})
        return redirect("api_manufacturer:keys", manufacturer_slug=request.tenant.slug)
    return render(request, "api/key_revoke.html", {"key": key, "portal": "manufacturer"})


@reseller_view
@require_http_methods(["GET", "POST"])
def reseller_keys(request: ResellerRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            key, secret = reseller_api_key_create(
                reseller=request.reseller,
                user=request.user,
                name=form.cleaned_data["name"],
                access=form.cleaned_data["access"],
                expires_at=form.expires_at(),
            )
        except ApiKeyRefused as refused:
            form.add_error(None, refused.user_message)
        else:
            form = ApiKeyForm()
            messages.success(request, _("API key “%(name)s” created.") % {"name": key.name})
    context = {
        "form": form,
        "secret": secret,
        "page_obj": paginate(request, reseller_api_keys(reseller=request.reseller)),
        "portal": "reseller",
        "show_maker": True,
    }
    return render(request, "api/keys.html", context, status=400 if form.errors else 200)


@reseller_view
@require_http_methods(["GET", "POST"])
def reseller_key_revoke(request: ResellerRequest, reseller_key_id: int) -> HttpResponse:
    key = access_reseller_api_key(reseller=request.reseller, key_id=reseller_key_id)
    if request.method == "POST":
        api_key_revoke(key=key, by=request.user)
        messages.success(request, _("API key “%(name)s” revoked.") % {"name": key.name})
        return redirect("api_reseller:keys", reseller_public_id=request.reseller.public_id)
    return render(request, "api/key_revoke.html", {"key": key, "portal": "reseller"})
