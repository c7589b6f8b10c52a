"""CSV exports of the catalog tables: the rows the page selects (every page of them), this
tenant's only, behind the same access rules as the page, in queries that don't grow."""

from decimal import Decimal

import pytest

from accounts.models import Role
from catalog.services import price_list_item_set, product_set_active
from channel.models import Partnership
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.catalog.factories import CategoryFactory, PriceListFactory, ProductFactory
from tests.csv_helpers import csv_rows
from tests.resellers.factories import PartnershipFactory

# Session, user, membership, the price list on its page, the rows (joined and annotated):
# at most 5, plus one of headroom. Not a count of rows.
MANUFACTURER_CSV_BUDGET = 6
# Session, user, reseller membership, partnership, the category and the gate's held
# qualifications for it, the held qualifications again for the products, the products
# (category joined), the negotiated prices: 9; the audit log's record of the download and the
# partner tier's benefits (its discount) make 11. Not a count of products.
RESELLER_CSV_BUDGET = 11


@pytest.fixture
def price_list(manufacturer):
    return PriceListFactory(manufacturer=manufacturer, name="Premium")


@pytest.fixture
def foreign(other_manufacturer):
    """The other tenant's catalog, named so that a leak would show."""
    category = CategoryFactory(manufacturer=other_manufacturer, name="Foreign lamps")
    product = ProductFactory(
        manufacturer=other_manufacturer, category=category, sku="FOREIGN-1", name="Lamp"
    )
    price_list = PriceListFactory(manufacturer=other_manufacturer, name="Foreign list")
    price_list_item_set(price_list=price_list, product=product, price=Decimal("1.00"))
    return {"category": category, "product": product, "price_list": price_list}


def manufacturer_urls(manufacturer, price_list) -> dict[str, str]:
    base = f"/m/{manufacturer.slug}/catalog"
    return {
        "categories": f"{base}/categories/?format=csv",
        "price_lists": f"{base}/price-lists/?format=csv",
        "price_list": f"{base}/price-lists/{price_list.pk}/?format=csv",
    }


# --- manufacturer side ----------------------------------------------------------------------


