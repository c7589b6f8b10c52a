"""`{% load salesreps %}{% rep_assignment_panel partnership %}`: the customer's current rep,
since when, and (for owners and managers) a choice of the tenant's reps to assign or
unassign, with a link to the history. The profile page includes it; the POST endpoints
in salesreps.views return the same panel to htmx.
"""

from django import template

from salesreps.selectors import current_assignment, sellers

register = template.Library()


def panel_context(request, partnership, *, error: str = "", next_url: str = "") -> dict:
    """Everything the panel shows; two queries (three for staff)."""
    membership = request.membership
    context = {
        "request": request,
        "partnership": partnership,
        "assignment": current_assignment(manufacturer=request.tenant, partnership=partnership),
        "can_assign": membership.is_staff_role,
        "error": error,
        "next_url": next_url or request.get_full_path(),
    }
    if membership.is_staff_role:
        context["sellers"] = list(sellers(manufacturer=request.tenant))
    return context


@register.inclusion_tag("salesreps/includes/assignment_panel.html", takes_context=True)
def rep_assignment_panel(context, partnership) -> dict:
    request = context["request"]
    panel = panel_context(request, partnership)
    panel["csrf_token"] = context.get("csrf_token")
    return panel
