"""Qualification factories, built through the qualifications services."""

import factory
from django.utils import timezone

from catalog.models import Qualification
from channel.models import QualifyingStatus
from qualifications import services
from qualifications.models import (
    QualificationGrant,
    QualificationRequest,
    QualifyingStatusChange,
    RequestStatus,
)
from tests.accounts.factories import ManufacturerFactory, MembershipFactory, ResellerUserFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoped_factories import ScopedModelFactory


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


def _staff_user(manufacturer):
    return MembershipFactory(manufacturer=manufacturer).user


class QualificationGrantFactory(ScopedModelFactory):
    class Meta:
        model = QualificationGrant

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    qualification = factory.SubFactory(
        QualificationFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    granted_at = factory.LazyFunction(timezone.now)
    granted_by = factory.LazyAttribute(lambda o: _staff_user(o.manufacturer))
    grant_reason = "Completed the installer training."


class QualifyingStatusChangeFactory(ScopedModelFactory):
    class Meta:
        model = QualifyingStatusChange

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    from_status = QualifyingStatus.PENDING
    to_status = QualifyingStatus.QUALIFIED
    changed_by = factory.LazyAttribute(lambda o: _staff_user(o.manufacturer))
    reason = "Showroom visit passed."
    changed_at = factory.LazyFunction(timezone.now)


class QualificationRequestFactory(ScopedModelFactory):
    """An open request by a user of the partnership's reseller."""

    class Meta:
        model = QualificationRequest

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    qualification = factory.SubFactory(
        QualificationFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    message = "We finished the certification course last week."
    status = RequestStatus.OPEN
    requested_by = factory.LazyAttribute(
        lambda o: ResellerUserFactory(reseller=o.partnership.reseller).user
    )
    created_at = factory.LazyFunction(timezone.now)
