"""The orders filter's reseller field: a text field with an autocomplete, not a <select> of
every reseller (thousands of options at scale), scoped like every other read."""

import pytest

from accounts.models import Role
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerFactory
from tests.orders.factories import make_order
from tests.resellers.factories import PartnershipFactory


def options_url(manufacturer):
    return f"/m/{manufacturer.slug}/orders/resellers/"


@pytest.fixture
def shops(manufacturer, other_manufacturer):
    mine = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Hifi Haus"))
    theirs = PartnershipFactory(
        manufacturer=manufacturer, reseller=ResellerFactory(name="Hifi Hütte")
    )
    foreign = PartnershipFactory(
        manufacturer=other_manufacturer, reseller=ResellerFactory(name="Hifi Hafen")
    )
    return mine, theirs, foreign


def test_the_options_are_the_visible_resellers_matching_what_was_typed(
    client_for, manager, manufacturer, shops
):
    mine, theirs, _foreign = shops

    body = client_for(manager).get(options_url(manufacturer), {"reseller": "hifi"}).text

    assert f'<option value="{mine.reseller.public_id}">Hifi Haus</option>' in body
    assert "Hifi Hütte" in body
    assert "Hifi Hafen" not in body  # another tenant's
    by_id = client_for(manager).get(
        options_url(manufacturer), {"reseller": theirs.reseller.public_id[:4]}
    )
    assert theirs.reseller.public_id in by_id.text


def test_a_rep_is_offered_only_their_portfolio(client_for, make_member, manufacturer, shops):
    mine, _theirs, _ = shops
    rep = make_member(manufacturer, Role.SELLER)
    portfolio_assign(manufacturer=manufacturer, partnership=mine, rep=rep, by=None)

    body = client_for(rep).get(options_url(manufacturer), {"reseller": "hifi"}).text

    assert "Hifi Haus" in body and "Hifi Hütte" not in body


def test_nothing_typed_offers_nothing_and_strangers_get_nothing(
    client, client_for, manager, manufacturer, other_manufacturer, shops, make_member
):
    assert client_for(manager).get(options_url(manufacturer)).text == ""
    assert client.get(options_url(manufacturer), {"reseller": "hifi"}).status_code == 302
    stranger = make_member(other_manufacturer, Role.MANAGER)
    assert (
        client_for(stranger).get(options_url(manufacturer), {"reseller": "hifi"}).status_code == 404
    )


def test_the_list_filters_by_the_typed_reseller_id_and_lists_no_options(
    client_for, manager, manufacturer, shops, products
):
    mine, theirs, _foreign = shops
    wanted = make_order(mine, products[:1])
    other = make_order(theirs, products[:1])
    client = client_for(manager)

    response = client.get(
        f"/m/{manufacturer.slug}/orders/", {"reseller": mine.reseller.public_id.lower()}
    )

    numbers = {order.number for order in response.context["page_obj"]}
    assert numbers == {wanted.number}
    assert other.number not in response.text
    assert "<option" not in response.text.split('name="reseller"')[1].split("</datalist>")[0]
    assert 'hx-get="/m/' in response.text  # the autocomplete, for browsers with htmx


def test_an_unknown_or_foreign_reseller_id_is_a_form_error_not_a_filter(
    client_for, manager, manufacturer, shops, products
):
    mine, _theirs, foreign = shops
    make_order(mine, products[:1])

    for typed in ("ZZZZZZZ", foreign.reseller.public_id, "\x00"):
        response = client_for(manager).get(f"/m/{manufacturer.slug}/orders/", {"reseller": typed})
        assert response.status_code == 200
        assert response.context["form"].errors.get("reseller")
