"""Announcements: written as drafts, published to an audience, withdrawn.

The audience is resolved when the announcement is published: every active partner, the
active partners in a minimum tier or above, or named partners. Each is told once
(`AnnouncementDelivery`), each reseller user the way they chose for kind
`partner_announcement` (the same choice as for new offers). Withdrawing takes it off the
partners' pages and deletes the notifications not yet read, with their pending emails.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, User
from channel.models import Partnership, PartnershipStatus
from channel.selectors import dangerously_all_partnerships
from core import formatting
from core.bounds import MAX_TEXT_LENGTH
from notifications.models import NotificationKind
from notifications.services import notifications_withdraw, notify
from partners.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementKind,
    AnnouncementRecipient,
    AnnouncementStatus,
    Audience,
    Tier,
)
from partners.services import PartnerRefused

MAX_TITLE_LENGTH = 200


@dataclass
class AnnouncementValues:
    kind: str
    title: str
    body: str
    audience: str = Audience.ALL
    min_tier: Tier | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    recipient_ids: list[int] = field(default_factory=list)  # partnership ids


def _validate(manufacturer: Manufacturer, values: AnnouncementValues) -> None:
    if values.kind not in AnnouncementKind.values:
        raise PartnerRefused(_("Unknown kind of announcement."))
    if values.audience not in Audience.values:
        raise PartnerRefused(_("Unknown audience."))
    if not values.title.strip():
        raise PartnerRefused(_("An announcement needs a title."))
    if len(values.title.strip()) > MAX_TITLE_LENGTH:
        raise PartnerRefused(_("The title is too long."))
    if not values.body.strip():
        raise PartnerRefused(_("Write what you want to tell your partners."))
    if len(values.body) > MAX_TEXT_LENGTH:
        raise PartnerRefused(_("The message is too long."))
    if values.starts_at and values.ends_at and values.ends_at <= values.starts_at:
        raise PartnerRefused(_("The end is not after the start."))
    if values.kind == AnnouncementKind.DOWNTIME and not (values.starts_at and values.ends_at):
        raise PartnerRefused(_("Planned downtime needs the time it starts and ends."))
    if values.audience == Audience.MIN_TIER and (
        values.min_tier is None or values.min_tier.manufacturer_id != manufacturer.pk
    ):
        raise PartnerRefused(_("Choose the minimum tier the announcement is for."))
    if values.audience == Audience.NAMED and not values.recipient_ids:
        raise PartnerRefused(_("Name at least one partner."))
    if values.recipient_ids and values.audience != Audience.NAMED:
        raise PartnerRefused(_("Only an announcement for named partners names partners."))
    ours = (
        dangerously_all_partnerships(manufacturer=manufacturer)
        .filter(pk__in=values.recipient_ids)
        .count()
    )
    if ours != len(set(values.recipient_ids)):
        raise PartnerRefused(_("One or more of the named partners are not your partners."))


@transaction.atomic
def announcement_save(
    *,
    manufacturer: Manufacturer,
    announcement: Announcement | None,
    values: AnnouncementValues,
    by: User,
) -> Announcement:
    """Create or change a draft; refused, with nothing written, once it is published."""
    _validate(manufacturer, values)
    if announcement is not None:
        announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if announcement.status != AnnouncementStatus.DRAFT:
            raise PartnerRefused(_("A published announcement cannot be changed; withdraw it."))
    target = announcement or Announcement(manufacturer=manufacturer, created_by=by)
    target.kind = values.kind
    target.title = values.title.strip()
    target.body = values.body.strip()
    target.audience = values.audience
    target.min_tier = values.min_tier if values.audience == Audience.MIN_TIER else None
    target.starts_at, target.ends_at = values.starts_at, values.ends_at
    target.save()
    AnnouncementRecipient.objects.filter(announcement=target).delete()
    AnnouncementRecipient.objects.bulk_create(
        AnnouncementRecipient(manufacturer=manufacturer, announcement=target, partnership_id=pid)
        for pid in sorted(set(values.recipient_ids))
    )
    return target


def audience_of(announcement: Announcement) -> QuerySet[Partnership]:
    """The active partnerships the announcement is for, as of now."""
    partnerships = dangerously_all_partnerships(manufacturer=announcement.manufacturer).filter(
        status=PartnershipStatus.ACTIVE
    )
    if announcement.audience == Audience.NAMED:
        return partnerships.filter(pk__in=announcement.recipients.values("partnership_id"))
    tier = announcement.min_tier  # set for a tier audience (tier_announcement_has_a_tier)
    if announcement.audience == Audience.MIN_TIER and tier is not None:
        at_or_above = Q(partner_tier__tier__rank__gte=tier.rank)
        is_entry = not Tier.objects.filter(
            manufacturer_id=tier.manufacturer_id, rank__lt=tier.rank
        ).exists()
        # A partner without a tier row is in the entry tier.
        return partnerships.filter(
            at_or_above | Q(partner_tier__isnull=True) if is_entry else at_or_above
        )
    return partnerships


def _tell(announcement: Announcement, partnerships: list[Partnership]) -> None:
    manufacturer = announcement.manufacturer
    values = {"manufacturer": manufacturer.name, "title": announcement.title}

    def title() -> str:
        if announcement.kind == AnnouncementKind.DOWNTIME:
            return _("Planned downtime at %(manufacturer)s: %(title)s") % values
        return _("%(manufacturer)s: %(title)s") % values

    def body() -> str:
        if announcement.starts_at and announcement.ends_at:
            return _("%(start)s – %(end)s · %(body)s") % {
                "start": formatting.local_datetime(announcement.starts_at),
                "end": formatting.local_datetime(announcement.ends_at),
                "body": announcement.body,
            }
        return announcement.body

    for partnership in partnerships:
        notify(
            users=User.objects.filter(
                reseller_memberships__reseller_id=partnership.reseller_id, is_active=True
            ),
            manufacturer=manufacturer,
            kind=NotificationKind.PARTNER_ANNOUNCEMENT,
            title=title,
            body=body,
            url=(
                f"/r/{partnership.reseller.public_id}/m/{manufacturer.slug}/announcements/"
                f"#announcement-{announcement.pk}"
            ),
            topic=f"announcement:{announcement.pk}",
        )


@transaction.atomic
def announcement_publish(*, announcement: Announcement, by: User) -> int:
    """Publish the draft and tell its audience; returns how many partners were told."""
    locked = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("manufacturer", "min_tier")
        .get(pk=announcement.pk)
    )
    if locked.status != AnnouncementStatus.DRAFT:
        raise PartnerRefused(_("This announcement is already published."))
    if locked.ends_at is not None and locked.ends_at <= timezone.now():
        raise PartnerRefused(_("What this announcement is about has already ended."))
    partnerships = list(audience_of(locked).select_related("reseller").order_by("pk"))
    if not partnerships:
        raise PartnerRefused(_("No active partner is in this audience, so nobody would be told."))
    now = timezone.now()
    locked.status, locked.published_at, locked.published_by = (
        AnnouncementStatus.PUBLISHED,
        now,
        by,
    )
    locked.save(update_fields=["status", "published_at", "published_by"])
    AnnouncementDelivery.objects.bulk_create(
        AnnouncementDelivery(
            manufacturer=locked.manufacturer, announcement=locked, partnership=p, delivered_at=now
        )
        for p in partnerships
    )
    _tell(locked, partnerships)
    announcement.status, announcement.published_at = locked.status, locked.published_at
    return len(partnerships)


@transaction.atomic
def announcement_withdraw(*, announcement: Announcement) -> None:
    """Take a published announcement off the partners' pages, with its notifications and
    the emails of it not yet sent."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.status != AnnouncementStatus.PUBLISHED:
        raise PartnerRefused(_("Only a published announcement can be withdrawn."))
    locked.status, locked.withdrawn_at = AnnouncementStatus.WITHDRAWN, timezone.now()
    locked.save(update_fields=["status", "withdrawn_at"])
    notifications_withdraw(
        manufacturer_id=locked.manufacturer_id, topic=f"announcement:{locked.pk}"
    )
    announcement.status, announcement.withdrawn_at = locked.status, locked.withdrawn_at


@transaction.atomic
def announcement_delete(*, announcement: Announcement) -> None:
    """A draft nobody was told of can be thrown away."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.status != AnnouncementStatus.DRAFT:
        raise PartnerRefused(_("Only a draft can be deleted; withdraw a published one."))
    locked.delete()
