"""Reads of tiers: the published ladder, a partner's tier, its benefits and its progress."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES, Manufacturer, User
from channel.benefits import NO_BENEFITS, PartnerBenefits
from channel.models import Partnership
from partners.metrics import Figures, add_months, compute_figures, day_start, month_start
from partners.models import (
    PartnerTier,
    ProposalStatus,
    Scorecard,
    Tier,
    TierChange,
    TierProposal,
)


def tiers_of(manufacturer: Manufacturer) -> list[Tier]:
    """The tenant's tiers, entry tier first. One query."""
    return list(Tier.objects.filter(manufacturer=manufacturer).order_by("rank"))


def tiers_with_members(manufacturer: Manufacturer) -> QuerySet[Tier]:
    return (
        Tier.objects.filter(manufacturer=manufacturer)
        .annotate(member_count=Count("members"))
        .order_by("rank")
    )


def access_tier(*, manufacturer: Manufacturer, tier_id: int) -> Tier:
    tier = Tier.objects.filter(manufacturer=manufacturer, pk=tier_id).first()
    if tier is None:
        raise Http404(_("No such tier."))
    return tier


def entry_tier(manufacturer_id: int) -> Tier | None:
    return Tier.objects.filter(manufacturer_id=manufacturer_id).order_by("rank").first()


def current_partner_tier(partnership: Partnership) -> PartnerTier | None:
    return (
        PartnerTier.objects.filter(partnership=partnership)
        .select_related("tier", "account_manager")
        .first()
    )


def current_tier(partnership: Partnership) -> Tier | None:
    """The partnership's tier: its row's, else the entry tier. One or two queries."""
    row = current_partner_tier(partnership)
    return row.tier if row is not None else entry_tier(partnership.manufacturer_id)


def benefits_of(partnership: Partnership) -> PartnerBenefits:
    """The provider registered with channel.benefits (PartnersConfig.ready): one query for
    the partnership's tier (its row's, else the entry tier), one more only for a named
    account manager."""
    mine = PartnerTier.objects.filter(partnership_id=partnership.pk, tier_id=OuterRef("pk"))
    tier = (
        Tier.objects.filter(manufacturer_id=partnership.manufacturer_id)
        .annotate(
            is_mine=Exists(mine),
            manager_id=Subquery(mine.values("account_manager_id")[:1]),
        )
        .order_by("-is_mine", "rank")
        .first()
    )
    if tier is None:
        return NO_BENEFITS
    manager = None
    if tier.account_manager and tier.manager_id is not None:
        manager = User.objects.filter(pk=tier.manager_id).first()
    return PartnerBenefits(
        tier_name=tier.name,
        discount_percent=tier.discount_percent,
        commission_rate=tier.commission_rate,
        priority_support=tier.priority_support,
        early_access_days=tier.early_access_days,
        account_manager=manager,
    )


def tier_commission_rates(partnerships: Sequence[Partnership], on: date) -> dict[int, Decimal]:
    """The provider of `channel.benefits.tier_commission_rates`: the commission rate of the
    tier each partnership held on day `on` (its last tier change by then, else its row if it
    was already in that tier, else its manufacturer's entry tier), for those whose tier sets
    one. One query for any number of partnerships and manufacturers."""
    until = day_start(on + timedelta(days=1))
    changed = (
        TierChange.objects.filter(partnership_id=OuterRef("pk"), created_at__lt=until)
        .order_by("-created_at", "-pk")
        .values("to_tier_id")[:1]
    )
    held = PartnerTier.objects.filter(partnership_id=OuterRef("pk"), since__lt=until).values(
        "tier_id"
    )[:1]
    entry = (
        Tier.objects.filter(manufacturer_id=OuterRef("manufacturer_id"))
        .order_by("rank")
        .values("pk")[:1]
    )
    rows = (
        Partnership.objects.filter(pk__in=[p.pk for p in partnerships])
        .annotate(tier_on=Coalesce(Subquery(changed), Subquery(held), Subquery(entry)))
        .annotate(
            tier_rate=Subquery(
                Tier.objects.filter(pk=OuterRef("tier_on")).values("commission_rate")[:1]
            )
        )
        .values_list("pk", "tier_rate")
        .order_by()
    )
    return {pk: rate for pk, rate in rows if rate is not None}


def priority_partnership_ids(manufacturer_id: int) -> set[int]:
    """Partnerships whose tier gives priority support (conversations sort first)."""
    return set(
        PartnerTier.objects.filter(
            manufacturer_id=manufacturer_id, tier__priority_support=True
        ).values_list("partnership_id", flat=True)
    )


def account_manager_candidates(manufacturer: Manufacturer) -> QuerySet[User]:
    """Owners and managers of the tenant (a named account manager is one of them)."""
    return User.objects.filter(
        manufacturer_memberships__manufacturer=manufacturer,
        manufacturer_memberships__role__in=STAFF_ROLES,
        is_active=True,
    ).order_by("first_name", "last_name", "email")


def pending_proposals(manufacturer: Manufacturer) -> QuerySet[TierProposal]:
    return (
        TierProposal.objects.filter(manufacturer=manufacturer, status=ProposalStatus.PENDING)
        .select_related("partnership__reseller", "from_tier", "to_tier")
        .order_by("-to_tier__rank", "partnership__reseller__name", "pk")
    )


def decided_proposals(manufacturer: Manufacturer) -> QuerySet[TierProposal]:
    return (
        TierProposal.objects.filter(manufacturer=manufacturer)
        .exclude(status=ProposalStatus.PENDING)
        .select_related(
            "partnership__reseller", "from_tier", "to_tier", "decided_tier", "decided_by"
        )
        .order_by("-decided_at", "-pk")
    )


