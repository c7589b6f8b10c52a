"""Qualification services run inside the scope their real caller sets, or fail closed.

Staff grant, revoke and decide in the manufacturer portal (`manufacturer_view`); a reseller
requests on its page for one manufacturer (`reseller_partner_view`). The hooks run in the
same scope: communications logs each change in the partnership's conversation, and the
manufacturer's staff are emailed and notified about a request. The same reseller partners
with the other tenant, which defines a qualification with the same code; nothing of it may
change, and the other tenant's staff hear nothing.
"""

import pytest
from django_scopes import ScopeError, scopes_disabled

from catalog.gate import orderable_products
from channel.models import Partnership
from communications.models import Conversation, Message, MessageKind
from notifications.models import Notification, NotificationKind, OutboxEmail
from qualifications.models import QualificationGrant, QualificationRequest, RequestStatus
from qualifications.services import (
    qualification_grant,
    qualification_request_create,
    qualification_request_decide,
    qualification_revoke,
)
from tests.qualifications.factories import QualificationFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoping import manufacturer_view_scope, reseller_partner_view_scope, worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


@pytest.fixture
def foreign_partnership(other_manufacturer, reseller):
    return PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)


@pytest.fixture
def foreign_qualification(other_manufacturer):
    return QualificationFactory(manufacturer=other_manufacturer, code="PRO-AV-CERTIFIED")


@pytest.fixture
def held(partnership, qualification, owner, foreign_partnership, foreign_qualification):
    """The reseller holds the tenant's qualification (granted with scopes disabled)."""
    return qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )


def assert_other_tenant_untouched(foreign_partnership, other_staff=None) -> None:
    with scopes_disabled():
        assert not QualificationGrant.objects.filter(partnership=foreign_partnership).exists()
        assert not QualificationRequest.objects.filter(partnership=foreign_partnership).exists()
        assert not Conversation.objects.filter(partnership=foreign_partnership).exists()
        assert not OutboxEmail.objects.filter(
            manufacturer=foreign_partnership.manufacturer
        ).exists()
        if other_staff is not None:
            assert not Notification.objects.filter(user=other_staff).exists()


def events(partnership) -> list[str]:
    return list(
        Message.objects.filter(conversation__partnership=partnership, kind=MessageKind.EVENT)
        .order_by("created_at", "pk")
        .values_list("event", flat=True)
    )


def test_grant_and_revoke_in_the_manufacturer_view_scope(
    manufacturer,
    reseller,
    partnership,
    qualification,
    restricted_product,
    owner,
    foreign_partnership,
    foreign_qualification,
):
    with manufacturer_view_scope(manufacturer):
        grant = qualification_grant(
            partnership=partnership, qualification=qualification, granted_by=owner, reason="Course"
        )
    with reseller_partner_view_scope(partnership):
        assert restricted_product in orderable_products(
            manufacturer=manufacturer, reseller=reseller
        )
    with manufacturer_view_scope(manufacturer):
        qualification_revoke(
            partnership=partnership, qualification=qualification, revoked_by=owner, reason="Lapsed"
        )
    with reseller_partner_view_scope(partnership):
        assert restricted_product not in orderable_products(
            manufacturer=manufacturer, reseller=reseller
        )

    with scopes_disabled():
        grant.refresh_from_db()
        assert (grant.manufacturer, grant.revoke_reason) == (manufacturer, "Lapsed")
        assert grant.revoked_at is not None
        assert events(partnership) == ["qualification_granted", "qualification_revoked"]
    assert_other_tenant_untouched(foreign_partnership)


def test_a_grant_in_one_tenants_scope_cannot_reach_another_tenants_partnership(
    manufacturer, owner, foreign_partnership, foreign_qualification
):
    with manufacturer_view_scope(manufacturer), pytest.raises(Partnership.DoesNotExist):
        qualification_grant(
            partnership=foreign_partnership, qualification=foreign_qualification, granted_by=owner
        )
    assert_other_tenant_untouched(foreign_partnership)


def test_request_and_decision_in_the_scopes_of_their_pages(
    manufacturer,
    partnership,
    qualification,
    reseller_user,
    owner,
    manager,
    other_staff,
    foreign_partnership,
    foreign_qualification,
):
    with reseller_partner_view_scope(partnership):
        request = qualification_request_create(
            partnership=partnership,
            qualification=qualification,
            requested_by=reseller_user,
            message="We finished the course.",
        )
    with manufacturer_view_scope(manufacturer):
        qualification_request_decide(request=request, grant=True, decided_by=owner)

    with scopes_disabled():
        request.refresh_from_db()
        assert (request.manufacturer, request.status) == (manufacturer, RequestStatus.GRANTED)
        assert QualificationGrant.objects.filter(
            partnership=partnership, qualification=qualification, revoked_at__isnull=True
        ).exists()
        assert set(
            OutboxEmail.objects.filter(kind="qualification_requested").values_list(
                "recipient", flat=True
            )
        ) == {owner.email, manager.email}
        assert list(
            OutboxEmail.objects.filter(kind="qualification_answered").values_list(
                "recipient", flat=True
            )
        ) == [reseller_user.email]
        assert set(
            Notification.objects.filter(kind=NotificationKind.QUALIFICATION_REQUESTED).values_list(
                "user", flat=True
            )
        ) == {owner.pk, manager.pk}
        assert events(partnership) == ["qualification_requested", "qualification_granted"]
    assert_other_tenant_untouched(foreign_partnership, other_staff)


def test_qualification_services_with_no_tenant_in_scope_raise(
    partnership, qualification, held, owner, reseller_user, foreign_partnership
):
    with scopes_disabled():
        other = QualificationFactory(manufacturer=partnership.manufacturer, code="INSTALLER")
        before = Message.objects.count()

    with worker_scope():
        with pytest.raises(ScopeError):
            qualification_grant(partnership=partnership, qualification=other, granted_by=owner)
        with pytest.raises(ScopeError):
            qualification_revoke(
                partnership=partnership, qualification=qualification, revoked_by=owner
            )
        with pytest.raises(ScopeError):
            qualification_request_create(
                partnership=partnership, qualification=other, requested_by=reseller_user
            )

    with scopes_disabled():
        held.refresh_from_db()
        assert held.revoked_at is None
        assert not QualificationGrant.objects.filter(qualification=other).exists()
        assert not QualificationRequest.objects.exists()
        assert Message.objects.count() == before
    assert_other_tenant_untouched(foreign_partnership)
