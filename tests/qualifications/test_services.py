import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import Qualification
from channel.models import PartnershipStatus, QualifyingStatus
from notifications.models import OutboxEmail
from qualifications import services
from qualifications.models import (
    QualificationGrant,
    QualificationRequest,
    QualifyingStatusChange,
    RequestStatus,
)
from qualifications.services import QualificationRefused
from tests.qualifications.factories import QualificationFactory


def test_grant_then_revoke_keeps_history_and_regrant_is_a_new_row(
    partnership, qualification, owner, manager
):
    first = services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner, reason="Trained"
    )
    revoked = services.qualification_revoke(
        partnership=partnership, qualification=qualification, revoked_by=manager, reason="Lapsed"
    )
    assert revoked.pk == first.pk
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert first.revoked_by == manager
    assert first.revoke_reason == "Lapsed"
    assert first.granted_by == owner
    assert first.grant_reason == "Trained"

    second = services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=manager
    )
    assert second.pk != first.pk
    rows = QualificationGrant.objects.filter(partnership=partnership).order_by("pk")
    assert [(g.pk, g.revoked_at is None) for g in rows] == [(first.pk, False), (second.pk, True)]


def test_granting_twice_is_refused_and_changes_nothing(partnership, qualification, owner):
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    with pytest.raises(QualificationRefused, match="already holds PRO-AV-CERTIFIED"):
        services.qualification_grant(
            partnership=partnership, qualification=qualification, granted_by=owner
        )
    assert QualificationGrant.objects.filter(partnership=partnership).count() == 1


def test_revoking_what_is_not_held_is_refused(partnership, qualification, owner):
    with pytest.raises(QualificationRefused, match="does not hold PRO-AV-CERTIFIED"):
        services.qualification_revoke(
            partnership=partnership, qualification=qualification, revoked_by=owner
        )
    assert not QualificationGrant.objects.exists()


def test_the_database_allows_one_active_grant_per_pair(partnership, qualification):
    """Even code that skips the service cannot double a grant."""
    now = timezone.now()
    QualificationGrant.objects.create(
        manufacturer=partnership.manufacturer,
        partnership=partnership,
        qualification=qualification,
        granted_at=now,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        QualificationGrant.objects.create(
            manufacturer=partnership.manufacturer,
            partnership=partnership,
            qualification=qualification,
            granted_at=now,
        )


def test_a_qualification_of_another_manufacturer_cannot_be_granted(
    partnership, other_manufacturer, owner
):
    foreign = QualificationFactory(manufacturer=other_manufacturer, code="FOREIGN")
    with pytest.raises(QualificationRefused):
        services.qualification_grant(
            partnership=partnership, qualification=foreign, granted_by=owner
        )
    assert not QualificationGrant.objects.exists()


def test_one_default_qualifying_code_per_manufacturer(manufacturer, other_manufacturer):
    first = QualificationFactory(manufacturer=manufacturer, code="FIRST", is_default=True)
    foreign_default = QualificationFactory(
        manufacturer=other_manufacturer, code="FIRST", is_default=True
    )
    second = QualificationFactory(manufacturer=manufacturer, code="SECOND", is_default=True)
    first.refresh_from_db()
    foreign_default.refresh_from_db()
    assert not first.is_default
    assert second.is_default
    assert foreign_default.is_default  # another tenant's default is untouched

    services.qualification_update(
        qualification=first, name="First again", description="", is_default=True
    )
    second.refresh_from_db()
    assert list(
        Qualification.objects.filter(manufacturer=manufacturer, is_default=True).values_list(
            "code", flat=True
        )
    ) == ["FIRST"]

    with pytest.raises(IntegrityError), transaction.atomic():
        Qualification.objects.filter(pk=second.pk).update(is_default=True)


def test_create_normalises_the_code_and_refuses_a_duplicate(manufacturer):
    created = services.qualification_create(manufacturer=manufacturer, code=" pro-av ", name="A")
    assert created.code == "PRO-AV"
    with pytest.raises(QualificationRefused, match="already exists"):
        services.qualification_create(manufacturer=manufacturer, code="PRO-AV", name="B")
    assert Qualification.objects.filter(manufacturer=manufacturer).count() == 1


def test_qualifying_status_change_is_recorded(partnership, owner):
    assert partnership.qualifying_status == QualifyingStatus.PENDING
    services.qualifying_status_set(
        partnership=partnership,
        status=QualifyingStatus.QUALIFIED,
        changed_by=owner,
        reason="Audit passed",
    )
    partnership.refresh_from_db()
    assert partnership.qualifying_status == QualifyingStatus.QUALIFIED
    change = QualifyingStatusChange.objects.get(partnership=partnership)
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        "pending",
        "qualified",
        owner,
        "Audit passed",
    )
    with pytest.raises(QualificationRefused, match="already"):
        services.qualifying_status_set(
            partnership=partnership, status=QualifyingStatus.QUALIFIED, changed_by=owner
        )
    with pytest.raises(QualificationRefused):
        services.qualifying_status_set(partnership=partnership, status="bogus", changed_by=owner)
    assert QualifyingStatusChange.objects.filter(partnership=partnership).count() == 1


