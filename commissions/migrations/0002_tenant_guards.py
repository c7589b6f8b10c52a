"""Triggers that keep each row's tenant equal to its parent's (PostgreSQL; core.tenant_guards)."""

from django.db import migrations

from core.tenant_guards import TenantGuard

RELATIONS = [
    ("commissionentry", "order"),
    ("commissionentry", "order_return"),
    ("commissionentry", "partnership"),
    ("commissionentry", "payout_request"),
    ("commissionentry", "reverses"),
    ("commissionfree", "category"),
    ("commissionfree", "product"),
    ("commissionrate", "category"),
    ("commissionrate", "partnership"),
    ("partnershippayoutterms", "partnership"),
    ("payoutdetails", "partnership"),
    ("payoutitem", "entry"),
    ("payoutitem", "request"),
    ("payoutrequest", "batch"),
    ("payoutrequest", "partnership"),
    ("windowextension", "entry"),
]


class Migration(migrations.Migration):
    dependencies = [("commissions", "0001_ledger")]

    operations = [
        TenantGuard(model_name=model, field=field, tenant="manufacturer")
        for model, field in RELATIONS
    ]
