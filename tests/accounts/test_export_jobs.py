"""Large CSV exports run as a background job with a progress page; small ones stream at once.

The job rebuilds the list page's rows (filters, sort, the member's visibility), only the
member who asked sees its progress and its file, and a lost or dead job is started again.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.exports import EXPORT_MAX_ATTEMPTS, export_job_run, export_jobs_sweep
from accounts.models import ExportJob, ExportStatus, Role
from accounts.services import membership_add
from core import exports as core_exports
from tests.accounts.factories import ExportJobFactory, ResellerFactory, ResellerUserFactory
from tests.catalog.factories import ProductFactory
from tests.orders.factories import make_order
from tests.resellers.factories import PartnershipFactory
from tests.resellers.sales_helpers import put_in_portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_inline_limit(settings, tmp_path):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def directory(manufacturer):
    names = ["Alpha Audio", "Beta Sound", "Gamma Media"]
    return {
        name: PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name=name))
        for name in names
    }


def directory_url(manufacturer) -> str:
    return f"/m/{manufacturer.slug}/resellers/"


def downloaded_rows(client, job) -> list[list[str]]:
    response = client.get(f"/m/{job.manufacturer.slug}/exports/{job.public_id}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "no-store" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def only_job():
    return ExportJob.objects.get()


def test_a_small_export_streams_at_once_and_makes_no_job(manufacturer, manager, client_for):
    PartnershipFactory(manufacturer=manufacturer)

    response = client_for(manager).get(directory_url(manufacturer), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not ExportJob.objects.exists()


def test_a_large_export_becomes_a_job_whose_file_has_the_pages_rows(
    directory, manufacturer, manager, client_for, django_capture_on_commit_callbacks
):
    client = client_for(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(directory_url(manufacturer), {"format": "csv", "sort": "-name"})

    job = only_job()
    assert response.status_code == 302
    assert response["Location"] == f"/m/{manufacturer.slug}/exports/{job.public_id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Ready" in page.text and f"Download {job.filename}" in page.text
    assert 'hx-trigger="every 1s"' not in page.text  # polling stops once the file is there
    assert (job.status, job.rows_done, job.rows_total, job.percent) == (
        ExportStatus.DONE, 3, 3, 100,
    )  # fmt: skip
    rows = downloaded_rows(client, job)
    assert rows[0][:2] == ["Reseller ID", "Name"]
    assert [row[1] for row in rows[1:]] == ["Gamma Media", "Beta Sound", "Alpha Audio"]


def test_the_job_keeps_the_pages_filters(
    manufacturer, manager, client_for, django_capture_on_commit_callbacks
):
    alpha, beta = (PartnershipFactory(manufacturer=manufacturer) for _ in range(2))
    products = [ProductFactory(manufacturer=manufacturer)]
    ours = [make_order(alpha, products) for _ in range(3)]
    make_order(beta, products)
    client = client_for(manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(
            f"/m/{manufacturer.slug}/orders/",
            {"format": "csv", "reseller": alpha.reseller_id, "sort": "number", "page": "4"},
        )

    job = only_job()
    assert job.params == {"reseller": str(alpha.reseller_id), "sort": "number"}
    rows = downloaded_rows(client, job)
    assert [row[0] for row in rows[1:]] == sorted(o.number for o in ours)


def test_a_reps_job_holds_only_the_reps_portfolio(
    directory, manufacturer, seller, make_member, client_for, django_capture_on_commit_callbacks
):
    other_rep = make_member(manufacturer, Role.SELLER)
    for name in ["Alpha Audio", "Beta Sound", "Gamma Media"]:
        put_in_portfolio(seller, directory[name])
    put_in_portfolio(other_rep, PartnershipFactory(manufacturer=manufacturer))
    client = client_for(seller)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(directory_url(manufacturer), {"format": "csv", "sort": "name"})

    rows = downloaded_rows(client, only_job())
    assert [row[1] for row in rows[1:]] == ["Alpha Audio", "Beta Sound", "Gamma Media"]


def test_the_progress_page_polls_and_shows_how_far_the_job_is(manufacturer, manager, client_for):
    job = ExportJobFactory(
        manufacturer=manufacturer,
        requested_by=manager,
        status=ExportStatus.RUNNING,
        rows_total=2000,
        rows_done=500,
    )
    client = client_for(manager)
    url = f"/m/{manufacturer.slug}/exports/{job.public_id}/"

    page = client.get(url)
    swap = client.get(url, headers={"HX-Request": "true"})

    assert "500 of 2000 rows" in page.text
    assert 'value="25"' in page.text and 'hx-trigger="every 1s"' in page.text
    assert "<html" not in swap.text and 'id="export-progress"' in swap.text
    assert client.get(f"{url}file/").status_code == 404  # not ready yet


def test_a_failing_export_says_so_and_offers_no_file(
    directory, manufacturer, manager, client_for, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    real = core_exports._BUILDERS["resellers.directory"]
    client = client_for(manager)
    job = ExportJobFactory(manufacturer=manufacturer, requested_by=manager, rows_total=3)
    monkeypatch.setitem(
        core_exports._BUILDERS,
        "resellers.directory",
        lambda *a: core_exports.CsvExport(
            filename="x", header=["h"], rows=iter(broken, None), size=real(*a).size
        ),
    )

    assert export_job_run(job_id=job.pk) is False

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    page = client.get(f"/m/{manufacturer.slug}/exports/{job.public_id}/")
    assert "The export failed" in page.text
    assert client.get(f"/m/{manufacturer.slug}/exports/{job.public_id}/file/").status_code == 404


def test_a_job_runs_once_even_when_its_task_arrives_twice(directory, manufacturer, manager):
    job = ExportJobFactory(manufacturer=manufacturer, requested_by=manager, rows_total=3)

    assert export_job_run(job_id=job.pk) is True
    assert export_job_run(job_id=job.pk) is False

    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportStatus.DONE, 1)


def test_a_member_removed_after_asking_gets_no_file(directory, manufacturer, make_member):
    leaver = make_member(manufacturer, Role.MANAGER)
    job = ExportJobFactory(manufacturer=manufacturer, requested_by=leaver, rows_total=3)
    leaver.manufacturer_memberships.all().delete()

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file
    assert "no longer a member" in job.error


def test_the_sweep_restarts_lost_and_dead_jobs_and_gives_up_after_the_last_attempt(
    directory, manufacturer, manager, django_capture_on_commit_callbacks
):
    def aged(minutes, **fields):
        job = ExportJobFactory(manufacturer=manufacturer, requested_by=manager, **fields)
        ExportJob.objects.filter(pk=job.pk).update(
            updated_at=timezone.now() - timedelta(minutes=minutes)
        )
        return job

    lost = aged(2)
    dead = aged(10, status=ExportStatus.RUNNING, attempts=1, rows_total=3, rows_done=1)
    hopeless = aged(10, status=ExportStatus.RUNNING, attempts=EXPORT_MAX_ATTEMPTS)
    waiting = ExportJobFactory(manufacturer=manufacturer, requested_by=manager)
    working = aged(1, status=ExportStatus.RUNNING, attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert export_jobs_sweep() == 2

    status = dict(ExportJob.objects.values_list("pk", "status"))
    assert status[lost.pk] == status[dead.pk] == ExportStatus.DONE
    assert status[hopeless.pk] == ExportStatus.FAILED
    assert status[waiting.pk] == ExportStatus.QUEUED
    assert status[working.pk] == ExportStatus.RUNNING
    assert export_jobs_sweep() == 0


def test_only_the_member_who_asked_reaches_the_job(
    client, manufacturer, other_manufacturer, manager, make_member, client_for
):
    job = ExportJobFactory(manufacturer=manufacturer, requested_by=manager)
    export_job_run(job_id=job.pk)
    colleague = make_member(manufacturer, Role.OWNER)
    stranger = make_member(other_manufacturer, Role.OWNER)
    membership_add(manufacturer=other_manufacturer, user=manager, role=Role.OWNER)
    reseller_user = ResellerUserFactory().user
    page = f"/m/{manufacturer.slug}/exports/{job.public_id}/"
    file = f"{page}file/"
    foreign = f"/m/{other_manufacturer.slug}/exports/{job.public_id}/"

    assert client_for(manager).get(page).status_code == 200
    for user in (colleague, stranger, reseller_user):
        assert client_for(user).get(page).status_code == 404
        assert client_for(user).get(file).status_code == 404
    assert client_for(manager).get(foreign).status_code == 404  # the job's own tenant only
    assert (
        client_for(manager).get(f"/m/{manufacturer.slug}/exports/{job.public_id}x/").status_code
        == 404
    )
    assert client.get(page).status_code == 302 and "/login/" in client.get(page)["Location"]
