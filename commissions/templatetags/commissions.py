"""Commission panels that pages of lower apps show (their templates load this library; the
Python of those apps never imports commissions):

- `{% reseller_earnings %}` on the reseller dashboard's home;
- `{% reseller_commissions_panel partnership %}` on a reseller's profile (manufacturer);
- `{% attention_payout_requests %}` on the manufacturer dashboard (staff).
"""

from django import template
from django.template import Context
from django.utils.translation import gettext as _

from commissions.models import PayoutRequestStatus
from commissions.selectors.balances import balance_of
from commissions.selectors.dashboard import reseller_earnings as earnings_of
from commissions.selectors.ledger import explained, partnership_entries

register = template.Library()


@register.inclusion_tag("commissions/_reseller_earnings.html", takes_context=True)
def reseller_earnings(context: Context) -> dict[str, object]:
    request = context["request"]
    return {"request": request, "earnings": earnings_of(reseller=request.reseller)}


@register.inclusion_tag("commissions/_profile_panel.html", takes_context=True)
def reseller_commissions_panel(context: Context, partnership) -> dict[str, object]:
    entries = partnership_entries(partnership)
    return {
        "request": context["request"],
        "partnership": partnership,
        "balance": balance_of(entries),
        "rows": explained(list(entries[:5])),
        "currency": partnership.manufacturer.currency,
    }


@register.inclusion_tag("dashboard/attention_item.html", takes_context=True)
def attention_payout_requests(context: Context) -> dict[str, object]:
    request = context["request"]
    if not request.membership.is_staff_role:
        return {"show": False}
    from commissions.models import PayoutRequest

    return {
        "show": True,
        "count": PayoutRequest.objects.filter(
            manufacturer=request.tenant, status=PayoutRequestStatus.REQUESTED
        ).count(),
        "label": _("Payout requests to approve"),
        "icon": "cash-coin",
        "url_name": "commissions_manufacturer:approvals",
        "query": "",
        "request": request,
    }
