from django.contrib import admin

from catalog.models import Category, PriceList, PriceListItem, Product, RetailPrice


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "manufacturer", "required_qualification"]
    list_filter = ["manufacturer"]
    search_fields = ["name"]
    raw_id_fields = ["required_qualification"]


class RetailPriceInline(admin.TabularInline):
    model = RetailPrice
    extra = 0
    fields = ["manufacturer", "market", "price"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    inlines = [RetailPriceInline]
    list_display = ["sku", "name", "manufacturer", "category", "kind", "price", "is_active"]
    list_filter = ["manufacturer", "kind", "is_active"]
    list_select_related = ["manufacturer", "category"]
    search_fields = ["sku", "name"]
    raw_id_fields = ["category"]


class PriceListItemInline(admin.TabularInline):
    model = PriceListItem
    extra = 0
    raw_id_fields = ["product"]


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ["name", "manufacturer"]
    list_filter = ["manufacturer"]
    inlines = [PriceListItemInline]
