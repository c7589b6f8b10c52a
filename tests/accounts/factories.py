"""Factories for accounts, built through the services the product uses."""

import factory

from accounts import services
from accounts.models import (
    ExportJob,
    Manufacturer,
    ManufacturerMembership,
    RecoveryCode,
    RecoveryCodeDevice,
    Reseller,
    ResellerMembership,
    ResellerType,
    Role,
    User,
    UserSession,
)
from accounts.two_factor import recovery_codes_renew

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


class RecoveryCodeDeviceFactory(factory.Factory):
    """A user's recovery codes, made by the service that shows them once."""

    class Meta:
        model = RecoveryCodeDevice

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, user: User) -> RecoveryCodeDevice:
        recovery_codes_renew(user=user)
        return RecoveryCodeDevice.objects.get(user=user)


class RecoveryCodeFactory(factory.Factory):
    class Meta:
        model = RecoveryCode

    device = factory.SubFactory(RecoveryCodeDeviceFactory)

    @classmethod
    def _create(cls, model_class, device: RecoveryCodeDevice) -> RecoveryCode:
        return device.codes.first()


class UserSessionFactory(factory.Factory):
    """A session row as a login writes it (accounts.sessions.session_record)."""

    class Meta:
        model = UserSession

    user = factory.SubFactory(UserFactory)
    session_key = factory.Sequence(lambda n: f"session-key-{n:028d}")
    user_agent = "Firefox"

    @classmethod
    def _create(cls, model_class, **kwargs) -> UserSession:
        return UserSession.objects.create(**kwargs)


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