def test_categories_csv(client_for, manager, manufacturer, category, qualification, foreign):
    restricted = CategoryFactory(
        manufacturer=manufacturer, name="Pro AV", required_qualification=qualification
    )
    ProductFactory(manufacturer=manufacturer, category=category, sku="SPK-1")
    old = ProductFactory(manufacturer=manufacturer, category=category, sku="SPK-OLD")
    product_set_active(product=old, is_active=False)
    ProductFactory(manufacturer=manufacturer, category=restricted, sku="PRO-1")

    rows = csv_rows(
        client_for(manager).get(f"/m/{manufacturer.slug}/catalog/categories/", {"format": "csv"})
    )

    assert rows[0] == [
        "Name", "Description", "Access", "Required qualification", "Products", "Active products",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["Loudspeakers", "Pro AV"]
    assert rows[1][2:] == ["Open", "", "2", "1"]
    assert rows[2][2:] == ["Restricted", "PRO-AV-CERTIFIED", "1", "1"]
    assert "Foreign lamps" not in str(rows)


def test_price_lists_csv(client_for, seller, manufacturer, price_list, product, foreign):
    PriceListFactory(manufacturer=manufacturer, name="Installers")
    price_list_item_set(price_list=price_list, product=product, price=Decimal("80"))
    on_list = PartnershipFactory(manufacturer=manufacturer)
    Partnership.objects.filter(pk=on_list.pk).update(price_list=price_list)

    rows = csv_rows(
        client_for(seller).get(f"/m/{manufacturer.slug}/catalog/price-lists/", {"format": "csv"})
    )

    assert rows[0] == ["Name", "Products", "Resellers on it", "Created"]
    assert [row[:3] for row in rows[1:]] == [["Installers", "0", "0"], ["Premium", "1", "1"]]
    assert len(rows[1][3]) == 10 and rows[1][3][4] == "-"  # an ISO date
    assert "Foreign list" not in str(rows)


def test_price_list_csv_holds_this_lists_items_only(
    client_for, manager, manufacturer, price_list, category, foreign
):
    listed = ProductFactory(
        manufacturer=manufacturer, category=category, sku="SPK-1", price=Decimal("100")
    )
    elsewhere = ProductFactory(manufacturer=manufacturer, category=category, sku="SPK-2")
    price_list_item_set(price_list=price_list, product=listed, price=Decimal("80.5"))
    other_list = PriceListFactory(manufacturer=manufacturer, name="Other")
    price_list_item_set(price_list=other_list, product=elsewhere, price=Decimal("70"))

    rows = csv_rows(
        client_for(manager).get(
            f"/m/{manufacturer.slug}/catalog/price-lists/{price_list.pk}/", {"format": "csv"}
        )
    )

    assert rows == [
        ["SKU", "Product", "Active", "List price", "Price on this list", "Currency"],
        ["SPK-1", listed.name, "Yes", "100.00", "80.50", "EUR"],
    ]


def test_another_tenants_price_list_is_404_as_csv(client_for, manager, manufacturer, foreign):
    url = f"/m/{manufacturer.slug}/catalog/price-lists/{foreign['price_list'].pk}/"

    assert client_for(manager).get(url, {"format": "csv"}).status_code == 404


@pytest.mark.parametrize("name", ["categories", "price_lists", "price_list"])
def test_manufacturer_csv_keeps_the_pages_access_rules(
    client, client_for, make_member, manufacturer, other_manufacturer, price_list, name
):
    url = manufacturer_urls(manufacturer, price_list)[name]
    reseller_user = ResellerUserFactory(
        reseller=PartnershipFactory(manufacturer=manufacturer).reseller
    ).user

    # The catalog is read by every member, sellers included (only editing is staff-only).
    assert client_for(make_member(manufacturer, Role.SELLER)).get(url).status_code == 200
    assert client_for(make_member(other_manufacturer, Role.OWNER)).get(url).status_code == 404
    assert client_for(reseller_user).get(url).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


@pytest.mark.parametrize("name", ["categories", "price_lists", "price_list"])
def test_manufacturer_csv_queries_do_not_grow_with_rows(
    client_for,
    manager,
    manufacturer,
    price_list,
    qualification,
    django_assert_max_num_queries,
    name,
):
    for index in range(30):
        category = CategoryFactory(
            manufacturer=manufacturer,
            required_qualification=qualification if index % 2 else None,
        )
        product = ProductFactory(manufacturer=manufacturer, category=category)
        price_list_item_set(price_list=price_list, product=product, price=Decimal("9.99"))
        PriceListFactory(manufacturer=manufacturer)
    client = client_for(manager)

    with django_assert_max_num_queries(MANUFACTURER_CSV_BUDGET):
        rows = csv_rows(client.get(manufacturer_urls(manufacturer, price_list)[name]))

    # The header, then 30 categories, 30 items, or 31 price lists ("Premium" and 30 more).
    assert len(rows) == {"categories": 31, "price_list": 31, "price_lists": 32}[name]


# --- the reseller's own price list ----------------------------------------------------------


@pytest.fixture
def reseller_base(partnership, manufacturer) -> str:
    return f"/r/{partnership.reseller.public_id}/m/{manufacturer.slug}/catalog"


def test_reseller_csv_is_their_price_list_over_every_page(
    client_for, reseller_user, reseller_base, manufacturer, partnership, category, qualification,
    foreign,
):  # fmt: skip
    listed = ProductFactory(
        manufacturer=manufacturer, category=category, sku="A-LISTED", price=Decimal("100")
    )
    for index in range(30):  # more than one page of 25
        ProductFactory(
            manufacturer=manufacturer,
            category=category,
            sku=f"B-{index:02d}",
            price=Decimal("10.10"),
        )
    hidden = CategoryFactory(
        manufacturer=manufacturer, name="Pro AV", required_qualification=qualification
    )
    ProductFactory(manufacturer=manufacturer, category=hidden, sku="PRO-HIDDEN")
    inactive = ProductFactory(manufacturer=manufacturer, category=category, sku="OLD-1")
    product_set_active(product=inactive, is_active=False)
    price_list = PriceListFactory(manufacturer=manufacturer)
    price_list_item_set(price_list=price_list, product=listed, price=Decimal("80.00"))
    Partnership.objects.filter(pk=partnership.pk).update(
        price_list=price_list, discount_percent=Decimal("2.5")
    )

    rows = csv_rows(client_for(reseller_user).get(f"{reseller_base}/", {"format": "csv"}))

    assert rows[0] == [
        "SKU", "Product", "Category", "Kind", "List price", "Your price", "Currency",
    ]  # fmt: skip
    skus = [row[0] for row in rows[1:]]
    assert len(skus) == 31 and "A-LISTED" in skus
    assert not {"PRO-HIDDEN", "OLD-1", "FOREIGN-1"} & set(skus)
    prices = {row[0]: row[4:] for row in rows[1:]}
    # 80.00 × 0.975 = 78.00; 10.10 × 0.975 = 9.8475 → 9.85 (half up, rounded once)
    assert prices["A-LISTED"] == ["100.00", "78.00", "EUR"]
    assert prices["B-07"] == ["10.10", "9.85", "EUR"]


def test_reseller_csv_follows_search_sort_and_category(
    client_for, reseller_user, reseller_base, manufacturer, category
):
    amps = CategoryFactory(manufacturer=manufacturer, name="Amplifiers")
    ProductFactory(manufacturer=manufacturer, category=category, sku="SPK-1", name="Aria one")
    ProductFactory(manufacturer=manufacturer, category=category, sku="SPK-2", name="Aria two")
    ProductFactory(manufacturer=manufacturer, category=category, sku="SUB-1", name="Bass")
    ProductFactory(manufacturer=manufacturer, category=amps, sku="AMP-1", name="Aria amp")
    client = client_for(reseller_user)

    searched = csv_rows(
        client.get(f"{reseller_base}/", {"q": "aria", "sort": "-sku", "format": "csv"})
    )
    in_category = csv_rows(
        client.get(f"{reseller_base}/categories/{category.pk}/", {"q": "aria", "format": "csv"})
    )

    assert [row[0] for row in searched[1:]] == ["SPK-2", "SPK-1", "AMP-1"]
    assert [row[0] for row in in_category[1:]] == ["SPK-1", "SPK-2"]


def test_reseller_csv_access(client, client_for, reseller_base, manufacturer, partnership, manager):
    other_reseller_user = ResellerUserFactory(reseller=ResellerFactory()).user
    url = f"{reseller_base}/?format=csv"

    assert client_for(other_reseller_user).get(url).status_code == 404
    assert client_for(manager).get(url).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_reseller_csv_queries_do_not_grow_with_products(
    client_for, reseller_user, reseller_base, manufacturer, partnership, category,
    django_assert_max_num_queries,
):  # fmt: skip
    price_list = PriceListFactory(manufacturer=manufacturer)
    Partnership.objects.filter(pk=partnership.pk).update(price_list=price_list)
    for _ in range(40):
        product = ProductFactory(manufacturer=manufacturer, category=category)
        price_list_item_set(price_list=price_list, product=product, price=Decimal("5"))
    client = client_for(reseller_user)

    with django_assert_max_num_queries(RESELLER_CSV_BUDGET):
        rows = csv_rows(client.get(f"{reseller_base}/categories/{category.pk}/?format=csv"))

    assert len(rows) == 41
