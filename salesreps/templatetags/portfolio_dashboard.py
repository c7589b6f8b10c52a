"""`{% load portfolio_dashboard %}{% attention_unassigned_customers %}`: active customers
without a sales rep, as a "needs attention" row of the manufacturer dashboard, linked to
the coverage report.

Staff only (a seller gets nothing rendered). One query.
"""

from django import template
from django.utils.translation import gettext as _

from salesreps.selectors import coverage_gaps

register = template.Library()


@register.inclusion_tag("dashboard/attention_item.html", takes_context=True)
def attention_unassigned_customers(context) -> dict:
    request = context["request"]
    if not request.membership.is_staff_role:
        return {"show": False}
    return {
        "show": True,
        "count": coverage_gaps(manufacturer=request.tenant).order_by().count(),
        "label": _("Customers without a sales rep"),
        "icon": "person-exclamation",
        "url_name": "salesreps_manufacturer:coverage",
        "query": "",
        "request": request,
    }
