"""The manufacturer's pages and the profile section's actions."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Role
from catalog.models import Qualification
from channel.models import QualifyingStatus
from qualifications import services
from qualifications.models import (
    QualificationGrant,
    QualificationRequest,
    QualifyingStatusChange,
    RequestStatus,
)
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.qualifications.factories import QualificationFactory
from tests.resellers.factories import PartnershipFactory

SLUG = "acme"


def url(name: str, **kwargs) -> str:
    return reverse(
        f"qualifications_manufacturer:{name}", kwargs={"manufacturer_slug": SLUG, **kwargs}
    )


def held_codes(partnership) -> list[str]:
    return sorted(
        QualificationGrant.objects.filter(
            partnership=partnership, revoked_at__isnull=True
        ).values_list("qualification__code", flat=True)
    )


# --- the section's actions ------------------------------------------------------------------


def test_grant_by_code_with_htmx_returns_the_section(client_for, owner, partnership, qualification):
    response = client_for(owner).post(
        url("grant", public_id=partnership.reseller.public_id),
        {"code": "pro-av-certified", "reason": "Passed training"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="qualifications-section"' in body
    assert "PRO-AV-CERTIFIED" in body
    assert "qualificationGranted" in response["HX-Trigger"]
    assert held_codes(partnership) == ["PRO-AV-CERTIFIED"]
    grant = QualificationGrant.objects.get()
    assert (grant.granted_by, grant.grant_reason) == (owner, "Passed training")


def test_plain_grant_redirects_to_next_with_a_message(
    client_for, manager, partnership, qualification
):
    next_url = f"/m/{SLUG}/resellers/{partnership.reseller.public_id}/"
    response = client_for(manager).post(
        url("grant", public_id=partnership.reseller.public_id),
        {"code": "PRO-AV-CERTIFIED", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert held_codes(partnership) == ["PRO-AV-CERTIFIED"]


def test_next_outside_the_tenant_is_ignored(client_for, owner, partnership, qualification):
    response = client_for(owner).post(
        url("grant", public_id=partnership.reseller.public_id),
        {"code": "PRO-AV-CERTIFIED", "next": "https://evil.example/"},
    )
    assert response["Location"] == url("partnership", public_id=partnership.reseller.public_id)


@pytest.mark.parametrize("htmx", [True, False])
def test_unknown_code_is_a_clear_message_and_changes_nothing(
    client_for, owner, partnership, qualification, htmx
):
    client = client_for(owner)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        url("grant", public_id=partnership.reseller.public_id),
        {"code": "NOPE-123"},
        follow=not htmx,
        **headers,
    )
    assert response.status_code == 200
    assert "There is no qualification with the ID NOPE-123." in response.content.decode()
    assert not QualificationGrant.objects.exists()


def test_granting_twice_through_the_view(client_for, owner, partnership, qualification):
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    response = client_for(owner).post(
        url("grant", public_id=partnership.reseller.public_id),
        {"code": "PRO-AV-CERTIFIED"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "already holds PRO-AV-CERTIFIED" in response.content.decode()
    assert QualificationGrant.objects.count() == 1


def test_revoke_keeps_the_row_and_revoking_again_is_refused(
    client_for, owner, partnership, qualification
):
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    client = client_for(owner)
    revoke = url("revoke", public_id=partnership.reseller.public_id)
    response = client.post(
        revoke, {"code": "PRO-AV-CERTIFIED", "reason": "Certificate expired"}, follow=True
    )
    assert "PRO-AV-CERTIFIED revoked" in response.content.decode()
    grant = QualificationGrant.objects.get()
    assert grant.revoked_by == owner
    assert grant.revoke_reason == "Certificate expired"

    response = client.post(revoke, {"code": "PRO-AV-CERTIFIED"}, follow=True)
    assert "does not hold PRO-AV-CERTIFIED" in response.content.decode()
    assert QualificationGrant.objects.get().revoked_at == grant.revoked_at


def test_revoke_on_the_profile_asks_for_confirmation(client_for, owner, partnership, qualification):
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    body = client_for(owner).get(f"/m/{SLUG}/resellers/{partnership.reseller.public_id}/").text

    question = "Revoke PRO-AV-CERTIFIED from Soundhouse GmbH?"
    assert f'data-confirm="{question}' in body  # the plain form post
    assert f'hx-confirm="{question}' in body  # the htmx button
    assert 'name="code"' in body  # the Add field


def test_revoke_of_an_unknown_code(client_for, owner, partnership, qualification):
    response = client_for(owner).post(
        url("revoke", public_id=partnership.reseller.public_id),
        {"code": "NOPE"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "There is no qualification with the ID NOPE." in response["HX-Trigger"]


def test_qualifying_status_change(client_for, owner, partnership):
    client = client_for(owner)
    status_url = url("status", public_id=partnership.reseller.public_id)
    response = client.post(
        status_url, {"qualifying_status": "qualified", "reason": "OK"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'data-qualifying-status="qualified"' in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.qualifying_status == QualifyingStatus.QUALIFIED
    assert QualifyingStatusChange.objects.get().reason == "OK"

    response = client.post(status_url, {"qualifying_status": "bogus"}, follow=True)
    assert response.status_code == 200
    partnership.refresh_from_db()
    assert partnership.qualifying_status == QualifyingStatus.QUALIFIED
    assert QualifyingStatusChange.objects.count() == 1


# --- definitions ----------------------------------------------------------------------------


def test_create_and_edit_a_definition(client_for, owner, manufacturer):
    client = client_for(owner)
    response = client.post(
        url("create"),
        {"code": "install-pro", "name": "Installer", "description": "", "is_default": "on"},
    )
    created = Qualification.objects.get(manufacturer=manufacturer)
    assert response.status_code == 302
    assert (created.code, created.is_default) == ("INSTALL-PRO", True)

    response = client.post(url("create"), {"code": "INSTALL-PRO", "name": "Again"})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    response = client.post(url("create"), {"code": "bad code!", "name": "Bad"})
    assert response.status_code == 400
    assert Qualification.objects.count() == 1

    response = client.post(
        url("edit", qualification_id=created.pk),
        {"code": "CHANGED", "name": "Installer pro", "description": "Trained"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.code, created.name, created.is_default) == (
        "INSTALL-PRO",
        "Installer pro",
        False,
    )


def test_list_and_detail_show_who_holds_it(client_for, owner, partnership, qualification):
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    services.qualification_revoke(
        partnership=partnership, qualification=qualification, revoked_by=owner, reason="Gone"
    )
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    client = client_for(owner)
    body = client.get(url("list")).content.decode()
    assert "PRO-AV-CERTIFIED" in body and "Soundhouse GmbH" in body
    body = client.get(url("detail", qualification_id=qualification.pk)).content.decode()
    assert "Soundhouse GmbH" in body
    body = client.get(
        url("detail", qualification_id=qualification.pk), {"tab": "history"}
    ).content.decode()
    assert "Gone" in body
    csv = client.get(url("list"), {"format": "csv"})
    assert b"PRO-AV-CERTIFIED" in b"".join(csv.streaming_content)
    body = client.get(url("partnership", public_id=partnership.reseller.public_id)).content
    assert b"Gone" in body


def test_list_search(client_for, owner, manufacturer, qualification):
    QualificationFactory(manufacturer=manufacturer, code="SERVICE-PARTNER", name="Service")
    body = client_for(owner).get(url("list"), {"q": "service"}).content.decode()
    assert "SERVICE-PARTNER" in body and "PRO-AV-CERTIFIED" not in body


# --- requests -------------------------------------------------------------------------------


def test_requests_page_grant_and_decline(
    client_for, owner, partnership, qualification, manufacturer
):
    reseller_user = ResellerUserFactory(reseller=partnership.reseller).user
    second = QualificationFactory(manufacturer=manufacturer, code="SECOND")
    first_request = services.qualification_request_create(
        partnership=partnership, qualification=qualification, requested_by=reseller_user
    )
    second_request = services.qualification_request_create(
        partnership=partnership, qualification=second, requested_by=reseller_user
    )
    client = client_for(owner)
    body = client.get(url("requests")).content.decode()
    assert "PRO-AV-CERTIFIED" in body and "SECOND" in body

    response = client.post(url("request_grant", request_id=first_request.pk))
    assert response.status_code == 302
    assert held_codes(partnership) == ["PRO-AV-CERTIFIED"]

    response = client.post(url("request_decline", request_id=second_request.pk), {"reason": ""})
    second_request.refresh_from_db()
    assert second_request.status == RequestStatus.OPEN
    response = client.post(
        url("request_decline", request_id=second_request.pk), {"reason": "No training"}
    )
    second_request.refresh_from_db()
    assert (second_request.status, second_request.decline_reason) == (
        RequestStatus.DECLINED,
        "No training",
    )
    # Answering twice: a message, no change.
    response = client.post(url("request_grant", request_id=second_request.pk), follow=True)
    assert "already answered" in response.content.decode()
    assert held_codes(partnership) == ["PRO-AV-CERTIFIED"]


# --- access ---------------------------------------------------------------------------------


@pytest.fixture
def every_url(partnership, qualification, reseller_user):
    request = services.qualification_request_create(
        partnership=partnership, qualification=qualification, requested_by=reseller_user
    )
    public_id = partnership.reseller.public_id
    gets = [
        url("list"),
        url("create"),
        url("detail", qualification_id=qualification.pk),
        url("edit", qualification_id=qualification.pk),
        url("requests"),
        url("partnership", public_id=public_id),
    ]
    posts = [
        url("grant", public_id=public_id),
        url("revoke", public_id=public_id),
        url("status", public_id=public_id),
        url("request_grant", request_id=request.pk),
        url("request_decline", request_id=request.pk),
    ]
    return gets, posts


def _state():
    return (
        QualificationGrant.objects.count(),
        QualificationRequest.objects.filter(status="open").count(),
        QualifyingStatusChange.objects.count(),
        Qualification.objects.count(),
    )


def test_another_tenants_staff_get_404_everywhere(client_for, other_staff, every_url):
    gets, posts = every_url
    client = client_for(other_staff)
    before = _state()
    for path in gets:
        assert client.get(path).status_code == 404, path
    for path in posts:
        response = client.post(
            path, {"code": "PRO-AV-CERTIFIED", "qualifying_status": "qualified", "reason": "x"}
        )
        assert response.status_code == 404, path
    assert _state() == before


def test_a_reseller_user_gets_404_and_anonymous_is_sent_to_login(
    client, client_for, reseller_user, every_url
):
    gets, posts = every_url
    reseller_client = client_for(reseller_user)
    for path in gets + posts:
        assert reseller_client.get(path).status_code == 404, path
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response["Location"], path
    for path in posts:
        assert reseller_client.post(path, {"code": "PRO-AV-CERTIFIED"}).status_code == 404
        assert client.post(path, {"code": "PRO-AV-CERTIFIED"}).status_code == 302
    assert not QualificationGrant.objects.exists()


def test_a_seller_reads_but_cannot_change(client_for, assigned_seller, every_url, partnership):
    gets, posts = every_url
    client = client_for(assigned_seller)
    assert client.get(url("list")).status_code == 200
    assert client.get(gets[2]).status_code == 200
    assert (
        client.get(url("partnership", public_id=partnership.reseller.public_id)).status_code == 200
    )
    for path in [url("create"), gets[3], url("requests")]:
        assert client.get(path).status_code == 403, path
    before = _state()
    for path in posts:
        response = client.post(
            path, {"code": "PRO-AV-CERTIFIED", "qualifying_status": "qualified", "reason": "x"}
        )
        assert response.status_code == 403, path
    assert _state() == before


def test_a_seller_sees_only_holders_in_their_portfolio(
    client_for, assigned_seller, owner, partnership, other_partnership, qualification
):
    for p in (partnership, other_partnership):
        services.qualification_grant(partnership=p, qualification=qualification, granted_by=owner)
    client = client_for(assigned_seller)
    body = client.get(url("detail", qualification_id=qualification.pk)).content.decode()
    assert "Soundhouse GmbH" in body and "Other" not in body
    body = client.get(url("list")).content.decode()
    assert "Other" not in body
    # Outside the portfolio: the same 404 as a missing reseller.
    assert (
        client.get(url("partnership", public_id=other_partnership.reseller.public_id)).status_code
        == 404
    )
    assert client.get(url("partnership", public_id="ZZZZZZZ")).status_code == 404
    # The owner sees both.
    body = client_for(owner).get(url("detail", qualification_id=qualification.pk)).content
    assert b"Other" in body


def test_foreign_ids_get_404(client_for, owner, other_manufacturer, qualification):
    foreign_qualification = QualificationFactory(manufacturer=other_manufacturer, code="X-1")
    foreign_partnership = PartnershipFactory(
        manufacturer=other_manufacturer, reseller=ResellerFactory()
    )
    client = client_for(owner)
    assert client.get(url("detail", qualification_id=foreign_qualification.pk)).status_code == 404
    assert client.get(url("detail", qualification_id=999999)).status_code == 404
    public_id = foreign_partnership.reseller.public_id
    assert client.get(url("partnership", public_id=public_id)).status_code == 404
    assert client.post(url("grant", public_id=public_id), {"code": "X-1"}).status_code == 404
    assert not QualificationGrant.objects.exists()


# --- query budgets --------------------------------------------------------------------------


def test_list_query_budget_does_not_grow_with_holders(
    client_for, owner, manufacturer, django_assert_max_num_queries
):
    qualifications = [
        QualificationFactory(manufacturer=manufacturer, code=f"Q-{n}") for n in range(8)
    ]
    for n in range(30):
        partnership = PartnershipFactory(
            manufacturer=manufacturer, reseller=ResellerFactory(name=f"Holder {n:02d}")
        )
        for qualification in qualifications[: 1 + n % 8]:
            services.qualification_grant(
                partnership=partnership, qualification=qualification, granted_by=owner
            )
    client = client_for(owner)
    # session, user, membership, open requests, count, rows, holder preview, categories,
    # plus the shell (navigation, notifications).
    with django_assert_max_num_queries(12):
        response = client.get(url("list"))
    assert response.status_code == 200
    # five names per row at most: 7 rows of 5, and Q-7 with its 3 holders
    assert response.content.decode().count("Holder ") == 7 * 5 + 3
    with django_assert_max_num_queries(12):
        client.get(url("detail", qualification_id=qualifications[0].pk))
    with django_assert_max_num_queries(12):
        client.get(url("detail", qualification_id=qualifications[0].pk), {"tab": "history"})


def test_profile_section_query_budget(
    owner, manufacturer, partnership, django_assert_max_num_queries
):
    for n in range(12):
        qualification = QualificationFactory(manufacturer=manufacturer, code=f"S-{n}")
        services.qualification_grant(
            partnership=partnership, qualification=qualification, granted_by=owner
        )
    request = RequestFactory().get(f"/m/{SLUG}/resellers/{partnership.reseller.public_id}/")
    request.user = owner
    request.tenant = manufacturer
    request.membership = owner.manufacturer_memberships.get()
    request.htmx = False
    template = Template("{% load qualifications %}{% reseller_qualifications partnership %}")
    # held grants (with qualification and granter), open request count, ID suggestions
    with django_assert_max_num_queries(3):
        html = template.render(Context({"request": request, "partnership": partnership}))
    assert html.count("Revoke") >= 12
    assert "S-11" in html


def test_profile_section_for_a_seller_is_read_only(
    manufacturer, partnership, assigned_seller, qualification, owner
):
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    request = RequestFactory().get("/")
    request.user = assigned_seller
    request.tenant = manufacturer
    request.membership = assigned_seller.manufacturer_memberships.get()
    assert request.membership.role == Role.SELLER
    html = Template("{% load qualifications %}{% reseller_qualifications partnership %}").render(
        Context({"request": request, "partnership": partnership})
    )
    assert "PRO-AV-CERTIFIED" in html
    assert "Revoke" not in html and 'name="code"' not in html
