"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_tiers")]

    operations = [
        TenantGuard(model_name="partnertier", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="partnertier", field="tier", tenant="manufacturer"),
        TenantGuard(model_name="tierproposal", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="tierproposal", field="from_tier", tenant="manufacturer"),
        TenantGuard(model_name="tierproposal", field="to_tier", tenant="manufacturer"),
        TenantGuard(model_name="tierproposal", field="decided_tier", tenant="manufacturer"),
        TenantGuard(model_name="tierchange", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="tierchange", field="from_tier", tenant="manufacturer"),
        TenantGuard(model_name="tierchange", field="to_tier", tenant="manufacturer"),
        TenantGuard(model_name="tierchange", field="proposal", tenant="manufacturer"),
    ]
