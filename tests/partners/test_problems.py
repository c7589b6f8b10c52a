"""Incidents and their progressive response, blocks, notes, automatic incidents; exclusives."""

from datetime import date
from decimal import Decimal

import pytest

from notifications.models import Notification, NotificationKind, NotificationPreference
from partners.models import (
    Exclusive,
    Incident,
    IncidentKind,
    IncidentStep,
    Offer,
    OfferAnnouncement,
    PartnerBlock,
    Step,
    Visibility,
)
from partners.selectors.exclusives import exclusive_compliance
from partners.services import PartnerRefused
from partners.services.exclusives import ExclusiveTerms, exclusive_grant
from partners.services.incidents import (
    block_lift,
    incident_raise,
    incident_resolve,
    incident_step_take,
    incidents_raise_automatic,
    partner_note_add,
)
from partners.services.offers import (
    OfferValues,
    offer_announce_change,
    offer_publish,
    offer_save,
    offers_announce_due,
)
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.catalog.factories import ProductFactory
from tests.partners.factories import ScorecardFactory, tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(partnership, manager):
    return incident_raise(
        partnership=partnership, kind=IncidentKind.HIGH_CANCELLATIONS, summary="Many", by=manager
    )


def offer_for(manufacturer, **changes):
    values = {
        "title": "Bundle",
        "price": Decimal("100.00"),
        "visibility": Visibility.PUBLIC,
        "starts_on": date(2026, 1, 1),
        **changes,
    }
    return offer_save(manufacturer=manufacturer, offer=None, values=OfferValues(**values))


def test_the_response_goes_forward_step_by_step(incident, manager, manufacturer):
    offer = offer_for(manufacturer)
    incident_step_take(incident=incident, step=Step.FRIENDLY_CONTACT, notes="Called.", by=manager)
    with pytest.raises(PartnerRefused, match="take a later step"):
        incident_step_take(incident=incident, step=Step.FRIENDLY_CONTACT, notes="x", by=manager)
    incident_step_take(
        incident=incident, step=Step.FORMAL_CONVERSATION, notes="Meeting.", by=manager
    )
    with pytest.raises(PartnerRefused, match="Choose the offer"):
        incident_step_take(incident=incident, step=Step.BLOCKED_OFFERS, notes="x", by=manager)
    incident_step_take(
        incident=incident, step=Step.BLOCKED_OFFERS, notes="Blocked.", by=manager, offer=offer
    )
    incident_step_take(incident=incident, step=Step.BLOCKED_ALL, notes="All.", by=manager)

    incident.refresh_from_db()
    assert incident.step == Step.BLOCKED_ALL
    assert [s.step for s in incident.steps.all()] == [
        Step.FRIENDLY_CONTACT,
        Step.FORMAL_CONVERSATION,
        Step.BLOCKED_OFFERS,
        Step.BLOCKED_ALL,
    ]
    assert all(s.taken_by == manager for s in incident.steps.all())
    assert {(b.offer_id, b.lifted_at) for b in PartnerBlock.objects.all()} == {
        (offer.pk, None),
        (None, None),
    }
    with pytest.raises(PartnerRefused, match="Lift this incident's blocks first"):
        incident_resolve(incident=incident, by=manager, notes="Done.")
    for block in PartnerBlock.objects.all():
        block_lift(block=block, by=manager, reason="Improved.")
    with pytest.raises(PartnerRefused, match="already lifted"):
        block_lift(block=PartnerBlock.objects.first(), by=manager, reason="Again.")
    incident_resolve(incident=incident, by=manager, notes="Done.")
    assert list(incident.steps.values_list("step", flat=True))[-3:] == [
        Step.LIFTED,
        Step.LIFTED,
        Step.RESOLVED,
    ]
    with pytest.raises(PartnerRefused, match="resolved"):
        incident_step_take(incident=incident, step=Step.BLOCKED_ALL, notes="x", by=manager)


