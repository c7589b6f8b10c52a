"""The manufacturer's catalog as one reseller sees it: only what the gate lets through, at
the partnership's own price (its price list, else the list price, less its discount)."""

from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.tenancy import ResellerPartnerRequest, reseller_partner_view
from catalog import selectors
from catalog.models import Category, Product
from catalog.pricing import reseller_unit_prices
from core.listing import apply_sort, csv_response, paginate, search_query


def _unit_prices(request: ResellerPartnerRequest, products: list[Product]) -> dict[int, Decimal]:
    partnership = request.partnership
    return reseller_unit_prices(
        products=products,
        price_list=partnership.price_list,
        discount_percent=partnership.effective_discount_percent,
    )


def _catalog_page(
    request: ResellerPartnerRequest, category: Category | None = None
) -> HttpResponseBase:
    manufacturer, reseller = request.tenant, request.reseller
    q = search_query(request)
    rows = selectors.reseller_product_list(
        manufacturer=manufacturer, reseller=reseller, q=q, category=category
    )
    rows, sort = apply_sort(request, rows, selectors.RESELLER_PRODUCT_SORTS, default="name")
    if request.GET.get("format") == "csv":
        return _catalog_csv(request, rows, category)
    page_obj = paginate(request, rows)
    products = list(page_obj.object_list)
    prices = _unit_prices(request, products)
    context = {
        "page_obj": page_obj,
        "rows": [(product, prices[product.pk]) for product in products],
        "categories": selectors.reseller_categories(manufacturer=manufacturer, reseller=reseller),
        "category": category,
        "q": q,
        "sort": sort,
    }
    template = "catalog/reseller_products.html"
    if request.htmx:
        template += "#product-table"
    return render(request, template, context)


def _catalog_csv(
    request: ResellerPartnerRequest, rows: QuerySet[Product], category: Category | None = None
) -> HttpResponseBase:
    """The reseller's price list: every product the page selects, at the reseller's price.

    Two queries for any number of products: the products (category joined) and the
    negotiated prices, so the rows are read at once rather than streamed from the database.
    """
    products = list(rows)
    prices = _unit_prices(request, products)
    currency = request.tenant.currency
    filename = f"{request.tenant.slug}-price-list"
    if category is not None:
        filename += f"-{slugify(category.name) or category.pk}"
    return csv_response(
        filename=filename,
        header=[_("SKU"), _("Product"), _("Category"), _("Kind"), _("List price"),
                _("Your price"), _("Currency")],
        rows=(
            [p.sku, p.name, p.category.name, p.get_kind_display(), p.price, prices[p.pk],
             currency]
            for p in products
        ),
    )  # fmt: skip


@reseller_partner_view
@require_GET
def products(request: ResellerPartnerRequest) -> HttpResponseBase:
    return _catalog_page(request)


@reseller_partner_view
@require_GET
def category(request: ResellerPartnerRequest, category_id: int) -> HttpResponseBase:
    category = selectors.reseller_access_category(
        manufacturer=request.tenant, reseller=request.reseller, category_id=category_id
    )
    return _catalog_page(request, category)


@reseller_partner_view
@require_GET
def product_detail(request: ResellerPartnerRequest, product_id: int) -> HttpResponse:
    product = selectors.reseller_access_product(
        manufacturer=request.tenant, reseller=request.reseller, product_id=product_id
    )
    context = {"product": product, "unit_price": _unit_prices(request, [product])[product.pk]}
    return render(request, "catalog/reseller_product_detail.html", context)
