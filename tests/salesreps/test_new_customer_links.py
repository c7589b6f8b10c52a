"""'New customer' is on the customer lists (the directory, a rep's portfolio, coverage), not
only on "My sales"; the page behind it stays out of reach of outsiders."""

from django.urls import reverse


def new_customer_path(world) -> str:
    return reverse(
        "salesreps_manufacturer:customer_new", kwargs={"manufacturer_slug": world.tenant.slug}
    )


def test_directory_offers_new_customer_to_reps_and_staff(world, login):
    url = world.url("resellers_manufacturer:directory")
    for user in (world.rep_a, world.rep_b, world.manager, world.owner):
        page = login(user).get(url)
        assert page.status_code == 200
        assert f'href="{new_customer_path(world)}"' in page.text, user


def test_a_reps_portfolio_page_proposes_that_rep_for_the_new_customer(world, login):
    manager = login(world.manager)
    page = manager.get(world.url("salesreps_manufacturer:rep_detail", user_id=world.rep_a.pk))
    link = f"{new_customer_path(world)}?rep={world.rep_a.pk}"
    assert f'href="{link}"' in page.text
    form = manager.get(link).context["form"]
    assert form["rep"].value() == world.rep_a.pk
    # Another tenant's rep is not proposed.
    assert (
        manager.get(f"{new_customer_path(world)}?rep={world.other_rep.pk}")
        .context["form"]["rep"]
        .value()
        is None
    )


def test_coverage_offers_new_customer(world, login):
    page = login(world.manager).get(world.url("salesreps_manufacturer:coverage"))
    assert f'href="{new_customer_path(world)}"' in page.text


def test_new_customer_page_is_out_of_reach_of_outsiders(world, login, client):
    path = new_customer_path(world)
    assert login(world.other_manager).get(path).status_code == 404
    assert login(world.reseller_user).get(path).status_code == 404
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
