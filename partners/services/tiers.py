"""Tiers: the guide's defaults, published criteria, the periodic evaluation and its decisions.

The evaluation (`tiers_evaluate`, monthly beat entry `partner-tier-evaluation`, or a
manager's "Evaluate now") counts, in one grouped query over the stored scorecards, how many
of each tier's last `months_held` complete months met all of its criteria. A partner's
target is the best tier it met in every one of those months (the entry tier always). A
target above its tier is a promotion, below it a demotion: a pending proposal carrying the
figures of those months. Nothing changes until a manager approves or overrides it; then the
reseller's users are told what changed and why.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from accounts.models import STAFF_ROLES, Manufacturer, ManufacturerMembership, User
from channel.benefits import forget_benefits
from channel.models import Partnership, PartnershipStatus
from channel.selectors import dangerously_all_partnerships
from core.bounds import MAX_PERCENT, MAX_TEXT_LENGTH
from notifications.models import NotificationKind
from notifications.services import notify
from partners.metrics import add_months, month_start
from partners.models import (
    MAX_EARLY_ACCESS_DAYS,
    MAX_MONTHLY_ORDERS,
    MAX_MONTHS_HELD,
    MAX_SATISFACTION,
    MIN_SATISFACTION,
    Cadence,
    PartnerTier,
    ProposalStatus,
    Scorecard,
    Tier,
    TierChange,
    TierProposal,
)
from partners.selectors.tiers import current_tier, tier_criteria_q, tiers_of
from partners.services import PartnerRefused
from partners.services.meetings import meetings_schedule

DEFAULT_TIERS: list[dict[str, Any]] = [
    {
        "name": "Bronze",
        "rank": 0,
        "description": "All resellers: standard pricing, public offers, standard support.",
    },
    {
        "name": "Silver",
        "rank": 1,
        "description": "5% better pricing, early access to new offers, priority support "
        "queue, monthly check-ins.",
        "min_monthly_orders": 8,
        "min_completion_rate": Decimal("90.00"),
        "max_cancellation_rate": Decimal("10.00"),
        "months_held": 3,
        "discount_percent": Decimal("5.00"),
        "early_access_days": 7,
        "priority_support": True,
        "check_ins": Cadence.MONTHLY,
    },
    {
        "name": "Gold",
        "rank": 2,
        "description": "10% better pricing, exclusive offers, a named account manager, "
        "quarterly business reviews, co-marketing.",
        "min_monthly_orders": 15,
        "min_completion_rate": Decimal("95.00"),
        "max_cancellation_rate": Decimal("5.00"),
        "min_satisfaction": Decimal("4.00"),
        "months_held": 3,
        "discount_percent": Decimal("10.00"),
        "early_access_days": 14,
        "priority_support": True,
        "exclusive_offers": True,
        "account_manager": True,
        "co_marketing": True,
        "check_ins": Cadence.QUARTERLY,
    },
]

TIER_FIELDS = (
    "name",
    "rank",
    "description",
    "min_monthly_orders",
    "min_completion_rate",
    "max_cancellation_rate",
    "min_satisfaction",
    "months_held",
    "discount_percent",
    "commission_rate",
    "early_access_days",
    "priority_support",
    "exclusive_offers",
    "account_manager",
    "co_marketing",
    "check_ins",
)


@transaction.atomic
def tiers_create_defaults(*, manufacturer: Manufacturer) -> list[Tier]:
    """The guide's Bronze, Silver and Gold, for a tenant that has no tiers yet."""
    # Called when a tenant is created, possibly where no tenant is in scope yet.
    with scope(manufacturer=manufacturer):
        if Tier.objects.filter(manufacturer=manufacturer).exists():
            return tiers_of(manufacturer)
        return Tier.objects.bulk_create(
            Tier(manufacturer=manufacturer, **spec) for spec in DEFAULT_TIERS
        )


def on_manufacturer_created(*, manufacturer: Manufacturer) -> None:
    """accounts.hooks.manufacturer_created (PartnersConfig.ready)."""
    tiers_create_defaults(manufacturer=manufacturer)


