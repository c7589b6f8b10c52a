"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("partners", "0011_announcements")]

    operations = [
        TenantGuard(model_name="announcementrecipient", field="announcement", tenant="manufacturer"),
        TenantGuard(model_name="announcementrecipient", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="announcementdelivery", field="announcement", tenant="manufacturer"),
        TenantGuard(model_name="announcementdelivery", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="announcement", field="min_tier", tenant="manufacturer"),
    ]
