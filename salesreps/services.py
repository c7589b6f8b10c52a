"""Writes for sales-rep portfolios. `portfolio_assign` is the ONE place that assigns,
reassigns or unassigns a rep, and the only code that grants or withdraws the rep's
django-guardian object permissions on the partnership (same transaction, row lock).
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership, Role, User
from accounts.services import membership_add, user_create
from channel.models import Partnership, PartnershipUserObjectPermission
from channel.services import partnership_update_conditions, reseller_onboard
from channel.visibility import VIEW_PARTNERSHIP
from core.exceptions import DomainRefused
from notifications.services import email_enqueue
from salesreps.models import PortfolioAssignment, RepInvitation

CHANGE_PARTNERSHIP = "change_partnership"
REP_PERMISSIONS = (VIEW_PARTNERSHIP, CHANGE_PARTNERSHIP)


class AssignmentRefused(DomainRefused):
    """The assignment breaks a rule; the message is user-facing and nothing was changed."""


class InvitationRefused(DomainRefused):
    """The invitation cannot be sent; the message is user-facing."""


def rep_permissions() -> list[Permission]:
    """guardian's view/change permissions on channel.Partnership (one query)."""
    return list(
        Permission.objects.filter(
            content_type__app_label="channel",
            content_type__model="partnership",
            codename__in=REP_PERMISSIONS,
        )
    )


def _check_rep(*, manufacturer: Manufacturer, rep: User) -> None:
    is_seller = ManufacturerMembership.objects.filter(
        manufacturer=manufacturer, user=rep, role=Role.SELLER
    ).exists()
    if not is_seller:
        raise AssignmentRefused(
            _("%(name)s is not a sales rep of %(manufacturer)s; nothing was changed.")
            % {"name": rep.display_name, "manufacturer": manufacturer.name}
        )


def _sync_permissions(*, partnership: Partnership, rep: User | None, perms: list) -> None:
    """Make the partnership's rep permissions exactly {rep: view + change} (or none)."""
    stale = PartnershipUserObjectPermission.objects.filter(
        content_object=partnership, permission__in=perms
    )
    if rep is not None:
        stale = stale.exclude(user=rep)
    stale.delete()
    if rep is None:
        return
    held = set(
        PartnershipUserObjectPermission.objects.filter(
            content_object=partnership, user=rep, permission__in=perms
        ).values_list("permission_id", flat=True)
    )
    PartnershipUserObjectPermission.objects.bulk_create(
        PartnershipUserObjectPermission(content_object=partnership, user=rep, permission=perm)
        for perm in perms
        if perm.pk not in held
    )


@transaction.atomic
def portfolio_assign(
    *,
    manufacturer: Manufacturer,
    partnership: Partnership,
    rep: User | None,
    by: User | None,
    _perms: list[Permission] | None = None,
) -> PortfolioAssignment | None:
    """Give the customer to `rep` (None unassigns); returns the current assignment.

    Closes the open assignment (history keeps who, from, to, by whom), withdraws the old
    rep's guardian permissions and grants the new rep view_partnership + change_partnership,
    all in one transaction with the partnership row locked. Assigning the current rep again
    changes nothing. A rep of another tenant, a member who is not a seller or a customer of
    another tenant is refused with AssignmentRefused before anything is written.
    """
    if partnership.manufacturer_id != manufacturer.pk:
        raise AssignmentRefused(
            _("This customer does not belong to %(manufacturer)s; nothing was changed.")
            % {"manufacturer": manufacturer.name}
        )
    if rep is not None:
        _check_rep(manufacturer=manufacturer, rep=rep)
    # Lock the customer: two managers assigning at once are serialised here.
    Partnership.objects.select_for_update().filter(
        pk=partnership.pk, manufacturer=manufacturer
    ).first()
    perms = _perms if _perms is not None else rep_permissions()
    current = (
        PortfolioAssignment.objects.filter(
            manufacturer=manufacturer, partnership=partnership, ended_at__isnull=True
        )
        .select_related("rep")
        .first()
    )
    if current is not None and rep is not None and current.rep_id == rep.pk:
        _sync_permissions(partnership=partnership, rep=rep, perms=perms)
        return current
    now = timezone.now()
    if current is not None:
        current.ended_at = now
        current.ended_by = by
        current.save(update_fields=["ended_at", "ended_by"])
    _sync_permissions(partnership=partnership, rep=rep, perms=perms)
    if rep is None:
        return None
    return PortfolioAssignment.objects.create(
        manufacturer=manufacturer,
        partnership=partnership,
        rep=rep,
        started_at=now,
        assigned_by=by,
    )


