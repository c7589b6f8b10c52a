"""Bounded numbers and texts of the reseller pages: the conditions' discount, the statistics'
changes against the previous period, and the reseller's interaction log."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from channel.models import Partnership, PaymentMethod, ShippingMethod
from core.bounds import MAX_DELTA_PERCENT, MAX_TEXT_LENGTH
from resellers import services
from resellers.models import CustomerInteraction
from resellers.statistics import Figure, delta_percent
from tests.catalog.factories import ProductFactory
from tests.resellers.customer_helpers import make_customer, reseller_with_user
from tests.resellers.sales_helpers import sale

# --- the discount of the commercial conditions ----------------------------------------------


def conditions_url(partnership) -> str:
    return reverse(
        "resellers_manufacturer:conditions",
        kwargs={
            "manufacturer_slug": partnership.manufacturer.slug,
            "public_id": partnership.reseller.public_id,
        },
    )


@pytest.mark.parametrize("discount", ["1e20", "1e308", "9" * 30, "NaN", "-Infinity"])
def test_an_absurd_discount_is_a_form_error(partnership, manager, client_for, discount):
    response = client_for(manager).post(
        conditions_url(partnership),
        {
            "discount_percent": discount,
            "payment_method": PaymentMethod.INVOICE,
            "shipping_method": ShippingMethod.STANDARD,
        },
    )

    assert response.status_code == 200
    assert "discount_percent" in response.context["form"].errors
    partnership.refresh_from_db()
    assert partnership.discount_percent == D("0.00")


def test_the_database_refuses_a_discount_over_100_percent(partnership):
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(discount_percent=D("100.01"))


# --- changes against the previous period ----------------------------------------------------


def test_a_change_is_capped_and_says_so():
    huge = Figure(current=D("3696000000.00"), previous=D("6.87"))  # the "+53,750,259%"
    small = Figure(current=D("110.00"), previous=D("100.00"))

    assert huge.delta == MAX_DELTA_PERCENT and huge.delta_capped
    assert Figure(current=D("-5000"), previous=D("1")).delta == -MAX_DELTA_PERCENT
    assert small.delta == D("10.0") and not small.delta_capped


def test_a_change_is_measured_against_the_size_of_the_previous_figure():
    # Net sales went from -100 (more returned than sold) to -50: better, not worse.
    assert delta_percent(D("-50"), D("-100")) == D("50.0")
    assert delta_percent(D("50"), D("0")) is None


def test_a_change_of_any_size_is_a_number():
    assert delta_percent(D("1E+30"), D("0.01")) == MAX_DELTA_PERCENT
    assert delta_percent(10**40, 1) == MAX_DELTA_PERCENT


def test_the_dashboard_shows_a_capped_growth_as_such(client_for, owner, partnership):
    product = ProductFactory(manufacturer=partnership.manufacturer, price=D("999.00"))
    now = timezone.now()
    sale(partnership, [(product, 1)], when=now - timedelta(days=40))
    sale(partnership, [(product, 9_999)], when=now - timedelta(days=1))

    response = client_for(owner).get(f"/m/{partnership.manufacturer.slug}/")

    assert response.status_code == 200
    assert "&gt; +999.9%" in response.text
    assert "999800.0%" not in response.text


# --- the interaction log --------------------------------------------------------------------


@pytest.fixture
def book(db):
    reseller, user = reseller_with_user(name="Soundhouse GmbH")
    return reseller, user, make_customer(reseller, 1)


def interaction_url(reseller, customer) -> str:
    return reverse(
        "resellers_reseller:interaction_add",
        kwargs={"reseller_public_id": reseller.public_id, "customer_id": customer.pk},
    )


def test_an_interaction_over_the_limit_is_refused(client_for, book):
    reseller, user, customer = book

    response = client_for(user).post(
        interaction_url(reseller, customer),
        {"kind": "call", "occurred_at": "2026-01-15T10:30", "body": "x" * 60_000},
    )

    assert response.status_code == 400
    assert "at most 4000 characters" in response.text
    assert not CustomerInteraction.objects.exists()


def test_an_interaction_at_the_limit_is_logged(client_for, book):
    reseller, user, customer = book

    response = client_for(user).post(
        interaction_url(reseller, customer),
        {"kind": "call", "occurred_at": "2026-01-15T10:30", "body": "x" * MAX_TEXT_LENGTH},
    )

    assert response.status_code == 302
    assert len(CustomerInteraction.objects.get().body) == MAX_TEXT_LENGTH


def test_the_service_refuses_an_interaction_over_the_limit(book):
    _reseller, user, customer = book

    with pytest.raises(services.InteractionRefused, match="4000 characters"):
        services.interaction_add(
            customer=customer, author=user, kind="note", body="x" * (MAX_TEXT_LENGTH + 1)
        )
    assert not CustomerInteraction.objects.exists()
