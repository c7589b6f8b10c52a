"""The guard behind every journey: a page that loads without an axe run fails its test."""

import pytest

from tests.browser.visitor import AxeViolation

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_page_loaded_behind_the_visitors_back_is_reported_as_unchecked(visit):
    visitor = visit()
    visitor.page.goto("/login/")  # the raw page: no axe run

    assert visitor.unchecked() == [visitor.page.url]

    visitor.check()
    assert visitor.unchecked() == []


def test_a_serious_violation_fails_the_check(visit):
    visitor = visit()
    visitor.goto("/login/")
    # An image without alternative text is a critical violation.
    visitor.page.evaluate(
        "document.querySelector('main, body').insertAdjacentHTML('beforeend', "
        "'<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">')"
    )

    with pytest.raises(AxeViolation, match="image-alt"):
        visitor.check()
