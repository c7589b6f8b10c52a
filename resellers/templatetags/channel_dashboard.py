"""`{% load channel_dashboard %}`: the panels of the two landing pages.

accounts (the lowest layer) owns the dashboard views and templates but may not import the
apps whose figures they show, so the templates load these tags instead. Each tag takes the
request from the context, asks one selector of `resellers.selectors.dashboard` for its
figures (scoped to the request's tenant and member, or to its reseller) and renders a
partial in templates/dashboard/. The queries and their budgets are documented there.

Manufacturer portal (`request.tenant`, `request.membership`):
    {% channel_kpis %}  {% channel_sales_chart %}  {% channel_recent_orders %}
    {% channel_top_resellers %}  {% channel_attention_orders %}

Reseller dashboard (`request.reseller`):
    {% reseller_overview %}  {% reseller_recent_orders %}
"""

from django import template
from django.template import Context
from django.utils.translation import gettext as _

from accounts.tenancy import ManufacturerRequest, ResellerRequest
from resellers.selectors import dashboard

register = template.Library()


def _staff_context(context: Context) -> dict[str, object]:
    request: ManufacturerRequest = context["request"]
    return {
        "request": request,
        "is_seller": not request.membership.is_staff_role,
    }


@register.inclusion_tag("dashboard/kpis.html", takes_context=True)
def channel_kpis(context: Context) -> dict[str, object]:
    request: ManufacturerRequest = context["request"]
    return {
        **_staff_context(context),
        "figures": dashboard.channel_figures(
            manufacturer=request.tenant, membership=request.membership
        ),
    }


@register.inclusion_tag("dashboard/sales_chart.html", takes_context=True)
def channel_sales_chart(context: Context) -> dict[str, object]:
    request: ManufacturerRequest = context["request"]
    chart = dashboard.sales_chart(manufacturer=request.tenant, membership=request.membership)
    return {
        **_staff_context(context),
        "months": chart.months,
        "chart": chart.chart,
        "total_sales": chart.total_sales,
        "total_orders": chart.total_orders,
        "has_sales": chart.has_sales,
    }


@register.inclusion_tag("dashboard/recent_orders.html", takes_context=True)
def channel_recent_orders(context: Context) -> dict[str, object]:
    request: ManufacturerRequest = context["request"]
    return {
        **_staff_context(context),
        "orders": dashboard.recent_orders(
            manufacturer=request.tenant, membership=request.membership
        ),
    }


@register.inclusion_tag("dashboard/top_resellers.html", takes_context=True)
def channel_top_resellers(context: Context) -> dict[str, object]:
    request: ManufacturerRequest = context["request"]
    return {
        **_staff_context(context),
        "rows": dashboard.top_resellers(manufacturer=request.tenant, membership=request.membership),
        "days": dashboard.TOP_RESELLER_DAYS,
    }


@register.inclusion_tag("dashboard/attention_item.html", takes_context=True)
def channel_attention_orders(context: Context) -> dict[str, object]:
    request: ManufacturerRequest = context["request"]
    return {
        "show": True,
        "count": dashboard.orders_awaiting_acceptance_count(
            manufacturer=request.tenant, membership=request.membership
        ),
        "label": _("Orders awaiting acceptance"),
        "icon": "inbox",
        "url_name": "orders_manufacturer:list",
        "query": "?status=placed",
        "request": request,
    }


@register.inclusion_tag("dashboard/reseller_overview.html", takes_context=True)
def reseller_overview(context: Context) -> dict[str, object]:
    request: ResellerRequest = context["request"]
    overview = dashboard.reseller_overview(reseller=request.reseller)
    return {
        "request": request,
        "partnerships": overview.partnerships,
        "active_count": overview.active_count,
        "recent_orders": overview.recent_orders,
        "open_orders": overview.open_orders,
        "end_customers": overview.end_customers,
        "days": dashboard.KPI_DAYS,
    }


@register.inclusion_tag("dashboard/reseller_recent_orders.html", takes_context=True)
def reseller_recent_orders(context: Context) -> dict[str, object]:
    request: ResellerRequest = context["request"]
    return {
        "request": request,
        "orders": dashboard.reseller_recent_orders(reseller=request.reseller),
    }
