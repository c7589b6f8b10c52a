"""The manufacturer's reseller directory, reseller profiles and partnership actions.

Every member reads; a seller sees only the customers in their portfolio (others are 404)
and may edit their conditions and business data. Partnering and status changes are for
owners and managers (sellers get 403).
"""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_export_response
from accounts.models import STAFF_ROLES
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from channel import selectors as channel_selectors
from channel import services as channel_services
from channel.models import Partnership, PartnershipStatus
from channel.services import PartnershipRefused
from core.listing import apply_sort, paginate
from resellers import directory
from resellers.exports import DIRECTORY_EXPORT
from resellers.forms_manufacturer import (
    ConditionsForm,
    DirectoryFilterForm,
    PartnerExistingForm,
    PartnershipStatusForm,
    ResellerDetailsForm,
    StatisticsPeriodForm,
)
from resellers.statistics import partnership_statistics

if TYPE_CHECKING:
    pass


def _profile_url(request: ManufacturerRequest, partnership: Partnership) -> str:
    return reverse(
        "resellers_manufacturer:profile",
        kwargs={
            "manufacturer_slug": request.tenant.slug,
            "public_id": partnership.reseller.public_id,
        },
    )


def _access(request: ManufacturerRequest, public_id: str) -> Partnership:
    return channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )


def _url_exists(name: str, **kwargs: object) -> bool:
    try:
        reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return False
    return True


# --- directory ------------------------------------------------------------------------------


@manufacturer_view
@require_GET
def directory_list(request: ManufacturerRequest) -> HttpResponseBase:
    if request.GET.get("format") == "csv":
        return csv_export_response(request, DIRECTORY_EXPORT)
    rep_choices = (
        directory.sales_rep_choices(manufacturer=request.tenant)
        if request.membership.is_staff_role
        else None
    )
    filter_form = DirectoryFilterForm(request.GET, rep_choices=rep_choices)
    filters = filter_form.filters()
    rows = directory.directory_rows(
        manufacturer=request.tenant, membership=request.membership, filters=filters
    )
    rows, sort = apply_sort(
        request, rows, directory.DIRECTORY_SORTS, default=directory.DEFAULT_SORT
    )
    context = {
        "filter_form": filter_form,
        "page_obj": paginate(request, rows),
        "sort": sort,
        "days": filters.days,
        "filtered": filters.narrows,
        "show_tier": False,  # a column appears once the partners app has tiers
    }
    template = "resellers/manufacturer/directory.html"
    if request.htmx:
        template += "#reseller-table"
    return render(request, template, context)


# --- partnering -----------------------------------------------------------------------------


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def partner_add(request: ManufacturerRequest) -> HttpResponse:
    """Partner with an existing reseller by its ID, or create a new reseller."""
    action = request.POST.get("action") if request.method == "POST" else None
    existing_form = PartnerExistingForm(
        request.POST if action == "existing" else None,
        manufacturer=request.tenant,
        prefix="existing",
    )
    new_form = ResellerDetailsForm(request.POST if action == "new" else None, prefix="new")
    partnership = None
    if action == "existing" and existing_form.is_valid():
        try:
            partnership = channel_services.partnership_add_existing(
                manufacturer=request.tenant, public_id=existing_form.cleaned_data["public_id"]
            )
        except PartnershipRefused as error:
            existing_form.add_error("public_id", error.messages)
    elif action == "new" and new_form.is_valid():
        partnership = channel_services.reseller_onboard(
            manufacturer=request.tenant, **new_form.cleaned_data
        )
    if partnership is not None:
        messages.success(
            request,
            _("You are now partnered with %(name)s (%(id)s).")
            % {"name": partnership.reseller.name, "id": partnership.reseller.public_id},
        )
        return redirect(_profile_url(request, partnership))
    return render(
        request,
        "resellers/manufacturer/partner_add.html",
        {"existing_form": existing_form, "new_form": new_form, "action": action},
    )


# --- profile --------------------------------------------------------------------------------


@manufacturer_view
@require_GET
def profile(request: ManufacturerRequest, public_id: str) -> HttpResponse:
    partnership = _access(request, public_id)
    period_form = StatisticsPeriodForm(request.GET)
    period, granularity = period_form.period()
    statistics = partnership_statistics(
        partnership=partnership, period=period, granularity=granularity
    )
    chart = statistics.chart_data(
        labels={"sales": _("Sales"), "previous": _("Previous period"), "orders": _("Orders")}
    )
    context = {
        "partnership": partnership,
        "reseller": partnership.reseller,
        "period_form": period_form,
        "stats": statistics,
        "chart": chart,
        "orders_page": paginate(request, directory.partnership_orders(partnership=partnership)),
        "order_links": _url_exists(
            "orders_manufacturer:detail", manufacturer_slug=request.tenant.slug, pk=1
        ),
        "can_change_status": request.membership.is_staff_role,
        "status_choices": PartnershipStatus.choices,
    }
    template = "resellers/manufacturer/profile.html"
    if request.htmx:
        target = request.headers.get("HX-Target", "")
        if target == "reseller-orders":
            template += "#reseller-orders"
        elif target == "reseller-stats":
            template += "#reseller-stats"
    return render(request, template, context)


@manufacturer_view
@require_http_methods(["GET", "POST"])
def conditions_edit(request: ManufacturerRequest, public_id: str) -> HttpResponse:
    partnership = _access(request, public_id)
    form = ConditionsForm(request.POST or None, instance=partnership, manufacturer=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            channel_services.partnership_update_conditions(
                partnership=partnership, **form.cleaned_data
            )
        except PartnershipRefused as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Commercial conditions saved."))
            return redirect(_profile_url(request, partnership))
    return _form_page(
        request,
        form,
        partnership=partnership,
        title=_("Commercial conditions of %(name)s") % {"name": partnership.reseller.name},
    )


@manufacturer_view
@require_http_methods(["GET", "POST"])
def details_edit(request: ManufacturerRequest, public_id: str) -> HttpResponse:
    partnership = _access(request, public_id)
    reseller = partnership.reseller
    form = ResellerDetailsForm(request.POST or None, instance=reseller)
    if request.method == "POST" and form.is_valid():
        try:
            channel_services.reseller_update_details(reseller=reseller, **form.cleaned_data)
        except PartnershipRefused as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("Business data of %(name)s saved.") % {"name": reseller.name}
            )
            return redirect(_profile_url(request, partnership))
    return _form_page(
        request,
        form,
        partnership=partnership,
        title=_("Business data of %(name)s") % {"name": reseller.name},
    )


def _form_page(
    request: ManufacturerRequest, form: forms.BaseForm, *, partnership: Partnership, title: str
) -> HttpResponse:
    return render(
        request,
        "resellers/manufacturer/profile_form.html",
        {
            "form": form,
            "partnership": partnership,
            "title": title,
            "back_url": _profile_url(request, partnership),
        },
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def status_change(request: ManufacturerRequest, public_id: str) -> HttpResponse:
    partnership = _access(request, public_id)
    form = PartnershipStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect(_profile_url(request, partnership))
    status = form.cleaned_data["status"]
    if status == partnership.status:
        messages.info(request, _("The partnership already has this status."))
        return redirect(_profile_url(request, partnership))
    channel_services.partnership_set_status(partnership=partnership, status=status)
    messages.success(
        request,
        _("The partnership with %(name)s is now %(status)s.")
        % {"name": partnership.reseller.name, "status": PartnershipStatus(status).label.lower()},
    )
    return redirect(_profile_url(request, partnership))
