"""Reads of announcements: the manufacturer's list and what one partner was told."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Manufacturer
from channel.models import Partnership
from partners.models import Announcement, AnnouncementDelivery, AnnouncementStatus


def announcements_of(
    manufacturer: Manufacturer, *, query: str = "", status: str = ""
) -> QuerySet[Announcement]:
    rows = (
        Announcement.objects.filter(manufacturer=manufacturer)
        .select_related("min_tier", "created_by", "published_by")
        .annotate(told=Count("deliveries"))
    )
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(body__icontains=query))
    if status in AnnouncementStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def access_announcement(*, manufacturer: Manufacturer, announcement_id: int) -> Announcement:
    announcement = (
        Announcement.objects.filter(manufacturer=manufacturer, pk=announcement_id)
        .select_related("min_tier", "manufacturer")
        .first()
    )
    if announcement is None:
        raise Http404(_("No such announcement."))
    return announcement


def announcements_for(partnership: Partnership) -> QuerySet[AnnouncementDelivery]:
    """What the partner was told and is still published, newest first (an index range)."""
    return (
        AnnouncementDelivery.objects.filter(
            partnership=partnership, announcement__status=AnnouncementStatus.PUBLISHED
        )
        .select_related("announcement")
        .order_by("-delivered_at", "-pk")
    )
