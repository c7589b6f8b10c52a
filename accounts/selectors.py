from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Manufacturer, ManufacturerMembership, Role


def team_members(*, manufacturer: Manufacturer) -> QuerySet[ManufacturerMembership]:
    return (
        ManufacturerMembership.objects.filter(manufacturer=manufacturer)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )


def access_member(*, manufacturer: Manufacturer, user_id: int) -> ManufacturerMembership:
    """The member of this tenant with that user id; any other id is a 404."""
    return get_object_or_404(team_members(manufacturer=manufacturer), user_id=user_id)


def role_counts(*, manufacturer: Manufacturer) -> dict[str, int]:
    counts = dict.fromkeys(Role.values, 0)
    rows = (
        ManufacturerMembership.objects.filter(manufacturer=manufacturer)
        .values("role")
        .annotate(n=Count("pk"))
    )
    counts.update({row["role"]: row["n"] for row in rows})
    return counts