def test_a_step_needs_notes_and_a_block_an_offer_of_the_tenant(
    incident, manager, other_manufacturer
):
    with pytest.raises(PartnerRefused, match="Write the notes"):
        incident_step_take(incident=incident, step=Step.FRIENDLY_CONTACT, notes=" ", by=manager)
    foreign = offer_for(other_manufacturer)
    with pytest.raises(PartnerRefused, match="Choose the offer"):
        incident_step_take(
            incident=incident, step=Step.BLOCKED_OFFERS, notes="x", by=manager, offer=foreign
        )
    assert not IncidentStep.objects.exists() and not PartnerBlock.objects.exists()


def test_automatic_incidents_from_last_months_scorecard(manufacturer, partnership):
    quiet = PartnershipFactory(manufacturer=manufacturer)
    ScorecardFactory(
        partnership=partnership,
        month=date(2026, 6, 1),
        orders=10,
        cancelled=3,
        cancellation_rate=Decimal("30.00"),
        address_checked=5,
        address_accuracy=Decimal("60.00"),
        rated_orders=3,
        satisfaction=Decimal("2.00"),
    )
    ScorecardFactory(  # too few orders for its rate to count
        partnership=quiet, month=date(2026, 6, 1), orders=4, cancellation_rate=Decimal("50.00")
    )

    assert incidents_raise_automatic(manufacturer=manufacturer, today=date(2026, 7, 3)) == 3
    assert incidents_raise_automatic(manufacturer=manufacturer, today=date(2026, 7, 3)) == 0

    kinds = set(Incident.objects.values_list("partnership_id", "kind"))
    assert kinds == {
        (partnership.pk, IncidentKind.HIGH_CANCELLATIONS),
        (partnership.pk, IncidentKind.POOR_ADDRESSES),
        (partnership.pk, IncidentKind.COMPLAINTS),
    }
    assert (
        "30% of June 2026's orders were cancelled."
        in Incident.objects.get(kind=IncidentKind.HIGH_CANCELLATIONS).summary
    )


def test_partner_notes(partnership, manager):
    note = partner_note_add(partnership=partnership, body="  Visited the shop. ", by=manager)
    assert (note.body, note.author) == ("Visited the shop.", manager)
    with pytest.raises(PartnerRefused):
        partner_note_add(partnership=partnership, body="x" * 4001, by=manager)


# --- offers: bad input, announcements ----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": date(2025, 12, 31)}, "end date is before the start"),
        ({"visibility": Visibility.PREFERRED}, "minimum tier"),
        ({"visibility": Visibility.SELECTED}, "at least one partner"),
        ({"price": Decimal("-1")}, "between 0 and"),
        ({"price": Decimal("NaN")}, "between 0 and"),
        ({"postal_prefixes": ["22 ; DROP"]}, "letters or digits"),
        ({"regions": ["atlantis"]}, "Unknown region"),
        ({"title": "  "}, "needs a title"),
    ],
)
def test_an_impossible_offer_is_refused_and_nothing_written(manufacturer, changes, message):
    with pytest.raises(PartnerRefused, match=message):
        offer_for(manufacturer, **changes)
    assert not Offer.objects.exists()


def test_an_offer_for_another_tenants_partner_or_product_is_refused(
    manufacturer, other_manufacturer
):
    theirs = PartnershipFactory(manufacturer=other_manufacturer)
    with pytest.raises(PartnerRefused, match="not your partners"):
        offer_for(manufacturer, visibility=Visibility.SELECTED, recipient_ids=[theirs.pk])
    product = ProductFactory(manufacturer=other_manufacturer)
    with pytest.raises(PartnerRefused, match="not in your catalog"):
        offer_for(manufacturer, items={product.pk: 1})
    with pytest.raises(PartnerRefused, match="minimum tier"):
        offer_for(
            manufacturer,
            visibility=Visibility.PREFERRED,
            min_tier=tier_named(other_manufacturer, "Gold"),
        )
    assert not Offer.objects.exists()


