"""The sales-rep pages with absurd input: form errors or 404, never a 500 or a write."""

import pytest

from channel.models import Partnership
from tests.salesreps.test_views import customer_data

HUGE = "9" * 30  # past a 64-bit integer


def test_a_rep_creating_a_customer_with_huge_numbers_gets_form_errors(world, login):
    before = Partnership.objects.count()
    data = {**customer_data("Huge AG"), "postal_code": HUGE, "phone": HUGE * 2, "rep": HUGE}

    response = login(world.rep_a).post(world.url("salesreps_manufacturer:customer_new"), data)

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"postal_code", "phone"}
    assert Partnership.objects.count() == before


def test_staff_choosing_a_rep_by_a_huge_id_get_a_form_error(world, login):
    before = Partnership.objects.count()

    response = login(world.manager).post(
        world.url("salesreps_manufacturer:customer_new"), {**customer_data("Huge AG"), "rep": HUGE}
    )

    assert response.status_code == 400
    assert "rep" in response.context["form"].errors
    assert Partnership.objects.count() == before


JUNK_BACKS = ["admin:index", "orders_manufacturer:nope", "//evil.example/", "\x00", "../" * 50]


@pytest.mark.parametrize("who", ["manager", "rep_a"])
def test_no_sales_rep_page_follows_or_reverses_a_back_or_next_parameter(world, login, who):
    client = login(getattr(world, who))
    pages = [
        world.url("salesreps_manufacturer:overview"),
        world.url("salesreps_manufacturer:coverage"),
        world.url("salesreps_manufacturer:my_sales"),
        world.url("salesreps_manufacturer:customer_new"),
        world.url("salesreps_manufacturer:invite"),
        world.url("salesreps_manufacturer:rep_detail", user_id=world.rep_a.pk),
        world.url("salesreps_manufacturer:reassign", user_id=world.rep_a.pk),
        world.url("salesreps_manufacturer:history", partnership_id=world.a1.pk),
    ]
    for page in pages:
        for junk in JUNK_BACKS:
            response = client.get(page, {"back": junk, "next": junk})
            assert response.status_code in {200, 400, 403}, (page, junk)
            assert "evil.example" not in response.get("Location", "")

    assign = world.url("salesreps_manufacturer:assign", partnership_id=world.a1.pk)
    for junk in JUNK_BACKS:
        response = login(world.manager).post(
            assign, {"rep": world.rep_b.pk, "back": junk, "next": junk}
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/m/acme/"), junk
