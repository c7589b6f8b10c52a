"""Two-factor login (ASVS 2.7/2.8): required for owners, platform staff and every member of
a manufacturer that asks for it; optional for others; recovery codes work once."""

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RecoveryCode, Role, User
from accounts.services import manufacturer_settings_update
from accounts.two_factor import recovery_codes_renew
from notifications.models import OutboxEmail
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.two_factor_helpers import code_of, enrol, login_as, verify_session


def log_in(client: Client, user: User, password: str = DEFAULT_PASSWORD):
    return client.post("/login/", {"username": user.email, "password": password})


def set_up_two_factor(client: Client, user: User) -> tuple[TOTPDevice, list[str]]:
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/account/two-factor/", {"code": code_of(device)})
    assert done.status_code == 302
    page = client.get(done["Location"])
    return TOTPDevice.objects.get(user=user), list(page.context["recovery_codes"])


def test_an_owner_without_a_second_factor_can_only_set_one_up(client, owner, manufacturer):
    assert log_in(client, owner).status_code == 302

    page = client.get(f"/m/{manufacturer.slug}/")

    assert page.status_code == 302
    assert page["Location"].startswith("/account/two-factor/?next=")
    setup = client.get(page["Location"])
    assert setup.status_code == 200
    assert "Your role requires two-factor login" in setup.text
    assert "<svg" in setup.text  # the QR code


def test_a_manager_may_work_without_a_second_factor(client, manager, manufacturer):
    log_in(client, manager)

    assert client.get(f"/m/{manufacturer.slug}/").status_code == 200


def test_setting_up_needs_a_right_code_then_shows_recovery_codes_once(client, owner, manufacturer):
    log_in(client, owner)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=owner, confirmed=False)

    wrong = client.post("/account/two-factor/", {"code": "000000"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.filter(user=owner, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # the wrong code asked for a second's pause

    done = client.post("/account/two-factor/", {"code": code_of(device)})
    assert done.status_code == 302
    page = client.get(done["Location"])
    codes = page.context["recovery_codes"]
    assert len(codes) == 10
    assert codes[0] in page.text
    assert codes[0] not in client.get("/account/security/").text  # shown only once
    assert client.get(f"/m/{manufacturer.slug}/").status_code == 200
    sent = OutboxEmail.objects.get(recipient=owner.email)
    assert sent.subject == "Two-factor login was turned on"


def test_recovery_codes_are_kept_as_digests_only(client, owner):
    log_in(client, owner)
    _device, codes = set_up_two_factor(client, owner)

    stored = list(RecoveryCode.objects.values_list("digest", flat=True))
    assert len(stored) == 10
    assert not any(code in digest or code.replace("-", "") in digest for code in codes
                   for digest in stored)  # fmt: skip


def test_with_a_second_factor_the_password_alone_does_not_log_in(client, manager, manufacturer):
    device = enrol(manager)

    step_one = log_in(client, manager)
    assert step_one.status_code == 302
    assert step_one["Location"] == "/login/code/"
    assert SESSION_KEY not in client.session
    assert client.get(f"/m/{manufacturer.slug}/").status_code == 302  # to the login page

    wrong = client.post("/login/code/", {"code": "123456"})
    assert wrong.status_code == 400
    assert SESSION_KEY not in client.session

    device.refresh_from_db()
    device.throttle_reset()  # the wrong code asked for a second's pause
    right = client.post("/login/code/", {"code": code_of(device)})
    assert right.status_code == 302
    assert client.session[SESSION_KEY] == str(manager.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(f"/m/{manufacturer.slug}/").status_code == 200


def test_the_code_step_needs_the_password_step_first(client, manager):
    enrol(manager)

    response = client.get("/login/code/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_five_wrong_codes_send_the_user_back_to_the_password(client, manager):
    enrol(manager)
    log_in(client, manager)

    for _ in range(4):
        assert client.post("/login/code/", {"code": "000000"}).status_code == 400
    fifth = client.post("/login/code/", {"code": "000000"})

    assert fifth.status_code == 302
    assert fifth["Location"] == "/login/"
    assert client.get("/login/code/")["Location"] == "/login/"


def test_a_recovery_code_logs_in_once(owner):
    setup_client = login_as(Client(), owner)
    TOTPDevice.objects.filter(user=owner).delete()
    _device, codes = set_up_two_factor(setup_client, owner)

    first = Client()
    log_in(first, owner)
    assert first.post("/login/code/", {"code": codes[0].lower()}).status_code == 302
    assert first.session[SESSION_KEY] == str(owner.pk)

    second = Client()
    log_in(second, owner)
    assert second.post("/login/code/", {"code": codes[0]}).status_code == 400
    assert SESSION_KEY not in second.session


def test_a_manufacturer_can_require_it_for_all_staff(
    manufacturer, other_manufacturer, seller, make_member
):
    other_seller = make_member(other_manufacturer, Role.SELLER)
    manufacturer_settings_update(
        manufacturer=manufacturer,
        name=manufacturer.name,
        currency=manufacturer.currency,
        default_commission_rate=manufacturer.default_commission_rate,
        commission_holding_weeks=manufacturer.commission_holding_weeks,
        payout_deadline_weeks=manufacturer.payout_deadline_weeks,
        require_two_factor=True,
    )

    mine = password_only(seller).get(f"/m/{manufacturer.slug}/")
    theirs = password_only(other_seller).get(f"/m/{other_manufacturer.slug}/")

    assert mine.status_code == 302
    assert mine["Location"].startswith("/account/two-factor/")
    assert theirs.status_code == 200


def test_a_session_that_skipped_the_second_factor_ends(manager, manufacturer):
    enrol(manager)
    client = Client()
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(f"/m/{manufacturer.slug}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert SESSION_KEY not in client.session


def test_the_admin_requires_a_verified_second_factor(db):
    operator = User.objects.create_superuser(email="ops@example.test", password=DEFAULT_PASSWORD)
    without = Client()
    without.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    assert without.get("/admin/")["Location"].startswith("/account/two-factor/")

    verified = Client()
    verified.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    verify_session(verified, operator)
    assert verified.get("/admin/").status_code == 200

    anonymous = Client().get("/admin/", follow=True)
    assert anonymous.redirect_chain[-1][0].startswith("/login/")


def test_a_required_owner_cannot_turn_it_off_an_optional_manager_can(client_for, owner, manager):
    owner_client = client_for(owner)
    refused = owner_client.post("/account/two-factor/off/")
    assert refused.status_code == 302
    assert TOTPDevice.objects.filter(user=owner).exists()

    enrol(manager)
    manager_client = client_for(manager)
    verify_session(manager_client, manager)
    done = manager_client.post("/account/two-factor/off/")
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert OutboxEmail.objects.filter(
        recipient=manager.email, subject="Two-factor login was turned off"
    ).exists()


def test_new_recovery_codes_replace_the_old_ones(client_for, owner):
    client = client_for(owner)
    old = recovery_codes_renew(user=owner)

    done = client.post("/account/two-factor/recovery-codes/")
    new = client.get(done["Location"]).context["recovery_codes"]

    assert len(new) == 10
    assert set(new).isdisjoint(old)
    stranger = Client()
    log_in(stranger, owner)
    assert stranger.post("/login/code/", {"code": old[0]}).status_code == 400


def password_only(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
