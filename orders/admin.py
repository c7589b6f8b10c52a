"""Django admin for platform operators (support and data repair), across tenants.

Status changes go through the services on the portal pages; here the workflow fields are
read-only so a timeline never disagrees with an order's status.
"""

from django.contrib import admin
from django.db import transaction

from orders.models import (
    Order,
    OrderLine,
    OrderNote,
    OrderReturn,
    OrderReturnLine,
    OrderStatusChange,
)
from orders.summaries import tally_order_count, tally_order_forget, tally_order_returned


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

    # An operator's repair keeps the order tallies (orders.summaries) true: a deleted order
    # leaves them, an order moved to another partnership or placer moves with it.
    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change:
            tally_order_forget(order=obj)
        super().save_model(request, obj, form, change)
        if change:
            tally_order_count(order=obj)

    @transaction.atomic
    def delete_model(self, request, obj):
        tally_order_forget(order=obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for order in queryset:
            tally_order_forget(order=order)
        super().delete_queryset(request, queryset)


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

    # A return moved to another day, or deleted, moves or leaves the order tallies.
    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change:
            stored = OrderReturn.objects.select_related("order").get(pk=obj.pk)
            tally_order_returned(order_return=stored, sign=-1)
        super().save_model(request, obj, form, change)
        if change:
            tally_order_returned(order_return=obj)

    @transaction.atomic
    def delete_model(self, request, obj):
        tally_order_returned(order_return=obj, sign=-1)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for order_return in queryset.select_related("order"):
            tally_order_returned(order_return=order_return, sign=-1)
        super().delete_queryset(request, queryset)
