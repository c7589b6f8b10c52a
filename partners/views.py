"""The manufacturer's partner pages: the leaderboard, one partner's scorecard, rating an
order. Owners and managers only (a sales rep gets 403): they decide tiers and incidents.
"""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import STAFF_ROLES
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from channel import selectors as channel_selectors
from core.http import safe_next
from core.listing import csv_response, paginate, search_query
from partners.forms import PeriodForm, RatingForm
from partners.metrics import Figures, compute_figures, day_start, growth, order_count
from partners.selectors import meetings as meeting_selectors
from partners.selectors import scorecards as selectors
from partners.selectors.tiers import entry_tier
from partners.services import PartnerRefused
from partners.services.scorecards import order_rating_record
from partners.views_problems import problems_panel_context
from partners.views_tiers import tier_panel_context


def _url(request: ManufacturerRequest, name: str, **kwargs: object) -> str:
    return reverse(
        f"partners_manufacturer:{name}",
        kwargs={"manufacturer_slug": request.tenant.slug, **kwargs},
    )


def _rate(value: object) -> str:
    return "" if value is None else f"{value:.1f}"


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def leaderboard(request: ManufacturerRequest) -> HttpResponseBase:
    months_count = selectors.period_months(request.GET.get("months"))
    months = selectors.leaderboard_months(months=months_count)
    query = search_query(request)
    show = "slipping" if request.GET.get("show") == "slipping" else ""
    rows = selectors.leaderboard(manufacturer=request.tenant, months=months, query=query, show=show)
    rows, sort = selectors.leaderboard_sort(rows, request.GET.get("sort", ""))
    entry = entry_tier(request.tenant.pk)
    entry_name = entry.name if entry is not None else ""
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-partner-leaderboard",
            header=[_("Reseller ID"), _("Reseller"), _("Orders"), _("Order value"),
                    _("Acceptance rate (%)"), _("Completion rate (%)"),
                    _("Cancellation rate (%)"), _("Average satisfaction"),
                    _("Average response time (hours)"), _("Orders last month"),
                    _("Orders the month before"), _("Growth (%)"),
                    _("Tier")],
            rows=(
                [p.reseller.public_id, p.reseller.name, p.period_orders, p.period_revenue,
                 _rate(p.period_acceptance), _rate(p.period_completion),
                 _rate(p.period_cancellation), _rate(p.period_satisfaction),
                 _rate(p.period_response_hours), p.latest_orders, p.before_orders,
                 _rate(p.period_growth),
                 p.tier_name or entry_name]
                for p in rows.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    context = {
        "page_obj": paginate(request, rows),
        "query": query,
        "sort": sort,
        "show": show,
        "months": months,
        "months_count": months_count,
        "period_choices": selectors.PERIOD_MONTHS,
        "entry_tier": entry,
        "meeting_counts": meeting_selectors.meeting_counts(
            manufacturer=request.tenant, membership=request.membership
        ),
    }
    template = "partners/leaderboard.html"
    if request.htmx:
        template += "#leaderboard-table"
    return render(request, template, context)


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def scorecard(request: ManufacturerRequest, public_id: str) -> HttpResponseBase:
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    history = selectors.partnership_history(partnership=partnership)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-{partnership.reseller.public_id}-scorecard",
            header=[_("Month"), _("Orders"), _("Growth (%)"), _("Acceptance rate (%)"),
                    _("Completion rate (%)"), _("Cancellation rate (%)"), _("Order value"),
                    _("Average order value"), _("Returns"), _("New end customers"),
                    _("Repeat end customers"), _("Average satisfaction"),
                    _("Address accuracy (%)"), _("Replies to your messages"),
                    _("Average response time (hours)")],
            rows=(
                [row.month.strftime("%Y-%m"), row.card.orders, _rate(row.growth),
                 _rate(row.card.acceptance_rate), _rate(row.card.completion_rate),
                 _rate(row.card.cancellation_rate), row.card.revenue,
                 row.card.average_order_value, row.card.returns_amount,
                 row.card.new_customers, row.card.repeat_customers,
                 _rate(row.card.satisfaction), _rate(row.card.address_accuracy),
                 row.card.responses, _rate(row.card.response_hours)]
                for row in history
            ),
        )  # fmt: skip
    period_form = PeriodForm(
        {"start": request.GET.get("from", ""), "end": request.GET.get("to", "")}
        if ("from" in request.GET or "to" in request.GET)
        else None
    )
    start, end = period_form.period()
    length = (end - start).days + 1
    figures = compute_figures(
        manufacturer=request.tenant,
        start=day_start(start),
        end=day_start(end + timedelta(days=1)),
        by_month=False,
        partnership_ids=[partnership.pk],
    ).get((partnership.pk, None), Figures())
    previous_orders = order_count(
        manufacturer=request.tenant,
        start=day_start(start - timedelta(days=length)),
        end=day_start(start),
        partnership_ids=[partnership.pk],
    )
    mix_total = sum(figures.category_mix.values())
    context = {
        "partnership": partnership,
        "reseller": partnership.reseller,
        "history": list(reversed(history)),
        "chart": selectors.history_chart(history),
        "figures": figures,
        "period_growth": growth(figures.orders, previous_orders),
        "period_start": start,
        "period_end": end,
        "period_form": period_form,
        "category_mix": [
            (name or _("No category"), amount, (amount * 100 / mix_total) if mix_total else 0)
            for name, amount in sorted(figures.category_mix.items(), key=lambda item: -item[1])
        ],
        "orders": selectors.recent_orders(partnership=partnership),
        "meetings": meeting_selectors.meetings_of_partner(partnership),
        **tier_panel_context(request, partnership),
        **problems_panel_context(request, partnership),
    }
    return render(request, "partners/scorecard.html", context)


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def order_rating(request: ManufacturerRequest, order_id: int) -> HttpResponseBase:
    order = selectors.access_partnership_order(manufacturer=request.tenant, order_id=order_id)
    back_url = safe_next(request, request.tenant) or _url(
        request, "scorecard", public_id=order.partnership.reseller.public_id
    )
    rating = getattr(order, "rating", None)
    initial = {
        "satisfaction": rating.satisfaction if rating else None,
        "address_accurate": rating.address_accurate if rating else None,
    }
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order_rating_record(
                order=order,
                satisfaction=form.cleaned_data["satisfaction"],
                address_accurate=form.cleaned_data["address_accurate"],
                by=request.user,
            )
        except PartnerRefused as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(
                request, _("Rating of order %(number)s saved.") % {"number": order.number}
            )
            return redirect(back_url)
    return render(
        request,
        "partners/rating_form.html",
        {
            "form": form,
            "order": order,
            "title": _("Rate order %(number)s") % {"number": order.number},
            "back_url": back_url,
        },
        status=400 if form.is_bound else 200,
    )
