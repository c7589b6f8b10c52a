"""The partner benchmark runs (at a small size here) and leaves nothing behind."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from accounts.models import Manufacturer
from orders.models import Order

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


def test_the_partner_benchmark_prints_its_figures_and_rolls_back():
    out = StringIO()
    call_command("benchmark_pages", "--partners", "40", "--orders", "3000", stdout=out)

    text = out.getvalue()
    assert "Partners: 40 partners, 3,000 orders" in text
    assert "Scorecards, 12 months:" in text and "Tier evaluation:" in text
    assert "Evaluation of 40 partners:" in text
    with scopes_disabled():
        assert not Manufacturer.objects.filter(slug="partner-bench").exists()
        assert not Order.objects.exists()
