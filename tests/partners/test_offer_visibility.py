"""Which offers a partner sees, for every combination of tier, selection, region, dates and
block: one table, one row per case, each built from scratch."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from channel.models import Partnership, PartnershipStatus, QualifyingStatus
from partners.models import IncidentKind, Offer, Step, Visibility
from partners.selectors.offers import offers_open_to
from partners.services.incidents import (
    block_lift,
    incident_raise,
    incident_step_take,
)
from partners.services.offers import OfferValues, offer_save
from partners.services.tiers import partner_tier_set
from tests.accounts.factories import ResellerFactory
from tests.partners.factories import tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)

# (case, offer, partner, visible). Offer: visibility, tier (min tier), starts (days from
# today), ends (days from today, None: open-ended), regions, postal, named (the partner is
# named), early (early access allowed), published. Partner: tier, qualified, region, postal,
# status, block ("offer", "other", "all", "lifted"), off_preferred.
CASES = [
    ("public, verified bronze", {}, {}, True),
    ("public, not verified", {}, {"qualified": False}, False),
    ("preferred silver, bronze", {"visibility": "preferred", "tier": "Silver"}, {}, False),
    (
        "preferred silver, silver",
        {"visibility": "preferred", "tier": "Silver"},
        {"tier": "Silver"},
        True,
    ),
    (
        "preferred silver, gold",
        {"visibility": "preferred", "tier": "Silver"},
        {"tier": "Gold"},
        True,
    ),
    (
        "preferred gold, silver",
        {"visibility": "preferred", "tier": "Gold"},
        {"tier": "Silver"},
        False,
    ),
    (
        "preferred silver, silver, unverified",
        {"visibility": "preferred", "tier": "Silver"},
        {"tier": "Silver", "qualified": False},
        False,
    ),
    ("selected, named", {"visibility": "selected", "named": True}, {}, True),
    ("selected, someone else named", {"visibility": "selected", "named": False}, {}, False),
    (
        "selected, named, unverified",
        {"visibility": "selected", "named": True},
        {"qualified": False},
        True,
    ),
    ("region north, reseller north", {"regions": ["north"]}, {"region": "north"}, True),
    ("region north, reseller south", {"regions": ["north"]}, {"region": "south"}, False),
    ("region north, reseller without region", {"regions": ["north"]}, {"region": ""}, False),
    ("postal 22, reseller 22767", {"postal": ["22"]}, {"postal": "22767"}, True),
    ("postal 80, reseller 22767", {"postal": ["80"]}, {"postal": "22767"}, False),
    ("postal 22, reseller without postcode", {"postal": ["22"]}, {"postal": ""}, False),
    (
        "region south or postal 22, reseller south",
        {"regions": ["south"], "postal": ["22"]},
        {"region": "south", "postal": "10115"},
        True,
    ),
    ("starts in 5 days, bronze", {"starts": 5}, {}, False),
    ("starts in 5 days, silver (7 days early)", {"starts": 5}, {"tier": "Silver"}, True),
    ("starts in 10 days, silver", {"starts": 10}, {"tier": "Silver"}, False),
    ("starts in 10 days, gold (14 days early)", {"starts": 10}, {"tier": "Gold"}, True),
    (
        "starts in 5 days, silver, no early access",
        {"starts": 5, "early": False},
        {"tier": "Silver"},
        False,
    ),
    ("started today", {"starts": 0}, {}, True),
    ("ended yesterday", {"starts": -30, "ends": -1}, {}, False),
    ("ends today", {"starts": -30, "ends": 0}, {}, True),
    ("ended, gold", {"starts": -30, "ends": -1}, {"tier": "Gold"}, False),
    ("blocked from this offer", {}, {"block": "offer"}, False),
    ("blocked from another offer", {}, {"block": "other"}, True),
    ("blocked from all offers", {}, {"block": "all"}, False),
    (
        "blocked from all, selected and named",
        {"visibility": "selected", "named": True},
        {"block": "all"},
        False,
    ),
    ("block lifted", {}, {"block": "lifted"}, True),
    ("not published", {"published": False}, {}, False),
    ("partnership suspended", {}, {"status": PartnershipStatus.SUSPENDED}, False),
    (
        "preferred silver, silver, off the preferred list",
        {"visibility": "preferred", "tier": "Silver"},
        {"tier": "Silver", "off_preferred": True},
        False,
    ),
    ("public, silver, off the preferred list", {}, {"tier": "Silver", "off_preferred": True}, True),
]


def build_case(manufacturer, manager, offer_spec, partner_spec, today=TODAY):
    reseller = ResellerFactory(
        region=partner_spec.get("region", "north"), postal_code=partner_spec.get("postal", "22767")
    )
    partnership = PartnershipFactory(manufacturer=manufacturer, reseller=reseller)
    Partnership.objects.filter(pk=partnership.pk).update(
        qualifying_status=(
            QualifyingStatus.QUALIFIED
            if partner_spec.get("qualified", True)
            else QualifyingStatus.PENDING
        )
    )
    bystander = PartnershipFactory(manufacturer=manufacturer)
    if "tier" in partner_spec:
        partner_tier_set(
            partnership=partnership,
            tier=tier_named(manufacturer, partner_spec["tier"]),
            by=manager,
            reason="Test",
        )
    visibility = offer_spec.get("visibility", Visibility.PUBLIC)
    starts = today + timedelta(days=offer_spec.get("starts", -1))
    ends = offer_spec.get("ends")
    named = offer_spec.get("named")
    values = OfferValues(
        title="Summer bundle",
        price=Decimal("999.00"),
        visibility=visibility,
        starts_on=starts,
        ends_on=None if ends is None else today + timedelta(days=ends),
        min_tier=tier_named(manufacturer, offer_spec["tier"]) if "tier" in offer_spec else None,
        early_access=offer_spec.get("early", True),
        regions=offer_spec.get("regions", []),
        postal_prefixes=offer_spec.get("postal", []),
        recipient_ids=(
            [] if visibility != Visibility.SELECTED else [partnership.pk if named else bystander.pk]
        ),
    )
    offer = offer_save(manufacturer=manufacturer, offer=None, values=values)
    Offer.objects.filter(pk=offer.pk).update(is_published=offer_spec.get("published", True))
    block = partner_spec.get("block")
    if block or partner_spec.get("off_preferred"):
        incident = incident_raise(
            partnership=partnership, kind=IncidentKind.OTHER, summary="Test", by=manager
        )
        if partner_spec.get("off_preferred"):
            incident_step_take(
                incident=incident, step=Step.REMOVED_FROM_PREFERRED, notes="x", by=manager
            )
        if block in {"offer", "other", "lifted"}:
            other = offer_save(manufacturer=manufacturer, offer=None, values=values)
            incident_step_take(
                incident=incident,
                step=Step.BLOCKED_OFFERS,
                notes="Blocked.",
                by=manager,
                offer=other if block == "other" else offer,
            )
            if block == "lifted":
                block_lift(block=incident.blocks.get(), by=manager, reason="Better now.")
        elif block == "all":
            incident_step_take(incident=incident, step=Step.BLOCKED_ALL, notes="x", by=manager)
    if "status" in partner_spec:
        Partnership.objects.filter(pk=partnership.pk).update(status=partner_spec["status"])
    return Partnership.objects.select_related("reseller").get(pk=partnership.pk), offer


@pytest.mark.parametrize(
    ("case", "offer_spec", "partner_spec", "visible"), CASES, ids=[c[0] for c in CASES]
)
def test_offer_visibility(manufacturer, manager, case, offer_spec, partner_spec, visible):
    partnership, offer = build_case(manufacturer, manager, offer_spec, partner_spec)

    open_offers = list(offers_open_to(partnership=partnership, today=TODAY))

    assert (offer in open_offers) is visible, case


def test_another_tenants_offer_is_never_open(manufacturer, other_manufacturer, manager):
    partnership, _offer = build_case(manufacturer, manager, {}, {})
    theirs = offer_save(
        manufacturer=other_manufacturer,
        offer=None,
        values=OfferValues(
            title="Theirs", price=Decimal("1"), visibility="public", starts_on=TODAY
        ),
    )
    Offer.objects.filter(pk=theirs.pk).update(is_published=True)
    assert theirs not in offers_open_to(partnership=partnership, today=TODAY)


def test_a_block_takes_effect_at_once_on_the_reseller_pages(client_for, manufacturer, manager):
    partnership, offer = build_case(manufacturer, manager, {}, {}, today=timezone.localdate())
    from tests.accounts.factories import ResellerUserFactory

    user = ResellerUserFactory(reseller=partnership.reseller).user
    client = client_for(user)
    base = f"/r/{partnership.reseller.public_id}/m/{manufacturer.slug}/offers/"
    assert client.get(base).context["page_obj"].object_list[0] == offer
    assert client.get(f"{base}{offer.pk}/").status_code == 200

    incident = incident_raise(
        partnership=partnership, kind=IncidentKind.COMPLAINTS, summary="Complaints", by=manager
    )
    incident_step_take(
        incident=incident, step=Step.BLOCKED_OFFERS, notes="Blocked", by=manager, offer=offer
    )

    assert list(client.get(base).context["page_obj"]) == []
    assert client.get(f"{base}{offer.pk}/").status_code == 404
