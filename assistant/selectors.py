"""Reads of the assistant's own data."""

from django.db.models import QuerySet

from accounts.models import ManufacturerMembership
from assistant.models import RECENT_REQUESTS, RecentRequest


def recent_requests(*, membership: ManufacturerMembership) -> QuerySet[RecentRequest]:
    """The member's own latest requests in this tenant, newest first."""
    return RecentRequest.objects.filter(
        manufacturer_id=membership.manufacturer_id, user_id=membership.user_id
    ).order_by("-asked_at", "-pk")[:RECENT_REQUESTS]
