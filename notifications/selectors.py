from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, User
from notifications.models import (
    RESELLER_KINDS,
    STAFF_KINDS,
    Notification,
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


def preference_choices(
    *, user: User, manufacturer: Manufacturer, kinds: Sequence[str] = STAFF_KINDS
) -> dict[str, str]:
    """{kind: channel} for each of `kinds`: the saved choice, else the default."""
    saved = dict(
        NotificationPreference.objects.filter(user=user, manufacturer=manufacturer).values_list(
            "kind", "channel"
        )
    )
    return {kind: saved.get(kind, default_channel(kind)) for kind in kinds}


@dataclass(frozen=True)
class PreferenceTenant:
    """A manufacturer the user hears from, and the kinds of event they may hear of there."""

    manufacturer: Manufacturer
    kinds: tuple[str, ...]


def preference_tenants(*, user: User) -> list[PreferenceTenant]:
    """The manufacturers the user belongs to (staff kinds), then those their reseller
    partners with (reseller kinds), each once, by name."""
    members = list(
        Manufacturer.objects.filter(memberships__user=user).distinct().order_by("name", "pk")
    )
    member_ids = {manufacturer.pk for manufacturer in members}
    partners = [
        manufacturer
        for manufacturer in Manufacturer.objects.filter(
            partnerships__reseller__memberships__user=user
        )
        .distinct()
        .order_by("name", "pk")
        if manufacturer.pk not in member_ids
    ]
    return [PreferenceTenant(m, STAFF_KINDS) for m in members] + [
        PreferenceTenant(m, RESELLER_KINDS) for m in partners
    ]


def access_preference_tenant(*, user: User, slug: str) -> PreferenceTenant:
    """One of the user's own preference tenants; one 404 for any other slug."""
    for tenant in preference_tenants(user=user):
        if tenant.manufacturer.slug == slug:
            return tenant
    raise Http404(_("No such manufacturer."))


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
