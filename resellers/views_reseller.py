"""Reseller dashboard pages of the resellers app: end customers and affiliate links."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.tenancy import (
    ResellerPartnerRequest,
    ResellerRequest,
    reseller_partner_view,
    reseller_view,
)
from channel.models import EndCustomer
from core.listing import apply_sort, csv_response, paginate, search_query
from resellers import services
from resellers.forms import EndCustomerForm, InteractionForm
from resellers.selectors.affiliate_links import (
    affiliate_link_active,
    affiliate_links_retired,
    affiliate_signup_count,
)
from resellers.selectors.end_customers import (
    END_CUSTOMER_SORTS,
    access_end_customer,
    end_customer_interactions,
    end_customer_list,
    end_customer_orders,
)

# --- end customers -------------------------------------------------------------------------


@reseller_view
@require_GET
def customer_list(request: ResellerRequest) -> HttpResponseBase:
    query = search_query(request)
    customers = end_customer_list(reseller=request.reseller, query=query)
    customers, sort = apply_sort(request, customers, END_CUSTOMER_SORTS, "name")
    if request.GET.get("format") == "csv":
        return csv_response(
            filename="customers",
            header=[
                _("Name"),
                _("Company"),
                _("Email"),
                _("Phone"),
                _("Street"),
                _("Postal code"),
                _("City"),
                _("Country"),
                _("Orders"),
                _("Last order"),
                _("Customer since"),
            ],
            rows=(
                [
                    c.name,
                    c.company,
                    c.email,
                    c.phone,
                    c.street,
                    c.postal_code,
                    c.city,
                    c.country,
                    c.order_count,
                    c.last_order_at.date().isoformat() if c.last_order_at else "",
                    c.created_at.date().isoformat(),
                ]
                for c in customers.iterator()
            ),
        )
    page_obj = paginate(request, customers)
    context = {"page_obj": page_obj, "query": query, "sort": sort, "hx_target": "#customer-table"}
    template = "resellers/customers/list.html"
    if request.htmx:
        template += "#customer-table"
    return render(request, template, context)


@reseller_view
@require_http_methods(["GET", "POST"])
def customer_create(request: ResellerRequest) -> HttpResponse:
    form = EndCustomerForm(request.POST or None, reseller=request.reseller)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.end_customer_create(reseller=request.reseller, **form.cleaned_data)
        except services.EndCustomerRefused as refusal:
            form.add_error("email", refusal.user_message)
        else:
            messages.success(request, _("Customer %(name)s added.") % {"name": customer.name})
            return redirect(
                "resellers_reseller:detail",
                reseller_public_id=request.reseller.public_id,
                customer_id=customer.pk,
            )
    return render(request, "resellers/customers/form.html", {"form": form, "customer": None})


@reseller_view
@require_GET
def customer_detail(request: ResellerRequest, customer_id: int) -> HttpResponse:
    customer = access_end_customer(reseller=request.reseller, customer_id=customer_id)
    return _render_detail(request, customer, InteractionForm())


def _render_detail(
    request: ResellerRequest,
    customer: EndCustomer,
    interaction_form: InteractionForm,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "customer": customer,
        "orders": end_customer_orders(customer=customer)[:100],
        "interactions": end_customer_interactions(customer=customer),
        "interaction_form": interaction_form,
    }
    return render(request, "resellers/customers/detail.html", context, status=status)


@reseller_view
@require_http_methods(["GET", "POST"])
def customer_edit(request: ResellerRequest, customer_id: int) -> HttpResponse:
    customer = access_end_customer(reseller=request.reseller, customer_id=customer_id)
    form = EndCustomerForm(request.POST or None, instance=customer, reseller=request.reseller)
    if request.method == "POST" and form.is_valid():
        # form.is_valid() wrote the values onto `customer`; reload it, the service saves.
        changes = {name: form.cleaned_data[name] for name in services.END_CUSTOMER_FIELDS}
        fresh = access_end_customer(reseller=request.reseller, customer_id=customer_id)
        try:
            services.end_customer_update(customer=fresh, **changes)
        except services.EndCustomerRefused as refusal:
            form.add_error("email", refusal.user_message)
        else:
            messages.success(request, _("Customer details saved."))
            return redirect(
                "resellers_reseller:detail",
                reseller_public_id=request.reseller.public_id,
                customer_id=customer_id,
            )
    return render(
        request, "resellers/customers/form.html", {"form": form, "customer": form.instance}
    )


@reseller_view
@require_POST
def customer_interaction_add(request: ResellerRequest, customer_id: int) -> HttpResponse:
    customer = access_end_customer(reseller=request.reseller, customer_id=customer_id)
    form = InteractionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, customer, form, status=400)
    try:
        services.interaction_add(customer=customer, author=request.user, **form.cleaned_data)
    except services.InteractionRefused as refusal:
        form.add_error("body", refusal.user_message)
        return _render_detail(request, customer, form, status=400)
    messages.success(request, _("Interaction logged."))
    return redirect(
        reverse(
            "resellers_reseller:detail",
            kwargs={"reseller_public_id": request.reseller.public_id, "customer_id": customer.pk},
        )
        + "#interactions"
    )


# --- affiliate link (one manufacturer) -----------------------------------------------------


def _affiliate_redirect(request: ResellerPartnerRequest) -> HttpResponse:
    return redirect(
        "resellers_reseller:affiliate_detail",
        reseller_public_id=request.reseller.public_id,
        manufacturer_slug=request.tenant.slug,
    )


@reseller_partner_view
@require_GET
def affiliate_detail(request: ResellerPartnerRequest) -> HttpResponse:
    partnership = request.partnership
    link = affiliate_link_active(partnership=partnership)
    join_url = (
        request.build_absolute_uri(reverse("resellers_public:join", kwargs={"token": link.token}))
        if link
        else ""
    )
    context = {
        "link": link,
        "join_url": join_url,
        "signup_count": affiliate_signup_count(partnership=partnership),
        "retired_links": affiliate_links_retired(partnership=partnership)[:10],
        "can_create": partnership.is_active,
    }
    return render(request, "resellers/affiliate/detail.html", context)


@reseller_partner_view
@require_POST
def affiliate_create(request: ResellerPartnerRequest) -> HttpResponse:
    try:
        services.affiliate_link_get_or_create(partnership=request.partnership)
    except services.AffiliateLinkRefused as refusal:
        messages.error(request, refusal.user_message)
    else:
        messages.success(request, _("Your sign-up link is ready to share."))
    return _affiliate_redirect(request)


@reseller_partner_view
@require_POST
def affiliate_rotate(request: ResellerPartnerRequest) -> HttpResponse:
    """Retire the current link (it will say so when opened) and make a new one."""
    replace = request.partnership.is_active
    services.affiliate_link_retire(partnership=request.partnership, replace=replace)
    if replace:
        messages.success(request, _("The old link was retired; share the new one below."))
    else:
        messages.success(request, _("The link was retired."))
    return _affiliate_redirect(request)
