"""Changing a member's role from the team page: owners only, with a recent password; never
one's own role, never a rep who still holds customers; the member's sessions end, their
API keys made with the old role stop working, they are told, the audit log keeps it."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session

from accounts.models import AuditAction, AuditEvent, ManufacturerMembership, Role
from notifications.models import OutboxEmail
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.test_reauth import stale
from tests.salesreps.conftest import member

pytestmark = pytest.mark.django_db


def role_url(world, user, tenant=None):
    return world.url("salesreps_manufacturer:member_role", tenant, user_id=user.pk)


def role_of(world, user) -> str:
    return ManufacturerMembership.objects.get(manufacturer=world.tenant, user=user).role


def sessions_of(user) -> int:
    return sum(
        1 for s in Session.objects.all() if str(s.get_decoded().get(SESSION_KEY)) == str(user.pk)
    )


def test_an_owner_promotes_a_manager_and_the_member_is_logged_out_and_told(world, login):
    login(world.manager)  # the manager's own session, which must end
    client = login(world.owner)

    assert client.get(role_url(world, world.manager)).status_code == 200
    response = client.post(role_url(world, world.manager), {"role": Role.OWNER})

    assert response.status_code == 302
    assert role_of(world, world.manager) == Role.OWNER
    assert sessions_of(world.manager) == 0
    email = OutboxEmail.objects.get(kind="salesreps.role_changed")
    assert email.recipient == world.manager.email
    assert "from Manager to Owner" in email.body
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert (event.actor, event.manufacturer) == (world.owner, world.tenant)
    assert world.manager.email in event.target


def test_the_keys_made_with_the_old_role_stop_working(world, login):
    from api.services import api_key_create
    from tests.api.conftest import ApiClient

    membership = ManufacturerMembership.objects.get(manufacturer=world.tenant, user=world.manager)
    _key, secret = api_key_create(
        manufacturer=world.tenant, membership=membership, name="ERP", access="read"
    )
    orders = f"/api/v1/m/{world.tenant.slug}/orders/"
    assert ApiClient(secret).get(orders).status_code == 200

    login(world.owner).post(role_url(world, world.manager), {"role": Role.SELLER})

    assert ApiClient(secret).get(orders).status_code == 401


def test_a_stale_owner_confirms_first_and_nothing_changes_before(world, login):
    client = login(world.owner)
    stale(client)
    url = role_url(world, world.manager)

    detour = client.post(url, {"role": Role.SELLER}, headers={"Referer": f"http://testserver{url}"})

    assert detour["Location"].startswith("/account/confirm/?next=")
    assert role_of(world, world.manager) == Role.MANAGER
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()
    assert client.post(detour["Location"], {"password": DEFAULT_PASSWORD})["Location"] == url


@pytest.mark.parametrize("who", ["manager", "rep_a", "reseller_user"])
def test_only_an_owner_changes_roles(world, login, who):
    response = login(getattr(world, who)).post(role_url(world, world.rep_b), {"role": Role.OWNER})

    assert response.status_code in (403, 404)
    assert role_of(world, world.rep_b) == Role.SELLER


def test_another_tenants_member_and_an_unknown_id_are_404(world, login):
    client = login(world.owner)

    assert client.get(role_url(world, world.other_manager)).status_code == 404
    assert client.get(role_url(world, world.reseller_user)).status_code == 404
    assert client.get(role_url(world, world.owner, tenant=world.other)).status_code == 404
    assert (
        client.post(role_url(world, world.other_manager), {"role": Role.SELLER}).status_code == 404
    )
    other_manager = ManufacturerMembership.objects.get(user=world.other_manager)
    assert other_manager.role == Role.MANAGER


def test_an_owner_cannot_change_their_own_role(world, login):
    response = login(world.owner).post(role_url(world, world.owner), {"role": Role.SELLER})

    assert response.status_code == 400
    assert "your own role" in response.content.decode()
    assert role_of(world, world.owner) == Role.OWNER


def test_a_rep_with_customers_keeps_the_role_until_reassigned(world, login):
    client = login(world.owner)

    page = client.get(role_url(world, world.rep_a))
    response = client.post(role_url(world, world.rep_a), {"role": Role.MANAGER})

    assert "reassign them first" in page.content.decode()
    assert response.status_code == 400
    assert role_of(world, world.rep_a) == Role.SELLER
    # A rep without customers can be promoted.
    free_rep = member(world.tenant, Role.SELLER)
    assert client.post(role_url(world, free_rep), {"role": Role.MANAGER}).status_code == 302
    assert role_of(world, free_rep) == Role.MANAGER


@pytest.mark.parametrize("role", ["", "admin", "owner\x00", "x" * 500])
def test_a_bad_role_re_renders_with_an_error(world, login, role):
    response = login(world.owner).post(role_url(world, world.manager), {"role": role})

    assert response.status_code == 400
    assert role_of(world, world.manager) == Role.MANAGER


def test_the_member_page_links_the_change_for_owners_only(world, login):
    member_url = world.url("accounts_manufacturer:team_member", user_id=world.manager.pk)

    assert role_url(world, world.manager) in login(world.owner).get(member_url).content.decode()
    assert (
        role_url(world, world.rep_a)
        not in login(world.manager)
        .get(world.url("accounts_manufacturer:team_member", user_id=world.rep_a.pk))
        .content.decode()
    )
