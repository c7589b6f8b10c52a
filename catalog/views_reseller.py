"""The manufacturer's catalog as one reseller sees it: only what the gate lets through, at
the partnership's own price (its price list, else the list price, less its discount)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.listing import apply_sort, paginate
from accounts.tenancy import reseller_partner_view
from catalog import selectors
from catalog.pricing import reseller_unit_prices


def _unit_prices(request: HttpRequest, products: list) -> dict:
    partnership = request.partnership
    return reseller_unit_prices(
        products=products,
        price_list=partnership.price_list,
        discount_percent=partnership.discount_percent,
    )


def _catalog_page(request: HttpRequest, category=None) -> HttpResponse:
    manufacturer, reseller = request.tenant, request.reseller
    q = request.GET.get("q", "")
    rows = selectors.reseller_product_list(
        manufacturer=manufacturer, reseller=reseller, q=q, category=category
    )
    rows, sort = apply_sort(request, rows, selectors.RESELLER_PRODUCT_SORTS, default="name")
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


@reseller_partner_view
@require_GET
def products(request: HttpRequest) -> HttpResponse:
    return _catalog_page(request)


@reseller_partner_view
@require_GET
def category(request: HttpRequest, category_id: int) -> HttpResponse:
    category = selectors.reseller_access_category(
        manufacturer=request.tenant, reseller=request.reseller, category_id=category_id
    )
    return _catalog_page(request, category)


@reseller_partner_view
@require_GET
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.reseller_access_product(
        manufacturer=request.tenant, reseller=request.reseller, product_id=product_id
    )
    context = {"product": product, "unit_price": _unit_prices(request, [product])[product.pk]}
    return render(request, "catalog/reseller_product_detail.html", context)
