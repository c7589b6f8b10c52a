"""A row never points at a row of another tenant, whatever writes it (PostgreSQL triggers).

The relations come from the model graph (`core.tenant_guards.tenant_relations`): a new
tenant-owned model that references another one, without a `TenantGuard` migration, fails
`test_every_tenant_relation_has_its_triggers`.
"""

import pgtrigger
import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from core.tenant_guards import guard_name, relation_tables, tenant_relations
from tests.test_factories import FACTORIES, project_model_labels

RELATIONS = tenant_relations(apps.get_model(label) for label in sorted(project_model_labels()))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the tenant guards are PostgreSQL triggers")


def test_the_model_graph_gives_the_relations_to_guard():
    names = {str(relation) for relation in RELATIONS}
    assert "orders.OrderLine.order (manufacturer)" in names
    assert "catalog.PriceListItem.product (manufacturer)" in names
    assert "orders.Order.partnership (reseller)" in names
    assert "resellers.CustomerInteraction.end_customer (reseller)" in names
    # Not tenant-owned: a notification belongs to its user and may have no manufacturer.
    assert not any(
        relation.child._meta.label == "notifications.Notification" for relation in RELATIONS
    )


def installed_triggers() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal"
        )
        return set(cursor.fetchall())


def test_every_tenant_relation_has_its_triggers():
    installed = installed_triggers()
    missing = []
    for relation in RELATIONS:
        tables = relation_tables(relation.child, relation.field, relation.tenant)
        name = guard_name(tables["child"], tables["column"], tables["tenant"])
        if (tables["child"], name) not in installed or (
            tables["parent"],
            f"{name}_p",
        ) not in installed:
            missing.append(str(relation))
    assert not missing, f"Add a core.tenant_guards.TenantGuard migration for: {missing}"


# What else a row needs when the test fills its optional relation.
FILLING_NEEDS = {
    "orders.Order": {"own_use": False, "sale_kind": "wholesale"},  # not own use
    # names a product or a category, never both
    "commissions.CommissionFree": {"product": None},
    "commissions.CommissionRate": {"scope": "category", "partnership": None},
}
# A parent that must itself agree with the child's other relations to be written at all.
FILLING_PARENTS = {
    # A message answers a request of its own conversation's partnership.
    "communications.Message.qualification_request": lambda child: FACTORIES[
        "qualifications.QualificationRequest"
    ](partnership=child.conversation.partnership),
    "orders.Payment.attempt": lambda child: FACTORIES["orders.PaymentAttempt"](
        link__order=child.order
    ),
    # A ledger row's parents hang on the same partnership as the row.
    "commissions.CommissionEntry.order": lambda child: FACTORIES["orders.Order"](
        partnership=child.partnership
    ),
    "commissions.CommissionEntry.order_return": lambda child: FACTORIES["orders.OrderReturn"](
        order__partnership=child.partnership
    ),
    "commissions.CommissionEntry.payout_request": lambda child: FACTORIES[
        "commissions.PayoutRequest"
    ](partnership=child.partnership),
    "commissions.CommissionEntry.reverses": lambda child: FACTORIES["commissions.CommissionEntry"](
        partnership=child.partnership
    ),
}


def refused(model, pk, *, only_trigger: tuple[str, str], **values) -> str:
    """The database's refusal of `values` on row `pk`, or "" if it stored them.

    Only the trigger under test runs (`only_trigger`: table, name), so the refusal is its
    own and not that of another guard on the same table; the change is rolled back.
    """
    table, name = only_trigger
    quote = connection.ops.quote_name
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # ALTER TABLE waits for no deferred foreign key check: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER USER")
                cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(name)}")
            model._base_manager.filter(pk=pk).update(**values)
            transaction.set_rollback(True)
    except IntegrityError as error:
        return str(error)
    return ""


@pytest.mark.parametrize("relation", RELATIONS, ids=str)
def test_a_row_pointing_at_another_tenants_row_is_refused(relation):
    child = FACTORIES[relation.child._meta.label]()
    foreign = FACTORIES[relation.parent._meta.label]()
    attname = relation.child._meta.get_field(relation.field).attname
    tenant_attname = relation.child._meta.get_field(relation.tenant).attname
    assert getattr(foreign, tenant_attname) != getattr(child, tenant_attname)
    tables = relation_tables(relation.child, relation.field, relation.tenant)

    error = refused(
        relation.child,
        child.pk,
        only_trigger=(tables["child"], tables["name"]),
        **{attname: foreign.pk},
    )

    assert f"{tables['child']}.{tables['column']} names a" in error
    assert f"of another {relation.tenant}" in error


@pytest.mark.parametrize("relation", RELATIONS, ids=str)
def test_moving_a_parent_to_another_tenant_under_its_children_is_refused(relation):
    child = FACTORIES[relation.child._meta.label]()
    attname = relation.child._meta.get_field(relation.field).attname
    tenant_attname = relation.child._meta.get_field(relation.tenant).attname
    parent_pk = getattr(child, attname)
    if parent_pk is None:  # an optional relation the factory leaves empty: fill it
        make_parent = FILLING_PARENTS.get(f"{relation.child._meta.label}.{relation.field}")
        parent_pk = (
            make_parent(child) if make_parent else FACTORIES[relation.parent._meta.label]()
        ).pk
        extra = FILLING_NEEDS.get(relation.child._meta.label, {})
        # Set-up on an append-only table (the ledger) steps past its protection trigger.
        with pgtrigger.ignore("commissions.CommissionEntry:ledger_append_only"):
            relation.parent._base_manager.filter(pk=parent_pk).update(
                **{tenant_attname: getattr(child, tenant_attname)}
            )
            relation.child._base_manager.filter(pk=child.pk).update(**{attname: parent_pk}, **extra)
    tenant_model = relation.child._meta.get_field(relation.tenant).related_model
    other_tenant = FACTORIES[tenant_model._meta.label]()
    tables = relation_tables(relation.child, relation.field, relation.tenant)

    error = refused(
        relation.parent,
        parent_pk,
        only_trigger=(tables["parent"], f"{tables['name']}_p"),
        **{tenant_attname: other_tenant.pk},
    )

    assert f"cannot change {relation.tenant}: {tables['child']} rows" in error


def test_a_new_row_of_the_same_tenant_is_stored_and_a_foreign_one_is_not():
    """The insert side, through the ORM as a service would write it."""
    line = FACTORIES["orders.OrderLine"]()
    foreign_order = FACTORIES["orders.Order"]()
    model = type(line)
    product = FACTORIES["catalog.Product"](manufacturer=line.manufacturer)
    fields = {
        "manufacturer_id": line.manufacturer_id,
        "product_id": product.pk,
        "sku": line.sku,
        "name": line.name,
        "quantity": 1,
        "unit_price": line.unit_price,
        "line_total": line.unit_price,
    }

    assert model.objects.create(order_id=line.order_id, **fields).pk
    with pytest.raises(IntegrityError, match=r"orders_orderline\.order_id"), transaction.atomic():
        model.objects.create(order_id=foreign_order.pk, **fields)
