"""Share each demo manufacturer's customers between its two reps (~40% each, ~20% none).

Goes through salesreps.services.portfolio_assign, so guardian permissions and the
assignment history are exactly what the product would write. Idempotent: a customer that
already has (or once had) a rep is left alone.
"""

import random
from typing import TYPE_CHECKING

from accounts.models import Manufacturer, Role
from channel.models import Partnership
from salesreps.models import PortfolioAssignment
from salesreps.services import portfolio_assign, rep_permissions

if TYPE_CHECKING:
    from demo.channel import DemoReport


def assign_demo_portfolios(
    manufacturer: Manufacturer, *, report: "DemoReport | None" = None
) -> int:
    """Assign the manufacturer's not-yet-assigned customers; returns how many were assigned."""
    reps = [
        membership.user
        for membership in manufacturer.memberships.filter(role=Role.SELLER)
        .select_related("user")
        .order_by("user__email")
    ]
    if len(reps) < 2:
        return 0
    manager = manufacturer.memberships.filter(role=Role.MANAGER).select_related("user").first()
    touched = set(
        PortfolioAssignment.objects.filter(manufacturer=manufacturer).values_list(
            "partnership_id", flat=True
        )
    )
    rng = random.Random(f"portfolios-{manufacturer.slug}")  # noqa: S311 - demo data
    perms = rep_permissions()
    assigned = 0
    for partnership in Partnership.objects.filter(manufacturer=manufacturer).order_by("pk"):
        roll = rng.random()  # drawn for every customer, so the split is stable across runs
        if partnership.pk in touched or roll >= 0.8:
            continue
        portfolio_assign(
            manufacturer=manufacturer,
            partnership=partnership,
            rep=reps[0] if roll < 0.4 else reps[1],
            by=manager.user if manager else None,
            _perms=perms,
        )
        assigned += 1
    if report is not None and assigned:
        report.count("portfolio assignments", assigned)
    return assigned
