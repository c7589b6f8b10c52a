"""`{% load qualification_dashboard %}{% attention_qualification_requests %}`: the open
qualification requests as a "needs attention" row of the manufacturer dashboard.

Staff only: the requests page is theirs (a seller gets nothing rendered). One query.
"""

from django import template
from django.utils.translation import gettext as _

from qualifications.selectors import open_request_count

register = template.Library()


@register.inclusion_tag("dashboard/attention_item.html", takes_context=True)
def attention_qualification_requests(context) -> dict:
    request = context["request"]
    if not request.membership.is_staff_role:
        return {"show": False}
    return {
        "show": True,
        "count": open_request_count(manufacturer=request.tenant),
        "label": _("Open qualification requests"),
        "icon": "patch-question",
        "url_name": "qualifications_manufacturer:requests",
        "query": "",
        "request": request,
    }
