"""An owner in Chromium: the first login asks for an authenticator, the QR page sets it up
and shows recovery codes once, and the next login takes the password, then the code."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_owner_sets_up_two_factor_login_then_logs_in_with_a_code(visit):
    world = build_journeys().a
    visitor = visit()
    page = visitor.page

    visitor.login(world.owner.email)
    expect(page.get_by_role("heading", name="Set up two-factor login")).to_be_visible()
    expect(page.get_by_text("Your role requires two-factor login")).to_be_visible()
    expect(page.locator(".qr-code svg")).to_have_count(1)
    secret = page.locator("code.user-select-all").inner_text()

    page.get_by_label("Code shown by the app").fill(code_for(secret))
    visitor.submit("Turn on two-factor login")
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("ul.font-monospace li")).to_have_count(10)

    visitor.click(page.locator("summary.account-menu"))
    visitor.submit("Log out")
    visitor.login(world.owner.email)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Authentication code").fill(code_for(secret, steps_ahead=1))
    visitor.submit("Log in")

    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    assert page.url.endswith(f"/m/{world.manufacturer.slug}/")
    visitor.goto("/account/security/")
    expect(page.get_by_role("heading", name="Active sessions")).to_be_visible()
