"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_scorecards")]

    operations = [
        TenantGuard(model_name="orderrating", field="order", tenant="manufacturer"),
        TenantGuard(model_name="scorecard", field="partnership", tenant="manufacturer"),
    ]
