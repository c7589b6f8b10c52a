"""Check constraints for what a column may hold, so not even a raw UPDATE stores nonsense.

A model's `choices` are only checked by forms and `full_clean()`; `QuerySet.update()`, the
admin's bulk actions, a migration or a psql session bypass them. Each status, kind and
currency column therefore carries a constraint built here (tests/core/test_constraints.py
fails on a column with choices and no constraint).
"""

from collections.abc import Iterable

from django.db import models

# ISO 4217 codes are three uppercase letters.
CURRENCY_REGEX = r"^[A-Z]{3}$"


def one_of(
    field: str, values: Iterable[str] | type[models.Choices], *, name: str, blank: bool = False
) -> models.CheckConstraint:
    """A check constraint that `field` holds one of `values` (or "" when `blank`)."""
    allowed = sorted(values.values if isinstance(values, type) else values)
    condition = models.Q(**{f"{field}__in": allowed})
    if blank:
        condition |= models.Q(**{field: ""})
    return models.CheckConstraint(condition=condition, name=name)


def currency_code(field: str, *, name: str) -> models.CheckConstraint:
    """A check constraint that `field` is a three-letter uppercase currency code."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__regex": CURRENCY_REGEX}), name=name
    )
