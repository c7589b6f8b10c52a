"""A user switches the portal's language from the top bar, without JavaScript, and finds it
again at the next login; the browser's language only counts at the first one."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_top_bar_switches_the_language_without_javascript_and_it_is_kept(visit):
    journeys = build_journeys()
    manager = journeys.manager
    visitor = visit(javascript=False)
    page = visitor.page
    visitor.login(manager.email)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    orders = f"/m/{journeys.a.manufacturer.slug}/orders/"
    visitor.goto(orders)

    page.locator("header select[name=language]").select_option("it")
    visitor.click(page.locator("header form.language-switch button[type=submit]"))
    assert page.url.endswith(orders)  # back on the page it was switched on
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert User.objects.get(pk=manager.pk).language == "it"

    # A new browser that asks for English: the saved language wins.
    again = visit(javascript=False)
    again.context.set_extra_http_headers({"Accept-Language": "en-US,en;q=0.9"})
    again.login(manager.email)
    expect(again.page.locator("html")).to_have_attribute("lang", "it")