def _check_rate(value: Decimal | None, label: str) -> None:
    if value is not None and (not value.is_finite() or not 0 <= value <= MAX_PERCENT):
        raise PartnerRefused(_("%(label)s must be between 0%% and 100%%.") % {"label": label})


def validate_tier(values: dict[str, Any]) -> None:
    """Refuse impossible criteria and benefits with a message that names them."""
    name = str(values.get("name", "")).strip()
    if not name:
        raise PartnerRefused(_("A tier needs a name."))
    if not 0 <= int(values.get("rank", 0)) <= 99:
        raise PartnerRefused(_("The rank is from 0 (the entry tier) to 99."))
    orders = int(values.get("min_monthly_orders", 0))
    if not 0 <= orders <= MAX_MONTHLY_ORDERS:
        raise PartnerRefused(
            _("Minimum orders per month must be between 0 and %(max)d.")
            % {"max": MAX_MONTHLY_ORDERS}
        )
    _check_rate(values.get("min_completion_rate"), _("The minimum completion rate"))
    _check_rate(values.get("max_cancellation_rate"), _("The maximum cancellation rate"))
    _check_rate(values.get("discount_percent"), _("The better pricing"))
    _check_rate(values.get("commission_rate"), _("The commission rate"))
    satisfaction = values.get("min_satisfaction")
    if satisfaction is not None and not MIN_SATISFACTION <= satisfaction <= MAX_SATISFACTION:
        raise PartnerRefused(_("The minimum satisfaction is from 1 to 5."))
    if not 1 <= int(values.get("months_held", 1)) <= MAX_MONTHS_HELD:
        raise PartnerRefused(
            _("Criteria are held for 1 to %(max)d months.") % {"max": MAX_MONTHS_HELD}
        )
    if not 0 <= int(values.get("early_access_days", 0)) <= MAX_EARLY_ACCESS_DAYS:
        raise PartnerRefused(_("Early access is 0 to 365 days."))
    if values.get("check_ins", Cadence.NONE) not in Cadence.values:
        raise PartnerRefused(_("Unknown check-in cadence."))


@transaction.atomic
def tier_save(*, manufacturer: Manufacturer, tier: Tier | None, values: dict[str, Any]) -> Tier:
    """Create a tier (`tier=None`) or change one; refused with nothing written when its
    criteria are impossible or its name or rank is taken."""
    validate_tier(values)
    fields = {key: values[key] for key in TIER_FIELDS if key in values}
    fields["name"] = str(fields["name"]).strip()
    target = tier or Tier(manufacturer=manufacturer)
    for key, value in fields.items():
        setattr(target, key, value)
    clash = Tier.objects.filter(manufacturer=manufacturer).exclude(pk=target.pk)
    if clash.filter(name__iexact=target.name).exists():
        raise PartnerRefused(_("Another tier is already called %(name)s.") % {"name": target.name})
    if clash.filter(rank=target.rank).exists():
        raise PartnerRefused(_("Another tier already has rank %(rank)d.") % {"rank": target.rank})
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as error:  # a concurrent save took the name or rank
        raise PartnerRefused(_("Another tier already has this name or rank.")) from error
    return target


# --- the evaluation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    proposed: int  # pending proposals written or refreshed
    promotions: int
    demotions: int
    withdrawn: int  # pending proposals no longer justified


def proposal_figures(cards: list[Scorecard]) -> list[dict[str, Any]]:
    return [
        {
            "month": card.month.strftime("%Y-%m"),
            "orders": card.orders,
            "completion_rate": None if card.completion_rate is None else str(card.completion_rate),
            "cancellation_rate": (
                None if card.cancellation_rate is None else str(card.cancellation_rate)
            ),
            "satisfaction": None if card.satisfaction is None else str(card.satisfaction),
        }
        for card in sorted(cards, key=lambda c: c.month)
    ]


