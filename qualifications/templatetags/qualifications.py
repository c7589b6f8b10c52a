"""`{% load qualifications %}{% reseller_qualifications partnership %}` on a reseller profile
in the manufacturer portal: held qualifications, grant / revoke, qualifying status."""

from django import template

from qualifications.section import SECTION_TEMPLATE, section_context

register = template.Library()


@register.inclusion_tag(SECTION_TEMPLATE, takes_context=True)
def reseller_qualifications(context, partnership) -> dict:
    request = context["request"]
    # The partnership comes from the page's own access helper; check the tenant again anyway.
    if partnership.manufacturer_id != request.tenant.pk:
        return {"partnership": None}
    section = section_context(request, partnership)
    section["request"] = request
    section["csrf_token"] = context.get("csrf_token")
    return section
