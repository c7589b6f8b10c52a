"""`{% load inbox %}`: helpers for the communications templates."""

import uuid

from django import template

register = template.Library()


@register.simple_tag
def uuid_key() -> str:
    """A fresh one-time key for a form, so submitting it twice changes nothing."""
    return str(uuid.uuid4())
