"""The reseller's Commissions: what it earned with one manufacturer, entry by entry, by
order and by customer; its payout details and its payout request."""

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.reauth import recent_auth_required
from accounts.tenancy import (
    ResellerPartnerRequest,
    ResellerRequest,
    reseller_partner_view,
    reseller_view,
)
from channel.models import Partnership
from commissions.forms import PayoutDetailsForm, PayoutRequestForm, PeriodForm
from commissions.models import CommissionEntry
from commissions.selectors.balances import Balance, balance_of, balances_by_partnership
from commissions.selectors.ledger import (
    by_customer,
    by_order,
    explained,
    partnership_entries,
    partnership_requests,
    payout_details_of,
)
from commissions.selectors.reports import Period, Report, default_period, reseller_report
from commissions.services.ledger import (
    CommissionRefused,
    commission_settings_for,
    partnership_rate_on,
    partnership_rates_on,
)
from commissions.services.payouts import money, payout_details_save, payout_request_create
from core.listing import csv_date, csv_response, paginate

VIEWS = ("entries", "orders", "customers")


def _overview_url(request: ResellerPartnerRequest) -> str:
    return reverse(
        "commissions_reseller:overview",
        kwargs={
            "reseller_public_id": request.reseller.public_id,
            "manufacturer_slug": request.tenant.slug,
        },
    )


def _context(request: ResellerPartnerRequest, form: PayoutRequestForm | None = None) -> dict:
    partnership = request.partnership
    entries = partnership_entries(partnership)
    balance = balance_of(entries)
    settings = commission_settings_for(partnership.manufacturer)
    view = request.GET.get("view", "entries")
    view = view if view in VIEWS else "entries"
    context = {
        "partnership": partnership,
        "balance": balance,
        "currency": partnership.manufacturer.currency,
        "minimum": settings.minimum_payout,
        "details": payout_details_of(partnership),
        "requests": list(partnership_requests(partnership)[:10]),
        "open_request": partnership_requests(partnership)
        .filter(status__in=["requested", "approved"])
        .first(),
        "form": form or PayoutRequestForm(initial={"amount": balance.payable_now}),
        "view": view,
        "rate": partnership_rate_on(partnership=partnership, on=timezone.localdate())[0],
    }
    if view == "orders":
        context["page"] = paginate(request, by_order(entries))
    elif view == "customers":
        context["page"] = paginate(request, by_customer(entries))
    else:
        page = paginate(request, entries)
        context["page"] = page
        context["rows"] = explained(list(page.object_list))
    return context


@reseller_partner_view
@require_http_methods(["GET"])
def overview(request: ResellerPartnerRequest) -> HttpResponseBase:
    if request.GET.get("format") == "csv":
        return _entries_csv(request)
    return render(request, "commissions/reseller_overview.html", _context(request))


def _entries_csv(request: ResellerPartnerRequest) -> HttpResponseBase:
    partnership = request.partnership
    header = [
        _("Date"),
        _("Kind"),
        _("Order"),
        _("Customer"),
        _("Credit"),
        _("Debit"),
        _("Currency"),
        _("Rate (%)"),
        _("Explanation"),
        _("Eligible from"),
        _("Pay by"),
        _("Status"),
    ]

    def rows():
        entries = partnership_entries(partnership).iterator(chunk_size=500)
        for row in explained(list(entries)):
            entry = row.entry
            yield [
                csv_date(entry.created_at),
                entry.get_kind_display(),
                entry.order.number if entry.order else "",
                entry.order.end_customer.name if entry.order and entry.order.end_customer else "",
                entry.credit,
                entry.debit,
                entry.currency,
                entry.rate or "",
                row.explanation,
                csv_date(entry.eligible_from),
                csv_date(row.pay_by),
                row.status,
            ]

    return csv_response(
        filename=f"commissions-{partnership.manufacturer.slug}", header=header, rows=rows()
    )


@reseller_partner_view
@require_POST
def payout_request(request: ResellerPartnerRequest) -> HttpResponseBase:
    form = PayoutRequestForm(request.POST)
    if form.is_valid():
        amount: Decimal = form.cleaned_data["amount"]
        try:
            created = payout_request_create(
                partnership=request.partnership, amount=amount, requested_by=request.user
            )
        except CommissionRefused as refused:
            form.add_error("amount", refused.user_message)
        else:
            messages.success(
                request,
                _("Your payout request of %(amount)s was sent to %(manufacturer)s.")
                % {
                    "amount": money(created.amount, created.currency),
                    "manufacturer": request.tenant.name,
                },
            )
            return redirect(_overview_url(request))
    return render(
        request, "commissions/reseller_overview.html", _context(request, form), status=400
    )


