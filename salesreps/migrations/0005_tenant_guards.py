"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("salesreps", "0004_protect_history")]

    operations = [
        TenantGuard(model_name="portfolioassignment", field="partnership", tenant="manufacturer"),
    ]
