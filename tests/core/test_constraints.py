"""The database refuses a bogus status, a negative amount and a made-up currency.

The walk covers every field of the project's models: a new column with choices, a new
number or a new currency without its check constraint fails here. The writes go through
`QuerySet.update()`, which skips validators and `full_clean()`, as the admin's bulk actions
and data repairs do.
"""

from decimal import Decimal

import pgtrigger
import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from tests.test_factories import FACTORIES, project_model_labels

# Append-only tables refuse every UPDATE (django-pgtrigger); the walk updates a row to reach
# its check constraints, so it steps past that trigger (tests/commissions proves it holds).
APPEND_ONLY = ["commissions.CommissionEntry:ledger_append_only"]


def project_fields(predicate) -> list[tuple[str, str]]:
    found = []
    for label in sorted(project_model_labels()):
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if not field.primary_key and not field.is_relation and predicate(field):
                found.append((label, field.name))
    return found


def has_choices(field: models.Field) -> bool:
    return bool(field.choices)


def is_number(field: models.Field) -> bool:
    return isinstance(field, models.DecimalField | models.IntegerField)


def is_currency(field: models.Field) -> bool:
    return "currency" in field.name


CHOICE_FIELDS = project_fields(has_choices)
NUMBER_FIELDS = project_fields(is_number)
CURRENCY_FIELDS = project_fields(is_currency)


def test_the_walk_finds_the_columns_it_guards():
    assert ("orders.Order", "status") in CHOICE_FIELDS
    assert ("channel.Partnership", "qualifying_status") in CHOICE_FIELDS
    assert ("orders.Order", "total") in NUMBER_FIELDS
    assert ("orders.CartLine", "quantity") in NUMBER_FIELDS
    assert {("accounts.Manufacturer", "currency"), ("orders.Payment", "currency")} <= set(
        CURRENCY_FIELDS
    )


def refuses(label: str, **values) -> bool:
    """Whether the database refuses to store `values` on a valid row of `label`."""
    row = FACTORIES[label]()
    model = apps.get_model(label)
    try:
        with pgtrigger.ignore(*APPEND_ONLY), transaction.atomic():
            model._base_manager.filter(pk=row.pk).update(**values)
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "name"), CHOICE_FIELDS)
def test_a_value_outside_the_choices_is_refused(label, name):
    assert refuses(label, **{name: "bogus"}), f"{label}.{name} stores 'bogus'"


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "name"), NUMBER_FIELDS)
def test_a_negative_number_is_refused(label, name):
    field = apps.get_model(label)._meta.get_field(name)
    negative = Decimal("-1") if isinstance(field, models.DecimalField) else -1
    assert refuses(label, **{name: negative}), f"{label}.{name} stores {negative}"


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "name"), CURRENCY_FIELDS)
@pytest.mark.parametrize("code", ["XX", "eur", "E1R", ""])
def test_a_currency_that_is_not_three_uppercase_letters_is_refused(label, name, code):
    assert refuses(label, **{name: code}), f"{label}.{name} stores {code!r}"


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "name"), CURRENCY_FIELDS)
def test_a_real_currency_code_is_stored(label, name):
    assert not refuses(label, **{name: "CHF"})
