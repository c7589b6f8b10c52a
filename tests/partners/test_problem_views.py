"""Offer, incident and exclusive pages, by the roles that may and may not reach them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from channel.models import Partnership, QualifyingStatus
from partners.models import Exclusive, Incident, Offer, PartnerBlock, PartnerNote, Step
from partners.services.incidents import incident_raise, incident_step_take
from partners.services.offers import OfferValues, offer_save
from tests.csv_helpers import csv_rows
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def url(manufacturer, rest=""):
    return f"/m/{manufacturer.slug}/partners/{rest}"


@pytest.fixture
def offer(manufacturer):
    return offer_save(
        manufacturer=manufacturer,
        offer=None,
        values=OfferValues(
            title="Spring bundle",
            price=Decimal("250.00"),
            visibility="public",
            starts_on=timezone.localdate() - timedelta(days=1),
        ),
    )


@pytest.fixture
def incident(partnership, manager):
    return incident_raise(partnership=partnership, kind="complaints", summary="Late", by=manager)


def offer_post(**changes):
    today = timezone.localdate()
    return {
        "title": "Autumn bundle",
        "terms": "While stocks last.",
        "price": "199.00",
        "visibility": "public",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
        "early_access": "on",
        "postal_prefixes": "20, 22",
        **changes,
    }


def test_a_manager_creates_and_publishes_an_offer(client_for, manager, manufacturer, partnership):
    client = client_for(manager)
    assert client.get(url(manufacturer, "offers/new/")).status_code == 200

    response = client.post(url(manufacturer, "offers/new/"), offer_post(regions=["north"]))

    assert response.status_code == 302
    offer = Offer.objects.get()
    assert sorted(offer.areas.values_list("kind", "value")) == [
        ("postal", "20"),
        ("postal", "22"),
        ("region", "north"),
    ]
    assert client.post(url(manufacturer, f"offers/{offer.pk}/publish/")).status_code == 302
    offer.refresh_from_db()
    assert offer.is_published
    rows = csv_rows(client.get(url(manufacturer, "offers/?format=csv")))
    assert rows[1][0] == "Autumn bundle" and rows[1][6] == "Yes"
    edit = client.get(url(manufacturer, f"offers/{offer.pk}/edit/"))
    assert edit.status_code == 200 and edit.context["form"].initial["postal_prefixes"] == "20, 22"


@pytest.mark.parametrize(
    "changes",
    [
        {"ends_on": "2020-01-01"},  # before the start
        {"visibility": "preferred"},  # no tier
        {"visibility": "selected"},  # nobody named
        {"price": "-1"},
        {"price": "1000000000000"},
        {"postal_prefixes": "22;--"},
    ],
)
def test_an_impossible_offer_form_is_refused(client_for, manager, manufacturer, changes):
    response = client_for(manager).post(url(manufacturer, "offers/new/"), offer_post(**changes))
    assert response.status_code == 400
    assert not Offer.objects.exists()


def test_an_offer_selected_for_another_tenants_partner_is_refused(
    client_for, manager, manufacturer, other_manufacturer
):
    theirs = PartnershipFactory(manufacturer=other_manufacturer)
    response = client_for(manager).post(
        url(manufacturer, "offers/new/"),
        offer_post(visibility="selected", recipients=[theirs.pk]),
    )
    assert response.status_code == 400
    assert "recipients" in response.context["form"].errors
    assert not Offer.objects.exists()


def test_the_incident_response_through_the_pages(
    client_for, manager, manufacturer, partnership, offer
):
    client = client_for(manager)
    scorecard = url(manufacturer, f"{partnership.reseller.public_id}/")
    response = client.post(scorecard + "incidents/", {"kind": "complaints", "summary": "Late"})
    incident = Incident.objects.get()
    assert response["Location"] == url(manufacturer, f"incidents/{incident.pk}/")
    step = url(manufacturer, f"incidents/{incident.pk}/step/")

    client.post(step, {"step": "friendly_contact", "notes": "Called."})
    client.post(step, {"step": "friendly_contact", "notes": "Again."})  # refused: not forward
    client.post(step, {"step": "blocked_offers", "notes": "Blocked.", "offer": offer.pk})

    assert list(incident.steps.values_list("step", flat=True)) == [
        Step.FRIENDLY_CONTACT,
        Step.BLOCKED_OFFERS,
    ]
    block = PartnerBlock.objects.get()
    page = client.get(url(manufacturer, f"incidents/{incident.pk}/")).content.decode()
    assert "in force" in page
    client.post(url(manufacturer, f"blocks/{block.pk}/lift/"), {"text": ""})
    assert PartnerBlock.objects.get().lifted_at is None  # a reason is needed
    client.post(url(manufacturer, f"blocks/{block.pk}/lift/"), {"text": "Sorted."})
    assert PartnerBlock.objects.get().lifted_by == manager
    client.post(url(manufacturer, f"incidents/{incident.pk}/resolve/"), {"text": "Done."})
    assert not Incident.objects.get().is_open
    assert client.get(url(manufacturer, "incidents/")).context["page_obj"].paginator.count == 0
    assert client.get(url(manufacturer, "incidents/?show=all")).status_code == 200


def test_notes_and_exclusives_through_the_scorecard(client_for, manager, manufacturer, partnership):
    client = client_for(manager)
    scorecard = url(manufacturer, f"{partnership.reseller.public_id}/")
    client.post(scorecard + "notes/", {"text": "Met at the fair."})
    assert PartnerNote.objects.get().body == "Met at the fair."

    selected = offer_save(
        manufacturer=manufacturer,
        offer=None,
        values=OfferValues(
            title="North exclusive",
            price=Decimal("0"),
            visibility="selected",
            starts_on=date(2026, 1, 1),
            recipient_ids=[partnership.pk],
        ),
    )
    grant = {
        "offer": selected.pk,
        "kind": "regional",
        "scope": "north",
        "min_monthly_orders": "20",
        "min_completion_rate": "95",
        "starts_on": "2026-01-01",
        "term_months": "12",
        "review_period": "quarterly",
    }
    client.post(scorecard + "exclusives/", grant)
    client.post(scorecard + "exclusives/", grant)  # overlaps itself: refused
    assert Exclusive.objects.count() == 1
    page = client.get(url(manufacturer, "exclusives/"))
    assert page.status_code == 200 and len(page.context["compliance"]) == 1
    text = " ".join(page.content.decode().split())
    assert "for 12 months (review: Quarterly); at least 20 orders a month" in text
    assert "Regional exclusive: North ·" in text  # the region by its name, not its code
    Exclusive.objects.update(min_monthly_orders=1)
    text = " ".join(client.get(url(manufacturer, "exclusives/")).content.decode().split())
    assert "at least 1 order a month" in text
    rows = csv_rows(client.get(url(manufacturer, "exclusives/?format=csv")))
    assert rows[1][3] == "north"


@pytest.mark.parametrize("role", ["seller", "reseller_user"])
def test_sellers_and_resellers_do_not_reach_these_pages(
    client_for, manufacturer, partnership, offer, incident, role, request
):
    client = client_for(request.getfixturevalue(role))
    expected = 403 if role == "seller" else 404
    for path in (
        "offers/",
        "offers/new/",
        f"offers/{offer.pk}/edit/",
        "incidents/",
        f"incidents/{incident.pk}/",
        "exclusives/",
    ):
        assert client.get(url(manufacturer, path)).status_code == expected, path
    public_id = partnership.reseller.public_id
    for path, data in (
        (f"offers/{offer.pk}/publish/", {}),
        (f"incidents/{incident.pk}/step/", {"step": "blocked_all", "notes": "x"}),
        (f"{public_id}/incidents/", {"kind": "other", "summary": "x"}),
        (f"{public_id}/notes/", {"text": "x"}),
    ):
        assert client.post(url(manufacturer, path), data).status_code == expected, path
    assert not PartnerBlock.objects.exists() and not PartnerNote.objects.exists()
    assert Incident.objects.count() == 1


def test_another_tenants_rows_are_404(client_for, manager, manufacturer, other_manufacturer):
    theirs = PartnershipFactory(manufacturer=other_manufacturer)
    foreign_incident = incident_raise(partnership=theirs, kind="other", summary="x", by=None)
    foreign_offer = offer_save(
        manufacturer=other_manufacturer,
        offer=None,
        values=OfferValues(title="x", price=Decimal("1"), visibility="public",
                           starts_on=date(2026, 1, 1)),
    )  # fmt: skip
    incident_step_take(
        incident=foreign_incident, step="blocked_offers", notes="x", by=None, offer=foreign_offer
    )
    client = client_for(manager)
    for path in (
        f"offers/{foreign_offer.pk}/edit/",
        f"incidents/{foreign_incident.pk}/",
    ):
        assert client.get(url(manufacturer, path)).status_code == 404
    block = PartnerBlock.objects.get()
    assert (
        client.post(url(manufacturer, f"blocks/{block.pk}/lift/"), {"text": "x"}).status_code == 404
    )
    assert client.post(url(manufacturer, f"offers/{foreign_offer.pk}/publish/")).status_code == 404
    assert PartnerBlock.objects.get().lifted_at is None


def test_the_reseller_sees_its_offers_and_not_others(
    client_for, reseller_user, manufacturer, partnership, offer, other_manufacturer,
    django_assert_max_num_queries,
):  # fmt: skip
    Partnership.objects.filter(pk=partnership.pk).update(
        qualifying_status=QualifyingStatus.QUALIFIED
    )
    Offer.objects.update(is_published=True)
    client = client_for(reseller_user)
    base = f"/r/{partnership.reseller.public_id}/m/{manufacturer.slug}/offers/"
    for n in range(15):
        offer_save(
            manufacturer=manufacturer,
            offer=None,
            values=OfferValues(title=f"More {n}", price=Decimal("1"), visibility="public",
                               starts_on=date(2026, 1, 1)),
        )  # fmt: skip
    Offer.objects.update(is_published=True)
    # session, user, membership, partnership, tier, blocks, incidents, offers (+ items), count,
    # the page's tier, nav and the notification bell
    with django_assert_max_num_queries(16):
        response = client.get(base)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 16
    assert client.get(f"{base}{offer.pk}/").status_code == 200
    theirs = offer_save(
        manufacturer=other_manufacturer,
        offer=None,
        values=OfferValues(title="x", price=Decimal("1"), visibility="public",
                           starts_on=date(2026, 1, 1)),
    )  # fmt: skip
    assert client.get(f"{base}{theirs.pk}/").status_code == 404
    assert client.get(f"{base}99999999/").status_code == 404
