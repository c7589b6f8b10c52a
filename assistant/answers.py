"""The questions: each intent answered with the selectors (and partials) of its page.

An answer never reads domain data on its own: it asks the page's selector with the
member's viewer, so it shows exactly what the page would. Every answer has a link to that
page, where the user can sort, page, filter and export.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.tenancy import ALLOWED_ROLES_ATTRIBUTE, ManufacturerRequest
from assistant import parser as p
from assistant.resolve import Unresolved, partnership_for, rep_for
from channel.selectors import partnerships_visible_to
from commissions.selectors.ledger import due_by_reseller, entries_visible_to, week_end
from communications import selectors as communication_selectors
from core import formatting
from orders.models import OrderStatus
from orders.selectors.orders import OrderFilters, orders_for_manufacturer
from qualifications import selectors as qualification_selectors
from resellers import directory
from resellers.forms_manufacturer import StatisticsPeriodForm
from resellers.statistics import PERIOD_CHOICES, partnership_statistics
from salesreps import selectors as salesrep_selectors
from salesreps import views as salesrep_views

ANSWER_ROWS = 10  # rows an answer shows; the full page has them all
DEFAULT_CHANGES_DAYS = 30


@dataclass
class Answer:
    """What the assistant shows: a title, a body template with its context (usually a
    page's partial), the page it comes from, and the HTTP status."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    full_url: str = ""
    full_label: str = ""
    status: int = 200
    kind: str = "answer"


def url(request: ManufacturerRequest, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"manufacturer_slug": request.tenant.slug, **kwargs})


def require_page_roles(request: ManufacturerRequest, view: Callable[..., Any]) -> None:
    """The page's own role check: a member who may not open `view` may not ask for it."""
    allowed = getattr(view, ALLOWED_ROLES_ATTRIBUTE)
    if request.membership.role not in allowed:
        raise PermissionDenied(_("Your role does not allow this."))


def _dates(value: str) -> tuple[date, date] | None:
    try:
        start, end = (date.fromisoformat(part) for part in value.split(".."))
    except ValueError:
        return None
    return (start, end) if start <= end else None


# --- the directory and one reseller ----------------------------------------------------------


