"""Factories for accounts, built through the services the product uses."""

import factory

from accounts import services
from accounts.models import (
    ExportJob,
    Manufacturer,
    ManufacturerMembership,
    Reseller,
    ResellerMembership,
    ResellerType,
    Role,
    User,
)

DEFAULT_PASSWORD = "a-long-test-password-42"


class UserFactory(factory.Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    password = DEFAULT_PASSWORD
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @classmethod
    def _create(cls, model_class, **kwargs) -> User:
        return services.user_create(**kwargs)


class ManufacturerFactory(factory.Factory):
    class Meta:
        model = Manufacturer

    name = factory.Sequence(lambda n: f"Manufacturer {n}")
    slug = factory.Sequence(lambda n: f"manufacturer-{n}")
    currency = "EUR"

    @classmethod
    def _create(cls, model_class, **kwargs) -> Manufacturer:
        return services.manufacturer_create(**kwargs)


class MembershipFactory(factory.Factory):
    class Meta:
        model = ManufacturerMembership

    manufacturer = factory.SubFactory(ManufacturerFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MANAGER

    @classmethod
    def _create(cls, model_class, **kwargs) -> ManufacturerMembership:
        return services.membership_add(**kwargs)


class ResellerFactory(factory.Factory):
    class Meta:
        model = Reseller

    name = factory.Sequence(lambda n: f"Reseller {n} GmbH")
    reseller_type = ResellerType.RETAILER
    city = "Hamburg"

    @classmethod
    def _create(cls, model_class, **kwargs) -> Reseller:
        return services.reseller_create(**kwargs)


class ResellerUserFactory(factory.Factory):
    """A user who works for a reseller (the reseller dashboard)."""

    class Meta:
        model = ResellerMembership

    reseller = factory.SubFactory(ResellerFactory)
    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, **kwargs) -> ResellerMembership:
        return services.reseller_user_add(**kwargs)


class ExportJobFactory(factory.Factory):
    """A waiting directory export (accounts.exports runs it)."""

    class Meta:
        model = ExportJob

    manufacturer = factory.SubFactory(ManufacturerFactory)
    requested_by = factory.SubFactory(UserFactory)
    kind = "resellers.directory"

    @classmethod
    def _create(cls, model_class, **kwargs) -> ExportJob:
        return ExportJob.objects.create(**kwargs)
