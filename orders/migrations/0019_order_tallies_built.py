"""The tallies of the orders that exist already (orders.summaries), and their tenant guard."""

from django.db import migrations

from core.tenant_guards import TenantGuard


def build(apps, schema_editor):
    # The live models on purpose: the tallies are computed by the one function that defines
    # them, and this migration runs right after the table is created.
    from django_scopes import scopes_disabled

    from accounts.models import Manufacturer
    from orders.summaries import tally_rebuild

    with scopes_disabled():
        for manufacturer_id in Manufacturer.objects.values_list("pk", flat=True):
            tally_rebuild(manufacturer_id=manufacturer_id)


class Migration(migrations.Migration):
    dependencies = [("orders", "0018_order_tallies")]

    operations = [
        TenantGuard(model_name="ordertally", field="partnership", tenant="manufacturer"),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
