from django.db.models import QuerySet

from accounts.models import Manufacturer, User
from notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    default_channel,
)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(user=user).select_related("manufacturer")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def preference_choices(*, user: User, manufacturer: Manufacturer) -> dict[str, str]:
    """{kind: channel} for every kind: the saved choice, else the default."""
    saved = dict(
        NotificationPreference.objects.filter(user=user, manufacturer=manufacturer).values_list(
            "kind", "channel"
        )
    )
    return {kind: saved.get(kind, default_channel(kind)) for kind in NotificationKind.values}
