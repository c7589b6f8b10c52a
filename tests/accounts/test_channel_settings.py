"""The manufacturer's business settings: staff change them, nobody else can."""

from decimal import Decimal

import pytest

from accounts.models import Role
from tests.accounts.factories import ResellerUserFactory
from tests.catalog.factories import ProductFactory

VALID = {
    "name": "Acme Audio AG",
    "currency": "chf",
    "default_commission_rate": "12.50",
    "commission_holding_weeks": "6",
    "payout_deadline_weeks": "12",
}


def url(manufacturer) -> str:
    return f"/m/{manufacturer.slug}/settings/"


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER])
def test_staff_change_the_channel_settings(client_for, make_member, manufacturer, role):
    client = client_for(make_member(manufacturer, role))
    assert 'value="10.00"' in client.get(url(manufacturer)).text

    page = client.post(url(manufacturer), VALID, follow=True)

    assert "Settings saved." in page.text
    manufacturer.refresh_from_db()
    assert manufacturer.name == "Acme Audio AG"
    assert manufacturer.currency == "CHF"
    assert manufacturer.default_commission_rate == Decimal("12.50")
    assert (manufacturer.commission_holding_weeks, manufacturer.payout_deadline_weeks) == (6, 12)


@pytest.mark.parametrize(
    "field, value", [("default_commission_rate", "101"), ("currency", "E1"), ("name", "")]
)
def test_bad_settings_are_form_errors_and_change_nothing(
    client_for, manager, manufacturer, field, value
):
    response = client_for(manager).post(url(manufacturer), {**VALID, field: value})

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    manufacturer.refresh_from_db()
    assert manufacturer.default_commission_rate == Decimal("10.00")
    assert manufacturer.currency == "EUR"


def test_settings_are_closed_to_everyone_else(
    client, client_for, seller, manufacturer, other_manufacturer, make_member
):
    assert client_for(seller).get(url(manufacturer)).status_code == 403
    assert client_for(seller).post(url(manufacturer), VALID).status_code == 403
    stranger = make_member(other_manufacturer, Role.OWNER)
    assert client_for(stranger).post(url(manufacturer), VALID).status_code == 404
    reseller_user = ResellerUserFactory().user
    assert client_for(reseller_user).get(url(manufacturer)).status_code == 404
    response = client.post(url(manufacturer), VALID)
    assert response.status_code == 302 and "/login/" in response["Location"]
    manufacturer.refresh_from_db()
    assert manufacturer.default_commission_rate == Decimal("10.00")
    assert manufacturer.name != "Acme Audio AG"


def test_only_staff_see_settings_in_the_navigation(client_for, manager, seller, manufacturer):
    assert url(manufacturer) in client_for(manager).get(f"/m/{manufacturer.slug}/").text
    assert url(manufacturer) not in client_for(seller).get(f"/m/{manufacturer.slug}/").text


def test_the_currency_is_fixed_once_products_exist(client_for, manager, manufacturer):
    ProductFactory(manufacturer=manufacturer)

    refused = client_for(manager).post(url(manufacturer), VALID)
    renamed = client_for(manager).post(url(manufacturer), {**VALID, "currency": "EUR"})

    assert refused.status_code == 400
    assert "cannot change once you have products or orders" in refused.text
    assert renamed.status_code == 302
    manufacturer.refresh_from_db()
    assert (manufacturer.currency, manufacturer.name) == ("EUR", "Acme Audio AG")
