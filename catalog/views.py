"""The manufacturer's catalog: products, categories and price lists.

Every member reads the catalog; only owners and managers change it (sellers get 403).
"""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import STAFF_ROLES
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from catalog import selectors, services
from catalog.forms import (
    CategoryForm,
    PriceListForm,
    PriceListItemForm,
    ProductFilterForm,
    ProductForm,
)
from catalog.models import PriceList
from catalog.services import CatalogRefused
from core.listing import apply_sort, csv_date, csv_response, paginate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _form_page(
    request: HttpRequest, form: forms.BaseForm, *, title: "StrOrPromise", back_url: str
) -> HttpResponse:
    return render(
        request, "catalog/form.html", {"form": form, "title": title, "back_url": back_url}
    )


def _url(request: ManufacturerRequest, name: str, **kwargs: object) -> str:
    return reverse(
        f"catalog_manufacturer:{name}", kwargs={"manufacturer_slug": request.tenant.slug, **kwargs}
    )


# --- products -------------------------------------------------------------------------------


@manufacturer_view
@require_GET
def products(request: ManufacturerRequest) -> HttpResponseBase:
    filter_form = ProductFilterForm(request.GET, manufacturer=request.tenant)
    rows = selectors.product_list(manufacturer=request.tenant, **filter_form.filters())
    rows, sort = apply_sort(request, rows, selectors.PRODUCT_SORTS, default="sku")
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-products",
            header=[_("SKU"), _("Name"), _("Category"), _("Kind"), _("List price"),
                    _("Currency"), _("Active")],
            rows=(
                [p.sku, p.name, p.category.name, p.get_kind_display(), p.price,
                 request.tenant.currency, _("Yes") if p.is_active else _("No")]
                for p in rows.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    context = {"filter_form": filter_form, "page_obj": paginate(request, rows), "sort": sort}
    template = "catalog/products.html"
    if request.htmx:
        template += "#product-table"
    return render(request, template, context)


@manufacturer_view
@require_GET
def product_detail(request: ManufacturerRequest, product_id: int) -> HttpResponse:
    product = selectors.access_product(manufacturer=request.tenant, product_id=product_id)
    return render(request, "catalog/product_detail.html", {"product": product})


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def product_create(request: ManufacturerRequest) -> HttpResponse:
    form = ProductForm(request.POST or None, manufacturer=request.tenant)
    if request.method == "POST" and form.is_valid():
        product = services.product_create(manufacturer=request.tenant, **form.cleaned_data)
        messages.success(request, _("Product %(sku)s created.") % {"sku": product.sku})
        return redirect(_url(request, "product_detail", product_id=product.pk))
    return _form_page(request, form, title=_("New product"), back_url=_url(request, "products"))


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def product_edit(request: ManufacturerRequest, product_id: int) -> HttpResponse:
    product = selectors.access_product(manufacturer=request.tenant, product_id=product_id)
    title = _("Edit %(sku)s") % {"sku": product.sku}
    form = ProductForm(request.POST or None, instance=product, manufacturer=request.tenant)
    if request.method == "POST" and form.is_valid():
        services.product_update(product=product, **form.cleaned_data)
        messages.success(request, _("Product %(sku)s saved.") % {"sku": product.sku})
        return redirect(_url(request, "product_detail", product_id=product.pk))
    return _form_page(request, form, title=title, back_url=_url(request, "products"))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def product_set_active(request: ManufacturerRequest, product_id: int) -> HttpResponse:
    product = selectors.access_product(manufacturer=request.tenant, product_id=product_id)
    is_active = request.POST.get("active") == "1"
    services.product_set_active(product=product, is_active=is_active)
    if is_active:
        messages.success(request, _("%(sku)s is active again.") % {"sku": product.sku})
    else:
        messages.success(
            request,
            _("%(sku)s is deactivated: resellers can no longer order it.") % {"sku": product.sku},
        )
    return redirect(_url(request, "product_detail", product_id=product.pk))


# --- categories -----------------------------------------------------------------------------


@manufacturer_view
@require_GET
def categories(request: ManufacturerRequest) -> HttpResponseBase:
    rows = selectors.category_list(manufacturer=request.tenant).order_by("name", "pk")
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-categories",
            header=[_("Name"), _("Description"), _("Access"), _("Required qualification"),
                    _("Products"), _("Active products")],
            rows=(
                [c.name, c.description,
                 _("Restricted") if c.required_qualification_id else _("Open"),
                 c.required_qualification.code if c.required_qualification else "",
                 c.product_count, c.active_count]
                for c in rows.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    return render(request, "catalog/categories.html", {"categories": rows})


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def category_create(request: ManufacturerRequest) -> HttpResponse:
    form = CategoryForm(request.POST or None, manufacturer=request.tenant)
    if request.method == "POST" and form.is_valid():
        category = services.category_create(manufacturer=request.tenant, **form.cleaned_data)
        messages.success(request, _("Category “%(name)s” created.") % {"name": category.name})
        return redirect(_url(request, "categories"))
    return _form_page(request, form, title=_("New category"), back_url=_url(request, "categories"))


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def category_edit(request: ManufacturerRequest, category_id: int) -> HttpResponse:
    category = selectors.access_category(manufacturer=request.tenant, category_id=category_id)
    title = _("Edit category “%(name)s”") % {"name": category.name}
    form = CategoryForm(request.POST or None, instance=category, manufacturer=request.tenant)
    if request.method == "POST" and form.is_valid():
        services.category_update(category=category, **form.cleaned_data)
        messages.success(request, _("Category “%(name)s” saved.") % {"name": category.name})
        return redirect(_url(request, "categories"))
    return _form_page(request, form, title=title, back_url=_url(request, "categories"))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def category_delete(request: ManufacturerRequest, category_id: int) -> HttpResponse:
    category = selectors.access_category(manufacturer=request.tenant, category_id=category_id)
    name = category.name
    try:
        services.category_delete(category=category)
    except CatalogRefused as refused:
        messages.error(request, refused.user_message)
    else:
        messages.success(request, _("Category “%(name)s” deleted.") % {"name": name})
    return redirect(_url(request, "categories"))


# --- price lists ----------------------------------------------------------------------------


@manufacturer_view
@require_GET
def price_lists(request: ManufacturerRequest) -> HttpResponseBase:
    rows = selectors.price_list_list(manufacturer=request.tenant).order_by("name", "pk")
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-price-lists",
            header=[_("Name"), _("Products"), _("Resellers on it"), _("Created")],
            rows=(
                [p.name, p.item_count, p.partnership_count, csv_date(p.created_at)]
                for p in rows.iterator(chunk_size=500)
            ),
        )
    return render(request, "catalog/price_lists.html", {"price_lists": rows})


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def price_list_create(request: ManufacturerRequest) -> HttpResponse:
    form = PriceListForm(request.POST or None, manufacturer=request.tenant)
    if request.method == "POST" and form.is_valid():
        price_list = services.price_list_create(manufacturer=request.tenant, **form.cleaned_data)
        messages.success(request, _("Price list “%(name)s” created.") % {"name": price_list.name})
        return redirect(_url(request, "price_list_detail", price_list_id=price_list.pk))
    back_url = _url(request, "price_lists")
    return _form_page(request, form, title=_("New price list"), back_url=back_url)


def _price_list_page(
    request: ManufacturerRequest,
    price_list: PriceList,
    item_form: PriceListItemForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "price_list": price_list,
        "items": selectors.price_list_items(price_list=price_list),
        "item_form": item_form,
        "can_edit": request.membership.role in STAFF_ROLES,
    }
    return render(request, "catalog/price_list_detail.html", context, status=status)


@manufacturer_view
@require_GET
def price_list_detail(request: ManufacturerRequest, price_list_id: int) -> HttpResponseBase:
    price_list = selectors.access_price_list(
        manufacturer=request.tenant, price_list_id=price_list_id
    )
    if request.GET.get("format") == "csv":
        return _price_list_csv(request, price_list)
    return _price_list_page(request, price_list, PriceListItemForm(manufacturer=request.tenant))


def _price_list_csv(request: ManufacturerRequest, price_list: PriceList) -> HttpResponseBase:
    currency = request.tenant.currency
    items = selectors.price_list_items(price_list=price_list)
    return csv_response(
        filename=f"{request.tenant.slug}-price-list-{slugify(price_list.name) or price_list.pk}",
        header=[_("SKU"), _("Product"), _("Active"), _("List price"), _("Price on this list"),
                _("Currency")],
        rows=(
            [item.product.sku, item.product.name,
             _("Yes") if item.product.is_active else _("No"),
             item.product.price, item.price, currency]
            for item in items.iterator(chunk_size=500)
        ),
    )  # fmt: skip


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def price_list_item_set(request: ManufacturerRequest, price_list_id: int) -> HttpResponse:
    price_list = selectors.access_price_list(
        manufacturer=request.tenant, price_list_id=price_list_id
    )
    form = PriceListItemForm(request.POST, manufacturer=request.tenant)
    if not form.is_valid():
        return _price_list_page(request, price_list, form, status=400)
    item = services.price_list_item_set(price_list=price_list, **form.cleaned_data)
    messages.success(
        request,
        _("%(sku)s costs %(price)s on this list.") % {"sku": item.product.sku, "price": item.price},
    )
    return redirect(_url(request, "price_list_detail", price_list_id=price_list.pk))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def price_list_item_remove(
    request: ManufacturerRequest, price_list_id: int, product_id: int
) -> HttpResponse:
    price_list = selectors.access_price_list(
        manufacturer=request.tenant, price_list_id=price_list_id
    )
    product = selectors.access_product(manufacturer=request.tenant, product_id=product_id)
    services.price_list_item_remove(price_list=price_list, product=product)
    messages.success(
        request, _("%(sku)s is off the list and back at its list price.") % {"sku": product.sku}
    )
    return redirect(_url(request, "price_list_detail", price_list_id=price_list.pk))