@transaction.atomic
def portfolio_reassign(
    *,
    manufacturer: Manufacturer,
    partnerships: list[Partnership],
    to_rep: User | None,
    by: User | None,
) -> int:
    """Move several customers to `to_rep` (None: unassign them) at once; all or nothing."""
    if to_rep is not None:
        _check_rep(manufacturer=manufacturer, rep=to_rep)
    perms = rep_permissions()
    for partnership in partnerships:
        portfolio_assign(
            manufacturer=manufacturer,
            partnership=partnership,
            rep=to_rep,
            by=by,
            _perms=perms,
        )
    return len(partnerships)


@transaction.atomic
def customer_create(
    *,
    manufacturer: Manufacturer,
    created_by: User,
    rep: User | None,
    reseller_fields: dict,
    partnership_fields: dict | None = None,
) -> Partnership:
    """A new customer (reseller + partnership), given to `rep` in the same transaction."""
    partnership = _onboard(
        manufacturer=manufacturer,
        reseller_fields=reseller_fields,
        partnership_fields=partnership_fields or {},
    )
    if rep is not None:
        portfolio_assign(manufacturer=manufacturer, partnership=partnership, rep=rep, by=created_by)
    return partnership


def _onboard(
    *, manufacturer: Manufacturer, reseller_fields: dict, partnership_fields: dict
) -> Partnership:
    partnership = reseller_onboard(manufacturer=manufacturer, **reseller_fields)
    if partnership_fields:
        partnership = partnership_update_conditions(
            partnership=partnership,
            price_list=partnership_fields.get("price_list", partnership.price_list),
            discount_percent=partnership_fields.get(
                "discount_percent", partnership.discount_percent
            ),
            payment_method=partnership_fields.get("payment_method", partnership.payment_method),
            shipping_method=partnership_fields.get("shipping_method", partnership.shipping_method),
        )
    return partnership


# --- the new-order email (orders.hooks.order_created) --------------------------------------


def order_created_notify_rep(*, order) -> None:
    """Email the customer's current rep about a new order, unless they placed it themselves."""
    assignment = (
        PortfolioAssignment.objects.filter(
            manufacturer_id=order.manufacturer_id,
            partnership_id=order.partnership_id,
            ended_at__isnull=True,
        )
        .select_related("rep")
        .first()
    )
    if assignment is None or assignment.rep_id == order.created_by_id:
        return
    rep = assignment.rep
    subject = _("New order %(number)s from %(reseller)s") % {
        "number": order.number,
        "reseller": order.reseller.name,
    }
    body = _(
        "Hello %(name)s,\n\n%(reseller)s, one of your customers, placed order %(number)s "
        "(%(currency)s %(total)s) with %(manufacturer)s.\n"
    ) % {
        "name": rep.display_name,
        "reseller": order.reseller.name,
        "number": order.number,
        "currency": order.currency,
        "total": order.total,
        "manufacturer": order.manufacturer.name,
    }
    email_enqueue(
        recipient=rep.email,
        subject=subject,
        body=body,
        kind="salesreps.new_order",
        manufacturer=order.manufacturer,
    )


# --- inviting a rep ------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationResult:
    user: User
    new_user: bool