def proposal_reasons(tier: Tier, cards: list[Scorecard], *, promotion: bool) -> list[str]:
    """The criteria as a manager and the reseller read them."""
    months = len(cards)
    orders = ", ".join(str(card.orders) for card in sorted(cards, key=lambda c: c.month))
    lines = [
        _("Orders per month: %(orders)s (at least %(needed)d needed, %(months)d months)")
        % {"orders": orders or "—", "needed": tier.min_monthly_orders, "months": months}
    ]
    if tier.min_completion_rate is not None:
        lines.append(
            _("Completion rate: %(rates)s (at least %(needed)s%% needed)")
            % {
                "rates": ", ".join(
                    "—" if c.completion_rate is None else f"{c.completion_rate:.1f}%"
                    for c in sorted(cards, key=lambda c: c.month)
                ),
                "needed": f"{tier.min_completion_rate:.0f}",
            }
        )
    if tier.max_cancellation_rate is not None:
        lines.append(
            _("Cancellation rate: %(rates)s (at most %(needed)s%%)")
            % {
                "rates": ", ".join(
                    "—" if c.cancellation_rate is None else f"{c.cancellation_rate:.1f}%"
                    for c in sorted(cards, key=lambda c: c.month)
                ),
                "needed": f"{tier.max_cancellation_rate:.0f}",
            }
        )
    if tier.min_satisfaction is not None:
        lines.append(
            _("Satisfaction: %(values)s (at least %(needed)s)")
            % {
                "values": ", ".join(
                    "—" if c.satisfaction is None else f"{c.satisfaction:.1f}"
                    for c in sorted(cards, key=lambda c: c.month)
                ),
                "needed": f"{tier.min_satisfaction:.1f}",
            }
        )
    verdict = (
        _("Met the criteria of %(tier)s in each month.")
        if promotion
        else _("No longer met the criteria of %(tier)s in each month.")
    )
    return [verdict % {"tier": tier.name}, *lines]


@transaction.atomic
def tiers_evaluate(*, manufacturer: Manufacturer, today: date | None = None) -> Evaluation:
    """Propose promotions and demotions from the last complete months' scorecards.

    Queries: the tiers, one grouped count over the scorecards, the current tiers, the
    pending proposals, the scorecards of the partners to propose, and the writes."""
    tiers = tiers_of(manufacturer)
    if not tiers:
        return Evaluation(0, 0, 0, 0)
    entry = tiers[0]
    last = add_months(month_start(today or timezone.localdate()), -1)
    counts: dict[str, Count] = {}
    windows: dict[int, date] = {}
    for tier in tiers[1:]:
        windows[tier.pk] = add_months(last, -(tier.months_held - 1))
        counts[f"met_{tier.pk}"] = Count(
            "scorecards",
            filter=Q(scorecards__month__gte=windows[tier.pk], scorecards__month__lte=last)
            & tier_criteria_q(tier, prefix="scorecards__"),
        )
    active = dangerously_all_partnerships(manufacturer=manufacturer).filter(
        status=PartnershipStatus.ACTIVE
    )
    met: list[dict[str, Any]] = [
        dict(row) for row in active.annotate(**counts).values("pk", *counts)
    ]
    tier_by_id = {tier.pk: tier for tier in tiers}
    current = dict(
        PartnerTier.objects.filter(manufacturer=manufacturer).values_list(
            "partnership_id", "tier_id"
        )
    )
    targets: dict[int, tuple[Tier, Tier]] = {}  # partnership -> (from, to)
    for row in met:
        target = entry
        for tier in reversed(tiers[1:]):
            if row[f"met_{tier.pk}"] >= tier.months_held:
                target = tier
                break
        now_in = tier_by_id.get(current.get(row["pk"], entry.pk), entry)
        if target.pk != now_in.pk:
            targets[row["pk"]] = (now_in, target)

    pending = {
        proposal.partnership_id: proposal
        for proposal in TierProposal.objects.filter(
            manufacturer=manufacturer, status=ProposalStatus.PENDING
        )
    }
    stale = [proposal.pk for pid, proposal in pending.items() if pid not in targets]
    for pid in [pid for pid in pending if pid not in targets]:
        del pending[pid]
    TierProposal.objects.filter(pk__in=stale).delete()

    oldest = min(windows.values(), default=last)
    cards: dict[int, list[Scorecard]] = {}
    for card in Scorecard.objects.filter(
        partnership_id__in=list(targets), month__gte=oldest, month__lte=last
    ):
        cards.setdefault(card.partnership_id, []).append(card)

    now = timezone.now()
    new, changed = [], []
    promotions = demotions = 0
    for partnership_id, (from_tier, to_tier) in targets.items():
        promotion = to_tier.rank > from_tier.rank
        promotions += promotion
        demotions += not promotion
        judged = to_tier if promotion else from_tier
        window = windows.get(judged.pk, last)
        months = [c for c in cards.get(partnership_id, []) if c.month >= window]
        values = {
            "from_tier": from_tier,
            "to_tier": to_tier,
            "figures": proposal_figures(months),
            "reasons": proposal_reasons(judged, months, promotion=promotion),
        }
        proposal = pending.get(partnership_id)
        if proposal is None:
            new.append(
                TierProposal(
                    manufacturer=manufacturer,
                    partnership_id=partnership_id,
                    created_at=now,
                    **values,
                )
            )
        else:
            for key, value in values.items():
                setattr(proposal, key, value)
            proposal.created_at = now
            changed.append(proposal)
    TierProposal.objects.bulk_create(new, batch_size=1000)
    TierProposal.objects.bulk_update(
        changed, ["from_tier", "to_tier", "figures", "reasons", "created_at"], batch_size=1000
    )
    if new:
        _tell_staff_of_proposals(manufacturer=manufacturer, count=len(new))
    return Evaluation(
        proposed=len(new) + len(changed),
        promotions=promotions,
        demotions=demotions,
        withdrawn=len(stale),
    )


