"""Payment attempts and order submissions stay in their order's tenant (PostgreSQL)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("orders", "0013_payment_attempts")]

    operations = [
        TenantGuard(model_name="ordersubmission", field="order", tenant="manufacturer"),
        TenantGuard(model_name="payment", field="attempt", tenant="manufacturer"),
        TenantGuard(model_name="paymentattempt", field="link", tenant="manufacturer"),
        TenantGuard(model_name="paymentattempt", field="order", tenant="manufacturer"),
    ]
