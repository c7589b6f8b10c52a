"""Owners set dated rates and commission-free products; nobody else can."""

from decimal import Decimal

import pytest
from django.utils import timezone

from commissions.models import CommissionFree, CommissionRate, RateScope
from tests.catalog.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def url(manufacturer, page=""):
    return f"/m/{manufacturer.slug}/commissions/rates/{page}"


def test_an_owner_sets_a_dated_rate_for_a_reseller_and_a_category(
    client_for, manufacturer, partnership, category, owner
):
    client = client_for(owner)
    today = timezone.localdate().isoformat()

    reseller_rate = {
        "rate": "12.50",
        "effective_from": today,
        "public_id": partnership.reseller.public_id,
    }
    assert client.post(url(manufacturer, "set/"), reseller_rate).status_code == 302
    category_rate = {"rate": "5", "effective_from": today, "category": category.pk}
    assert client.post(url(manufacturer, "set/"), category_rate).status_code == 302

    assert set(CommissionRate.objects.values_list("scope", "rate")) == {
        (RateScope.PARTNERSHIP, Decimal("12.50")),
        (RateScope.CATEGORY, Decimal("5.00")),
    }
    page = client.get(url(manufacturer)).content.decode()
    assert "12.50%" in page and "Loudspeakers" in page


@pytest.mark.parametrize(
    "data",
    [
        {"rate": "100.01"},
        {"rate": "-1"},
        {"effective_from": "1900-01-01"},
        {"category": "foreign"},
    ],
)
def test_bad_rates_are_refused_and_write_nothing(
    client_for, manufacturer, other_manufacturer, owner, data
):
    if data.get("category") == "foreign":
        data = {"category": CategoryFactory(manufacturer=other_manufacturer).pk}
    base = {"rate": "10", "effective_from": timezone.localdate().isoformat()}

    response = client_for(owner).post(url(manufacturer, "set/"), {**base, **data})

    assert response.status_code == 400
    assert not CommissionRate.objects.exists()


def test_an_unknown_reseller_is_404(client_for, manufacturer, owner):
    data = {
        "rate": "10",
        "effective_from": timezone.localdate().isoformat(),
        "public_id": "ZZZZZZZ",
    }

    assert client_for(owner).post(url(manufacturer, "set/"), data).status_code == 404
    assert not CommissionRate.objects.exists()


def test_only_an_owner_changes_rates(client_for, manufacturer, manager, seller):
    data = {"rate": "10", "effective_from": timezone.localdate().isoformat()}

    assert client_for(manager).get(url(manufacturer)).status_code == 200
    assert client_for(manager).post(url(manufacturer, "set/"), data).status_code == 403
    assert client_for(seller).get(url(manufacturer)).status_code == 403
    assert not CommissionRate.objects.exists()


def test_a_product_becomes_commission_free_by_its_sku(client_for, manufacturer, speaker, owner):
    client = client_for(owner)

    assert client.post(url(manufacturer, "free/"), {"sku": "NOPE", "free": "on"}).status_code == 400
    assert (
        client.post(url(manufacturer, "free/"), {"sku": speaker.sku, "free": "on"}).status_code
        == 302
    )
    assert CommissionFree.objects.get().product == speaker
    assert client.post(url(manufacturer, "free/"), {"sku": speaker.sku}).status_code == 302
    assert not CommissionFree.objects.exists()