def test_publishing_tells_the_partners_it_is_open_to_once(manufacturer, partnership, manager):
    from channel.models import Partnership, QualifyingStatus

    Partnership.objects.filter(manufacturer=manufacturer).update(
        qualifying_status=QualifyingStatus.QUALIFIED
    )
    silver_user = ResellerUserFactory(reseller=partnership.reseller).user
    bronze = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())
    Partnership.objects.filter(pk=bronze.pk).update(qualifying_status=QualifyingStatus.QUALIFIED)
    bronze_user = ResellerUserFactory(reseller=bronze.reseller).user
    muted = ResellerUserFactory(reseller=partnership.reseller).user
    NotificationPreference.objects.create(
        user=muted, manufacturer=manufacturer, kind=NotificationKind.PARTNER_ANNOUNCEMENT,
        channel="off",
    )  # fmt: skip
    from partners.services.tiers import partner_tier_set

    partner_tier_set(
        partnership=partnership, tier=tier_named(manufacturer, "Silver"), by=manager, reason="x"
    )
    offer = offer_for(
        manufacturer, visibility=Visibility.PREFERRED, min_tier=tier_named(manufacturer, "Silver")
    )

    assert offer_publish(offer=offer) == 1
    assert offers_announce_due() == 0  # told once

    told = Notification.objects.filter(kind=NotificationKind.PARTNER_ANNOUNCEMENT)
    assert [n.user for n in told] == [silver_user]  # not the muted one, not bronze
    assert bronze_user not in [n.user for n in told]
    assert OfferAnnouncement.objects.count() == 1
    with pytest.raises(PartnerRefused, match="already published"):
        offer_publish(offer=offer)

    assert offer_announce_change(offer=offer) == 1
    again = Notification.objects.filter(kind=NotificationKind.PARTNER_ANNOUNCEMENT)
    assert again.count() == 2 and "changed the offer" in again.first().title


def test_the_nightly_job_tells_each_partner_of_each_offer_that_opened_for_it_once(
    manufacturer, partnership, manager
):
    from channel.models import Partnership, QualifyingStatus
    from partners.services.tiers import partner_tier_set

    Partnership.objects.filter(manufacturer=manufacturer).update(
        qualifying_status=QualifyingStatus.QUALIFIED
    )
    silver_user = ResellerUserFactory(reseller=partnership.reseller).user
    bronze = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())
    Partnership.objects.filter(pk=bronze.pk).update(qualifying_status=QualifyingStatus.QUALIFIED)
    bronze_user = ResellerUserFactory(reseller=bronze.reseller).user
    partner_tier_set(
        partnership=partnership, tier=tier_named(manufacturer, "Silver"), by=manager, reason="x"
    )
    opens = date(2030, 1, 1)
    preferred = offer_for(
        manufacturer,
        title="Silver bundle",
        visibility=Visibility.PREFERRED,
        min_tier=tier_named(manufacturer, "Silver"),
        starts_on=opens,
    )
    public = offer_for(manufacturer, title="Open bundle", starts_on=opens)
    assert offer_publish(offer=preferred) == 0  # not open to anyone yet
    assert offer_publish(offer=public) == 0

    assert offers_announce_due(today=date(2029, 10, 1)) == 0  # before any early access
    assert offers_announce_due(today=opens) == 3
    assert offers_announce_due(today=date(2030, 1, 2)) == 0  # each told once

    told = {
        (n.user, n.topic)
        for n in Notification.objects.filter(kind=NotificationKind.PARTNER_ANNOUNCEMENT)
    }
    assert told == {
        (silver_user, f"offer:{preferred.pk}"),
        (silver_user, f"offer:{public.pk}"),
        (bronze_user, f"offer:{public.pk}"),
    }
    assert set(OfferAnnouncement.objects.values_list("offer_id", "partnership_id")) == {
        (preferred.pk, partnership.pk),
        (public.pk, partnership.pk),
        (public.pk, bronze.pk),
    }


