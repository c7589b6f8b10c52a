"""The manual order form takes any number of lines up to core.bounds.MAX_ORDER_LINES: an
"Add a line" button adds one through htmx, or re-renders the form one line longer without
JavaScript."""

from core.bounds import MAX_ORDER_LINES
from orders.models import Order

HTMX = {"HTTP_HX_REQUEST": "true"}


def lines_data(world, count: int, *, filled: int | None = None, **extra) -> dict:
    data = {
        "partnership": world.a1.pk,
        "own_use": "on",
        "lines-TOTAL_FORMS": str(count),
        "lines-INITIAL_FORMS": "0",
        **extra,
    }
    for index in range(count if filled is None else filled):
        data[f"lines-{index}-sku"] = world.product.sku
        data[f"lines-{index}-quantity"] = "1"
    return data


def test_form_offers_an_add_a_line_button_with_htmx_and_a_plain_submit(world, login):
    page = login(world.rep_a).get(
        world.url("orders_manufacturer:create_manual"), {"partnership": world.a1.pk}
    )
    assert page.status_code == 200
    assert page.context["line_formset"].total_form_count() == 3
    assert 'name="add_line"' in page.text and 'hx-target="#line-rows"' in page.text


def test_htmx_add_a_line_returns_one_more_line_and_the_new_count(world, login):
    response = login(world.rep_a).get(
        world.url("orders_manufacturer:create_manual"),
        {"partnership": world.a1.pk, "add_line": "1", "lines-TOTAL_FORMS": "7"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'name="lines-7-sku"' in response.text and 'name="lines-6-sku"' not in response.text
    assert 'name="lines-TOTAL_FORMS" value="8"' in response.text
    assert "#add-line-slot" not in response.text  # the button stays: room for more


def test_htmx_the_last_line_allowed_removes_the_button(world, login):
    response = login(world.rep_a).get(
        world.url("orders_manufacturer:create_manual"),
        {"partnership": world.a1.pk, "add_line": "1", "lines-TOTAL_FORMS": MAX_ORDER_LINES - 1},
        **HTMX,
    )
    assert f'name="lines-{MAX_ORDER_LINES - 1}-sku"' in response.text
    assert 'hx-swap-oob="innerHTML:#add-line-slot"' in response.text
    assert "<html" not in response.text


def test_without_javascript_add_a_line_shows_the_form_again_one_line_longer(world, login):
    url = world.url("orders_manufacturer:create_manual")
    data = lines_data(world, 3, filled=2, add_line="1")
    data["lines-1-quantity"] = "4"
    response = login(world.rep_a).post(url, data)
    assert response.status_code == 200
    formset = response.context["line_formset"]
    assert formset.total_form_count() == 4
    assert [form["quantity"].value() for form in formset][:2] == ["1", "4"]
    assert response.context["recipient_form"]["own_use"].value() is True
    assert not Order.objects.filter(partnership=world.a1, is_manual=True).exists()


def test_an_order_of_many_lines_is_created(world, login):
    url = world.url("orders_manufacturer:create_manual")
    response = login(world.rep_a).post(url, lines_data(world, 40))
    assert response.status_code == 302
    order = Order.objects.get(partnership=world.a1, is_manual=True)
    assert sum(line.quantity for line in order.lines.all()) == 40


def test_more_lines_than_the_bound_are_refused_with_a_clear_error(world, login):
    url = world.url("orders_manufacturer:create_manual")
    response = login(world.rep_a).post(url, lines_data(world, MAX_ORDER_LINES + 1, filled=3))
    assert response.status_code == 400
    assert f"at most {MAX_ORDER_LINES} lines" in response.text
    assert not Order.objects.filter(partnership=world.a1, is_manual=True).exists()

    at_limit = login(world.rep_a).get(
        url,
        {"partnership": world.a1.pk, "add_line": "1", "lines-TOTAL_FORMS": MAX_ORDER_LINES},
        **HTMX,
    )
    assert at_limit.status_code == 200
    assert "lines-200-sku" not in at_limit.text
    assert f"at most {MAX_ORDER_LINES} lines" in at_limit.text

    full = login(world.rep_a).post(url, lines_data(world, MAX_ORDER_LINES, add_line="1"))
    assert full.status_code == 200
    assert full.context["line_formset"].total_form_count() == MAX_ORDER_LINES


def test_add_a_line_for_a_customer_one_may_not_order_for_is_404(world, login, client):
    url = world.url("orders_manufacturer:create_manual")
    for partnership in (world.b1, world.foreign):
        params = {"partnership": partnership.pk, "add_line": "1", "lines-TOTAL_FORMS": "3"}
        assert login(world.rep_a).get(url, params, **HTMX).status_code == 404
        assert (
            login(world.rep_a).post(url, {**params, "lines-INITIAL_FORMS": "0"}).status_code == 404
        )
    params = {"partnership": world.a1.pk, "add_line": "1", "lines-TOTAL_FORMS": "3"}
    assert login(world.reseller_user).get(url, params, **HTMX).status_code == 404
    assert login(world.other_manager).get(url, params, **HTMX).status_code == 404
    anonymous = client.get(url, params, **HTMX)
    # An htmx request of an expired session: 401 and the way back to log in (not the form).
    assert anonymous.status_code == 401 and "/login" in anonymous["X-Login-URL"]
