"""Django admin for platform operators (support and data repair), across tenants.

Status changes go through the services on the portal pages; here the workflow fields are
read-only so a timeline never disagrees with an order's status.
"""

from django.contrib import admin

from orders.models import (
    Order,
    OrderLine,
    OrderNote,
    OrderReturn,
    OrderReturnLine,
    OrderStatusChange,
)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = (
        "sku",
        "name",
        "quantity",
        "unit_price",
        "line_total",
        "retail_unit_price",
        "retail_line_total",
    )
    readonly_fields = fields
    can_delete = False


class OrderStatusChangeInline(admin.TabularInline):
    model = OrderStatusChange
    extra = 0
    fields = ("created_at", "from_status", "to_status", "changed_by", "reason")
    readonly_fields = fields
    can_delete = False


class OrderNoteInline(admin.TabularInline):
    model = OrderNote
    extra = 0
    fields = ["created_at", "side", "is_internal", "author", "body"]
    readonly_fields = ["created_at", "author"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "manufacturer",
        "reseller",
        "status",
        "sale_kind",
        "is_manual",
        "total",
        "retail_total",
        "created_at",
    ]
    list_filter = ["manufacturer", "status", "sale_kind", "is_manual"]
    list_select_related = ["manufacturer", "reseller"]
    search_fields = ["number", "reseller__name", "reseller__public_id"]
    date_hierarchy = "created_at"
    raw_id_fields = ["partnership", "reseller", "end_customer", "created_by"]
    readonly_fields = [
        "manufacturer",
        "number",
        "status",
        "currency",
        "subtotal",
        "discount_total",
        "total",
        "sale_kind",
        "retail_total",
        "created_at",
        "updated_at",
    ]
    inlines = [OrderLineInline, OrderStatusChangeInline, OrderNoteInline]


class OrderReturnLineInline(admin.TabularInline):
    model = OrderReturnLine
    extra = 0
    fields = ("order_line", "quantity", "amount")
    readonly_fields = fields
    can_delete = False


@admin.register(OrderReturn)
class OrderReturnAdmin(admin.ModelAdmin):
    list_display = ["order", "manufacturer", "returned_at", "amount", "created_by"]
    list_filter = ["manufacturer"]
    list_select_related = ["order", "manufacturer", "created_by"]
    search_fields = ["order__number"]
    readonly_fields = ["order", "manufacturer", "amount", "created_by", "created_at"]
    inlines = [OrderReturnLineInline]
