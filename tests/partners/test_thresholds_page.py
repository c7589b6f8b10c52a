"""The incident thresholds page: owners and managers set them per manufacturer, bounded;
bad input re-renders with its errors and writes nothing."""

from decimal import Decimal

import pytest

from partners.models import IncidentThresholds
from tests.accounts.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "max_cancellation_rate": "15",
    "min_address_accuracy": "85",
    "min_satisfaction": "3",
    "max_response_hours": "24",
    "min_orders": "4",
    "min_ratings": "2",
    "min_responses": "2",
}


def url(manufacturer):
    return f"/m/{manufacturer.slug}/partners/incidents/thresholds/"


def test_a_manager_sets_the_thresholds_of_their_tenant_only(
    client_for, manufacturer, other_manufacturer, manager
):
    client = client_for(manager)
    assert client.get(url(manufacturer)).status_code == 200

    response = client.post(url(manufacturer), GOOD)

    assert response.status_code == 302
    saved = IncidentThresholds.objects.get(manufacturer=manufacturer)
    assert (saved.max_cancellation_rate, saved.max_response_hours, saved.updated_by) == (
        Decimal("15.00"),
        24,
        manager,
    )
    assert not IncidentThresholds.objects.filter(manufacturer=other_manufacturer).exists()
    # Another tenant's manager reads its own defaults, not ours, and cannot post to ours.
    theirs = MembershipFactory(manufacturer=other_manufacturer, role="manager", user=UserFactory())
    other = client_for(theirs.user)
    assert other.get(url(other_manufacturer)).context["form"].initial["max_response_hours"] == 48
    assert other.post(url(manufacturer), {**GOOD, "max_response_hours": "1"}).status_code == 404
    assert IncidentThresholds.objects.get(manufacturer=manufacturer).max_response_hours == 24


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_cancellation_rate", "120"),
        ("min_address_accuracy", "-1"),
        ("min_satisfaction", "6"),
        ("max_response_hours", "0"),
        ("max_response_hours", "100000"),
        ("min_orders", "-3"),
        ("min_ratings", "abc"),
        ("min_responses", "1001"),
    ],
)
def test_impossible_thresholds_are_refused_and_nothing_is_written(
    client_for, manufacturer, manager, field, value
):
    response = client_for(manager).post(url(manufacturer), {**GOOD, field: value})

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not IncidentThresholds.objects.filter(manufacturer=manufacturer).exists()


def test_reps_resellers_and_anonymous_cannot_reach_it(
    client, client_for, manufacturer, seller, reseller_user
):
    assert client_for(seller).get(url(manufacturer)).status_code == 403
    assert client_for(seller).post(url(manufacturer), GOOD).status_code == 403
    assert client_for(reseller_user).get(url(manufacturer)).status_code == 404
    anonymous = client.post(url(manufacturer), GOOD)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert not IncidentThresholds.objects.filter(manufacturer=manufacturer).exists()
