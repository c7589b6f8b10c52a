"""Problem partners: incidents, the guide's progressive response, blocks and partner notes.

The response goes forward one or more steps at a time (a friendly contact, a formal
conversation, removal from the preferred list, a block from specific offers, a block from all
offers); each step is recorded with its notes and who took it. A block takes effect at once:
`partners.selectors.offers.offers_open_to` reads the active blocks on every request. Lifting a
block is a recorded step too.

`incidents_raise_automatic` (nightly, after the scorecards) raises an incident from last
month's scorecard when a figure crosses its threshold (the manufacturer's
`IncidentThresholds`, set on the thresholds page; the defaults below without a row); at
most one open automatic incident per partner and kind, however often it runs.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Manufacturer, User
from channel.models import Partnership
from core.bounds import MAX_TEXT_LENGTH
from partners.metrics import add_months, month_start
from partners.models import (
    STEP_ORDER,
    Incident,
    IncidentKind,
    IncidentStep,
    IncidentThresholds,
    Offer,
    PartnerBlock,
    PartnerNote,
    Scorecard,
    Step,
)
from partners.services import PartnerRefused

THRESHOLD_FIELDS = (
    "max_cancellation_rate",
    "min_address_accuracy",
    "min_satisfaction",
    "max_response_hours",
    "min_orders",
    "min_ratings",
    "min_responses",
)


def incident_thresholds_of(manufacturer: Manufacturer) -> IncidentThresholds:
    """The tenant's thresholds, or the defaults (unsaved) when it never set them."""
    found = IncidentThresholds.objects.filter(manufacturer=manufacturer).first()
    return found or IncidentThresholds(manufacturer=manufacturer)


@transaction.atomic
def incident_thresholds_save(
    *, manufacturer: Manufacturer, values: dict[str, Any], by: User
) -> IncidentThresholds:
    """Set the thresholds; every one is bounded (the form says so first, the model's
    validators and the table's check constraints again)."""
    thresholds = incident_thresholds_of(manufacturer)
    for name in THRESHOLD_FIELDS:
        setattr(thresholds, name, values[name])
    thresholds.updated_by = by
    try:
        thresholds.full_clean(exclude=["manufacturer", "updated_by"])
    except ValidationError as error:
        raise PartnerRefused(" ".join(error.messages)) from error
    thresholds.save()
    return thresholds


def _text(value: str, *, what: str) -> str:
    value = value.strip()
    if not value:
        raise PartnerRefused(_("Write the %(what)s.") % {"what": what})
    if len(value) > MAX_TEXT_LENGTH:
        raise PartnerRefused(_("The %(what)s is too long.") % {"what": what})
    return value


@transaction.atomic
def incident_raise(
    *,
    partnership: Partnership,
    kind: str,
    summary: str,
    by: User | None,
    automatic: bool = False,
) -> Incident:
    if kind not in IncidentKind.values:
        raise PartnerRefused(_("Unknown kind of incident."))
    summary = _text(summary, what=_("summary"))[:300]
    return Incident.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        kind=kind,
        summary=summary,
        raised_automatically=automatic,
        raised_by=by,
        created_at=timezone.now(),
    )


