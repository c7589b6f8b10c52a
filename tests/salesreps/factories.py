"""Sales-rep factories: portfolio periods and guardian's per-partnership permissions."""

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import Role
from channel.models import PartnershipGroupObjectPermission, PartnershipUserObjectPermission
from channel.visibility import VIEW_PARTNERSHIP
from salesreps.models import PortfolioAssignment, RepInvitation
from tests.accounts.factories import ManufacturerFactory, MembershipFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoped_factories import ScopedModelFactory


def _member(manufacturer, role: str):
    return MembershipFactory(manufacturer=manufacturer, role=role).user


def _view_partnership_permission() -> Permission:
    return Permission.objects.get(
        content_type__app_label="channel",
        content_type__model="partnership",
        codename=VIEW_PARTNERSHIP,
    )


class PortfolioAssignmentFactory(ScopedModelFactory):
    """The current assignment of a seller of the partnership's manufacturer."""

    class Meta:
        model = PortfolioAssignment

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    rep = factory.LazyAttribute(lambda o: _member(o.manufacturer, Role.SELLER))
    assigned_by = factory.LazyAttribute(lambda o: _member(o.manufacturer, Role.MANAGER))
    started_at = factory.LazyFunction(timezone.now)
    ended_at = None


class PartnershipUserObjectPermissionFactory(ScopedModelFactory):
    """A seller of the partnership's manufacturer may view it (as portfolio_assign grants)."""

    class Meta:
        model = PartnershipUserObjectPermission

    content_object = factory.SubFactory(PartnershipFactory)
    user = factory.LazyAttribute(lambda o: _member(o.content_object.manufacturer, Role.SELLER))
    permission = factory.LazyFunction(_view_partnership_permission)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Field sales team {n}")


class PartnershipGroupObjectPermissionFactory(ScopedModelFactory):
    class Meta:
        model = PartnershipGroupObjectPermission

    content_object = factory.SubFactory(PartnershipFactory)
    group = factory.SubFactory(GroupFactory)
    permission = factory.LazyFunction(_view_partnership_permission)


class RepInvitationFactory(ScopedModelFactory):
    """The record of a seller's invitation by a manager of the same tenant."""

    class Meta:
        model = RepInvitation

    manufacturer = factory.SubFactory(ManufacturerFactory)
    user = factory.LazyAttribute(lambda o: _member(o.manufacturer, Role.SELLER))
    invited_by = factory.LazyAttribute(lambda o: _member(o.manufacturer, Role.MANAGER))
    new_user = True
    submission_key = factory.Faker("uuid4", cast_to=None)
