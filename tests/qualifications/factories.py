"""Qualification factories, built through the qualifications services."""

import factory

from qualifications import services
from qualifications.models import Qualification
from tests.accounts.factories import ManufacturerFactory


class QualificationFactory(factory.Factory):
    class Meta:
        model = Qualification

    manufacturer = factory.SubFactory(ManufacturerFactory)
    code = factory.Sequence(lambda n: f"QUAL-{n:03d}")
    name = factory.Sequence(lambda n: f"Qualification {n}")
    description = ""
    is_default = False

    @classmethod
    def _create(cls, model_class, **kwargs) -> Qualification:
        return services.qualification_create(**kwargs)
