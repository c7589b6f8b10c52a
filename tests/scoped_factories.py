"""A DjangoModelFactory for rows that no single service creates on its own.

Most tenant-owned models use django-scopes' ScopedManager, whose queries raise ScopeError
outside a scope. These factories write through the model's plain base manager, so the
insert itself does not depend on the autouse `scopes_disabled()` fixture (sub-factories that
go through services still do).
Prefer the service factories (tests/<app>/factories.py built on services) where one exists.
"""

import factory


class ScopedModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class):
        return model_class._base_manager
