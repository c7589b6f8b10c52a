"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_offers_incidents_exclusives")]

    operations = [
        TenantGuard(model_name="exclusive", field="offer", tenant="manufacturer"),
        TenantGuard(model_name="exclusive", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="incident", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="incidentstep", field="incident", tenant="manufacturer"),
        TenantGuard(model_name="offer", field="min_tier", tenant="manufacturer"),
        TenantGuard(model_name="offerannouncement", field="offer", tenant="manufacturer"),
        TenantGuard(model_name="offerannouncement", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="offerarea", field="offer", tenant="manufacturer"),
        TenantGuard(model_name="offeritem", field="offer", tenant="manufacturer"),
        TenantGuard(model_name="offeritem", field="product", tenant="manufacturer"),
        TenantGuard(model_name="offerrecipient", field="offer", tenant="manufacturer"),
        TenantGuard(model_name="offerrecipient", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="partnerblock", field="incident", tenant="manufacturer"),
        TenantGuard(model_name="partnerblock", field="offer", tenant="manufacturer"),
        TenantGuard(model_name="partnerblock", field="partnership", tenant="manufacturer"),
        TenantGuard(model_name="partnernote", field="partnership", tenant="manufacturer"),
    ]
