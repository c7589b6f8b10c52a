"""The retail price's product belongs to the same manufacturer (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_tenant_guards")]

    operations = [
        TenantGuard(model_name="retailprice", field="product", tenant="manufacturer"),
    ]
