"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("orders", "0009_unique_carts_and_payment_references")]

    operations = [
        TenantGuard(model_name="cart", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="cartline", field="cart", tenant="manufacturer"),
        TenantGuard(model_name="cartline", field="product", tenant="manufacturer"),
        TenantGuard(model_name="order", field="end_customer", tenant="reseller"),
        TenantGuard(model_name="order", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="order", field="partnership", tenant="reseller"),
        TenantGuard(model_name="orderline", field="order", tenant="manufacturer"),
        TenantGuard(model_name="orderline", field="product", tenant="manufacturer"),
        TenantGuard(model_name="ordernote", field="order", tenant="manufacturer"),
        TenantGuard(model_name="orderreturn", field="order", tenant="manufacturer"),
        TenantGuard(model_name="orderreturnline", field="order_line", tenant="manufacturer"),
        TenantGuard(model_name="orderreturnline", field="order_return", tenant="manufacturer"),
        TenantGuard(model_name="orderstatuschange", field="order", tenant="manufacturer"),
        TenantGuard(model_name="payment", field="order", tenant="manufacturer"),
        TenantGuard(model_name="paymentlink", field="order", tenant="manufacturer"),
    ]
