from django.db.models import F, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, User
from notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboxEmail,
    OutboxStatus,
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


def failed_email_list(*, manufacturer: Manufacturer) -> QuerySet[OutboxEmail]:
    """The tenant's emails the outbox gave up on, the latest first."""
    return OutboxEmail.objects.filter(
        manufacturer=manufacturer, status=OutboxStatus.FAILED
    ).order_by(F("last_attempt_at").desc(nulls_last=True), "-pk")


def access_outbox_email(*, manufacturer: Manufacturer, email_id: int) -> OutboxEmail:
    """One of the tenant's emails; one Http404 for a missing or another tenant's id."""
    email = OutboxEmail.objects.filter(manufacturer=manufacturer, pk=email_id).first()
    if email is None:
        raise Http404(_("No such email."))
    return email