@reseller_partner_view
@recent_auth_required
@require_http_methods(["GET", "POST"])
def payout_details(request: ResellerPartnerRequest) -> HttpResponse:
    details = payout_details_of(request.partnership)
    initial = (
        {
            "account_holder": details.account_holder,
            "bic": details.bic,
            "bank_code": details.bank_code,
        }
        if details
        else {"account_holder": request.reseller.name}
    )
    form = PayoutDetailsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                payout_details_save(
                    partnership=request.partnership, updated_by=request.user, **form.cleaned_data
                )
            except CommissionRefused as refused:
                form.add_error(None, refused.user_message)
            else:
                messages.success(request, _("Your payout details are saved."))
                return redirect(_overview_url(request))
    return render(
        request,
        "commissions/payout_details.html",
        {"form": form, "details": details, "partnership": request.partnership},
        status=status,
    )


@reseller_view
@require_http_methods(["GET"])
def commissions_index(request: ResellerRequest) -> HttpResponse:
    """The sidebar's Commissions: the balance with each manufacturer, each row leading to
    that manufacturer's Commissions (entries, breakdowns, the payout request)."""
    partnerships = list(
        Partnership.objects.filter(reseller=request.reseller)
        .select_related("manufacturer")
        .order_by("manufacturer__name")
    )
    balances = balances_by_partnership(
        CommissionEntry.objects.filter(partnership_id__in=[p.pk for p in partnerships])
    )
    rates = partnership_rates_on(partnerships=partnerships, on=timezone.localdate())
    rows = [
        {
            "partnership": p,
            "balance": balances.get(p.pk, Balance()),
            "rate": rates[p.pk][0],
            "url": reverse(
                "commissions_reseller:overview",
                kwargs={
                    "reseller_public_id": request.reseller.public_id,
                    "manufacturer_slug": p.manufacturer.slug,
                },
            ),
        }
        for p in partnerships
    ]
    return render(request, "commissions/reseller_index.html", {"rows": rows})


@reseller_view
@require_http_methods(["GET"])
def earnings(request: ResellerRequest) -> HttpResponse:
    """Earnings with every manufacturer, with the charts of the dashboard's home."""
    return render(request, "commissions/earnings.html")


@reseller_view
@require_http_methods(["GET"])
def statistics(request: ResellerRequest) -> HttpResponseBase:
    partnerships = list(
        Partnership.objects.filter(reseller=request.reseller)
        .select_related("manufacturer")
        .order_by("manufacturer__name")
    )
    chosen = next(
        (p for p in partnerships if p.manufacturer.slug == request.GET.get("manufacturer")),
        partnerships[0] if partnerships else None,
    )
    form = PeriodForm(request.GET if "start" in request.GET else None)
    period = default_period()
    if form.is_bound and form.is_valid():
        period = Period(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    if not form.is_bound:
        form = PeriodForm(initial={"start": period.start, "end": period.end})
    report = reseller_report(partnership=chosen, period=period) if chosen else None
    if report is not None and chosen is not None and request.GET.get("format") == "csv":
        return _report_csv(request, report, chosen)
    return render(
        request,
        "commissions/statistics.html",
        {
            "partnerships": partnerships,
            "chosen": chosen,
            "form": form,
            "report": report,
            "currency": chosen.manufacturer.currency if chosen else "",
        },
    )


def _report_csv(request: ResellerRequest, report: Report, chosen: Partnership) -> HttpResponseBase:
    if request.GET.get("report") == "customers":
        header = [_("Customer"), _("Company"), _("Orders"), _("Order value"), _("Repeat buyer")]
        rows = (
            [
                c["end_customer__name"],
                c["end_customer__company"],
                c["orders"],
                c["value"],
                _("yes") if c["repeats"] else _("no"),
            ]
            for c in report.customers
        )
    else:
        header = [_("Month"), _("Orders"), _("Sales"), _("Commission earned"), _("Voided")]
        rows = (
            [m["start"].isoformat()[:7], m["orders"], m["sales"], m["earned"], m["voided"]]
            for m in report.months
        )
    return csv_response(filename=f"statistics-{chosen.manufacturer.slug}", header=header, rows=rows)
