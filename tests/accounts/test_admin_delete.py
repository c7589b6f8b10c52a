"""Deleting a reseller, a partnership or a user with history: the admin says why it cannot.

Orders, qualification grants, rep assignments and conversations are the channel's history;
the rows that point at them PROTECT them, and Django's admin turns that into its "Cannot
delete" page listing what is in the way. Nothing is deleted, and there is no 500.
"""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Reseller, User
from channel.models import Partnership
from communications.models import ConversationType
from communications.services.conversations import conversation_start
from orders.services.orders import LineRequest, order_create
from qualifications.services import qualification_create, qualification_grant
from salesreps.services import portfolio_assign
from tests.accounts.factories import (
    MembershipFactory,
    ResellerFactory,
    ResellerUserFactory,
)
from tests.accounts.two_factor_helpers import login_as
from tests.catalog.factories import ProductFactory
from tests.resellers.factories import PartnershipFactory


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture
def admin_client_for(client) -> Callable[[], object]:
    def make():
        # A platform operator: `createsuperuser`, not a service of the product.
        operator = User.objects.create_superuser(email="operator@example.test", password="x")
        # The admin requires two-factor login: the operator's session has their code.
        return login_as(client, operator)

    return make


def with_conversation(partnership: Partnership, staff: User) -> User:
    author = ResellerUserFactory(reseller=partnership.reseller).user
    conversation_start(
        partnership=partnership,
        kind=ConversationType.GENERAL,
        subject="Stock",
        body="Do you have the speakers in stock?",
        author=author,
    )
    return author


def with_grant(partnership: Partnership, staff: User) -> User:
    qualification = qualification_create(
        manufacturer=partnership.manufacturer, code="PRO-AV", name="Pro AV"
    )
    qualification_grant(partnership=partnership, qualification=qualification, granted_by=staff)
    return staff


def with_assignment(partnership: Partnership, staff: User) -> User:
    portfolio_assign(
        manufacturer=partnership.manufacturer, partnership=partnership, rep=staff, by=None
    )
    return staff


def with_order(partnership: Partnership, staff: User) -> User:
    product = ProductFactory(manufacturer=partnership.manufacturer, price=Decimal("10.00"))
    order_create(
        partnership=partnership,
        lines=[LineRequest(product_id=product.pk, quantity=1)],
        created_by=staff,
        own_use=True,
    )
    return staff


HISTORIES = {
    "conversation": with_conversation,
    "grant": with_grant,
    "assignment": with_assignment,
    "order": with_order,
}


@pytest.fixture
def history_partnership(manufacturer) -> Partnership:
    return PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())


def staff_of(partnership: Partnership, role: str = "seller") -> User:
    return MembershipFactory(manufacturer=partnership.manufacturer, role=role).user


def assert_cannot_delete(client, url: str, what: str) -> None:
    before = row_counts()
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Cannot delete {what}" in text
    assert "protected related objects" in text

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert f"Cannot delete {what}" in response.content.decode()
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("history", sorted(HISTORIES))
def test_a_reseller_with_history_cannot_be_deleted_in_the_admin(
    history, history_partnership, admin_client_for
):
    HISTORIES[history](history_partnership, staff_of(history_partnership))
    url = reverse("admin:accounts_reseller_delete", args=[history_partnership.reseller_id])

    assert_cannot_delete(admin_client_for(), url, "reseller")
    assert Reseller.objects.filter(pk=history_partnership.reseller_id).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("history", sorted(HISTORIES))
def test_a_partnership_with_history_cannot_be_deleted_in_the_admin(
    history, history_partnership, admin_client_for
):
    HISTORIES[history](history_partnership, staff_of(history_partnership))
    url = reverse("admin:channel_partnership_delete", args=[history_partnership.pk])

    assert_cannot_delete(admin_client_for(), url, "partnership")


@pytest.mark.django_db
@pytest.mark.parametrize("history", sorted(HISTORIES))
def test_a_user_with_history_cannot_be_deleted_in_the_admin(
    history, history_partnership, admin_client_for
):
    user = HISTORIES[history](history_partnership, staff_of(history_partnership))
    url = reverse("admin:accounts_user_delete", args=[user.pk])

    assert_cannot_delete(admin_client_for(), url, "user")


@pytest.mark.django_db
def test_a_reseller_without_history_is_deleted_with_its_partnerships(
    history_partnership, admin_client_for
):
    """The other side: only history protects; a partnership nobody used goes with it."""
    other = PartnershipFactory(reseller=ResellerFactory())
    with_conversation(other, staff_of(other))
    reseller = history_partnership.reseller
    url = reverse("admin:accounts_reseller_delete", args=[reseller.pk])

    response = admin_client_for().post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Reseller.objects.filter(pk=reseller.pk).exists()
    assert not Partnership.objects.filter(pk=history_partnership.pk).exists()
    assert Partnership.objects.filter(pk=other.pk).exists()