def _tell_staff_of_proposals(*, manufacturer: Manufacturer, count: int) -> None:
    staff = User.objects.filter(
        manufacturer_memberships__manufacturer=manufacturer,
        manufacturer_memberships__role__in=STAFF_ROLES,
        is_active=True,
    ).distinct()
    notify(
        users=staff,
        manufacturer=manufacturer,
        kind=NotificationKind.TIER_CHANGED,
        title=lambda: (
            ngettext("%(count)d tier change proposed", "%(count)d tier changes proposed", count)
            % {"count": count}
        ),
        body=lambda: _(
            "The evaluation of your partners' figures proposes promotions or demotions."
        ),
        url=f"{manufacturer.portal_path_prefix}partners/tiers/proposals/",
    )


def tiers_evaluate_all(*, today: date | None = None) -> int:
    """Every tenant's evaluation, each in its own scope; returns the proposals written."""
    total = 0
    for manufacturer in Manufacturer.objects.order_by("pk"):
        with scope(manufacturer=manufacturer):
            total += tiers_evaluate(manufacturer=manufacturer, today=today).proposed
    return total


# --- decisions -------------------------------------------------------------------------------


def _move(
    *,
    partnership: Partnership,
    to_tier: Tier,
    by: User | None,
    reason: str,
    proposal: TierProposal | None,
) -> TierChange | None:
    """Put the partnership in `to_tier`, record it and tell the reseller's users why."""
    from_tier = current_tier(partnership)
    if from_tier is not None and from_tier.pk == to_tier.pk:
        return None
    now = timezone.now()
    PartnerTier.objects.update_or_create(
        partnership=partnership,
        defaults={"manufacturer_id": partnership.manufacturer_id, "tier": to_tier, "since": now},
    )
    change = TierChange.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        from_tier=from_tier,
        to_tier=to_tier,
        proposal=proposal,
        changed_by=by,
        reason=reason,
        created_at=now,
    )
    forget_benefits(partnership)
    meetings_schedule(manufacturer=partnership.manufacturer, partnership_ids=[partnership.pk])
    promoted = from_tier is None or to_tier.rank > from_tier.rank

    def title_and_body() -> tuple[str, str]:
        title = (
            _("You are now a %(tier)s partner of %(manufacturer)s")
            if promoted
            else _("Your partner tier with %(manufacturer)s is now %(tier)s")
        ) % {"tier": to_tier.name, "manufacturer": partnership.manufacturer.name}
        body = "\n".join(
            [
                _("Your tier changed from %(old)s to %(new)s.")
                % {"old": from_tier.name if from_tier else "—", "new": to_tier.name},
                _("Why: %(reason)s") % {"reason": reason},
                _("What you get now: %(benefits)s")
                % {"benefits": to_tier.description or to_tier.name},
            ]
        )
        return title, body

    notify(
        users=User.objects.filter(
            reseller_memberships__reseller_id=partnership.reseller_id, is_active=True
        ),
        manufacturer=partnership.manufacturer,
        kind=NotificationKind.TIER_CHANGED,
        title=lambda: title_and_body()[0],
        body=lambda: title_and_body()[1],
        url=f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/partner/",
        topic=f"tier:{partnership.pk}",
    )
    return change


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise PartnerRefused(_("Give a reason: the reseller is told why its tier changed."))
    if len(reason) > MAX_TEXT_LENGTH:
        raise PartnerRefused(_("The reason is too long."))
    return reason


