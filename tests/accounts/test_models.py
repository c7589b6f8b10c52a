"""The people and organisations the portal is built on: tenant defaults, reseller IDs, users."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts import services
from accounts.models import Reseller, ResellerType, Role
from tests.accounts.factories import (
    ManufacturerFactory,
    MembershipFactory,
    ResellerFactory,
    ResellerUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_new_manufacturer_carries_the_channel_defaults():
    manufacturer = services.manufacturer_create(name="Northwind Audio", slug="northwind")

    manufacturer.refresh_from_db()
    assert manufacturer.currency == "EUR"
    assert manufacturer.default_commission_rate == Decimal("10.00")
    assert manufacturer.commission_holding_weeks == 4
    assert manufacturer.payout_deadline_weeks == 10


def test_a_reseller_gets_a_public_id_of_seven_uppercase_letters_and_digits():
    ids = {ResellerFactory().public_id for _ in range(5)}

    assert len(ids) == 5
    assert all(re.fullmatch(r"[A-Z0-9]{7}", public_id) for public_id in ids), ids


def test_a_drawn_public_id_that_is_taken_is_drawn_again(monkeypatch):
    taken = ResellerFactory().public_id
    draws = iter([taken, "36G8J2Z"])
    field = Reseller._meta.get_field("public_id")
    monkeypatch.setattr(field, "default", lambda: next(draws))
    monkeypatch.delitem(field.__dict__, "_get_default", raising=False)

    reseller = services.reseller_create(name="Soundhouse", reseller_type=ResellerType.RETAILER)

    assert reseller.public_id == "36G8J2Z"
    assert Reseller.objects.filter(public_id=taken).count() == 1


@pytest.mark.parametrize("bad", ["36g8j2z", "36G8J2", "36G8J2Z9", "36G8-2Z"])
def test_a_malformed_public_id_is_refused(bad):
    reseller = Reseller(public_id=bad, name="Soundhouse", reseller_type=ResellerType.RETAILER)

    with pytest.raises(ValidationError) as refused:
        reseller.full_clean()
    assert "public_id" in refused.value.message_dict


def test_users_are_known_by_their_email_in_lower_case():
    user = services.user_create(email="Olivia.Owner@Northwind.Example", password="x" * 12)

    assert user.email == "olivia.owner@northwind.example"
    assert not hasattr(user, "username") or user.username is None
    with pytest.raises(IntegrityError):
        services.user_create(email="olivia.owner@northwind.example", password="y" * 12)


def test_one_person_belongs_to_several_organisations_with_one_role_each():
    user = UserFactory()
    first, second = ManufacturerFactory(), ManufacturerFactory()
    MembershipFactory(manufacturer=first, user=user, role=Role.OWNER)
    MembershipFactory(manufacturer=second, user=user, role=Role.SELLER)
    ResellerUserFactory(user=user)

    roles = dict(user.manufacturer_memberships.values_list("manufacturer__slug", "role"))
    assert roles == {first.slug: Role.OWNER, second.slug: Role.SELLER}
    assert user.reseller_memberships.count() == 1
    with pytest.raises(IntegrityError):
        MembershipFactory(manufacturer=first, user=user, role=Role.MANAGER)
