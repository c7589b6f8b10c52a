"""Money actions ask for a recent password or code (ASVS 4.3.1 / 3.7.1): approving payouts
and marking a batch paid also need two-factor login; changing payout details needs the
password again after 10 minutes. A stale session is sent to confirm and comes back to the
page it was on; nothing changes before."""

from decimal import Decimal

import pytest

from commissions.models import PayoutBatch, PayoutDetails, PayoutRequest, PayoutRequestStatus
from commissions.services.payouts import payout_batch_approve, payout_request_create
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.test_reauth import stale
from tests.accounts.two_factor_helpers import verify_session
from tests.commissions.conftest import completed_order
from tests.commissions.factories import PayoutDetailsFactory

pytestmark = pytest.mark.django_db

D = Decimal
CONFIRM = "/account/confirm/?next="


@pytest.fixture
def requested(partnership, speaker, customer):
    from datetime import timedelta

    from django.utils import timezone

    completed_order(
        partnership,
        [speaker],
        customer=customer,
        quantities=[6],
        at=timezone.now() - timedelta(weeks=5),
    )
    PayoutDetailsFactory(partnership=partnership)
    return payout_request_create(partnership=partnership, amount=D("60.00"), requested_by=None)


def approvals(manufacturer, page=""):
    return f"/m/{manufacturer.slug}/commissions/approvals/{page}"


def with_two_factor(client_for, user):
    client = client_for(user)
    verify_session(client, user)
    return client


def test_a_stale_approver_confirms_first_and_comes_back_to_the_approvals(
    client_for, manufacturer, manager, requested
):
    client = with_two_factor(client_for, manager)
    stale(client)
    page = f"http://testserver{approvals(manufacturer)}"

    detour = client.post(
        approvals(manufacturer, "approve/"), {"request": [requested.pk]}, headers={"Referer": page}
    )

    assert detour.status_code == 302
    assert detour["Location"] == f"{CONFIRM}%2Fm%2Facme%2Fcommissions%2Fapprovals%2F"
    requested.refresh_from_db()
    assert requested.status == PayoutRequestStatus.REQUESTED
    assert not PayoutBatch.objects.exists()
    back = client.post(detour["Location"], {"password": DEFAULT_PASSWORD})
    assert back["Location"] == approvals(manufacturer)
    done = client.post(approvals(manufacturer, "approve/"), {"request": [requested.pk]})
    assert done.status_code == 302
    requested.refresh_from_db()
    assert requested.status == PayoutRequestStatus.APPROVED


def test_an_approver_without_two_factor_is_sent_to_set_it_up(
    client_for, manufacturer, manager, requested
):
    response = client_for(manager).post(
        approvals(manufacturer, "approve/"), {"request": [requested.pk]}
    )

    assert response["Location"].startswith("/account/two-factor/?next=")
    assert not PayoutBatch.objects.exists()


def test_htmx_gets_a_redirect_it_follows_not_a_page_in_the_swap(
    client_for, manufacturer, manager, requested
):
    client = with_two_factor(client_for, manager)
    stale(client)

    response = client.post(
        approvals(manufacturer, "approve/"),
        {"request": [requested.pk]},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://testserver{approvals(manufacturer)}",
        },
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{CONFIRM}%2Fm%2Facme%2Fcommissions%2Fapprovals%2F"
    assert not PayoutBatch.objects.exists()


def test_a_stale_session_reads_the_batch_but_cannot_mark_it_paid(
    client_for, manufacturer, manager, owner, requested
):
    batch = payout_batch_approve(
        manufacturer=manufacturer, request_ids=[requested.pk], approved_by=owner
    )
    client = with_two_factor(client_for, manager)
    stale(client)
    url = f"/m/{manufacturer.slug}/commissions/batches/{batch.pk}/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"reference": "SEPA-1"})

    assert response["Location"].startswith(CONFIRM)
    assert PayoutRequest.objects.get(pk=requested.pk).status == PayoutRequestStatus.APPROVED


def test_payout_details_need_the_password_again_after_ten_minutes(
    client_for, partnership, reseller_user
):
    client = client_for(reseller_user)
    stale(client)
    reseller, slug = partnership.reseller.public_id, partnership.manufacturer.slug
    url = f"/r/{reseller}/m/{slug}/commissions/details/"

    changed = client.post(url, {"account_holder": "Soundhouse", "iban": "DE89370400440532013000"})
    assert changed["Location"].startswith(CONFIRM)
    assert not PayoutDetails.objects.exists()
    assert client.get(url)["Location"].startswith(CONFIRM)

    client.post(f"/account/confirm/?next={url}", {"password": DEFAULT_PASSWORD})
    assert client.get(url).status_code == 200
    saved = client.post(url, {"account_holder": "Soundhouse", "iban": "DE89370400440532013000"})
    assert saved.status_code == 302
    assert PayoutDetails.objects.filter(partnership=partnership).exists()


def test_another_tenant_still_answers_404_before_any_detour(
    client_for, manufacturer, other_manufacturer, manager
):
    client = with_two_factor(client_for, manager)
    stale(client)

    response = client.post(f"/m/{other_manufacturer.slug}/commissions/approvals/approve/")

    assert response.status_code == 404
