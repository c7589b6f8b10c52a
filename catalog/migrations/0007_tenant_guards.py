"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_check_constraints")]

    operations = [
        TenantGuard(model_name="category", field="required_qualification", tenant="manufacturer"),
        TenantGuard(model_name="pricelistitem", field="price_list", tenant="manufacturer"),
        TenantGuard(model_name="pricelistitem", field="product", tenant="manufacturer"),
        TenantGuard(model_name="product", field="category", tenant="manufacturer"),
    ]
