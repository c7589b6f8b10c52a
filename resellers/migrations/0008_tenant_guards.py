"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("resellers", "0007_check_constraints")]

    operations = [
        TenantGuard(model_name="affiliatelink", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="customerinteraction", field="end_customer", tenant="reseller"),
    ]
