"""The manufacturer's Commissions: what is owed and due, by reseller; the payout approvals
and batches (owners and managers); a reseller's ledger, with the owner's adjustments,
window extensions and holding terms. A sales rep sees the figures of its portfolio only."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import STAFF_ROLES, Role
from accounts.reauth import recent_auth_required
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from channel.selectors import access_partnership, partnerships_visible_to
from commissions.forms import (
    AdjustmentForm,
    CommissionFreeForm,
    CommissionSettingsForm,
    HoldingTermsForm,
    MarkPaidForm,
    RateForm,
    WindowExtensionForm,
)
from commissions.models import (
    ZERO,
    CommissionFree,
    CommissionRate,
    EntryKind,
    PartnershipPayoutTerms,
    PayoutBatchStatus,
)
from commissions.selectors.balances import balance_of
from commissions.selectors.ledger import (
    access_batch,
    access_entry,
    batch_requests,
    batches,
    by_reseller,
    entries_visible_to,
    explained,
    manufacturer_overview,
    open_requests,
    partnership_entries,
    partnership_requests,
    payout_details_of,
)
from commissions.services.ledger import (
    CommissionRefused,
    commission_adjust,
    commission_free_set,
    commission_rate_set,
    commission_settings_for,
    commission_window_extend,
    partnership_holding_set,
)
from commissions.services.payouts import money, payout_batch_approve, payout_batch_mark_paid
from core.listing import csv_response, paginate


def _url(name: str, request: ManufacturerRequest, **kwargs: Any) -> str:
    return reverse(
        f"commissions_manufacturer:{name}",
        kwargs={"manufacturer_slug": request.tenant.slug, **kwargs},
    )


@manufacturer_view
@require_http_methods(["GET", "POST"])
def overview(request: ManufacturerRequest) -> HttpResponseBase:
    today = timezone.localdate()
    entries = entries_visible_to(manufacturer=request.tenant, membership=request.membership)
    partnerships = partnerships_visible_to(
        manufacturer=request.tenant, membership=request.membership
    )
    settings = commission_settings_for(request.tenant)
    settings_form = None
    if request.membership.role == Role.OWNER:
        settings_form = CommissionSettingsForm(
            request.POST or None,
            initial={
                "minimum_payout": settings.minimum_payout,
                "service_returns_void": settings.service_returns_void,
            },
        )
    if request.method == "POST":
        if settings_form is None:
            raise PermissionDenied(_("Only an owner changes the payout rules."))
        if settings_form.is_valid():
            settings.minimum_payout = settings_form.cleaned_data["minimum_payout"]
            settings.service_returns_void = settings_form.cleaned_data["service_returns_void"]
            settings.save()
            messages.success(request, _("The payout rules are saved."))
            return redirect(_url("overview", request))
    rows = by_reseller(entries, partnerships, today=today)
    currency = request.tenant.currency
    if request.GET.get("format") == "csv":
        header = [
            _("Reseller"),
            _("Reseller ID"),
            _("Accrued"),
            _("Voided"),
            _("Pending"),
            _("Payable"),
            _("Requested"),
            _("Paid"),
            _("Currency"),
        ]
        return csv_response(
            filename=f"{request.tenant.slug}-commissions",
            header=header,
            rows=(
                [
                    row.partnership.reseller.name,
                    row.partnership.reseller.public_id,
                    row.balance.earned,
                    row.balance.voided,
                    row.balance.pending,
                    row.balance.payable,
                    row.balance.requested,
                    row.balance.paid,
                    currency,
                ]
                for row in rows
            ),
        )
    return render(
        request,
        "commissions/overview.html",
        {
            "overview": manufacturer_overview(entries, today=today),
            "page": paginate(request, rows),
            "currency": currency,
            "settings": settings,
            "settings_form": settings_form,
            "is_staff": request.membership.role in STAFF_ROLES,
        },
        status=400 if request.method == "POST" else 200,
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET"])
def approvals(request: ManufacturerRequest) -> HttpResponse:
    return render(
        request,
        "commissions/approvals.html",
        {
            "requests": list(open_requests(manufacturer=request.tenant)),
            "page": paginate(request, batches(manufacturer=request.tenant)),
            "currency": request.tenant.currency,
        },
    )


@manufacturer_view(roles=STAFF_ROLES)
@recent_auth_required(two_factor=True)
@require_POST
def approve(request: ManufacturerRequest) -> HttpResponseBase:
    ids = [int(value) for value in request.POST.getlist("request") if value.isdigit()]
    try:
        batch = payout_batch_approve(
            manufacturer=request.tenant, request_ids=ids, approved_by=request.user
        )
    except CommissionRefused as refused:
        messages.error(request, refused.user_message)
        return redirect(_url("approvals", request))
    messages.success(request, _("Payout batch %(id)s approved.") % {"id": batch.pk})
    return redirect(_url("batch", request, batch_id=batch.pk))


@manufacturer_view(roles=STAFF_ROLES)
@recent_auth_required(two_factor=True, methods=("POST",))
@require_http_methods(["GET", "POST"])
def batch(request: ManufacturerRequest, batch_id: int) -> HttpResponseBase:
    found = access_batch(manufacturer=request.tenant, batch_id=batch_id)
    requests = list(batch_requests(found))
    if request.GET.get("format") == "csv":
        header = [
            _("Account holder"),
            _("IBAN"),
            _("BIC"),
            _("Account number"),
            _("Bank code"),
            _("Amount"),
            _("Currency"),
            _("Reference"),
            _("Reseller"),
            _("Reseller ID"),
        ]

        def rows():
            for item in requests:
                details = getattr(item.partnership, "payout_details", None)
                yield [
                    details.account_holder if details else "",
                    details.iban if details else "",
                    details.bic if details else "",
                    details.account_number if details else "",
                    details.bank_code if details else "",
                    item.amount,
                    item.currency,
                    _("Commission payout %(batch)s-%(request)s")
                    % {"batch": found.pk, "request": item.pk},
                    item.partnership.reseller.name,
                    item.partnership.reseller.public_id,
                ]

        return csv_response(
            filename=f"{request.tenant.slug}-payout-batch-{found.pk}", header=header, rows=rows()
        )
    form = MarkPaidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payout_batch_mark_paid(
                batch=found, reference=form.cleaned_data["reference"], paid_by=request.user
            )
        except CommissionRefused as refused:
            form.add_error("reference", refused.user_message)
        else:
            messages.success(request, _("The batch is marked paid."))
            return redirect(_url("batch", request, batch_id=found.pk))
    total = sum((item.amount for item in requests), ZERO)
    return render(
        request,
        "commissions/batch.html",
        {
            "batch": found,
            "requests": requests,
            "total": total,
            "form": form,
            "is_paid": found.status == PayoutBatchStatus.PAID,
            "currency": found.currency,
        },
        status=400 if request.method == "POST" else 200,
    )


def _ledger_context(request: ManufacturerRequest, public_id: str) -> dict[str, Any]:
    partnership = access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    entries = partnership_entries(partnership)
    page = paginate(request, entries)
    is_owner = request.membership.role == Role.OWNER
    terms = PartnershipPayoutTerms.objects.filter(partnership=partnership).first()
    return {
        "partnership": partnership,
        "balance": balance_of(entries),
        "page": page,
        "rows": explained(list(page.object_list)),
        "currency": request.tenant.currency,
        "details": payout_details_of(partnership),
        "requests": list(partnership_requests(partnership)[:10]),
        "is_owner": is_owner,
        "can_extend": is_owner,
        "pending_label": _("pending"),
        "payable_label": _("payable"),
        "adjust_form": AdjustmentForm(),
        "terms": terms,
        "terms_form": HoldingTermsForm(
            initial={"holding_weeks": terms.holding_weeks, "reason": terms.reason} if terms else {}
        ),
        "holding_weeks": terms.holding_weeks if terms else request.tenant.commission_holding_weeks,
    }


@manufacturer_view
@require_http_methods(["GET"])
def reseller_ledger(request: ManufacturerRequest, public_id: str) -> HttpResponse:
    return render(request, "commissions/partnership.html", _ledger_context(request, public_id))


@manufacturer_view(roles=[Role.OWNER])
@require_POST
def adjust(request: ManufacturerRequest, public_id: str) -> HttpResponseBase:
    context = _ledger_context(request, public_id)
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            entry = commission_adjust(
                partnership=context["partnership"],
                amount=form.signed_amount(),
                reason=form.cleaned_data["reason"],
                created_by=request.user,
            )
        except CommissionRefused as refused:
            form.add_error(None, refused.user_message)
        else:
            messages.success(
                request,
                _("Adjustment of %(amount)s recorded.")
                % {"amount": money(entry.credit - entry.debit, entry.currency)},
            )
            return redirect(_url("reseller", request, public_id=public_id))
    context["adjust_form"] = form
    return render(request, "commissions/partnership.html", context, status=400)


@manufacturer_view(roles=[Role.OWNER])
@require_POST
def holding(request: ManufacturerRequest, public_id: str) -> HttpResponseBase:
    context = _ledger_context(request, public_id)
    form = HoldingTermsForm(request.POST)
    if form.is_valid():
        try:
            partnership_holding_set(
                partnership=context["partnership"],
                holding_weeks=form.cleaned_data["holding_weeks"],
                reason=form.cleaned_data["reason"] or "",
                updated_by=request.user,
            )
        except CommissionRefused as refused:
            form.add_error(None, refused.user_message)
        else:
            messages.success(request, _("The holding period is saved."))
            return redirect(_url("reseller", request, public_id=public_id))
    context["terms_form"] = form
    return render(request, "commissions/partnership.html", context, status=400)


@manufacturer_view(roles=[Role.OWNER])
@require_http_methods(["GET", "POST"])
def extend(request: ManufacturerRequest, public_id: str, entry_id: int) -> HttpResponseBase:
    partnership = access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    entry = access_entry(
        entries=partnership_entries(partnership).filter(kind=EntryKind.ACCRUAL),
        entry_id=entry_id,
    )
    form = WindowExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            commission_window_extend(
                entry=entry,
                pay_by=form.cleaned_data["pay_by"],
                reason=form.cleaned_data["reason"],
                created_by=request.user,
            )
        except CommissionRefused as refused:
            form.add_error("pay_by", refused.user_message)
        else:
            messages.success(request, _("The pay-by date is extended."))
            return redirect(_url("reseller", request, public_id=public_id))
    return render(
        request,
        "commissions/extend.html",
        {"form": form, "entry": entry, "partnership": partnership, "rows": explained([entry])},
        status=400 if request.method == "POST" else 200,
    )


def _rates_context(
    request: ManufacturerRequest,
    rate_form: RateForm | None = None,
    free_form: CommissionFreeForm | None = None,
) -> dict[str, Any]:
    return {
        "rates": list(
            CommissionRate.objects.filter(manufacturer=request.tenant)
            .select_related("partnership__reseller", "category")
            .order_by("-effective_from", "-pk")[:50]
        ),
        "free": list(
            CommissionFree.objects.filter(manufacturer=request.tenant)
            .select_related("product", "category")
            .order_by("pk")
        ),
        "default_rate": request.tenant.default_commission_rate,
        "is_owner": request.membership.role == Role.OWNER,
        "rate_form": rate_form or RateForm(manufacturer=request.tenant),
        "free_form": free_form or CommissionFreeForm(manufacturer=request.tenant),
    }


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET"])
def rates(request: ManufacturerRequest) -> HttpResponse:
    return render(request, "commissions/rates.html", _rates_context(request))


@manufacturer_view(roles=[Role.OWNER])
@require_POST
def rate_set(request: ManufacturerRequest) -> HttpResponseBase:
    form = RateForm(request.POST, manufacturer=request.tenant)
    if form.is_valid():
        partnership = None
        public_id = form.cleaned_data["public_id"].strip()
        if public_id:
            partnership = access_partnership(
                manufacturer=request.tenant, membership=request.membership, public_id=public_id
            )
        try:
            commission_rate_set(
                manufacturer=request.tenant,
                rate=form.cleaned_data["rate"],
                effective_from=form.cleaned_data["effective_from"],
                partnership=partnership,
                category=form.cleaned_data["category"],
                created_by=request.user,
            )
        except CommissionRefused as refused:
            form.add_error(None, refused.user_message)
        else:
            messages.success(
                request, _("The rate is saved; commissions already earned keep theirs.")
            )
            return redirect(_url("rates", request))
    return render(
        request, "commissions/rates.html", _rates_context(request, rate_form=form), status=400
    )


@manufacturer_view(roles=[Role.OWNER])
@require_POST
def free_set(request: ManufacturerRequest) -> HttpResponseBase:
    form = CommissionFreeForm(request.POST, manufacturer=request.tenant)
    if form.is_valid():
        commission_free_set(
            manufacturer=request.tenant,
            free=form.cleaned_data["free"],
            product=form.cleaned_data.get("product"),
            category=None if form.cleaned_data.get("product") else form.cleaned_data["category"],
            created_by=request.user,
        )
        messages.success(request, _("Saved."))
        return redirect(_url("rates", request))
    return render(
        request, "commissions/rates.html", _rates_context(request, free_form=form), status=400
    )
