"""Inviting the same rep twice: a double-submitted form invites and emails once and both
requests are redirected; run concurrently on PostgreSQL."""

import uuid

import pytest
from django_scopes import scope

from accounts.models import ManufacturerMembership, User
from notifications.models import OutboxEmail
from salesreps.models import RepInvitation
from salesreps.services import InvitationRefused, rep_invite
from tests.concurrency import run_at_once

EMAIL = "rita.rep@example.test"


def invite(world, *, key, email=EMAIL, tenant=None):
    with scope(manufacturer=tenant or world.tenant):
        return rep_invite(
            manufacturer=tenant or world.tenant,
            email=email,
            invited_by=world.manager,
            base_url="http://testserver/",
            submission_key=key,
        )


def assert_invited_once(world, email=EMAIL, *, member: bool = True) -> None:
    """One invitation, one email; a new person is a member at once (their password is their
    acceptance), someone with a login only once they accept (member=False until then)."""
    user = User.objects.get(email=email)
    memberships = ManufacturerMembership.objects.filter(manufacturer=world.tenant, user=user)
    assert memberships.count() == (1 if member else 0)
    assert RepInvitation.objects.filter(manufacturer=world.tenant, user=user).count() == 1
    assert OutboxEmail.objects.filter(recipient=email, kind="salesreps.invitation").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["a new person", "someone with a login elsewhere"])
def test_a_double_submitted_invitation_invites_once(world, who):
    email = EMAIL if who == "a new person" else world.other_rep.email
    key = uuid.uuid4()

    results, errors = run_at_once([lambda: invite(world, key=key, email=email)] * 2)

    assert errors == []
    assert [result.user.email for result in results] == [email, email]
    assert_invited_once(world, email, member=who == "a new person")


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_invitation_form_redirects_both_times(world, client_for):
    data = {"email": EMAIL, "first_name": "Rita", "submission_key": uuid.uuid4()}
    clients = [client_for(world.manager) for _ in range(2)]
    url = world.url("salesreps_manufacturer:invite")

    results, errors = run_at_once([lambda c=c: c.post(url, data).status_code for c in clients])

    assert errors == []
    assert results == [302, 302]
    assert_invited_once(world)


@pytest.mark.django_db(transaction=True)
def test_two_different_invitations_of_one_person_at_once_refuse_one(world):
    results, errors = run_at_once([lambda: invite(world, key=uuid.uuid4())] * 2)

    assert len(results) == 1
    assert [type(error) for error in errors] == [InvitationRefused]
    assert_invited_once(world)


def test_the_same_form_submitted_again_later_answers_the_first_result(world):
    key = uuid.uuid4()
    first = invite(world, key=key)
    again = invite(world, key=key)

    assert (again.user, again.new_user) == (first.user, True)
    assert_invited_once(world)
    with pytest.raises(InvitationRefused):
        invite(world, key=uuid.uuid4())  # a new form for a member is still refused


def test_a_key_used_in_another_tenant_does_not_answer_here(world):
    key = uuid.uuid4()
    invite(world, key=key, tenant=world.other)

    result = invite(world, key=key)

    assert result.user.email == EMAIL
    # They have a login now (from the other tenant): here they are invited, not yet a member.
    assert ManufacturerMembership.objects.filter(user=result.user).count() == 1
    assert RepInvitation.objects.filter(
        manufacturer=world.tenant, user=result.user, accepted_at__isnull=True
    ).exists()