def resellers_list(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    rows = directory.directory_rows(manufacturer=request.tenant, membership=request.membership)
    return _directory_answer(
        request,
        rows.order_by(directory.DEFAULT_SORT, "pk"),
        title=_("Your resellers") if not request.membership.is_seller else _("Your customers"),
        full_url=url(request, "resellers_manufacturer:directory"),
    )


def _directory_answer(
    request: ManufacturerRequest,
    rows: Any,
    *,
    title: str,
    full_url: str,
    days: int = directory.DEFAULT_PERIOD_DAYS,
    filtered: bool = False,
) -> Answer:
    from django.core.paginator import Paginator

    page = Paginator(rows, ANSWER_ROWS).get_page(1)
    return Answer(
        title=title,
        template="assistant/answers/directory.html",
        context={
            "page_obj": page,
            "sort": "",
            "days": days,
            "filtered": filtered,
            "show_tier": False,
        },
        full_url=full_url,
        full_label=_("Open the directory"),
    )


def reseller_profile(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    partnership = partnership_for(request, args)
    return Answer(
        title=f"{partnership.reseller.name} ({partnership.reseller.public_id})",
        template="assistant/answers/profile.html",
        context={"partnership": partnership, "reseller": partnership.reseller},
        full_url=url(
            request, "resellers_manufacturer:profile", public_id=partnership.reseller.public_id
        ),
        full_label=_("Open the profile"),
    )


def _period_query(value: str) -> QueryDict:
    query = QueryDict(mutable=True)
    dates = _dates(value) if value else None
    if dates is None:
        return query
    start, end = dates
    days = (end - start).days + 1
    if end == timezone.localdate() and days in PERIOD_CHOICES:
        query["days"] = str(days)
    else:
        query.update({"days": "0", "from": start.isoformat(), "to": end.isoformat()})
    return query


def reseller_statistics(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    partnership = partnership_for(request, args)
    query = _period_query(args.get("period", ""))
    period_form = StatisticsPeriodForm(query)
    period, granularity = period_form.period()
    statistics = partnership_statistics(
        partnership=partnership, period=period, granularity=granularity
    )
    chart = statistics.chart_data(
        labels={"sales": _("Sales"), "previous": _("Previous period"), "orders": _("Orders")}
    )
    profile_url = url(
        request, "resellers_manufacturer:profile", public_id=partnership.reseller.public_id
    )
    return Answer(
        title=_("Sales statistics of %(name)s") % {"name": partnership.reseller.name},
        template="assistant/answers/statistics.html",
        context={
            "partnership": partnership,
            "reseller": partnership.reseller,
            "period_form": period_form,
            "stats": statistics,
            "chart": chart,
            # The period form inside the partial sends its choice to the profile page.
            "partial_path": profile_url,
        },
        full_url=f"{profile_url}?{query.urlencode()}" if query else profile_url,
        full_label=_("Open the profile"),
    )


def reseller_changes(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    """Everything the pages record about the reseller since a date, newest first."""
    partnership = partnership_for(request, args)
    since_text = args.get("since", "")
    try:
        since = date.fromisoformat(since_text)
    except ValueError:
        since = timezone.localdate() - timedelta(days=DEFAULT_CHANGES_DAYS)
    since_at = timezone.make_aware(datetime.combine(since, time.min))
    events: list[tuple[datetime, str, str]] = []
    for grant in qualification_selectors.partnership_grant_history(partnership=partnership):
        if grant.granted_at >= since_at:
            events.append(
                (
                    grant.granted_at,
                    "patch-check",
                    _("%(code)s granted") % {"code": grant.qualification.code},
                )
            )
        if grant.revoked_at and grant.revoked_at >= since_at:
            events.append(
                (
                    grant.revoked_at,
                    "patch-minus",
                    _("%(code)s revoked") % {"code": grant.qualification.code},
                )
            )
    events.extend(
        (
            change.changed_at,
            "flag",
            _("Qualifying status: %(from)s → %(to)s")
            % {"from": change.from_label, "to": change.to_label},
        )
        for change in qualification_selectors.partnership_status_history(partnership=partnership)
        if change.changed_at >= since_at
    )
    events.extend(
        (
            assignment.started_at,
            "person-badge",
            _("Sales rep: %(name)s") % {"name": assignment.rep.display_name},
        )
        for assignment in salesrep_selectors.assignment_history(
            manufacturer=request.tenant, partnership=partnership
        )
        if assignment.started_at >= since_at
    )
    orders = directory.partnership_orders(partnership=partnership).filter(created_at__gte=since_at)
    events.extend(
        (
            order.created_at,
            "receipt",
            _("Order %(number)s, %(status)s")
            % {"number": order.number, "status": order.get_status_display()},
        )
        for order in orders[:50]
    )
    events.sort(key=lambda event: event[0], reverse=True)
    return Answer(
        title=_("What changed for %(name)s since %(date)s")
        % {"name": partnership.reseller.name, "date": formatting.local_date(since)},
        template="assistant/answers/changes.html",
        context={"partnership": partnership, "events": events[:50], "since": since},
        full_url=url(
            request, "resellers_manufacturer:profile", public_id=partnership.reseller.public_id
        ),
        full_label=_("Open the profile"),
    )  # fmt: skip


# --- orders -------------------------------------------------------------------------------


def _orders_answer(
    request: ManufacturerRequest, filters: OrderFilters, *, title: str, query: str
) -> Answer:
    from django.core.paginator import Paginator

    orders = orders_for_manufacturer(
        manufacturer=request.tenant, membership=request.membership, filters=filters
    ).order_by("-created_at", "-pk")
    page = Paginator(orders, ANSWER_ROWS).get_page(1)
    full_url = url(request, "orders_manufacturer:list")
    return Answer(
        title=title,
        template="assistant/answers/orders.html",
        context={"page_obj": page, "sort": "", "empty_text": _("No such orders.")},
        full_url=f"{full_url}?{query}" if query else full_url,
        full_label=_("Open the orders"),
    )


def orders_open(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    if args.get("reseller_id") or args.get("reseller"):
        partnership = partnership_for(request, args)
        return _orders_answer(
            request,
            OrderFilters(reseller_id=partnership.reseller_id, open_only=True),
            title=_("Open orders of %(name)s") % {"name": partnership.reseller.name},
            query=f"reseller={partnership.reseller_id}",
        )
    return _orders_answer(request, OrderFilters(open_only=True), title=_("Open orders"), query="")


def orders_awaiting(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    return _orders_answer(
        request,
        OrderFilters(status=OrderStatus.PLACED),
        title=_("Orders waiting for acceptance"),
        query=f"status={OrderStatus.PLACED}",
    )


# --- inbox, payouts, portfolios -----------------------------------------------------------


def conversations_waiting(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    rows = communication_selectors.visible_conversations(membership=request.membership)
    page = communication_selectors.inbox_page(
        rows, user_id=request.user.pk, sort="waiting", page_size=ANSWER_ROWS
    )
    return Answer(
        title=_("Conversations waiting for an answer"),
        template="assistant/answers/conversations.html",
        context={"rows": page.rows, "now": timezone.now()},
        full_url=url(request, "communications_manufacturer:inbox") + "?sort=waiting",
        full_label=_("Open the inbox"),
    )


def payouts_due(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    today = timezone.localdate()
    rows = due_by_reseller(
        entries_visible_to(manufacturer=request.tenant, membership=request.membership),
        partnerships_visible_to(manufacturer=request.tenant, membership=request.membership),
        today=today,
    )
    return Answer(
        title=_("Due a payout this week (until %(date)s)")
        % {"date": formatting.local_date(week_end(today))},
        template="assistant/answers/payouts.html",
        context={"rows": rows[:ANSWER_ROWS], "more": max(len(rows) - ANSWER_ROWS, 0),
                 "currency": request.tenant.currency},
        full_url=url(request, "commissions_manufacturer:overview"),
        full_label=_("Open the commissions"),
    )  # fmt: skip


def rep_portfolio(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    rep = rep_for(request, args)
    if rep.pk != request.user.pk:
        # Another rep's portfolio is the rep page's, which only owners and managers open.
        require_page_roles(request, salesrep_views.rep_detail)
        full_url = url(request, "salesreps_manufacturer:rep_detail", user_id=rep.pk)
    else:
        full_url = url(request, "resellers_manufacturer:directory") + f"?rep={rep.pk}"
    rows = directory.directory_rows(
        manufacturer=request.tenant,
        membership=request.membership,
        filters=directory.DirectoryFilters(rep=str(rep.pk)),
    ).order_by(directory.DEFAULT_SORT, "pk")
    return _directory_answer(
        request,
        rows,
        title=_("Portfolio of %(name)s") % {"name": rep.display_name},
        full_url=full_url,
        filtered=True,
    )


def resellers_unassigned(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    rows = directory.directory_rows(
        manufacturer=request.tenant,
        membership=request.membership,
        filters=directory.DirectoryFilters(rep=directory.UNASSIGNED),
    ).order_by(directory.DEFAULT_SORT, "pk")
    return _directory_answer(
        request,
        rows,
        title=_("Resellers without a sales rep"),
        full_url=url(request, "resellers_manufacturer:directory") + f"?rep={directory.UNASSIGNED}",
        filtered=True,
    )


def resellers_top(request: ManufacturerRequest, args: dict[str, str]) -> Answer:
    dates = _dates(args.get("period", ""))
    today = timezone.localdate()
    start, end = dates or (today - timedelta(days=89), today)
    filters = directory.DirectoryFilters(date_from=start, date_to=end)
    rows = (
        directory.directory_rows(
            manufacturer=request.tenant, membership=request.membership, filters=filters
        )
        .filter(sales__gt=Decimal(0))
        .order_by("-sales", "reseller__name")
    )
    days = (end - start).days + 1
    full_url = url(request, "resellers_manufacturer:directory") + "?sort=-sales"
    if days in PERIOD_CHOICES:
        full_url += f"&days={days}"
    return _directory_answer(
        request,
        rows,
        title=_("Top resellers from %(start)s to %(end)s")
        % {"start": formatting.local_date(start), "end": formatting.local_date(end)},
        full_url=full_url,
        days=days,
        filtered=True,
    )


QUESTIONS: dict[str, Callable[[ManufacturerRequest, dict[str, str]], Answer]] = {
    p.RESELLERS_LIST: resellers_list,
    p.RESELLER_PROFILE: reseller_profile,
    p.RESELLER_STATISTICS: reseller_statistics,
    p.RESELLER_CHANGES: reseller_changes,
    p.ORDERS_OPEN: orders_open,
    p.ORDERS_AWAITING: orders_awaiting,
    p.CONVERSATIONS_WAITING: conversations_waiting,
    p.PAYOUTS_DUE: payouts_due,
    p.REP_PORTFOLIO: rep_portfolio,
    p.RESELLERS_UNASSIGNED: resellers_unassigned,
    p.RESELLERS_TOP: resellers_top,
}

# How the assistant names each intent when it offers it ("Did you mean …").
INTENT_LABELS = {
    p.RESELLERS_LIST: gettext_lazy("List your resellers"),
    p.RESELLER_PROFILE: gettext_lazy("A reseller's profile"),
    p.RESELLER_STATISTICS: gettext_lazy("A reseller's sales statistics"),
    p.QUALIFICATION_GRANT: gettext_lazy("Grant a qualification"),
    p.QUALIFICATION_REVOKE: gettext_lazy("Revoke a qualification"),
    p.REP_ASSIGN: gettext_lazy("Assign a sales rep"),
    p.CONVERSATION_DONE: gettext_lazy("Mark a conversation as done"),
    p.ORDERS_OPEN: gettext_lazy("Open orders"),
    p.ORDERS_AWAITING: gettext_lazy("Orders waiting for acceptance"),
    p.CONVERSATIONS_WAITING: gettext_lazy("Conversations waiting for an answer"),
    p.PAYOUTS_DUE: gettext_lazy("Who is due a payout this week"),
    p.REP_PORTFOLIO: gettext_lazy("A sales rep's portfolio"),
    p.RESELLERS_UNASSIGNED: gettext_lazy("Resellers without a sales rep"),
    p.RESELLERS_TOP: gettext_lazy("Top resellers of a period"),
    p.RESELLER_CHANGES: gettext_lazy("What changed for a reseller"),
}

__all__ = ["QUESTIONS", "Answer", "Unresolved", "require_page_roles"]
