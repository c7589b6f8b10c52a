"""The manufacturer's catalog pages: staff edit, sellers read, everyone else is kept out."""

from decimal import Decimal

import pytest

from accounts.models import Role
from catalog.models import Category, PriceListItem, Product, ProductKind, Qualification
from tests.accounts.factories import ResellerUserFactory
from tests.catalog.factories import CategoryFactory, PriceListFactory, ProductFactory

# Session, user, membership, the filter form's categories (rendering), count, page rows
# (category and qualification joined), nav switcher's two membership lists, plus headroom.
# Not a count of products: if this grows, say why.
PRODUCT_LIST_BUDGET = 12


@pytest.fixture
def price_list(manufacturer):
    return PriceListFactory(manufacturer=manufacturer, name="Premium")


@pytest.fixture
def urls(manufacturer, product, category, price_list):
    base = f"/m/{manufacturer.slug}/catalog"
    return {
        "products": f"{base}/",
        "product": f"{base}/{product.pk}/",
        "product_create": f"{base}/new/",
        "product_edit": f"{base}/{product.pk}/edit/",
        "product_active": f"{base}/{product.pk}/active/",
        "categories": f"{base}/categories/",
        "category_create": f"{base}/categories/new/",
        "category_edit": f"{base}/categories/{category.pk}/edit/",
        "category_delete": f"{base}/categories/{category.pk}/delete/",
        "price_lists": f"{base}/price-lists/",
        "price_list_create": f"{base}/price-lists/new/",
        "price_list": f"{base}/price-lists/{price_list.pk}/",
        "price_list_item_set": f"{base}/price-lists/{price_list.pk}/items/",
        "price_list_item_remove": f"{base}/price-lists/{price_list.pk}/items/{product.pk}/remove/",
    }


READ_PAGES = ["products", "product", "categories", "price_lists", "price_list"]
EDIT_PAGES = ["product_create", "product_edit", "category_create", "category_edit"]
EDIT_PAGES += ["price_list_create"]
POST_ACTIONS = ["product_active", "category_delete", "price_list_item_set"]
POST_ACTIONS += ["price_list_item_remove"]


def product_data(category, /, **overrides) -> dict:
    data = {
        "sku": "AMP-9",
        "name": "Reference amplifier",
        "category": category.pk,
        "kind": ProductKind.PHYSICAL,
        "price": "1190.00",
        "description": "",
    }
    return data | overrides


# --- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.SELLER])
def test_every_member_reads_the_catalog(client_for, make_member, manufacturer, urls, role):
    client = client_for(make_member(manufacturer, role))

    for name in READ_PAGES:
        assert client.get(urls[name]).status_code == 200, name


def test_seller_gets_403_on_every_edit_page_and_action(client_for, seller, urls, product):
    client = client_for(seller)

    for name in EDIT_PAGES:
        assert client.get(urls[name]).status_code == 403, name
        assert client.post(urls[name], {"name": "X", "sku": "X"}).status_code == 403, name
    for name in POST_ACTIONS:
        assert client.post(urls[name], {"active": "0"}).status_code == 403, name

    product.refresh_from_db()
    assert product.is_active
    assert Category.objects.filter(pk=product.category_id).exists()


def test_seller_sees_no_edit_buttons(client_for, seller, urls):
    page = client_for(seller).get(urls["product"])

    assert "/edit/" not in page.text
    assert "/active/" not in page.text


def test_another_tenants_manager_gets_404_everywhere(
    client_for, other_manufacturer, make_member, urls
):
    client = client_for(make_member(other_manufacturer, Role.MANAGER))

    for name in READ_PAGES + EDIT_PAGES:
        assert client.get(urls[name]).status_code == 404, name
    for name in POST_ACTIONS:
        assert client.post(urls[name]).status_code == 404, name


def test_reseller_user_gets_404_on_manufacturer_pages(client_for, urls):
    client = client_for(ResellerUserFactory().user)

    for name in READ_PAGES + EDIT_PAGES:
        assert client.get(urls[name]).status_code == 404, name


def test_anonymous_is_sent_to_login(client, urls):
    for name in READ_PAGES + EDIT_PAGES:
        response = client.get(urls[name])
        assert response.status_code == 302, name
        assert "/login/" in response["Location"], name


