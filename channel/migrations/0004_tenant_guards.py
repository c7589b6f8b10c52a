"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("channel", "0003_check_constraints")]

    operations = [
        TenantGuard(model_name="partnership", field="price_list", tenant="manufacturer"),
    ]
