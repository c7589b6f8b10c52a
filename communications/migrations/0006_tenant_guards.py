"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("communications", "0005_protect_history")]

    operations = [
        TenantGuard(model_name="conversation", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="message", field="conversation", tenant="manufacturer"),
        TenantGuard(model_name="staffcomment", field="conversation", tenant="manufacturer"),
    ]