def test_request_flow_grant(partnership, qualification, reseller_user, owner, manager):
    request = services.qualification_request_create(
        partnership=partnership,
        qualification=qualification,
        requested_by=reseller_user,
        message="We have two certified technicians.",
    )
    assert request.status == RequestStatus.OPEN
    # Owners and managers are told by email (their default for requests).
    assert set(
        OutboxEmail.objects.filter(kind="qualification_requested").values_list(
            "recipient", flat=True
        )
    ) == {owner.email, manager.email}

    with pytest.raises(QualificationRefused, match="open request"):
        services.qualification_request_create(
            partnership=partnership, qualification=qualification, requested_by=reseller_user
        )
    assert QualificationRequest.objects.count() == 1

    services.qualification_request_decide(request=request, grant=True, decided_by=owner)
    request.refresh_from_db()
    assert request.status == RequestStatus.GRANTED
    assert request.decided_by == owner
    assert QualificationGrant.objects.filter(
        partnership=partnership, qualification=qualification, revoked_at__isnull=True
    ).exists()
    assert OutboxEmail.objects.filter(
        kind="qualification_answered", recipient=reseller_user.email
    ).exists()
    # The grant answered the request: the reseller hears it once, as the answer.
    assert not OutboxEmail.objects.filter(kind="qualification_granted").exists()

    with pytest.raises(QualificationRefused, match="already answered"):
        services.qualification_request_decide(
            request=request, grant=False, decided_by=owner, reason="x"
        )
    with pytest.raises(QualificationRefused, match="already hold"):
        services.qualification_request_create(
            partnership=partnership, qualification=qualification, requested_by=reseller_user
        )


def test_request_flow_decline_needs_a_reason(partnership, qualification, reseller_user, owner):
    request = services.qualification_request_create(
        partnership=partnership, qualification=qualification, requested_by=reseller_user
    )
    with pytest.raises(QualificationRefused, match="reason"):
        services.qualification_request_decide(request=request, grant=False, decided_by=owner)
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN

    services.qualification_request_decide(
        request=request, grant=False, decided_by=owner, reason="Training missing"
    )
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == (RequestStatus.DECLINED, "Training missing")
    assert not QualificationGrant.objects.exists()
    # Declined: the reseller may ask again.
    again = services.qualification_request_create(
        partnership=partnership, qualification=qualification, requested_by=reseller_user
    )
    assert again.status == RequestStatus.OPEN


def test_granting_directly_answers_an_open_request(
    partnership, qualification, reseller_user, owner
):
    request = services.qualification_request_create(
        partnership=partnership, qualification=qualification, requested_by=reseller_user
    )
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.GRANTED


def test_an_inactive_partnership_cannot_request(partnership, qualification, reseller_user):
    partnership.status = PartnershipStatus.SUSPENDED
    partnership.save()
    with pytest.raises(QualificationRefused, match="not active"):
        services.qualification_request_create(
            partnership=partnership, qualification=qualification, requested_by=reseller_user
        )
    assert not QualificationRequest.objects.exists()