def access_pending_proposal(*, manufacturer: Manufacturer, proposal_id: int) -> TierProposal:
    proposal = pending_proposals(manufacturer).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404(_("No such proposal, or it was already decided."))
    return proposal


def tier_history(partnership: Partnership) -> QuerySet[TierChange]:
    return (
        TierChange.objects.filter(partnership=partnership)
        .select_related("from_tier", "to_tier", "changed_by")
        .order_by("-created_at", "-pk")
    )


# --- a partner's progress towards the next tier -----------------------------------------------


@dataclass(frozen=True)
class CriterionProgress:
    label: str
    actual: Decimal | int | None
    needed: Decimal | int
    met: bool
    at_most: bool = False  # the criterion is a maximum (cancellations)


@dataclass(frozen=True)
class Progress:
    current: Tier | None
    next_tier: Tier | None
    this_month: Figures
    criteria: list[CriterionProgress]
    months_met: int  # complete months in a row that met every criterion of the next tier


def month_meets(tier: Tier, card: Scorecard | Figures) -> bool:
    """Whether one month's figures meet every criterion of `tier`. An unrated month does not
    count against the satisfaction criterion; a month without orders has no rates to meet."""
    if card.orders < tier.min_monthly_orders:
        return False
    completion, cancellation = card.completion_rate, card.cancellation_rate
    if tier.min_completion_rate is not None and (
        completion is None or completion < tier.min_completion_rate
    ):
        return False
    if (
        tier.max_cancellation_rate is not None
        and cancellation is not None
        and cancellation > tier.max_cancellation_rate
    ):
        return False
    satisfaction = card.satisfaction
    return not (
        tier.min_satisfaction is not None
        and satisfaction is not None
        and satisfaction < tier.min_satisfaction
    )


def tier_criteria_q(tier: Tier, prefix: str = "") -> Q:
    """`month_meets` as a filter on scorecards (the evaluation counts months with it)."""
    condition = Q(**{f"{prefix}orders__gte": tier.min_monthly_orders})
    if tier.min_completion_rate is not None:
        condition &= Q(**{f"{prefix}completion_rate__gte": tier.min_completion_rate})
    if tier.max_cancellation_rate is not None:
        condition &= Q(**{f"{prefix}cancellation_rate__lte": tier.max_cancellation_rate}) | Q(
            **{f"{prefix}cancellation_rate__isnull": True}
        )
    if tier.min_satisfaction is not None:
        condition &= Q(**{f"{prefix}satisfaction__gte": tier.min_satisfaction}) | Q(
            **{f"{prefix}satisfaction__isnull": True}
        )
    return condition


def partner_progress(*, partnership: Partnership, today: date | None = None) -> Progress:
    """This month's figures against the next tier's criteria, and how many complete months
    in a row met them ("12 of 15 orders this month; completion 97% of 95% needed")."""
    today = today or timezone.localdate()
    tiers = tiers_of(partnership.manufacturer)
    current = current_tier(partnership)
    current_rank = current.rank if current is not None else -1
    higher = [tier for tier in tiers if tier.rank > current_rank]
    next_tier = higher[0] if higher else None
    month = month_start(today)
    this_month = compute_figures(
        manufacturer=partnership.manufacturer,
        start=day_start(month),
        end=day_start(add_months(month, 1)),
        by_month=False,
        partnership_ids=[partnership.pk],
    ).get((partnership.pk, None), Figures())
    criteria: list[CriterionProgress] = []
    months_met = 0
    if next_tier is not None:
        criteria = _criteria(next_tier, this_month)
        cards = {
            card.month: card
            for card in Scorecard.objects.filter(
                partnership=partnership,
                month__gte=add_months(month, -next_tier.months_held),
                month__lt=month,
            )
        }
        check = add_months(month, -1)
        while check in cards and month_meets(next_tier, cards[check]):
            months_met += 1
            check = add_months(check, -1)
    return Progress(
        current=current,
        next_tier=next_tier,
        this_month=this_month,
        criteria=criteria,
        months_met=min(months_met, next_tier.months_held if next_tier else 0),
    )


def _criteria(tier: Tier, figures: Figures) -> list[CriterionProgress]:
    rows = [
        CriterionProgress(
            label=_("Orders this month"),
            actual=figures.orders,
            needed=tier.min_monthly_orders,
            met=figures.orders >= tier.min_monthly_orders,
        )
    ]
    if tier.min_completion_rate is not None:
        completion = figures.completion_rate
        rows.append(
            CriterionProgress(
                label=_("Completion rate"),
                actual=completion,
                needed=tier.min_completion_rate,
                met=completion is not None and completion >= tier.min_completion_rate,
            )
        )
    if tier.max_cancellation_rate is not None:
        cancellation = figures.cancellation_rate
        rows.append(
            CriterionProgress(
                label=_("Cancellation rate"),
                actual=cancellation,
                needed=tier.max_cancellation_rate,
                met=cancellation is None or cancellation <= tier.max_cancellation_rate,
                at_most=True,
            )
        )
    if tier.min_satisfaction is not None:
        satisfaction = figures.satisfaction
        rows.append(
            CriterionProgress(
                label=_("Customer satisfaction"),
                actual=satisfaction,
                needed=tier.min_satisfaction,
                met=satisfaction is None or satisfaction >= tier.min_satisfaction,
            )
        )
    return rows
