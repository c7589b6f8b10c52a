"""An owner in Chromium manages the API's credentials: logs in with a code, makes a
read-only key and sees its secret once, uses it, exports the keys as CSV, revokes the key
after a confirmation; then registers a webhook endpoint (a metadata address is refused on
the page), reads its signing secret and pauses it. After ten minutes the keys page asks for
the password again and comes back."""

from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.sessions import REAUTH_AT_KEY
from api.models import ApiKey, WebhookEndpoint
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.two_factor_helpers import code_of, enrol
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_manages_api_keys_and_webhooks(visit):
    world = build_journeys().a
    slug = world.manufacturer.slug
    device = enrol(world.owner)
    owner = visit()
    page = owner.page
    owner.login(world.owner.email)
    page.get_by_label("Authentication code").fill(code_of(device))
    owner.submit("Log in")

    nav = page.get_by_role("navigation", name="Main navigation")
    owner.click(nav.get_by_role("link", name="API keys"))
    expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
    page.get_by_label("Name").fill("ERP sync")
    page.get_by_label("Read only").check()
    owner.submit("Create key")
    expect(page.locator("#messages")).to_contain_text("API key “ERP sync” created.")
    secret = page.get_by_label("Your new API key").input_value()
    assert secret.startswith("cpm_")
    orders = f"/api/v1/m/{slug}/orders/"
    assert Client().get(orders, headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    owner.goto(f"/m/{slug}/api-keys/")
    expect(page.get_by_label("Your new API key")).to_have_count(0)  # shown once
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.startswith(f"{slug}-api-keys")

    owner.click(page.get_by_role("link", name="Revoke ERP sync"))
    owner.submit("Revoke key")
    expect(page.locator("#messages")).to_contain_text("revoked")
    assert ApiKey.objects.get(name="ERP sync").revoked_at is not None
    assert Client().get(orders, headers={"Authorization": f"Bearer {secret}"}).status_code == 401

    owner.click(nav.get_by_role("link", name="Webhooks"))
    endpoints_before = WebhookEndpoint.objects.count()  # the world has one already
    page.get_by_label("URL").fill("https://169.254.169.254/latest/meta-data/")
    page.get_by_label("Order created").check()
    owner.submit("Add endpoint")
    expect(page.get_by_text("not on the public internet")).to_be_visible()
    assert WebhookEndpoint.objects.count() == endpoints_before
    page.get_by_label("URL").fill("https://erp.example.test/hooks")
    page.get_by_label("Order created").check()
    page.get_by_label("Payout paid").check()
    owner.submit("Add endpoint")
    expect(page.locator("#messages")).to_contain_text("Webhook endpoint added.")
    endpoint = WebhookEndpoint.objects.get(url="https://erp.example.test/hooks")
    assert endpoint.events == ["order.created", "payout.paid"]
    expect(page.get_by_label("Secret", exact=True)).to_have_value(endpoint.secret)
    owner.submit("Pause")
    expect(page.locator("#messages")).to_contain_text("Endpoint paused.")

    # Ten minutes later the keys page asks for the password, then comes back.
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for cookie in page.context.cookies():
        if cookie["name"] == settings.SESSION_COOKIE_NAME:
            store = store_class(session_key=cookie["value"])
            store[REAUTH_AT_KEY] = 0
            store.save()
    owner.goto(f"/m/{slug}/api-keys/")
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    owner.submit("Confirm")
    expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
