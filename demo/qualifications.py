"""Demo qualification history: about half the active resellers qualified, a few declined,
some holding the restricted second qualification, a couple of revocations on record.

Rows are written with past timestamps rather than through the services, which would stamp
everything "now" and notify the staff of events that happened months ago. Idempotent: a
manufacturer that already has grants is left alone.
"""

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.models import Manufacturer, Role, User
from catalog.models import Qualification
from channel.models import Partnership, PartnershipStatus, QualifyingStatus
from qualifications.models import (
    QualificationGrant,
    QualificationRequest,
    QualifyingStatusChange,
    RequestStatus,
)

if TYPE_CHECKING:
    from demo.channel import DemoReport

REQUEST_MESSAGES = (
    "Two of our installers finished the certification course last month; certificates attached.",
    "We are quoting a hotel project that needs the restricted range. Could you unlock it?",
    "Our new showroom opens in spring and we would like to show the full line.",
)
DECLINE_REASON = "Please complete the online training first; then ask again."

REVOKE_REASONS = (
    "Certified installer left the company; re-certification pending.",
    "Certification expired and was not renewed.",
)


def build_demo_qualifications(
    manufacturer: Manufacturer, report: "DemoReport", *, qualified_ids: frozenset[str] = frozenset()
) -> None:
    """`qualified_ids`: reseller IDs that must come out qualified (the demo logins' own)."""
    if QualificationGrant.objects.filter(manufacturer=manufacturer).exists():
        return
    qualifications = list(Qualification.objects.filter(manufacturer=manufacturer).order_by("pk"))
    default = next((q for q in qualifications if q.is_default), None)
    extras = [q for q in qualifications if not q.is_default]
    if default is None:
        return
    staff = (
        manufacturer.memberships.filter(role__in=[Role.OWNER, Role.MANAGER])
        .select_related("user")
        .order_by("role", "user__email")
    )
    deciders = [membership.user for membership in staff]
    rng = random.Random(f"qualifications-{manufacturer.slug}")  # noqa: S311 - demo data
    now = timezone.now()
    partnerships = (
        Partnership.objects.filter(manufacturer=manufacturer, status=PartnershipStatus.ACTIVE)
        .select_related("reseller")
        .order_by("pk")
    )
    pending: list[Partnership] = []
    for partnership in partnerships:
        roll = rng.random()
        if partnership.reseller.public_id in qualified_ids:
            roll = 0.0
        decided_by = rng.choice(deciders)
        decided_at = now - timedelta(days=rng.randint(20, 420), hours=rng.randint(0, 9))
        if roll < 0.5:
            _grant(partnership, default, decided_by, decided_at, "Sales training completed.")
            _status(partnership, QualifyingStatus.QUALIFIED, decided_by, decided_at, "")
            report.count("qualification grants")
            if extras and rng.random() < 0.4:
                extra = rng.choice(extras)
                later = decided_at + timedelta(days=rng.randint(5, 15))
                _grant(partnership, extra, decided_by, later, "Installer certification passed.")
                report.count("qualification grants")
        elif roll < 0.62:
            _status(
                partnership,
                QualifyingStatus.NOT_QUALIFIED,
                decided_by,
                decided_at,
                "No certified staff yet.",
            )
        elif roll < 0.68 and extras:
            grant = _grant(partnership, extras[0], decided_by, decided_at, "Pilot installation.")
            grant.revoked_at = decided_at + timedelta(days=rng.randint(30, 90))
            grant.revoked_by = decided_by
            grant.revoke_reason = rng.choice(REVOKE_REASONS)
            grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
            report.count("qualification grants")
        elif roll >= 0.68:
            pending.append(partnership)
    _requests(pending, default, deciders, rng, now, report)


def _requests(
    pending: list[Partnership],
    qualification: Qualification,
    deciders: list[User],
    rng: random.Random,
    now: datetime,
    report: "DemoReport",
) -> None:
    """A few open requests for staff to answer, and one declined earlier."""
    for index, partnership in enumerate(rng.sample(pending, min(4, len(pending)))):
        requester = partnership.reseller.memberships.select_related("user").first()
        declined = index == 3
        QualificationRequest.objects.create(
            manufacturer=partnership.manufacturer,
            partnership=partnership,
            qualification=qualification,
            message=REQUEST_MESSAGES[index % len(REQUEST_MESSAGES)],
            status=RequestStatus.DECLINED if declined else RequestStatus.OPEN,
            requested_by=requester.user if requester else None,
            created_at=now - timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 9)),
            decided_by=rng.choice(deciders) if declined else None,
            decided_at=now - timedelta(hours=rng.randint(1, 20)) if declined else None,
            decline_reason=DECLINE_REASON if declined else "",
        )
        report.count("qualification requests")


def _grant(
    partnership: Partnership, qualification: Qualification, user: User, at: datetime, reason: str
) -> QualificationGrant:
    return QualificationGrant.objects.create(
        manufacturer=partnership.manufacturer,
        partnership=partnership,
        qualification=qualification,
        granted_at=at,
        granted_by=user,
        grant_reason=reason,
    )


def _status(partnership: Partnership, status: str, user: User, at: datetime, reason: str) -> None:
    QualifyingStatusChange.objects.create(
        manufacturer=partnership.manufacturer,
        partnership=partnership,
        from_status=partnership.qualifying_status,
        to_status=status,
        changed_by=user,
        reason=reason,
        changed_at=at,
    )
    partnership.qualifying_status = status
    partnership.save(update_fields=["qualifying_status"])