def invitation_path(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("salesreps_public:accept", kwargs={"uidb64": uidb64, "token": token})


def rep_invite(
    *,
    manufacturer: Manufacturer,
    email: str,
    invited_by: User,
    base_url: str,
    first_name: str = "",
    last_name: str = "",
    submission_key: uuid.UUID | None = None,
) -> InvitationResult:
    """Make `email` a sales rep of the tenant and tell them by email (through the outbox).

    A new person gets a user without a password and a single-use link to set one (the
    token stops working once the password changes); someone who already has a login gets
    the membership and a notice. Someone who is already a member is refused.

    The invitation form's `submission_key` makes it idempotent: the same form submitted
    again, even at the same moment, answers what the first submission did and sends
    nothing. Two different invitations of one person at once: one wins, the other is
    refused as "already a member" (the unique email and membership decide, not a check).
    """
    email = email.strip().lower()
    earlier = _invitation_of(manufacturer=manufacturer, submission_key=submission_key)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            return _rep_invite(
                manufacturer=manufacturer,
                email=email,
                invited_by=invited_by,
                base_url=base_url,
                first_name=first_name,
                last_name=last_name,
                submission_key=submission_key,
            )
    except IntegrityError as error:
        # A concurrent invitation of this person committed first (we waited on its rows).
        twin = _invitation_of(manufacturer=manufacturer, submission_key=submission_key)
        if twin is not None:
            return twin
        raise _already_member(email=email, manufacturer=manufacturer) from error


def _invitation_of(
    *, manufacturer: Manufacturer, submission_key: uuid.UUID | None
) -> InvitationResult | None:
    if submission_key is None:
        return None
    invitation = (
        RepInvitation.objects.filter(manufacturer=manufacturer, submission_key=submission_key)
        .select_related("user")
        .first()
    )
    if invitation is None:
        return None
    return InvitationResult(user=invitation.user, new_user=invitation.new_user)


def _already_member(*, email: str, manufacturer: Manufacturer) -> InvitationRefused:
    return InvitationRefused(
        _("%(email)s is already a member of %(manufacturer)s.")
        % {"email": email, "manufacturer": manufacturer.name}
    )


def _rep_invite(
    *,
    manufacturer: Manufacturer,
    email: str,
    invited_by: User,
    base_url: str,
    first_name: str,
    last_name: str,
    submission_key: uuid.UUID | None,
) -> InvitationResult:
    user = User.objects.filter(email__iexact=email).first()
    if (
        user is not None
        and ManufacturerMembership.objects.filter(manufacturer=manufacturer, user=user).exists()
    ):
        # A twin of this form may have committed since rep_invite looked.
        twin = _invitation_of(manufacturer=manufacturer, submission_key=submission_key)
        if twin is not None:
            return twin
        raise _already_member(email=email, manufacturer=manufacturer)
    new_user = user is None
    if user is None:
        user = user_create(email=email, password=None, first_name=first_name, last_name=last_name)
    membership_add(manufacturer=manufacturer, user=user, role=Role.SELLER)
    RepInvitation.objects.create(
        manufacturer=manufacturer,
        user=user,
        invited_by=invited_by,
        new_user=new_user,
        submission_key=submission_key,
    )
    values = {"manufacturer": manufacturer.name, "inviter": invited_by.display_name}
    if new_user:
        link = base_url.rstrip("/") + invitation_path(user)
        subject = _("You are invited to %(manufacturer)s on Channel Portal") % values
        body = _(
            "%(inviter)s invited you to join %(manufacturer)s as a sales rep.\n\n"
            "Choose your password here (the link works once):\n%(link)s\n"
        ) % {**values, "link": link}
    else:
        subject = _("You are now a sales rep of %(manufacturer)s") % values
        body = _(
            "%(inviter)s added you to %(manufacturer)s as a sales rep. "
            "Log in with your usual password: %(link)s\n"
        ) % {**values, "link": base_url.rstrip("/") + reverse("accounts_public:login")}
    email_enqueue(
        recipient=user.email,
        subject=subject,
        body=body,
        kind="salesreps.invitation",
        manufacturer=manufacturer,
    )
    return InvitationResult(user=user, new_user=new_user)
