"""Tenants that existed before tiers start with the guide's Bronze, Silver and Gold, as new ones do."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from partners.services.tiers import DEFAULT_TIERS

    Manufacturer = apps.get_model("accounts", "Manufacturer")
    Tier = apps.get_model("partners", "Tier")
    with_tiers = set(Tier._base_manager.values_list("manufacturer_id", flat=True))
    Tier._base_manager.bulk_create(
        Tier(manufacturer_id=pk, **spec)
        for pk in Manufacturer._base_manager.values_list("pk", flat=True)
        if pk not in with_tiers
        for spec in DEFAULT_TIERS
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0004_tier_tenant_guards"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
