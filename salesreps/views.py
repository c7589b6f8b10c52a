"""Sales reps and their portfolios, /m/<slug>/salesreps/…

Owners and managers: the portfolio overview, a rep's customers and their reassignment,
the coverage report, invitations, and assigning a rep on a customer's profile (the
`rep_assignment_panel` tag posts here). Everyone: a new customer (a seller gets it in
their portfolio), the assignment history of a customer they can see, and the sales report
(a seller's is limited to their portfolio).
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from accounts.models import STAFF_ROLES, Role
from accounts.reauth import recent_auth_required
from accounts.selectors import access_member
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from catalog.pricing import quantize_money
from channel import selectors as channel_selectors
from channel.models import Partnership
from core import formatting
from core.http import portal_url, safe_next
from core.listing import csv_date, csv_datetime, csv_response, paginate, search_query
from salesreps import selectors
from salesreps.forms import (
    AssignForm,
    CustomerCreateForm,
    InviteForm,
    MemberRemoveForm,
    MemberRoleForm,
    PeriodForm,
    ReassignForm,
    SalesReportForm,
)
from salesreps.services import (
    AssignmentRefused,
    InvitationRefused,
    RemovalRefused,
    RoleChangeRefused,
    customer_create,
    member_removal_refusal,
    member_remove,
    member_role_change,
    member_role_change_refusal,
    portfolio_assign,
    portfolio_reassign,
    rep_invite,
)
from salesreps.templatetags.salesreps import panel_context


def _slug(request: ManufacturerRequest) -> dict[str, Any]:
    return {"manufacturer_slug": request.tenant.slug}


def _period_context(form: PeriodForm) -> dict[str, date]:
    date_from, date_to = form.period()
    return {"date_from": date_from, "date_to": date_to}


# --- overview (staff) ----------------------------------------------------------------------


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def overview(request: ManufacturerRequest) -> HttpResponseBase:
    form = PeriodForm(request.GET or None)
    period = _period_context(form)
    rows = selectors.rep_overview(manufacturer=request.tenant, **period)
    if request.GET.get("format") == "csv":
        return _overview_csv(request, rows, **period)
    chart = {
        "labels": [row.rep.display_name if row.rep else _("No rep") for row in rows],
        "sales": [float(row.sales) for row in rows],
        "customers": [row.customers for row in rows],
        "salesLabel": _("Sales (%(currency)s)") % {"currency": request.tenant.currency},
        "customersLabel": _("Customers"),
    }
    context = {
        "form": form,
        "rows": rows,
        "chart": chart,
        "gap_count": selectors.coverage_gaps(manufacturer=request.tenant).count(),
        **period,
    }
    return render(request, "salesreps/overview.html", context)


def _overview_csv(
    request: ManufacturerRequest, rows: list[selectors.RepRow], *, date_from: date, date_to: date
) -> HttpResponseBase:
    currency = request.tenant.currency
    return csv_response(
        filename=f"{request.tenant.slug}-sales-reps",
        header=[_("Sales rep"), _("Email"), _("Customers"), _("Active customers"), _("Orders"),
                _("Sales"), _("Average order"), _("Currency"), _("From"), _("To")],
        rows=(
            [row.rep.display_name if row.rep else _("No sales rep"),
             row.rep.email if row.rep else "", row.customers, row.active_customers,
             row.orders, quantize_money(row.sales), row.average_order, currency,
             date_from.isoformat(), date_to.isoformat()]
            for row in rows
        ),
    )  # fmt: skip


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def rep_detail(request: ManufacturerRequest, user_id: int) -> HttpResponseBase:
    rep = selectors.access_seller(manufacturer=request.tenant, user_id=user_id)
    customers = selectors.rep_customers(manufacturer=request.tenant, rep=rep)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-portfolio-{slugify(rep.display_name) or rep.pk}",
            header=[_("Customer"), _("Reseller ID"), _("City"), _("Country"), _("Status"),
                    _("Since")],
            rows=(
                [a.partnership.reseller.name, a.partnership.reseller.public_id,
                 a.partnership.reseller.city, a.partnership.reseller.country,
                 a.partnership.get_status_display(), csv_date(a.started_at)]
                for a in customers.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    others = selectors.sellers(manufacturer=request.tenant).exclude(user_id=rep.pk)
    form = ReassignForm(
        sellers=others,
        customers=selectors.partnerships_of_rep(manufacturer=request.tenant, rep=rep),
    )
    context = {"rep": rep, "assignments": customers, "form": form}
    return render(request, "salesreps/rep_detail.html", context)


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def reassign(request: ManufacturerRequest, user_id: int) -> HttpResponse:
    """GET: preview what will move; POST: move it (all or nothing)."""
    rep = selectors.access_seller(manufacturer=request.tenant, user_id=user_id)
    portfolio = selectors.partnerships_of_rep(manufacturer=request.tenant, rep=rep).select_related(
        "reseller"
    )
    others = selectors.sellers(manufacturer=request.tenant).exclude(user_id=rep.pk)
    data = request.POST if request.method == "POST" else request.GET
    form = ReassignForm(data, sellers=others, customers=portfolio)
    detail_url = reverse(
        "salesreps_manufacturer:rep_detail", kwargs={**_slug(request), "user_id": rep.pk}
    )
    if not form.is_valid():
        return render(
            request,
            "salesreps/reassign.html",
            {"rep": rep, "form": form, "moving": [], "detail_url": detail_url},
            status=400,
        )
    moving = form.selected(portfolio.order_by("reseller__name", "pk"))
    to_rep = form.cleaned_data["to_rep"].user if form.cleaned_data["to_rep"] else None
    if request.method == "POST":
        try:
            moved = portfolio_reassign(
                manufacturer=request.tenant, partnerships=moving, to_rep=to_rep, by=request.user
            )
        except AssignmentRefused as error:
            messages.error(request, error.user_message)
            return redirect(detail_url)
        target = to_rep.display_name if to_rep else _("nobody")
        messages.success(
            request,
            _("%(count)d customer(s) moved from %(from)s to %(to)s.")
            % {"count": moved, "from": rep.display_name, "to": target},
        )
        return redirect(detail_url)
    context = {
        "rep": rep,
        "form": form,
        "moving": moving,
        "to_rep": to_rep,
        "detail_url": detail_url,
    }
    return render(request, "salesreps/reassign.html", context)


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def coverage(request: ManufacturerRequest) -> HttpResponseBase:
    gaps = selectors.coverage_gaps(manufacturer=request.tenant)
    query = search_query(request)
    if query:
        gaps = gaps.filter(
            Q(reseller__name__icontains=query) | Q(reseller__public_id__iexact=query)
        )
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-customers-without-rep",
            header=[_("Customer"), _("Reseller ID"), _("City"), _("Country"), _("Region"),
                    _("Partner since")],
            rows=(
                [p.reseller.name, p.reseller.public_id, p.reseller.city, p.reseller.country,
                 p.reseller.get_region_display(), csv_date(p.created_at)]
                for p in gaps.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    context = {
        "page_obj": paginate(request, gaps),
        "sellers": list(selectors.sellers(manufacturer=request.tenant)),
        "q": query,
    }
    return render(request, "salesreps/coverage.html", context)


# --- assignment on a customer (the panel) --------------------------------------------------


def _back(request: ManufacturerRequest, partnership: Partnership) -> HttpResponse:
    target = safe_next(request, request.tenant)
    if target is None:
        target = reverse(
            "salesreps_manufacturer:history",
            kwargs={**_slug(request), "partnership_id": partnership.pk},
        )
    return redirect(target)


def _panel_or_back(
    request: ManufacturerRequest, partnership: Partnership, *, error: str = ""
) -> HttpResponse:
    if request.htmx:
        context = panel_context(
            request, partnership, error=error, next_url=safe_next(request, request.tenant) or ""
        )
        response = render(request, "salesreps/includes/assignment_panel.html", context)
        if not error:  # the page can refresh what depends on the rep (e.g. the history)
            trigger_client_event(response, "repAssigned", {"partnership": partnership.pk})
        return response
    if error:
        messages.error(request, error)
    return _back(request, partnership)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def assign(request: ManufacturerRequest, partnership_id: int) -> HttpResponse:
    partnership = channel_selectors.access_partnership_by_id(
        manufacturer=request.tenant, membership=request.membership, partnership_id=partnership_id
    )
    form = AssignForm(request.POST, sellers=selectors.sellers(manufacturer=request.tenant))
    if not form.is_valid():
        return _panel_or_back(
            request,
            partnership,
            error=_("Choose one of this manufacturer's sales reps; nothing was changed."),
        )
    rep = form.cleaned_data["rep"].user
    try:
        portfolio_assign(
            manufacturer=request.tenant, partnership=partnership, rep=rep, by=request.user
        )
    except AssignmentRefused as error:
        return _panel_or_back(request, partnership, error=error.user_message)
    if not request.htmx:
        messages.success(
            request,
            _("%(customer)s is now in %(rep)s's portfolio.")
            % {"customer": partnership.reseller.name, "rep": rep.display_name},
        )
    return _panel_or_back(request, partnership)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def unassign(request: ManufacturerRequest, partnership_id: int) -> HttpResponse:
    partnership = channel_selectors.access_partnership_by_id(
        manufacturer=request.tenant, membership=request.membership, partnership_id=partnership_id
    )
    portfolio_assign(
        manufacturer=request.tenant, partnership=partnership, rep=None, by=request.user
    )
    if not request.htmx:
        messages.success(
            request,
            _("%(customer)s no longer has a sales rep.") % {"customer": partnership.reseller.name},
        )
    return _panel_or_back(request, partnership)


@manufacturer_view
@require_GET
def history(request: ManufacturerRequest, partnership_id: int) -> HttpResponseBase:
    partnership = channel_selectors.access_partnership_by_id(
        manufacturer=request.tenant, membership=request.membership, partnership_id=partnership_id
    )
    assignments = selectors.assignment_history(manufacturer=request.tenant, partnership=partnership)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-{partnership.reseller.public_id}-rep-history",
            header=[_("Sales rep"), _("Email"), _("From"), _("To"), _("Assigned by"),
                    _("Ended by")],
            rows=(
                [a.rep.display_name, a.rep.email, csv_datetime(a.started_at),
                 csv_datetime(a.ended_at), a.assigned_by.display_name if a.assigned_by else "",
                 a.ended_by.display_name if a.ended_by else ""]
                for a in assignments.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    context = {"partnership": partnership, "assignments": assignments}
    return render(request, "salesreps/history.html", context)


# --- new customer --------------------------------------------------------------------------


@manufacturer_view
@require_http_methods(["GET", "POST"])
def customer_new(request: ManufacturerRequest) -> HttpResponse:
    """Create a customer; a seller's new customer goes into their own portfolio."""
    is_staff = request.membership.is_staff_role
    sellers = selectors.sellers(manufacturer=request.tenant) if is_staff else None
    initial = {}
    if is_staff and request.method == "GET" and "rep" in request.GET:
        # From a rep's portfolio page: that rep is proposed; anyone else's id is ignored.
        proposed = selectors.seller_choice(manufacturer=request.tenant, user_id=request.GET["rep"])
        if proposed is not None:
            initial["rep"] = proposed.pk
    form = CustomerCreateForm(request.POST or None, sellers=sellers, initial=initial)
    if request.method == "POST" and form.is_valid():
        if is_staff:
            chosen = form.cleaned_data.get("rep")
            rep = chosen.user if chosen else None
        else:
            rep = request.user
        partnership = customer_create(
            manufacturer=request.tenant,
            created_by=request.user,
            rep=rep,
            reseller_fields=form.reseller_fields(),
            partnership_fields=form.partnership_fields(),
        )
        messages.success(
            request,
            _("%(customer)s (reseller ID %(public_id)s) is now a customer.")
            % {"customer": partnership.reseller.name, "public_id": partnership.reseller.public_id},
        )
        return redirect(
            "salesreps_manufacturer:history", partnership_id=partnership.pk, **_slug(request)
        )
    return render(
        request,
        "salesreps/customer_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


# --- sales report --------------------------------------------------------------------------


@manufacturer_view
@require_GET
def my_sales(request: ManufacturerRequest) -> HttpResponseBase:
    """Sales of the member's visible customers over a period; staff may pick one rep."""
    is_staff = request.membership.is_staff_role
    sellers = selectors.sellers(manufacturer=request.tenant) if is_staff else None
    form = SalesReportForm(request.GET or None, sellers=sellers)
    period = _period_context(form)
    rep = None
    if is_staff and form.is_valid() and form.cleaned_data.get("rep"):
        rep = form.cleaned_data["rep"].user
    report = selectors.sales_report(
        manufacturer=request.tenant, membership=request.membership, rep=rep, **period
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            filename="sales",
            header=[
                _("Order"),
                _("Date"),
                _("Reseller ID"),
                _("Reseller"),
                _("Status"),
                _("Manual"),
                _("Created by"),
                _("Currency"),
                _("Total"),
            ],
            rows=(
                [
                    order.number,
                    order.created_at.date().isoformat(),
                    order.reseller.public_id,
                    order.reseller.name,
                    order.get_status_display(),
                    _("Yes") if order.is_manual else _("No"),
                    order.created_by.display_name if order.created_by else "",
                    order.currency,
                    order.total,
                ]
                for order in report.orders.iterator(chunk_size=500)
            ),
        )
    chart = {
        "labels": [formatting.local_month(row["month"], "short") for row in report.per_month],
        "sales": [float(row["total"] or 0) for row in report.per_month],
        "salesLabel": _("Sales (%(currency)s)") % {"currency": request.tenant.currency},
    }
    context = {
        "form": form,
        "report": report,
        "chart": chart,
        "rep": rep,
        "page_obj": paginate(request, report.orders),
        **period,
    }
    return render(request, "salesreps/my_sales.html", context)


# --- invitations ---------------------------------------------------------------------------


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def invite(request: ManufacturerRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = rep_invite(
                manufacturer=request.tenant,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                invited_by=request.user,
                base_url=portal_url("/"),
                submission_key=form.cleaned_data["submission_key"],
            )
        except InvitationRefused as error:
            form.add_error("email", error.user_message)
        else:
            # The same answer whether or not the address has a login (no enumeration).
            text = _("Invitation sent to %(email)s. They join the team when they accept it.")
            messages.success(request, text % {"email": result.user.email})
            return redirect("salesreps_manufacturer:overview", **_slug(request))
    return render(
        request, "salesreps/invite.html", {"form": form}, status=400 if form.errors else 200
    )


# --- removing a member -----------------------------------------------------------------------


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def member_remove_view(request: ManufacturerRequest, user_id: int) -> HttpResponse:
    """GET: choose who takes over, then preview what moves; POST: remove (all or nothing)."""
    member = access_member(manufacturer=request.tenant, user_id=user_id)
    preview = selectors.member_removal_preview(manufacturer=request.tenant, user=member.user)
    refusal = member_removal_refusal(
        manufacturer=request.tenant, membership=member, by=request.user
    )
    needs_rep = bool(preview.customers)
    data: QueryDict | None
    if request.method == "POST":
        data = request.POST
    else:
        data = request.GET if "to_rep" in request.GET else None
    form = MemberRemoveForm(
        data,
        sellers=selectors.sellers(manufacturer=request.tenant).exclude(user_id=member.user_id),
        needs_rep=needs_rep,
    )
    ready = not refusal and (form.is_valid() if data is not None else not needs_rep)
    status = 200
    if request.method == "POST":
        if ready:
            try:
                result = member_remove(
                    manufacturer=request.tenant,
                    membership=member,
                    to_rep=form.to_rep(),
                    by=request.user,
                )
            except RemovalRefused as error:
                refusal = error.user_message
            else:
                text = _("%(name)s was removed from the team; their sessions have ended.") % {
                    "name": member.user.display_name
                }
                if result.to_rep is not None:
                    text += " " + _("%(count)d customer(s) moved to %(to)s.") % {
                        "count": result.customers,
                        "to": result.to_rep.display_name,
                    }
                messages.success(request, text)
                return redirect("accounts_manufacturer:team", **_slug(request))
        status = 400
    elif form.errors:
        status = 400
    context = {
        "member": member,
        "preview": preview,
        "form": form,
        "refusal": refusal,
        "ready": ready and not refusal,
        "to_rep": form.to_rep() if ready and needs_rep else None,
    }
    return render(request, "salesreps/member_remove.html", context, status=status)


# --- changing a member's role ------------------------------------------------------------------


@manufacturer_view(roles={Role.OWNER})
@recent_auth_required
@require_http_methods(["GET", "POST"])
def member_role_view(request: ManufacturerRequest, user_id: int) -> HttpResponse:
    """GET: choose the new role; POST: change it (owners, with a recent password)."""
    member = access_member(manufacturer=request.tenant, user_id=user_id)
    form = MemberRoleForm(request.POST or None, initial={"role": member.role})
    # Asked with a role other than theirs: what stops the page whatever role is chosen.
    refusal = member_role_change_refusal(
        manufacturer=request.tenant,
        membership=member,
        role=Role.OWNER if member.role != Role.OWNER else Role.MANAGER,
        by=request.user,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not refusal and form.is_valid():
            try:
                member_role_change(
                    manufacturer=request.tenant,
                    membership=member,
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
            except RoleChangeRefused as error:
                form.add_error("role", error.user_message)
            else:
                member.refresh_from_db()
                messages.success(
                    request,
                    _("%(name)s is now %(role)s; their sessions have ended.")
                    % {"name": member.user.display_name, "role": member.get_role_display()},
                )
                return redirect(
                    "accounts_manufacturer:team_member", **_slug(request), user_id=member.user_id
                )
    context = {"member": member, "form": form, "refusal": refusal}
    return render(request, "salesreps/member_role.html", context, status=status)