# --- exclusives -------------------------------------------------------------------------------


@pytest.fixture
def exclusive_offer(manufacturer, partnership):
    return offer_for(manufacturer, visibility=Visibility.SELECTED, recipient_ids=[partnership.pk])


def terms(**changes):
    return ExclusiveTerms(
        **{
            "kind": "regional",
            "scope": "north",
            "starts_on": date(2026, 1, 1),
            "term_months": 12,
            "min_monthly_orders": 20,
            "min_completion_rate": Decimal("95"),
            **changes,
        }
    )


def test_overlapping_exclusives_for_the_same_region_are_refused(
    manufacturer, partnership, exclusive_offer
):
    exclusive_grant(partnership=partnership, offer=exclusive_offer, terms=terms())
    other = PartnershipFactory(manufacturer=manufacturer)
    other_offer = offer_for(manufacturer, visibility=Visibility.SELECTED, recipient_ids=[other.pk])

    with pytest.raises(PartnerRefused, match="already has an exclusive"):
        exclusive_grant(
            partnership=other, offer=other_offer, terms=terms(starts_on=date(2026, 12, 1))
        )
    # The next term, and another region, are free.
    exclusive_grant(partnership=other, offer=other_offer, terms=terms(starts_on=date(2027, 1, 1)))
    exclusive_grant(partnership=other, offer=other_offer, terms=terms(scope="south"))
    assert Exclusive.objects.count() == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scope": "atlantis"}, "Choose one of your regions"),
        ({"term_months": 0}, "1 to 120 months"),
        ({"min_monthly_orders": -1}, "between 0 and"),
        ({"min_completion_rate": Decimal("101")}, "between 0% and 100%"),
    ],
)
def test_impossible_exclusive_terms_are_refused(partnership, exclusive_offer, changes, message):
    with pytest.raises(PartnerRefused, match=message):
        exclusive_grant(partnership=partnership, offer=exclusive_offer, terms=terms(**changes))
    assert not Exclusive.objects.exists()


def test_an_exclusive_needs_its_own_selected_offer(manufacturer, partnership):
    public = offer_for(manufacturer)
    with pytest.raises(PartnerRefused, match="selected offer"):
        exclusive_grant(partnership=partnership, offer=public, terms=terms())
    other = PartnershipFactory(manufacturer=manufacturer)
    shared = offer_for(
        manufacturer, visibility=Visibility.SELECTED, recipient_ids=[partnership.pk, other.pk]
    )
    with pytest.raises(PartnerRefused, match="no one else"):
        exclusive_grant(partnership=partnership, offer=shared, terms=terms())


def test_compliance_breach_and_warnings(manufacturer, partnership, exclusive_offer):
    exclusive = exclusive_grant(
        partnership=partnership,
        offer=exclusive_offer,
        terms=terms(starts_on=date(2026, 1, 1), term_months=6),
    )
    for month, orders, completion in (
        (1, 25, "96"),
        (2, 20, "95"),
        (3, 22, "99"),
        (4, 19, "100"),  # one order short
    ):
        ScorecardFactory(
            partnership=partnership,
            month=date(2026, month, 1),
            orders=orders,
            completion_rate=Decimal(completion),
        )

    in_march = exclusive_compliance([exclusive], today=date(2026, 3, 15))[0]
    assert [m.met for m in in_march.months] == [True, True]
    assert not in_march.in_breach
    assert in_march.next_review == date(2026, 4, 1) and in_march.review_due_soon

    in_may = exclusive_compliance([exclusive], today=date(2026, 5, 20))[0]
    assert [m.met for m in in_may.months] == [True, True, True, False]
    assert in_may.in_breach
    assert in_may.ends_on == date(2026, 7, 1) and in_may.expires_soon
    assert not in_may.expired

    after = exclusive_compliance([exclusive], today=date(2026, 7, 2))[0]
    assert after.expired and not after.expires_soon
