"""Database triggers that keep a child row's tenant equal to its parent's.

An order line of tenant A pointing at an order of tenant B is a leak no scoped queryset can
see: both rows pass their own tenant's filter. On PostgreSQL every tenant-owned model that
references another tenant-owned model gets, per relation, two triggers installed by the
migration operation `TenantGuard`:

- on the child: an insert or update whose parent carries another tenant fails;
- on the parent: changing its tenant while children of the old one point at it fails.

Both raise SQLSTATE 23514 (check_violation), which Django raises as `IntegrityError`. On
other databases (SQLite for `make run`) the operation does nothing.

The tenants are the manufacturer and, for the rows a reseller keeps, the reseller.
`tenant_relations()` finds every relation that needs a guard from the model graph;
tests/core/test_tenant_guards.py fails for one that has no trigger in the database.

Hand-written rather than django-pgtrigger: each guard reads another table, so it is a
custom function either way, and this keeps it to one small operation and no new app.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.migrations.operations.base import Operation

# Field name -> model label of the tenant it names.
TENANT_FIELDS = {"manufacturer": "accounts.Manufacturer", "reseller": "accounts.Reseller"}


@dataclass(frozen=True)
class TenantRelation:
    """`child.field` points at a row that must carry the same `tenant` as the child."""

    child: type[models.Model]
    field: str
    tenant: str

    @property
    def parent(self) -> type[models.Model]:
        related = self.child._meta.get_field(self.field).related_model
        if not isinstance(related, type):
            raise TypeError(f"{self} does not name a model")
        return related

    def __str__(self) -> str:
        return f"{self.child._meta.label}.{self.field} ({self.tenant})"


def _tenant_field(model: type[models.Model], tenant: str) -> models.ForeignKey | None:
    """The model's non-null foreign key to `tenant`, if it is owned by one."""
    try:
        field = model._meta.get_field(tenant)
    except FieldDoesNotExist:  # not owned by this tenant
        return None
    if not isinstance(field, models.ForeignKey) or field.null:
        return None
    related = field.related_model
    if not isinstance(related, type) or related._meta.label != TENANT_FIELDS[tenant]:
        return None
    return field


def tenant_relations(all_models: Iterable[type[models.Model]]) -> list[TenantRelation]:
    """Every relation from a tenant-owned row to another row owned by the same tenant."""
    found = []
    for model in all_models:
        for tenant in TENANT_FIELDS:
            if _tenant_field(model, tenant) is None:
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey) or field.name in TENANT_FIELDS:
                    continue
                parent = field.related_model
                if isinstance(parent, type) and _tenant_field(parent, tenant) is not None:
                    found.append(TenantRelation(child=model, field=field.name, tenant=tenant))
    return sorted(found, key=str)


def guard_name(child_table: str, column: str, tenant_column: str) -> str:
    """The trigger (and function) name on the child; the parent's adds `_p`."""
    digest = hashlib.sha256(f"{child_table}.{column}.{tenant_column}".encode()).hexdigest()
    return f"tenant_guard_{digest[:16]}"


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model._meta.label}.{name} is not a column")
    return field.column


def relation_tables(child: type[models.Model], field: str, tenant: str) -> dict[str, str]:
    """The tables and columns of `child.field`, and the name of its guard."""
    fk = child._meta.get_field(field)
    if not isinstance(fk, models.ForeignKey):
        raise TypeError(f"{child._meta.label}.{field} is not a foreign key")
    parent: type[models.Model] = fk.related_model  # type: ignore[assignment]
    tenant_column = _column(child, tenant)
    column = _column(child, field)
    return {
        "child": child._meta.db_table,
        "column": column,
        "parent": parent._meta.db_table,
        "parent_key": _column(parent, fk.target_field.name),
        "tenant": tenant_column,
        "parent_tenant": _column(parent, tenant),
        "name": guard_name(child._meta.db_table, column, tenant_column),
    }


CHILD_SQL = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM {parent} p
        WHERE p.{parent_key} = NEW.{column} AND p.{parent_tenant} IS DISTINCT FROM NEW.{tenant}
    ) THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS {name} ON {child};
CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {column}, {tenant} ON {child}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""

PARENT_SQL = """
CREATE OR REPLACE FUNCTION {name}_p() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM {child} c
        WHERE c.{column} = NEW.{parent_key} AND c.{tenant} IS DISTINCT FROM NEW.{parent_tenant}
    ) THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS {name}_p ON {parent};
CREATE TRIGGER {name}_p BEFORE UPDATE OF {parent_tenant} ON {parent}
    FOR EACH ROW WHEN (OLD.{parent_tenant} IS DISTINCT FROM NEW.{parent_tenant})
    EXECUTE FUNCTION {name}_p();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS {name} ON {child};
DROP FUNCTION IF EXISTS {name}();
DROP TRIGGER IF EXISTS {name}_p ON {parent};
DROP FUNCTION IF EXISTS {name}_p();
"""


class TenantGuard(Operation):
    """Install the tenant triggers of `model_name.field` (PostgreSQL only)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, field: str, tenant: str = "manufacturer") -> None:
        self.model_name = model_name
        self.field = field
        self.tenant = tenant

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs = {"model_name": self.model_name, "field": self.field, "tenant": self.tenant}
        return (self.__class__.__name__, [], kwargs)

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # triggers are not part of Django's model state

    def _tables(self, app_label: str, state: Any) -> dict[str, str]:
        child = state.apps.get_model(app_label, self.model_name)
        return relation_tables(child, self.field, self.tenant)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        tables = self._tables(app_label, to_state)
        child_message = (
            f"{tables['child']}.{tables['column']} names a {tables['parent']} row "
            f"of another {self.tenant}"
        )
        parent_message = (
            f"{tables['parent']} cannot change {self.tenant}: "
            f"{tables['child']} rows of the old one point at it"
        )
        schema_editor.execute(CHILD_SQL.format(**tables, message=child_message), params=None)
        schema_editor.execute(PARENT_SQL.format(**tables, message=parent_message), params=None)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(DROP_SQL.format(**self._tables(app_label, from_state)), params=None)

    def describe(self) -> str:
        return f"Tenant guard on {self.model_name}.{self.field} ({self.tenant})"

    @property
    def migration_name_fragment(self) -> str:
        return f"tenant_guard_{self.model_name}_{self.field}"
