"""Factories for resellers, built through the services the product uses."""

import factory

from resellers.models import Partnership, PartnershipStatus
from resellers.services import partnership_create
from tests.accounts.factories import ManufacturerFactory, ResellerFactory


class PartnershipFactory(factory.Factory):
    class Meta:
        model = Partnership

    manufacturer = factory.SubFactory(ManufacturerFactory)
    reseller = factory.SubFactory(ResellerFactory)
    status = PartnershipStatus.ACTIVE

    @classmethod
    def _create(cls, model_class, **kwargs) -> Partnership:
        return partnership_create(**kwargs)
