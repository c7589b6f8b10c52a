"""The reseller's qualifications page and requests."""

from django.urls import reverse

from qualifications import services
from qualifications.models import QualificationRequest
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.qualifications.factories import QualificationFactory
from tests.resellers.factories import PartnershipFactory


def rurl(partnership) -> str:
    return reverse(
        "qualifications_reseller:list",
        kwargs={
            "reseller_public_id": partnership.reseller.public_id,
            "manufacturer_slug": partnership.manufacturer.slug,
        },
    )


def test_the_page_shows_held_catalogue_and_unlocked_categories(
    client_for, reseller_user, partnership, qualification, restricted_category, owner
):
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    body = client_for(reseller_user).get(rurl(partnership)).content.decode()
    assert "PRO-AV-CERTIFIED" in body
    assert "Pro AV" in body  # the category it unlocks
    assert "Held" in body


def test_request_and_duplicate(client_for, reseller_user, partnership, qualification, manufacturer):
    other = QualificationFactory(manufacturer=manufacturer, code="OTHER")
    client = client_for(reseller_user)
    response = client.post(
        rurl(partnership), {"qualification": qualification.pk, "message": "Please"}
    )
    assert response.status_code == 302
    request = QualificationRequest.objects.get()
    assert (request.requested_by, request.message, request.status) == (
        reseller_user,
        "Please",
        "open",
    )
    response = client.post(rurl(partnership), {"qualification": qualification.pk})
    assert response.status_code == 400
    assert "You already have an open request for PRO-AV-CERTIFIED." in response.content.decode()
    assert QualificationRequest.objects.count() == 1
    body = client.get(rurl(partnership)).content.decode()
    assert "Requested" in body
    assert client.post(rurl(partnership), {"qualification": other.pk}).status_code == 302


def test_a_foreign_qualification_cannot_be_requested(
    client_for, reseller_user, partnership, other_manufacturer
):
    foreign = QualificationFactory(manufacturer=other_manufacturer, code="FOREIGN")
    response = client_for(reseller_user).post(rurl(partnership), {"qualification": foreign.pk})
    assert response.status_code == 400
    assert not QualificationRequest.objects.exists()


def test_access(client, client_for, partnership, owner, qualification, manufacturer):
    stranger = ResellerUserFactory(reseller=ResellerFactory()).user
    assert client_for(stranger).get(rurl(partnership)).status_code == 404
    assert (
        client_for(stranger)
        .post(rurl(partnership), {"qualification": qualification.pk})
        .status_code
        == 404
    )
    # A manufacturer's staff is not a reseller user.
    assert client_for(owner).get(rurl(partnership)).status_code == 404
    response = client.get(rurl(partnership))
    assert response.status_code == 302 and "/login" in response["Location"]
    # A reseller without a partnership with this manufacturer.
    unpartnered = ResellerUserFactory(reseller=ResellerFactory())
    fake = PartnershipFactory.build(manufacturer=manufacturer, reseller=unpartnered.reseller)
    assert client_for(unpartnered.user).get(rurl(fake)).status_code == 404
    assert not QualificationRequest.objects.exists()


def test_reseller_page_query_budget(
    client_for, reseller_user, partnership, manufacturer, owner, django_assert_max_num_queries
):
    from tests.catalog.factories import CategoryFactory

    for n in range(15):
        qualification = QualificationFactory(manufacturer=manufacturer, code=f"R-{n}")
        CategoryFactory(manufacturer=manufacturer, required_qualification=qualification)
        if n % 2:
            services.qualification_grant(
                partnership=partnership, qualification=qualification, granted_by=owner
            )
    client = client_for(reseller_user)
    with django_assert_max_num_queries(14):
        response = client.get(rurl(partnership))
    assert response.content.decode().count("R-1") >= 6
