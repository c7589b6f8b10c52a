"""Factories for resellers, built through the services the product uses."""

import factory
from django.utils import timezone

from channel.models import EndCustomer, Partnership, PartnershipStatus
from channel.services import partnership_create
from resellers.models import AffiliateLink, AffiliateSignup, CustomerInteraction, InteractionKind
from resellers.services import affiliate_link_get_or_create, end_customer_create
from tests.accounts.factories import ManufacturerFactory, ResellerFactory, ResellerUserFactory
from tests.scoped_factories import ScopedModelFactory


class PartnershipFactory(factory.Factory):
    class Meta:
        model = Partnership

    manufacturer = factory.SubFactory(ManufacturerFactory)
    reseller = factory.SubFactory(ResellerFactory)
    status = PartnershipStatus.ACTIVE

    @classmethod
    def _create(cls, model_class, **kwargs) -> Partnership:
        return partnership_create(**kwargs)


class EndCustomerFactory(factory.Factory):
    class Meta:
        model = EndCustomer

    reseller = factory.SubFactory(ResellerFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@example.test")
    company = "Weber Tonstudio"
    phone = "+49 40 1234567"
    street = "Große Elbstraße 12"
    postal_code = "22767"
    city = "Hamburg"
    country = "Germany"

    @classmethod
    def _create(cls, model_class, **kwargs) -> EndCustomer:
        return end_customer_create(**kwargs)


class CustomerInteractionFactory(ScopedModelFactory):
    """A note in the reseller's book, by a user of the same reseller."""

    class Meta:
        model = CustomerInteraction

    end_customer = factory.SubFactory(EndCustomerFactory)
    reseller = factory.SelfAttribute("end_customer.reseller")
    author = factory.LazyAttribute(lambda o: ResellerUserFactory(reseller=o.reseller).user)
    kind = InteractionKind.CALL
    body = "Called about a quote for a two-room speaker setup."
    occurred_at = factory.LazyFunction(timezone.now)


class AffiliateLinkFactory(factory.Factory):
    """The partnership's active sign-up link, made by the service (token and tenant)."""

    class Meta:
        model = AffiliateLink

    partnership = factory.SubFactory(PartnershipFactory)

    @classmethod
    def _create(cls, model_class, **kwargs) -> AffiliateLink:
        return affiliate_link_get_or_create(**kwargs)


class AffiliateSignupFactory(factory.Factory):
    """A sign-up awaiting its email confirmation, made by the service (it sends the email)."""

    class Meta:
        model = AffiliateSignup

    link = factory.SubFactory(AffiliateLinkFactory)
    name = "Jane Doe"
    email = factory.Sequence(lambda n: f"signup{n}@example.com")

    @classmethod
    def _create(cls, model_class, *, link, **kwargs) -> AffiliateSignup:
        from resellers.services import affiliate_signup_request

        affiliate_signup_request(link=link, **kwargs)
        return AffiliateSignup.objects.filter(link=link).latest("pk")
