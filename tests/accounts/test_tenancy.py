"""Tenant isolation: another tenant's pages and objects answer 404, like missing ones."""

import re

import pytest
from django_scopes import ScopeError, scope

from accounts.models import Role
from channel.models import Partnership
from tests.accounts.factories import ResellerUserFactory
from tests.resellers.factories import PartnershipFactory


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def without_csrf_token(response) -> str:
    """The page without its CSRF tokens, which are masked differently on every render."""
    text = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def assert_friendly_404(response) -> None:
    assert response.status_code == 404
    assert "errors/404.html" in template_names(response)


def test_manager_sees_own_dashboard_and_team(client_for, manager, manufacturer):
    client = client_for(manager)

    dashboard = client.get(f"/m/{manufacturer.slug}/")
    team = client.get(f"/m/{manufacturer.slug}/team/")

    assert dashboard.status_code == 200
    assert dashboard.context["request"].tenant == manufacturer
    assert team.status_code == 200
    assert manager.email in team.text


@pytest.mark.parametrize("path", ["/m/{slug}/", "/m/{slug}/team/"])
def test_other_manufacturer_pages_are_404(client_for, manager, other_manufacturer, path):
    response = client_for(manager).get(path.format(slug=other_manufacturer.slug))

    assert_friendly_404(response)


@pytest.mark.parametrize("path", ["/m/no-such-maker/", "/m/bad.slug!/", "/m/bad.slug!/team/"])
def test_unknown_or_malformed_slug_is_404(client_for, manager, path):
    assert_friendly_404(client_for(manager).get(path))


def test_team_member_of_other_tenant_is_404_like_missing_id(
    client_for, manager, manufacturer, other_manufacturer, make_member
):
    stranger = make_member(other_manufacturer, Role.SELLER)
    colleague = make_member(manufacturer, Role.SELLER)
    client = client_for(manager)

    own = client.get(f"/m/{manufacturer.slug}/team/{colleague.pk}/")
    foreign = client.get(f"/m/{manufacturer.slug}/team/{stranger.pk}/")
    missing = client.get(f"/m/{manufacturer.slug}/team/999999/")

    assert own.status_code == 200
    assert colleague.email in own.text
    assert_friendly_404(foreign)
    assert_friendly_404(missing)
    assert stranger.email not in foreign.text
    # The page names its own address (the language menu returns to it); nothing else differs.
    assert without_csrf_token(foreign).replace(f"/team/{stranger.pk}/", "/team/ID/") == (
        without_csrf_token(missing).replace("/team/999999/", "/team/ID/")
    )


@pytest.mark.parametrize("path", ["/m/{slug}/", "/m/{slug}/team/"])
def test_anonymous_is_sent_to_login(client, manufacturer, path):
    url = path.format(slug=manufacturer.slug)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert url in response["Location"].replace("%2F", "/")


def test_seller_gets_403_on_team_page(client_for, seller, manufacturer):
    response = client_for(seller).get(f"/m/{manufacturer.slug}/team/")

    assert response.status_code == 403
    assert "errors/403.html" in template_names(response)


def test_seller_sees_fewer_nav_entries_than_manager(client_for, seller, manager, manufacturer):
    seller_nav = client_for(seller).get(f"/m/{manufacturer.slug}/").context["nav_items"]
    manager_nav = client_for(manager).get(f"/m/{manufacturer.slug}/").context["nav_items"]

    seller_urls = {item["url"] for item in seller_nav}
    manager_urls = {item["url"] for item in manager_nav}
    assert len(seller_urls) < len(manager_urls)
    assert f"/m/{manufacturer.slug}/team/" not in seller_urls


def test_reseller_user_cannot_open_manufacturer_portal(client_for, manufacturer):
    membership = ResellerUserFactory()
    PartnershipFactory(manufacturer=manufacturer, reseller=membership.reseller)

    response = client_for(membership.user).get(f"/m/{manufacturer.slug}/")

    assert_friendly_404(response)


def test_reseller_user_sees_own_dashboard_but_not_another_resellers(client_for, manufacturer):
    mine = ResellerUserFactory()
    theirs = ResellerUserFactory()
    PartnershipFactory(manufacturer=manufacturer, reseller=mine.reseller)
    client = client_for(mine.user)

    own = client.get(f"/r/{mine.reseller.public_id}/")
    other = client.get(f"/r/{theirs.reseller.public_id}/")
    missing = client.get("/r/ZZZZZZZ/")

    assert own.status_code == 200
    assert manufacturer.name in own.text
    assert_friendly_404(other)
    assert_friendly_404(missing)
    assert theirs.reseller.name not in other.text


def test_manufacturer_staff_cannot_open_reseller_dashboard(client_for, manager, manufacturer):
    partner = PartnershipFactory(manufacturer=manufacturer).reseller

    assert_friendly_404(client_for(manager).get(f"/r/{partner.public_id}/"))


def test_scoped_query_without_tenant_fails_closed(manufacturer):
    PartnershipFactory(manufacturer=manufacturer)

    with scope(), pytest.raises(ScopeError):
        list(Partnership.objects.all())
    with scope(), pytest.raises(ScopeError):
        Partnership.objects.filter(manufacturer=manufacturer).count()


def test_scoped_query_never_returns_other_tenants_rows(manufacturer, other_manufacturer):
    mine = {PartnershipFactory(manufacturer=manufacturer).pk for _ in range(3)}
    theirs = PartnershipFactory(manufacturer=other_manufacturer)

    with scope(manufacturer=manufacturer):
        seen = set(Partnership.objects.values_list("pk", flat=True))
        by_id = Partnership.objects.filter(pk=theirs.pk).exists()

    assert seen == mine
    assert not by_id
