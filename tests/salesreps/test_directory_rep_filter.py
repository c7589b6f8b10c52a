"""Managers filter the reseller directory by sales rep; sellers never get that filter."""

from django.test import Client


def _names(response) -> set[str]:
    return {p.reseller.name for p in response.context["page_obj"]}


def test_manager_filters_the_directory_by_rep(world):
    client = Client()
    client.force_login(world.manager)
    url = world.url("resellers_manufacturer:directory")

    by_a = client.get(url, {"rep": world.rep_a.pk})
    by_b = client.get(url, {"rep": world.rep_b.pk})
    unassigned = client.get(url, {"rep": "none"})

    assert _names(by_a) == {"Alpha Sound One", "Alpha Sound Two"}
    assert _names(by_b) == {"Beta Hifi"}
    assert _names(unassigned) == {"Free Radio"}
    assert "Anna Alpha" in by_a.content.decode()


def test_rep_of_another_tenant_is_not_a_choice_and_leaks_nothing(world):
    client = Client()
    client.force_login(world.manager)

    response = client.get(
        world.url("resellers_manufacturer:directory"), {"rep": world.other_rep.pk}
    )

    assert "rep" in response.context["filter_form"].errors
    assert "Foreign Lamps" not in _names(response)
    assert _names(response) == {"Alpha Sound One", "Alpha Sound Two", "Beta Hifi", "Free Radio"}


def test_seller_has_no_rep_filter_and_cannot_use_it_to_widen_their_view(world):
    client = Client()
    client.force_login(world.rep_a)

    response = client.get(world.url("resellers_manufacturer:directory"), {"rep": world.rep_b.pk})

    assert "rep" not in response.context["filter_form"].fields
    assert _names(response) == {"Alpha Sound One", "Alpha Sound Two"}
