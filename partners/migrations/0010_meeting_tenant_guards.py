"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("partners", "0009_meetings")]

    operations = [
        TenantGuard(model_name="meeting", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="followup", field="meeting", tenant="manufacturer"),
    ]
