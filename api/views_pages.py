"""The API keys pages: /m/<slug>/api-keys/ and /r/<reseller ID>/api-keys/.

Any member makes keys that act as themselves, with their role; owners see and revoke every
key of the tenant. The secret is on the page once, in the answer to the POST that made it.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import STAFF_ROLES
from accounts.reauth import recent_auth_required
from accounts.tenancy import ManufacturerRequest, ResellerRequest, manufacturer_view, reseller_view
from api.forms import ApiKeyForm, WebhookEndpointForm
from api.selectors import (
    access_api_key,
    access_reseller_api_key,
    api_keys_visible_to,
    reseller_api_keys,
)
from api.services import ApiKeyRefused, api_key_create, api_key_revoke, reseller_api_key_create
from api.webhooks import (
    WebhookRefused,
    access_delivery,
    access_webhook_endpoint,
    endpoint_deliveries,
    webhook_delivery_resend,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_set_active,
    webhook_endpoints,
)
from core.listing import paginate


@manufacturer_view
@recent_auth_required(two_factor=True)
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
@recent_auth_required(two_factor=True)
@require_http_methods(["GET", "POST"])
def key_revoke(request: ManufacturerRequest, key_id: int) -> HttpResponse:
    key = access_api_key(manufacturer=request.tenant, membership=request.membership, key_id=key_id)
    if request.method == "POST":
        api_key_revoke(key=key, by=request.user)
        messages.success(request, _("API key “%(name)s” revoked.") % {"name": key.name})
        return redirect("api_manufacturer:keys", manufacturer_slug=request.tenant.slug)
    return render(request, "api/key_revoke.html", {"key": key, "portal": "manufacturer"})


@reseller_view
@recent_auth_required(two_factor=True)
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
@recent_auth_required(two_factor=True)
@require_http_methods(["GET", "POST"])
def reseller_key_revoke(request: ResellerRequest, reseller_key_id: int) -> HttpResponse:
    key = access_reseller_api_key(reseller=request.reseller, key_id=reseller_key_id)
    if request.method == "POST":
        api_key_revoke(key=key, by=request.user)
        messages.success(request, _("API key “%(name)s” revoked.") % {"name": key.name})
        return redirect("api_reseller:keys", reseller_public_id=request.reseller.public_id)
    return render(request, "api/key_revoke.html", {"key": key, "portal": "reseller"})


# --- webhooks (owners and managers) ---------------------------------------------------------


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def webhooks(request: ManufacturerRequest) -> HttpResponse:
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhook_endpoint_create(
                manufacturer=request.tenant,
                created_by=request.user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except WebhookRefused as refused:
            form.add_error("url", refused.user_message)
        else:
            messages.success(request, _("Webhook endpoint added."))
            return redirect(
                "api_manufacturer:webhook",
                manufacturer_slug=request.tenant.slug,
                endpoint_id=endpoint.pk,
            )
    context = {
        "form": form,
        "page_obj": paginate(request, webhook_endpoints(manufacturer=request.tenant)),
    }
    return render(request, "api/webhooks.html", context, status=400 if form.errors else 200)


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def webhook(request: ManufacturerRequest, endpoint_id: int) -> HttpResponse:
    endpoint = access_webhook_endpoint(manufacturer=request.tenant, endpoint_id=endpoint_id)
    context = {
        "endpoint": endpoint,
        "page_obj": paginate(request, endpoint_deliveries(endpoint=endpoint)),
    }
    return render(request, "api/webhook.html", context)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def webhook_toggle(request: ManufacturerRequest, endpoint_id: int) -> HttpResponse:
    endpoint = access_webhook_endpoint(manufacturer=request.tenant, endpoint_id=endpoint_id)
    webhook_endpoint_set_active(endpoint=endpoint, active=not endpoint.is_active)
    messages.success(
        request, _("Endpoint turned on.") if endpoint.is_active else _("Endpoint paused.")
    )
    return redirect(
        "api_manufacturer:webhook", manufacturer_slug=request.tenant.slug, endpoint_id=endpoint.pk
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def webhook_delete(request: ManufacturerRequest, endpoint_id: int) -> HttpResponse:
    endpoint = access_webhook_endpoint(manufacturer=request.tenant, endpoint_id=endpoint_id)
    if request.method == "POST":
        webhook_endpoint_delete(endpoint=endpoint)
        messages.success(request, _("Webhook endpoint deleted."))
        return redirect("api_manufacturer:webhooks", manufacturer_slug=request.tenant.slug)
    return render(request, "api/webhook_delete.html", {"endpoint": endpoint})


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def webhook_resend(
    request: ManufacturerRequest, endpoint_id: int, delivery_id: int
) -> HttpResponse:
    endpoint = access_webhook_endpoint(manufacturer=request.tenant, endpoint_id=endpoint_id)
    delivery = access_delivery(endpoint=endpoint, delivery_id=delivery_id)
    webhook_delivery_resend(delivery=delivery)
    messages.success(request, _("The event is being sent again."))
    return redirect(
        "api_manufacturer:webhook", manufacturer_slug=request.tenant.slug, endpoint_id=endpoint.pk
    )
