"""The catalog a reseller sees: the gate decides what, the partnership decides the price."""

from decimal import Decimal

import pytest

from catalog import gate
from catalog.services import price_list_item_set
from channel.models import Partnership
from tests.accounts.factories import ResellerUserFactory
from tests.catalog.factories import CategoryFactory, PriceListFactory, ProductFactory
from tests.resellers.factories import PartnershipFactory

# Session, user, reseller membership, partnership, the gate's policy (when registered), visible
# categories with counts, count, page rows, price list items (one query for the page), nav
# and switcher, the notification bell. Not a count of products: if this grows, say why.
RESELLER_CATALOG_BUDGET = 15


@pytest.fixture
def no_policy(monkeypatch):
    """No qualification policy registered: the gate must fail closed."""
    monkeypatch.setattr(gate, "_held_qualifications", None)


@pytest.fixture
def holds(monkeypatch):
    """holds(*qualifications): every reseller holds exactly these."""

    def grant(*qualifications):
        ids = {q.pk for q in qualifications}
        monkeypatch.setattr(gate, "_held_qualifications", lambda manufacturer, reseller: ids)

    return grant


@pytest.fixture
def base(partnership, manufacturer):
    return f"/r/{partnership.reseller.public_id}/m/{manufacturer.slug}/catalog"


def set_conditions(partnership, **conditions) -> None:
    Partnership.objects.filter(pk=partnership.pk).update(**conditions)


def test_reseller_sees_list_price_without_conditions(client_for, reseller_user, base, product):
    page = client_for(reseller_user).get(f"{base}/")

    assert page.status_code == 200
    assert page.context["rows"] == [(product, Decimal("100.00"))]


def test_price_list_beats_list_price_and_discount_applies_with_half_up_rounding(
    client_for, reseller_user, base, manufacturer, partnership, category
):
    listed = ProductFactory(manufacturer=manufacturer, category=category, price=Decimal("100"))
    unlisted = ProductFactory(manufacturer=manufacturer, category=category, price=Decimal("10.10"))
    price_list = PriceListFactory(manufacturer=manufacturer)
    price_list_item_set(price_list=price_list, product=listed, price=Decimal("80.00"))
    # 80.00 × 0.975 = 78.00; 10.10 × 0.975 = 9.8475 → 9.85 (half up, not banker's 9.84)
    set_conditions(partnership, price_list=price_list, discount_percent=Decimal("2.5"))

    page = client_for(reseller_user).get(f"{base}/")

    prices = {product.pk: price for product, price in page.context["rows"]}
    assert prices == {listed.pk: Decimal("78.00"), unlisted.pk: Decimal("9.85")}
    assert "78.00" in page.text
    assert "100.00" in page.text  # the list price stays next to it


def test_another_resellers_conditions_do_not_leak(
    client_for, reseller_user, base, manufacturer, product
):
    other = PartnershipFactory(manufacturer=manufacturer)
    set_conditions(other, discount_percent=Decimal("50"))

    page = client_for(reseller_user).get(f"{base}/")

    assert page.context["rows"] == [(product, Decimal("100.00"))]


def test_restricted_categories_are_hidden_without_a_policy(
    no_policy, client_for, reseller_user, base, manufacturer, qualification, product
):
    restricted = CategoryFactory(
        manufacturer=manufacturer, name="Installation", required_qualification=qualification
    )
    hidden = ProductFactory(manufacturer=manufacturer, category=restricted, name="Secret install")
    client = client_for(reseller_user)

    page = client.get(f"{base}/")

    assert [p for p, _ in page.context["rows"]] == [product]
    assert "Installation" not in page.text
    assert "Secret install" not in page.text
    assert client.get(f"{base}/{hidden.pk}/").status_code == 404
    assert client.get(f"{base}/categories/{restricted.pk}/").status_code == 404


