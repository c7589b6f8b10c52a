"""Reassigning a rep's customers is for owners and managers: a seller's GET (the preview) and
POST (the move) are refused with 403, for their own portfolio and for another rep's, and
nothing moves. Another tenant's rep gets 404, as for any page of a tenant they are not in."""

import pytest

from channel.models import PartnershipUserObjectPermission
from salesreps.models import PortfolioAssignment
from salesreps.selectors import partnerships_of_rep


def _state():
    return (
        sorted(PortfolioAssignment.objects.values_list("pk", "rep_id", "ended_at")),
        sorted(PartnershipUserObjectPermission.objects.values_list("user_id", "content_object_id")),
    )


def _portfolio(world, rep) -> set[str]:
    return {p.reseller.name for p in partnerships_of_rep(manufacturer=world.tenant, rep=rep)}


@pytest.mark.parametrize("whose", ["own", "other rep's"])
def test_a_seller_can_neither_preview_nor_move_a_reassignment(world, login, whose):
    from_rep, to_rep = (world.rep_a, world.rep_b) if whose == "own" else (world.rep_b, world.rep_a)
    url = world.url("salesreps_manufacturer:reassign", user_id=from_rep.pk)
    seller = login(world.rep_a)
    before = _state()

    preview = seller.get(url, {"to_rep": to_rep.pk})
    assert preview.status_code == 403
    assert "Beta Hifi" not in preview.content.decode()  # B's customer is not listed

    for data in ({"to_rep": to_rep.pk}, {"to_rep": ""}, {"to_rep": to_rep.pk, "customers": []}):
        assert seller.post(url, data).status_code == 403

    assert _state() == before
    assert _portfolio(world, world.rep_a) == {"Alpha Sound One", "Alpha Sound Two"}
    assert _portfolio(world, world.rep_b) == {"Beta Hifi"}


def test_another_tenants_rep_gets_404_and_nothing_moves(world, login):
    url = world.url("salesreps_manufacturer:reassign", user_id=world.rep_a.pk)
    outsider = login(world.other_rep)
    before = _state()
    assert outsider.get(url, {"to_rep": world.rep_b.pk}).status_code == 404
    assert outsider.post(url, {"to_rep": world.rep_b.pk}).status_code == 404
    assert _state() == before


def test_a_manager_may_do_what_the_seller_may_not(world, login):
    """The same requests from a manager move the customers: the 403 above is the rule."""
    url = world.url("salesreps_manufacturer:reassign", user_id=world.rep_a.pk)
    manager = login(world.manager)
    assert manager.get(url, {"to_rep": world.rep_b.pk}).status_code == 200
    assert manager.post(url, {"to_rep": world.rep_b.pk}).status_code == 302
    assert _portfolio(world, world.rep_a) == set()
    assert _portfolio(world, world.rep_b) == {"Alpha Sound One", "Alpha Sound Two", "Beta Hifi"}
