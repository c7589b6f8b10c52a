from typing import Any, Self, TypeVar

from django.db import models

_T = TypeVar("_T", bound=models.Model, covariant=True)

class DisabledQuerySet(models.QuerySet[_T]):
    missing_scopes: set[str] | None

# At run time `ScopedManager(**scopes)` is a factory that returns an instance of a
# `Manager` subclass it builds on each call; to a type checker it is that manager.
class ScopedManager(models.Manager[_T]):
    def __init__(self, _manager_class: type[models.Manager[Any]] = ..., **scopes: str) -> None: ...
    def with_scope(self, **scope: Any) -> Self: ...
    def with_scopes_disabled(self) -> Self: ...
