"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("qualifications", "0007_protect_history")]

    operations = [
        TenantGuard(model_name="qualificationgrant", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="qualificationgrant", field="qualification", tenant="manufacturer"),
        TenantGuard(model_name="qualificationrequest", field="partnership", tenant="manufacturer"),
        TenantGuard(
            model_name="qualificationrequest", field="qualification", tenant="manufacturer"
        ),
        TenantGuard(
            model_name="qualifyingstatuschange", field="partnership", tenant="manufacturer"
        ),
    ]
