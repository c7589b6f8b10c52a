"""The invitation link sets the new rep's password once, then they log in."""

import re

import pytest
from django.test import Client

from accounts.models import Role, User
from notifications.models import OutboxEmail
from notifications.sealing import unseal
from salesreps.services import InvitationRefused, rep_invite

PASSWORD = "a-brand-new-password-77"


def invite(world, email="rita.rep@example.test"):
    return rep_invite(
        manufacturer=world.tenant,
        email=email,
        invited_by=world.manager,
        base_url="http://testserver/",
        first_name="Rita",
    )


def link_in_outbox(email: str) -> str:
    email = OutboxEmail.objects.get(recipient=email, kind="salesreps.invitation")
    body = unseal(email.body, email.sealed)  # as it is sent
    return re.search(r"http://testserver(/invite/\S+/)", body).group(1)


def test_invitation_link_works_once(world):
    result = invite(world)
    assert result.new_user and not result.user.has_usable_password()
    path = link_in_outbox("rita.rep@example.test")
    client = Client()

    page = client.get(path)
    assert page.status_code == 200 and "rita.rep@example.test" in page.content.decode()

    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"].endswith("/login/")
    user = User.objects.get(email="rita.rep@example.test")
    assert user.check_password(PASSWORD)

    # Used: the token no longer matches (the password changed).
    assert client.get(path).status_code == 400
    again = client.post(path, {"new_password1": "other-pass-123456", "new_password2": "x"})
    assert again.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    # And they can log in with it and reach the tenant as a seller.
    member = Client()
    login = member.post("/login/", {"username": "rita.rep@example.test", "password": PASSWORD})
    assert login.status_code == 302
    assert member.get(world.url("salesreps_manufacturer:my_sales")).status_code == 200
    assert world.tenant.memberships.get(user=user).role == Role.SELLER


def test_invitation_rejects_bad_links(world):
    invite(world)
    path = link_in_outbox("rita.rep@example.test")
    client = Client()
    uid = path.split("/")[2]
    assert client.get(f"/invite/{uid}/bad-token/").status_code == 400
    assert client.get("/invite/!!!/whatever/").status_code == 400
    assert client.get("/invite/MTIzNDU2Nzg/abc-123/").status_code == 400


def test_invitation_form_errors_rerender(world):
    invite(world)
    path = link_in_outbox("rita.rep@example.test")
    response = Client().post(path, {"new_password1": "a", "new_password2": "b"})
    assert response.status_code == 400
    assert not User.objects.get(email="rita.rep@example.test").has_usable_password()


def test_inviting_a_member_is_refused(world):
    with pytest.raises(InvitationRefused) as refused:
        invite(world, email=world.manager.email.upper())
    assert "already a member" in " ".join(refused.value.messages)