def test_holder_of_the_qualification_sees_the_restricted_category(
    holds, client_for, reseller_user, base, manufacturer, qualification, product
):
    restricted = CategoryFactory(
        manufacturer=manufacturer, name="Installation", required_qualification=qualification
    )
    shown = ProductFactory(manufacturer=manufacturer, category=restricted)
    holds(qualification)
    client = client_for(reseller_user)

    category_page = client.get(f"{base}/categories/{restricted.pk}/")

    assert category_page.status_code == 200
    assert [p for p, _ in category_page.context["rows"]] == [shown]
    assert client.get(f"{base}/{shown.pk}/").status_code == 200


def test_inactive_and_foreign_products_answer_404(
    client_for, reseller_user, base, manufacturer, other_manufacturer, category
):
    inactive = ProductFactory(manufacturer=manufacturer, category=category, is_active=False)
    foreign = ProductFactory(manufacturer=other_manufacturer)
    client = client_for(reseller_user)

    assert client.get(f"{base}/{inactive.pk}/").status_code == 404
    assert client.get(f"{base}/{foreign.pk}/").status_code == 404
    assert client.get(f"{base}/categories/{foreign.category_id}/").status_code == 404
    assert inactive not in [p for p, _ in client.get(f"{base}/").context["rows"]]


def test_product_detail_shows_the_resellers_price(
    client_for, reseller_user, base, partnership, product
):
    set_conditions(partnership, discount_percent=Decimal("10"))

    page = client_for(reseller_user).get(f"{base}/{product.pk}/")

    assert page.context["unit_price"] == Decimal("90.00")


def test_search_filters_by_sku_and_name(client_for, reseller_user, base, manufacturer, category):
    ProductFactory(manufacturer=manufacturer, category=category, sku="AMP-1", name="Amplifier")
    ProductFactory(manufacturer=manufacturer, category=category, sku="SPK-1", name="Speaker")
    client = client_for(reseller_user)

    assert [p.sku for p, _ in client.get(f"{base}/", {"q": "amp"}).context["rows"]] == ["AMP-1"]
    assert [p.sku for p, _ in client.get(f"{base}/", {"q": "speak"}).context["rows"]] == ["SPK-1"]


def test_other_resellers_and_strangers_are_kept_out(client, client_for, base, manufacturer):
    stranger = ResellerUserFactory().user  # a reseller that is not this manufacturer's partner
    own_base = f"/r/{ResellerUserFactory().reseller.public_id}/m/{manufacturer.slug}/catalog/"

    assert client_for(stranger).get(f"{base}/").status_code == 404
    assert client_for(stranger).get(own_base).status_code == 404
    assert client.get(f"{base}/").status_code == 302


def test_manufacturer_staff_cannot_use_the_reseller_pages(client_for, manager, base):
    assert client_for(manager).get(f"{base}/").status_code == 404


def test_reseller_catalog_query_budget(
    holds,
    client_for,
    reseller_user,
    base,
    manufacturer,
    partnership,
    qualification,
    django_assert_max_num_queries,
):
    categories = [
        CategoryFactory(manufacturer=manufacturer),
        CategoryFactory(manufacturer=manufacturer, required_qualification=qualification),
        CategoryFactory(manufacturer=manufacturer),
    ]
    price_list = PriceListFactory(manufacturer=manufacturer)
    for index in range(66):
        product = ProductFactory(manufacturer=manufacturer, category=categories[index % 3])
        if index % 2:
            price_list_item_set(price_list=price_list, product=product, price=Decimal("50"))
    set_conditions(partnership, price_list=price_list, discount_percent=Decimal("5"))
    holds(qualification)
    client = client_for(reseller_user)

    with django_assert_max_num_queries(RESELLER_CATALOG_BUDGET):
        page = client.get(f"{base}/", {"sort": "category"})
    with django_assert_max_num_queries(RESELLER_CATALOG_BUDGET):
        category_page = client.get(f"{base}/categories/{categories[1].pk}/", {"q": "Product"})

    assert len(page.context["rows"]) == 25
    assert len(category_page.context["rows"]) == 22
    assert {price for _, price in page.context["rows"]} == {Decimal("47.50"), Decimal("95.00")}
