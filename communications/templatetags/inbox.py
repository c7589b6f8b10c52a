"""`{% load inbox %}`: helpers for the communications templates."""

import uuid

from django import template

register = template.Library()


@register.simple_tag
def uuid_key() -> str:
    """A fresh one-time key for a form, so submitting it twice changes nothing."""
    return str(uuid.uuid4())


@register.inclusion_tag("communications/_profile_history.html", takes_context=True)
def reseller_conversations(context, partnership) -> dict:
    """`{% reseller_conversations partnership %}` on a reseller profile: the newest
    conversations the member may see, and a way to start one."""
    from communications.selectors import partnership_conversations

    request = context["request"]
    # The partnership comes from the page's own access helper; check the tenant again anyway.
    if partnership.manufacturer_id != request.tenant.pk:
        return {"partnership": None}
    return {
        "request": request,
        "partnership": partnership,
        "conversations": partnership_conversations(
            membership=request.membership, partnership=partnership
        ),
    }
