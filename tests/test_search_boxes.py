"""A null byte or another control character in any search box is harmless on PostgreSQL.

PostgreSQL refuses a NUL in a text parameter, so a search read straight from `request.GET`
was a 500. Every list now reads its search through `core.listing.search_query` (or a form,
whose CharField refuses a NUL), and its CSV export reads the same search.
"""

import pytest
from django.test import Client

from core.listing import EXPORT_FAILED, clean_search
from tests.accounts.two_factor_helpers import login_as
from tests.form_walker_world import TenantWorld, build_world

HOSTILE = ["\x00", "Acme\x00Audio", "\x1b[2J\x7f", "\u202e" + "x" * 5000]


@pytest.fixture
def world(db) -> TenantWorld:
    return build_world("acme", "Acme Audio")


def login(user) -> Client:
    return login_as(Client(), user)


def search_pages(world: TenantWorld) -> list[tuple[str, object]]:
    m = f"/m/{world.manufacturer.slug}"
    r = f"/r/{world.reseller.public_id}"
    staff, reseller = world.owner, world.reseller_user
    return [
        (f"{m}/resellers/", staff),
        (f"{m}/orders/", staff),
        (f"{m}/catalog/", staff),
        (f"{m}/qualifications/", staff),
        (f"{m}/qualifications/{world.qualification_id}/", staff),
        (f"{m}/qualifications/requests/", staff),
        (f"{m}/communications/", staff),
        (f"{m}/salesreps/coverage/", staff),
        (f"{r}/m/{world.manufacturer.slug}/catalog/", reseller),
        (f"{r}/m/{world.manufacturer.slug}/catalog/categories/{world.category.pk}/", reseller),
        (f"{r}/customers/", reseller),
        (f"{r}/m/{world.manufacturer.slug}/orders/", reseller),
        (f"{r}/orders/", reseller),
    ]


@pytest.mark.parametrize("query", HOSTILE)
def test_every_search_box_takes_control_characters(world, query):
    for path, user in search_pages(world):
        client = login(user)

        page = client.get(path, {"q": query})
        export = client.get(path, {"q": query, "format": "csv"})

        assert page.status_code == 200, path
        assert export.status_code == 200, path
        if export.get("Content-Type", "").startswith("text/csv"):
            body = b"".join(export.streaming_content).decode("utf-8-sig")
            assert str(EXPORT_FAILED) not in body, path


def test_a_null_byte_in_a_search_still_finds_what_is_around_it(world):
    name = world.customer.name

    response = login(world.reseller_user).get(
        f"/r/{world.reseller.public_id}/customers/", {"q": "\x00" + name + "\x00"}
    )

    assert response.status_code == 200
    assert name in response.text


def test_clean_search():
    assert clean_search(" Acme\x00 Audio\t\n") == "Acme Audio"
    assert clean_search(None) == ""
    assert clean_search("x" * 500) == "x" * 200
