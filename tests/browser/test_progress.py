"""Long actions say they are under way: a CSV export shows "Preparing…" until it arrives."""

import pytest
from playwright.sync_api import expect

from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_csv_export_link_shows_preparing_while_the_file_is_made(visit):
    journeys = build_journeys()
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)
    visitor.goto(f"/m/{journeys.a.manufacturer.slug}/orders/")

    link = page.get_by_role("link", name="Export CSV")
    with page.expect_download() as download:
        link.click()
        expect(page.locator("a[data-csv-export]")).to_have_attribute("aria-busy", "true")
        expect(page.locator("a[data-csv-export]")).to_have_text("Preparing…")
    assert download.value.suggested_filename.endswith(".csv")