def test_objects_of_another_tenant_answer_404(
    client_for, manager, manufacturer, other_manufacturer
):
    foreign = ProductFactory(manufacturer=other_manufacturer)
    foreign_list = PriceListFactory(manufacturer=other_manufacturer)
    base = f"/m/{manufacturer.slug}/catalog"
    client = client_for(manager)

    assert client.get(f"{base}/{foreign.pk}/").status_code == 404
    assert client.get(f"{base}/{foreign.pk}/edit/").status_code == 404
    assert client.post(f"{base}/{foreign.pk}/active/", {"active": "0"}).status_code == 404
    assert client.get(f"{base}/categories/{foreign.category_id}/edit/").status_code == 404
    assert client.post(f"{base}/categories/{foreign.category_id}/delete/").status_code == 404
    assert client.get(f"{base}/price-lists/{foreign_list.pk}/").status_code == 404
    assert client.get(f"{base}/999999/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


# --- products -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER])
def test_staff_create_and_edit_a_product(client_for, make_member, manufacturer, category, role):
    client = client_for(make_member(manufacturer, role))
    base = f"/m/{manufacturer.slug}/catalog"

    created = client.post(f"{base}/new/", product_data(category))

    product = Product.objects.get(manufacturer=manufacturer, sku="AMP-9")
    assert created.status_code == 302
    assert created["Location"] == f"{base}/{product.pk}/"
    assert product.price == Decimal("1190.00")

    edited = client.post(
        f"{base}/{product.pk}/edit/",
        product_data(category, name="Reference S150", price="999.50", kind=ProductKind.SERVICE),
    )

    product.refresh_from_db()
    assert edited.status_code == 302
    assert (product.name, product.price, product.kind) == (
        "Reference S150",
        Decimal("999.50"),
        ProductKind.SERVICE,
    )


def test_duplicate_sku_in_the_tenant_is_a_form_error(
    client_for, manager, manufacturer, category, product, other_manufacturer
):
    ProductFactory(manufacturer=other_manufacturer, sku="AMP-9")  # another tenant: no clash
    client = client_for(manager)
    base = f"/m/{manufacturer.slug}/catalog"

    clash = client.post(f"{base}/new/", product_data(category, sku=product.sku.lower()))
    elsewhere = client.post(f"{base}/new/", product_data(category, sku="AMP-9"))

    assert clash.status_code == 200
    assert "Another product already has this SKU." in clash.text
    assert elsewhere.status_code == 302
    assert Product.objects.filter(manufacturer=manufacturer).count() == 2


def test_editing_a_product_keeps_its_own_sku(client_for, manager, manufacturer, product):
    response = client_for(manager).post(
        f"/m/{manufacturer.slug}/catalog/{product.pk}/edit/",
        product_data(product.category, sku=product.sku),
    )

    assert response.status_code == 302


def test_negative_price_is_a_form_error(client_for, manager, manufacturer, category):
    response = client_for(manager).post(
        f"/m/{manufacturer.slug}/catalog/new/", product_data(category, price="-1.00")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["price"]
    assert not Product.objects.filter(manufacturer=manufacturer).exists()


def test_category_of_another_tenant_is_not_a_choice(
    client_for, manager, manufacturer, other_manufacturer, category
):
    foreign = CategoryFactory(manufacturer=other_manufacturer)
    client = client_for(manager)

    form_page = client.get(f"/m/{manufacturer.slug}/catalog/new/")
    response = client.post(
        f"/m/{manufacturer.slug}/catalog/new/", product_data(category, category=foreign.pk)
    )

    assert foreign.name not in form_page.text
    assert response.status_code == 200
    assert response.context["form"].errors["category"]
    assert not Product.objects.filter(manufacturer=manufacturer).exists()


def test_deactivate_and_reactivate_a_product(client_for, manager, manufacturer, product):
    client = client_for(manager)
    url = f"/m/{manufacturer.slug}/catalog/{product.pk}/active/"

    assert client.get(url).status_code == 405
    off = client.post(url, {"active": "0"}, follow=True)
    product.refresh_from_db()
    assert not product.is_active
    assert "deactivated" in off.text
    assert 'data-confirm="' in off.text

    client.post(url, {"active": "1"})
    product.refresh_from_db()
    assert product.is_active


# --- categories -----------------------------------------------------------------------------


def test_manager_creates_a_restricted_category_and_the_list_shows_it(
    client_for, manager, manufacturer, qualification, product
):
    client = client_for(manager)
    base = f"/m/{manufacturer.slug}/catalog/categories"

    response = client.post(
        f"{base}/new/", {"name": "Installation", "required_qualification": qualification.pk}
    )
    page = client.get(f"{base}/")

    created = Category.objects.get(manufacturer=manufacturer, name="Installation")
    assert response.status_code == 302
    assert created.required_qualification == qualification
    assert "PRO-AV-CERTIFIED" in page.text
    rows = {c.name: c for c in page.context["categories"]}
    assert rows["Loudspeakers"].product_count == 1
    assert rows["Installation"].product_count == 0


def test_qualification_choices_are_the_tenants_own(
    client_for, manager, manufacturer, other_manufacturer, qualification, category
):
    foreign = Qualification.objects.create(
        manufacturer=other_manufacturer, code="FOREIGN-QUAL", name="Foreign"
    )
    client = client_for(manager)
    url = f"/m/{manufacturer.slug}/catalog/categories/{category.pk}/edit/"

    form_page = client.get(url)
    response = client.post(url, {"name": "Loudspeakers", "required_qualification": foreign.pk})

    queryset = form_page.context["form"].fields["required_qualification"].queryset
    assert list(queryset) == [qualification]
    assert "FOREIGN-QUAL" not in form_page.text
    assert response.status_code == 200
    assert response.context["form"].errors["required_qualification"]
    category.refresh_from_db()
    assert category.required_qualification is None


def test_duplicate_category_name_is_a_form_error(client_for, manager, manufacturer, category):
    response = client_for(manager).post(
        f"/m/{manufacturer.slug}/catalog/categories/new/", {"name": "loudspeakers"}
    )

    assert response.status_code == 200
    assert "already exists" in response.text


def test_category_with_products_is_not_deleted(client_for, manager, manufacturer, product):
    url = f"/m/{manufacturer.slug}/catalog/categories/{product.category_id}/delete/"

    response = client_for(manager).post(url, follow=True)

    assert Category.objects.filter(pk=product.category_id).exists()
    assert "still has products" in response.text


def test_empty_category_is_deleted(client_for, manager, manufacturer):
    empty = CategoryFactory(manufacturer=manufacturer, name="Empty")
    client = client_for(manager)
    url = f"/m/{manufacturer.slug}/catalog/categories/{empty.pk}/delete/"

    assert client.get(url).status_code == 405
    response = client.post(url)

    assert response.status_code == 302
    assert not Category.objects.filter(pk=empty.pk).exists()


# --- price lists ----------------------------------------------------------------------------


def test_manager_creates_a_price_list_and_sets_prices(client_for, manager, manufacturer, product):
    client = client_for(manager)
    base = f"/m/{manufacturer.slug}/catalog/price-lists"

    created = client.post(f"{base}/new/", {"name": "Installers"})
    price_list = manufacturer.price_lists.get(name="Installers")
    assert created["Location"] == f"{base}/{price_list.pk}/"

    client.post(f"{base}/{price_list.pk}/items/", {"product": product.pk, "price": "80.00"})
    client.post(f"{base}/{price_list.pk}/items/", {"product": product.pk, "price": "75.50"})
    page = client.get(f"{base}/{price_list.pk}/")

    item = PriceListItem.objects.get(price_list=price_list)
    assert (item.product, item.price, item.manufacturer) == (
        product,
        Decimal("75.50"),
        manufacturer,
    )
    assert "75.50" in page.text

    client.post(f"{base}/{price_list.pk}/items/{product.pk}/remove/")
    assert not PriceListItem.objects.filter(price_list=price_list).exists()


def test_price_list_refuses_another_tenants_product_and_negative_prices(
    client_for, manager, manufacturer, other_manufacturer, product, price_list
):
    foreign = ProductFactory(manufacturer=other_manufacturer)
    url = f"/m/{manufacturer.slug}/catalog/price-lists/{price_list.pk}/items/"
    client = client_for(manager)

    refused = client.post(url, {"product": foreign.pk, "price": "10.00"})
    negative = client.post(url, {"product": product.pk, "price": "-5"})

    assert refused.status_code == negative.status_code == 400
    assert refused.context["item_form"].errors["product"]
    assert negative.context["item_form"].errors["price"]
    assert not PriceListItem.objects.exists()


def test_price_list_list_counts_items(client_for, manager, manufacturer, product, price_list):
    PriceListFactory(manufacturer=manufacturer, name="Empty list")
    from catalog.services import price_list_item_set

    price_list_item_set(price_list=price_list, product=product, price=Decimal("1.00"))

    page = client_for(manager).get(f"/m/{manufacturer.slug}/catalog/price-lists/")

    counts = {p.name: p.item_count for p in page.context["price_lists"]}
    assert counts == {"Premium": 1, "Empty list": 0}


# --- list, filters, CSV, query budget -------------------------------------------------------


@pytest.fixture
def assorted(manufacturer, category):
    lighting = CategoryFactory(manufacturer=manufacturer, name="Lighting")
    return {
        "speaker": ProductFactory(manufacturer=manufacturer, category=category, sku="SPK-77"),
        "service": ProductFactory(
            manufacturer=manufacturer,
            category=category,
            sku="SRV-1",
            name="Installation",
            kind=ProductKind.SERVICE,
        ),
        "lamp": ProductFactory(manufacturer=manufacturer, category=lighting, sku="LMP-1"),
        "old": ProductFactory(
            manufacturer=manufacturer, category=lighting, sku="LMP-OLD", is_active=False
        ),
    }


def listed_skus(response) -> set[str]:
    return {p.sku for p in response.context["page_obj"]}


def test_product_list_search_and_filters(client_for, manager, manufacturer, assorted):
    client = client_for(manager)
    url = f"/m/{manufacturer.slug}/catalog/"
    lighting = assorted["lamp"].category

    assert listed_skus(client.get(url, {"q": "lmp"})) == {"LMP-1", "LMP-OLD"}
    assert listed_skus(client.get(url, {"q": "installation"})) == {"SRV-1"}
    assert listed_skus(client.get(url, {"category": lighting.pk, "active": "yes"})) == {"LMP-1"}
    assert listed_skus(client.get(url, {"kind": "service"})) == {"SRV-1"}
    assert listed_skus(client.get(url, {"active": "no"})) == {"LMP-OLD"}
    # Junk filter values are ignored, never a 500.
    assert len(listed_skus(client.get(url, {"category": "x", "kind": "nope"}))) == 4


def test_product_list_sorts_on_whitelisted_columns(client_for, manager, manufacturer, assorted):
    client = client_for(manager)
    url = f"/m/{manufacturer.slug}/catalog/"

    by_sku = [p.sku for p in client.get(url, {"sort": "-sku"}).context["page_obj"]]
    junk = client.get(url, {"sort": "manufacturer__name"})

    assert by_sku == sorted(by_sku, reverse=True)
    assert junk.status_code == 200


def test_csv_export_holds_the_filtered_rows(client_for, seller, manufacturer, assorted):
    response = client_for(seller).get(
        f"/m/{manufacturer.slug}/catalog/", {"q": "LMP", "format": "csv"}
    )

    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "LMP-1" in body
    assert "LMP-OLD" in body
    assert "SPK-77" not in body
    assert len(body.strip().splitlines()) == 3  # header + two rows


def test_htmx_request_gets_only_the_table(client_for, manager, manufacturer, assorted):
    response = client_for(manager).get(f"/m/{manufacturer.slug}/catalog/", HTTP_HX_REQUEST="true")

    assert "<table" in response.text
    # The inside of the #product-table container only: a second container would nest.
    assert 'id="product-table"' not in response.text
    assert "<html" not in response.text


def test_product_list_query_budget(
    client_for, manager, manufacturer, qualification, django_assert_max_num_queries
):
    categories = [
        CategoryFactory(manufacturer=manufacturer, required_qualification=qualification),
        CategoryFactory(manufacturer=manufacturer),
    ]
    for index in range(60):
        ProductFactory(manufacturer=manufacturer, category=categories[index % 2])
    client = client_for(manager)

    with django_assert_max_num_queries(PRODUCT_LIST_BUDGET):
        page = client.get(f"/m/{manufacturer.slug}/catalog/", {"sort": "category"})
    with django_assert_max_num_queries(PRODUCT_LIST_BUDGET):
        categories_page = client.get(f"/m/{manufacturer.slug}/catalog/categories/")

    assert page.status_code == categories_page.status_code == 200
    assert len(page.context["page_obj"]) == 25
    assert page.text.count("PRO-AV-CERTIFIED") >= 10
