"""Which customers (partnerships) a manufacturer member may see: the one rule every list uses.

Owners and managers see the whole tenant. A user whose only role is seller sees the
partnerships on which salesreps.services granted them django-guardian's `view_partnership`
object permission (the direct foreign-key table `channel.PartnershipUserObjectPermission`).
Lists filter by this join in the selector; nothing checks has_perm row by row.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.models import ManufacturerMembership
from channel.models import PartnershipUserObjectPermission

VIEW_PARTNERSHIP = "view_partnership"


class ViewerRequired(TypeError):
    """A selector of data a sales rep may see was called without saying who is looking.

    Fails closed: no viewer never means "see everything". Internal callers that need the
    whole tenant use the selectors named `dangerously_…`.
    """


def require_viewer(membership: ManufacturerMembership) -> None:
    """Refuse a read of rep-visible data that does not say who is looking."""
    if not isinstance(membership, ManufacturerMembership):
        raise ViewerRequired(
            f"Who is looking? Expected the viewer's ManufacturerMembership, got {membership!r}."
        )


def partnership_visibility_q(membership: ManufacturerMembership, *, prefix: str = "") -> Q:
    """A filter for a queryset whose rows reach a partnership through `prefix`.

    `prefix=""` for Partnership itself, `"partnership__"` for orders, and so on.
    """
    require_viewer(membership)
    if membership.is_staff_role:
        return Q()
    # On a partnership or a row with a partnership foreign key: a semi-join (EXISTS) on the
    # (user, partnership) index, which lets PostgreSQL walk the list's own index in order
    # and stop at the page's last row; a join on the permission table made it read and sort
    # the whole portfolio first. Reverse relations keep the join, so that the conditions of
    # one filter() call hit the same partnership.
    outer = {"": "pk", "partnership__": "partnership_id"}.get(prefix)
    if outer is not None:
        return Q(
            Exists(
                PartnershipUserObjectPermission.objects.filter(
                    content_object_id=OuterRef(outer),
                    user_id=membership.user_id,
                    permission__codename=VIEW_PARTNERSHIP,
                )
            )
        )
    return Q(
        **{
            f"{prefix}rep_permissions__user_id": membership.user_id,
            f"{prefix}rep_permissions__permission__codename": VIEW_PARTNERSHIP,
        }
    )