@transaction.atomic
def incident_step_take(
    *, incident: Incident, step: str, notes: str, by: User | None, offer: Offer | None = None
) -> IncidentStep:
    """Take the next step of the response (or a later one); never back, never twice."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not locked.is_open:
        raise PartnerRefused(_("This incident is resolved."))
    if step not in STEP_ORDER:
        raise PartnerRefused(_("Unknown step."))
    notes = _text(notes, what=_("notes"))
    if locked.step and STEP_ORDER.index(Step(step)) <= STEP_ORDER.index(Step(locked.step)):
        raise PartnerRefused(
            _("The response is already at “%(step)s”: take a later step.")
            % {"step": Step(locked.step).label}
        )
    now = timezone.now()
    if step == Step.BLOCKED_OFFERS:
        if offer is None or offer.manufacturer_id != locked.manufacturer_id:
            raise PartnerRefused(_("Choose the offer to block."))
        PartnerBlock.objects.create(
            manufacturer_id=locked.manufacturer_id,
            partnership_id=locked.partnership_id,
            offer=offer,
            incident=locked,
            reason=notes,
            created_by=by,
            created_at=now,
        )
    elif step == Step.BLOCKED_ALL:
        PartnerBlock.objects.create(
            manufacturer_id=locked.manufacturer_id,
            partnership_id=locked.partnership_id,
            offer=None,
            incident=locked,
            reason=notes,
            created_by=by,
            created_at=now,
        )
    locked.step = step
    locked.save(update_fields=["step"])
    incident.step = step
    return IncidentStep.objects.create(
        manufacturer_id=locked.manufacturer_id,
        incident=locked,
        step=step,
        notes=notes,
        taken_by=by,
        created_at=now,
    )


@transaction.atomic
def block_lift(*, block: PartnerBlock, by: User, reason: str) -> PartnerBlock:
    reason = _text(reason, what=_("reason"))
    locked = PartnerBlock.objects.select_for_update().get(pk=block.pk)
    if locked.lifted_at is not None:
        raise PartnerRefused(_("This block was already lifted."))
    locked.lifted_at, locked.lifted_by, locked.lift_reason = timezone.now(), by, reason
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    if locked.incident_id is not None:
        IncidentStep.objects.create(
            manufacturer_id=locked.manufacturer_id,
            incident_id=locked.incident_id,
            step=Step.LIFTED,
            notes=reason,
            taken_by=by,
            created_at=locked.lifted_at,
        )
    return locked


@transaction.atomic
def incident_resolve(*, incident: Incident, by: User, notes: str) -> Incident:
    notes = _text(notes, what=_("notes"))
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not locked.is_open:
        raise PartnerRefused(_("This incident is resolved."))
    if PartnerBlock.objects.filter(incident=locked, lifted_at__isnull=True).exists():
        raise PartnerRefused(_("Lift this incident's blocks first: they would stay in force."))
    locked.is_open = False
    locked.save(update_fields=["is_open"])
    IncidentStep.objects.create(
        manufacturer_id=locked.manufacturer_id,
        incident=locked,
        step=Step.RESOLVED,
        notes=notes,
        taken_by=by,
        created_at=timezone.now(),
    )
    return locked


@transaction.atomic
def partner_note_add(*, partnership: Partnership, body: str, by: User) -> PartnerNote:
    return PartnerNote.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        body=_text(body, what=_("note")),
        author=by,
    )


def _breaches(card: Scorecard, limits: IncidentThresholds) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if (
        card.orders >= limits.min_orders
        and card.cancellation_rate is not None
        and card.cancellation_rate > limits.max_cancellation_rate
    ):
        found.append(
            (
                IncidentKind.HIGH_CANCELLATIONS,
                _("%(rate)s%% of %(month)s's orders were cancelled.")
                % {"rate": f"{card.cancellation_rate:.0f}", "month": card.month.strftime("%B %Y")},
            )
        )
    if (
        card.address_checked >= limits.min_orders
        and card.address_accuracy is not None
        and card.address_accuracy < limits.min_address_accuracy
    ):
        found.append(
            (
                IncidentKind.POOR_ADDRESSES,
                _("Only %(rate)s%% of the addresses checked in %(month)s were right.")
                % {"rate": f"{card.address_accuracy:.0f}", "month": card.month.strftime("%B %Y")},
            )
        )
    if (
        card.rated_orders >= limits.min_ratings
        and card.satisfaction is not None
        and card.satisfaction < limits.min_satisfaction
    ):
        found.append(
            (
                IncidentKind.COMPLAINTS,
                _("Customers rated %(month)s's orders %(value)s of 5 on average.")
                % {"value": f"{card.satisfaction:.1f}", "month": card.month.strftime("%B %Y")},
            )
        )
    if (
        card.responses >= limits.min_responses
        and card.response_hours is not None
        and card.response_hours > limits.max_response_hours
    ):
        found.append(
            (
                IncidentKind.SLOW_RESPONSES,
                _("In %(month)s the partner took %(hours)s hours on average to answer.")
                % {"hours": f"{card.response_hours:.0f}", "month": card.month.strftime("%B %Y")},
            )
        )
    return found


@transaction.atomic
def incidents_raise_automatic(*, manufacturer: Manufacturer, today: date | None = None) -> int:
    """Raise incidents from last month's scorecards; returns how many were new."""
    month = add_months(month_start(today or timezone.localdate()), -1)
    now = timezone.now()
    limits = incident_thresholds_of(manufacturer)
    rows = [
        Incident(
            manufacturer=manufacturer,
            partnership_id=card.partnership_id,
            kind=kind,
            summary=summary,
            raised_automatically=True,
            created_at=now,
        )
        for card in Scorecard.objects.filter(manufacturer=manufacturer, month=month)
        for kind, summary in _breaches(card, limits)
    ]
    open_now = set(
        Incident.objects.filter(
            manufacturer=manufacturer, is_open=True, raised_automatically=True
        ).values_list("partnership_id", "kind")
    )
    fresh = [row for row in rows if (row.partnership_id, row.kind) not in open_now]
    Incident.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def incidents_raise_automatic_all(*, today: date | None = None) -> int:
    total = 0
    for manufacturer in Manufacturer.objects.order_by("pk"):
        with scope(manufacturer=manufacturer):
            total += incidents_raise_automatic(manufacturer=manufacturer, today=today)
    return total
