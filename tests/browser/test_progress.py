"""Long actions say they are under way: a CSV export shows "Preparing…" until it arrives,
and a large one has a progress page whose bar moves while a worker makes the file."""

import pytest
from playwright.sync_api import expect

from accounts.models import ExportJob, ExportStatus
from tests.accounts.factories import ExportJobFactory
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


def test_a_large_export_moves_to_its_progress_page_and_downloads_from_there(
    visit, settings, tmp_path
):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    journeys = build_journeys()
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)
    visitor.goto(f"/m/{journeys.a.manufacturer.slug}/resellers/")

    visitor.click("Export CSV")

    expect(page.get_by_role("heading", name="Your export")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert "Klangwerk KG" in download.value.path().read_text(encoding="utf-8-sig")


def test_the_progress_bar_moves_without_reloading_the_page(visit):
    journeys = build_journeys()
    manufacturer = journeys.a.manufacturer
    job = ExportJobFactory(
        manufacturer=manufacturer,
        requested_by=journeys.manager,
        status=ExportStatus.RUNNING,
        rows_total=4000,
        rows_done=1000,
    )
    visitor = visit()
    page = visitor.page
    visitor.login(journeys.manager.email)
    visitor.goto(f"/m/{manufacturer.slug}/exports/{job.public_id}/")
    expect(page.get_by_role("status")).to_contain_text("1000 of 4000 rows")
    loads = len(visitor.loads)

    ExportJob.objects.filter(pk=job.pk).update(rows_done=3000)

    expect(page.get_by_role("status")).to_contain_text("3000 of 4000 rows")
    expect(page.locator("progress")).to_have_attribute("value", "75")
    assert len(visitor.loads) == loads
    visitor.check()