def _lock_pending(proposal: TierProposal) -> TierProposal:
    locked = (
        TierProposal.objects.select_for_update()
        .filter(pk=proposal.pk, status=ProposalStatus.PENDING)
        .select_related("partnership__reseller", "partnership__manufacturer", "to_tier")
        .first()
    )
    if locked is None:
        raise PartnerRefused(_("This proposal was already decided."))
    return locked


@transaction.atomic
def tier_proposal_approve(*, proposal: TierProposal, by: User, reason: str = "") -> TierProposal:
    locked = _lock_pending(proposal)
    reason = _clean_reason(reason, required=False) or "\n".join(locked.reasons)
    _move(
        partnership=locked.partnership, to_tier=locked.to_tier, by=by, reason=reason,
        proposal=locked,
    )  # fmt: skip
    locked.status = ProposalStatus.APPROVED
    locked.decided_at, locked.decided_by, locked.decided_tier = timezone.now(), by, locked.to_tier
    locked.decision_reason = reason
    locked.save(
        update_fields=["status", "decided_at", "decided_by", "decided_tier", "decision_reason"]
    )
    return locked


@transaction.atomic
def tier_proposal_override(
    *, proposal: TierProposal, by: User, tier: Tier, reason: str
) -> TierProposal:
    """Decide otherwise than proposed: put the partner in `tier` (its current one keeps it
    where it is), with the reason the reseller reads."""
    reason = _clean_reason(reason, required=True)
    locked = _lock_pending(proposal)
    if tier.manufacturer_id != locked.manufacturer_id:
        raise PartnerRefused(_("No such tier."))
    _move(partnership=locked.partnership, to_tier=tier, by=by, reason=reason, proposal=locked)
    locked.status = ProposalStatus.OVERRIDDEN
    locked.decided_at, locked.decided_by, locked.decided_tier = timezone.now(), by, tier
    locked.decision_reason = reason
    locked.save(
        update_fields=["status", "decided_at", "decided_by", "decided_tier", "decision_reason"]
    )
    return locked


@transaction.atomic
def partner_tier_set(
    *, partnership: Partnership, tier: Tier, by: User, reason: str
) -> TierChange | None:
    """A manager puts a partner in a tier outside the evaluation, with a reason."""
    reason = _clean_reason(reason, required=True)
    if tier.manufacturer_id != partnership.manufacturer_id:
        raise PartnerRefused(_("No such tier."))
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    TierProposal.objects.filter(partnership=partnership, status=ProposalStatus.PENDING).delete()
    return _move(partnership=partnership, to_tier=tier, by=by, reason=reason, proposal=None)


@transaction.atomic
def partner_account_manager_set(
    *, partnership: Partnership, user: User | None, by: User
) -> PartnerTier:
    """Name the partner's account manager (an owner or manager of the tenant), or none."""
    if (
        user is not None
        and not ManufacturerMembership.objects.filter(
            manufacturer_id=partnership.manufacturer_id, user=user, role__in=STAFF_ROLES
        ).exists()
    ):
        raise PartnerRefused(_("The account manager must be an owner or manager of your team."))
    tier = current_tier(partnership)
    if tier is None:
        raise PartnerRefused(_("Define your tiers first."))
    row, _created = PartnerTier.objects.get_or_create(
        partnership=partnership,
        defaults={
            "manufacturer_id": partnership.manufacturer_id,
            "tier": tier,
            "since": timezone.now(),
        },
    )
    row.account_manager = user
    row.save(update_fields=["account_manager"])
    forget_benefits(partnership)
    return row
