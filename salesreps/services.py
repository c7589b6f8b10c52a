"""Writes for sales-rep portfolios. `portfolio_assign` is the ONE place that assigns,
reassigns or unassigns a rep, and the only code that grants or withdraws the rep's
django-guardian object permissions on the partnership (same transaction, row lock).
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from accounts.audit import audit_record
from accounts.i18n import override_for
from accounts.models import AuditAction, Manufacturer, ManufacturerMembership, Role, User
from accounts.services import membership_add, user_create, user_deactivate, user_sessions_end
from accounts.tenancy import user_manufacturer_memberships
from channel.models import Partnership, PartnershipUserObjectPermission
from channel.services import partnership_update_conditions, reseller_onboard
from channel.visibility import VIEW_PARTNERSHIP
from core import formatting
from core.exceptions import DomainRefused
from notifications.models import NotificationKind
from notifications.services import email_enqueue, notify
from orders.models import Order, OrderStatus
from orders.workflow import OPEN_STATUSES
from salesreps.models import PortfolioAssignment, RepInvitation

CHANGE_PARTNERSHIP = "change_partnership"
REP_PERMISSIONS = (VIEW_PARTNERSHIP, CHANGE_PARTNERSHIP)


class AssignmentRefused(DomainRefused):
    """The assignment breaks a rule; the message is user-facing and nothing was changed."""


class RemovalRefused(DomainRefused):
    """The member cannot be removed (yet); the message is user-facing, nothing was changed."""


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


def _sync_permissions(
    *, partnership: Partnership, rep: User | None, perms: list[Permission]
) -> None:
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
    reseller_fields: dict[str, str],
    partnership_fields: dict[str, Any] | None = None,
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
    *,
    manufacturer: Manufacturer,
    reseller_fields: dict[str, str],
    partnership_fields: dict[str, Any],
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


def order_created_notify_rep(*, order: Order) -> None:
    """Tell the customer's current rep of a new order (as they chose: in-app, email, digest
    or off), unless they placed it themselves. It links to the order and says its status."""
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
    # In the rep's language and formats, whoever placed the order.
    with override_for(rep):
        values = {
            "name": rep.display_name,
            "reseller": order.reseller.name,
            "number": order.number,
            "total": formatting.money(order.total, order.currency),
            "manufacturer": order.manufacturer.name,
        }
        # An order waiting for the end customer's payment is not placed yet: it may never be.
        if order.status == OrderStatus.AWAITING_PAYMENT:
            title = _("New order %(number)s from %(reseller)s, awaiting payment") % values
            body = (
                _(
                    "Hello %(name)s,\n\n%(reseller)s, one of your customers, created order "
                    "%(number)s (%(total)s) with %(manufacturer)s. It is awaiting "
                    "payment: it becomes a placed order once the end customer pays.\n\n"
                    "Open the order:"
                )
                % values
            )
        else:
            title = _("New order %(number)s from %(reseller)s") % values
            body = (
                _(
                    "Hello %(name)s,\n\n%(reseller)s, one of your customers, placed order "
                    "%(number)s (%(total)s) with %(manufacturer)s.\n\nOpen the order:"
                )
                % values
            )
    notify(
        users=[rep],
        manufacturer=order.manufacturer,
        kind=NotificationKind.ORDER_CREATED,
        title=title,
        body=body,
        url=reverse(
            "orders_manufacturer:detail",
            kwargs={"manufacturer_slug": order.manufacturer.slug, "pk": order.pk},
        ),
        topic=f"order:{order.pk}",
    )


# --- inviting a rep ------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationResult:
    user: User
    new_user: bool


def invitation_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationUnavailable(DomainRefused):
    """The invitation link is unknown, used, or meant for someone else."""


def rep_invitation_accept(*, token: str, user: User) -> RepInvitation:
    """The invited person accepts: they become a sales rep of the tenant. Only the user the
    invitation names may accept it, once."""
    with transaction.atomic():
        invitation: RepInvitation | None = (
            RepInvitation.objects.with_scopes_disabled()
            .select_for_update()
            .select_related("manufacturer")
            .filter(token_digest=invitation_token_digest(token), accepted_at__isnull=True)
            .first()
        )
        if invitation is None or invitation.user_id != user.pk:
            raise InvitationUnavailable(_("This invitation cannot be used."))
        manufacturer = invitation.manufacturer
        with scope(manufacturer=manufacturer):
            if not ManufacturerMembership.objects.filter(
                manufacturer=manufacturer, user=user
            ).exists():
                membership_add(manufacturer=manufacturer, user=user, role=Role.SELLER)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            action=AuditAction.MEMBER_JOINED, actor=user, manufacturer=manufacturer,
            target=user.email,
        )  # fmt: skip
        return invitation


def rep_invitation_decline(*, token: str, user: User) -> None:
    with transaction.atomic():
        deleted, _rows = (
            RepInvitation.objects.with_scopes_disabled()
            .filter(
                token_digest=invitation_token_digest(token),
                accepted_at__isnull=True,
                user=user,
            )
            .delete()
        )
        if not deleted:
            raise InvitationUnavailable(_("This invitation cannot be used."))


def rep_invitation_pending(*, token: str, user: User) -> RepInvitation | None:
    pending: RepInvitation | None = (
        RepInvitation.objects.with_scopes_disabled()
        .select_related("manufacturer", "invited_by")
        .filter(token_digest=invitation_token_digest(token), accepted_at__isnull=True, user=user)
        .first()
    )
    return pending


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
    values = {"manufacturer": manufacturer.name, "inviter": invited_by.display_name}
    subject = _("You are invited to %(manufacturer)s on Channel Portal") % values
    if user is None:
        user = user_create(email=email, password=None, first_name=first_name, last_name=last_name)
        # Setting the password is the new person's acceptance: without it, no login.
        membership_add(manufacturer=manufacturer, user=user, role=Role.SELLER)
        RepInvitation.objects.create(
            manufacturer=manufacturer,
            user=user,
            invited_by=invited_by,
            new_user=True,
            submission_key=submission_key,
            accepted_at=None,
        )
        link = base_url.rstrip("/") + invitation_path(user)
        body = _(
            "%(inviter)s invited you to join %(manufacturer)s as a sales rep.\n\n"
            "Choose your password here (the link works once):\n%(link)s\n"
        ) % {**values, "link": link}
    else:
        # Someone with a login joins only if they accept: nothing changes until then.
        token = secrets.token_urlsafe(32)
        RepInvitation.objects.create(
            manufacturer=manufacturer,
            user=user,
            invited_by=invited_by,
            new_user=False,
            submission_key=submission_key,
            token_digest=invitation_token_digest(token),
        )
        link = base_url.rstrip("/") + reverse("salesreps_public:join", kwargs={"token": token})
        body = _(
            "%(inviter)s invited you to join %(manufacturer)s as a sales rep.\n\n"
            "Log in with your usual password and accept or decline here:\n%(link)s\n\n"
            "Nothing changes unless you accept.\n"
        ) % {**values, "link": link}
    email_enqueue(
        recipient=user.email,
        subject=subject,
        body=body,
        kind="salesreps.invitation",
        manufacturer=manufacturer,
        secrets=[link],
    )
    audit_record(
        action=AuditAction.MEMBER_INVITED,
        actor=invited_by,
        manufacturer=manufacturer,
        target=user.email,
    )
    return InvitationResult(user=user, new_user=new_user)


# --- removing a member -----------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRemoval:
    customers: int
    open_orders: int
    to_rep: User | None
    deactivated: bool


def member_removal_refusal(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, by: User
) -> str:
    """Why `by` may not remove this member, or "" when they may (read only).

    Nobody removes themselves; only an owner removes an owner; the tenant keeps at least one
    owner and one owner or manager.
    """
    if membership.user_id == by.pk:
        return _("You cannot remove yourself from the team.")
    roles = list(
        ManufacturerMembership.objects.filter(manufacturer=manufacturer).values_list(
            "user_id", "role"
        )
    )
    by_role = next((role for user_id, role in roles if user_id == by.pk), None)
    if membership.role == Role.OWNER and by_role != Role.OWNER:
        return _("Only an owner can remove an owner.")
    owners = sum(1 for _user, role in roles if role == Role.OWNER)
    staff = sum(1 for _user, role in roles if role in (Role.OWNER, Role.MANAGER))
    if membership.role == Role.OWNER and owners <= 1:
        return _("%(name)s is the last owner of %(manufacturer)s and cannot be removed.") % {
            "name": membership.user.display_name,
            "manufacturer": manufacturer.name,
        }
    if membership.is_staff_role and staff <= 1:
        return _(
            "%(name)s is the last owner or manager of %(manufacturer)s and cannot be removed."
        ) % {"name": membership.user.display_name, "manufacturer": manufacturer.name}
    return ""


def _portfolio_of(*, manufacturer: Manufacturer, user: User) -> list[Partnership]:
    return list(
        Partnership.objects.filter(
            manufacturer=manufacturer,
            rep_assignments__rep=user,
            rep_assignments__ended_at__isnull=True,
        ).order_by("pk")
    )


@transaction.atomic
def member_remove(
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership,
    to_rep: User | None,
    by: User,
) -> MemberRemoval:
    """Take a member off the team: their customers move to `to_rep` in the same transaction,
    their membership goes, their sessions end at once, and a user left with no other access
    is deactivated. The receiving rep is notified. All or nothing.
    """
    # Serialise removals in one tenant: two managers removing each other at once must not
    # leave it without any.
    Manufacturer.objects.select_for_update().filter(pk=manufacturer.pk).first()
    current = (
        ManufacturerMembership.objects.filter(manufacturer=manufacturer, pk=membership.pk)
        .select_related("user")
        .first()
    )
    if current is None:
        raise RemovalRefused(_("This member is no longer on the team; nothing was changed."))
    refusal = member_removal_refusal(manufacturer=manufacturer, membership=current, by=by)
    if refusal:
        raise RemovalRefused(refusal)
    user = current.user
    portfolio = _portfolio_of(manufacturer=manufacturer, user=user)
    if portfolio and (to_rep is None or to_rep.pk == user.pk):
        raise RemovalRefused(
            _("Choose the sales rep who takes over %(name)s's customers; nothing was changed.")
            % {"name": user.display_name}
        )
    open_orders = 0
    if portfolio and to_rep is not None:
        open_orders = Order.objects.filter(
            manufacturer=manufacturer, partnership__in=portfolio, status__in=OPEN_STATUSES
        ).count()
        portfolio_reassign(manufacturer=manufacturer, partnerships=portfolio, to_rep=to_rep, by=by)
    current.delete()
    keeps_access = (
        user_manufacturer_memberships(user).exists() or user.reseller_memberships.exists()
    )
    if keeps_access:
        user_sessions_end(user=user)
    else:
        user_deactivate(user=user)
    if portfolio and to_rep is not None:
        _notify_receiving_rep(
            manufacturer=manufacturer,
            to_rep=to_rep,
            from_user=user,
            customers=len(portfolio),
            open_orders=open_orders,
        )
    audit_record(
        action=AuditAction.MEMBER_REMOVED,
        actor=by,
        manufacturer=manufacturer,
        target=f"{user.email} ({membership.get_role_display()})",
    )
    return MemberRemoval(
        customers=len(portfolio),
        open_orders=open_orders,
        to_rep=to_rep if portfolio else None,
        deactivated=not keeps_access,
    )


def _notify_receiving_rep(
    *,
    manufacturer: Manufacturer,
    to_rep: User,
    from_user: User,
    customers: int,
    open_orders: int,
) -> None:
    with override_for(to_rep):
        values = {"count": customers, "name": from_user.display_name, "orders": open_orders}
        title = (
            ngettext(
                "%(count)d customer of %(name)s moved into your portfolio",
                "%(count)d customers of %(name)s moved into your portfolio",
                customers,
            )
            % values
        )
        body = (
            ngettext(
                "%(name)s left the team. You now look after their customers and their "
                "%(orders)d open order.",
                "%(name)s left the team. You now look after their customers and their "
                "%(orders)d open orders.",
                open_orders,
            )
            % values
        )
    notify(
        users=[to_rep],
        manufacturer=manufacturer,
        kind=NotificationKind.PORTFOLIO_RECEIVED,
        title=title,
        body=body,
        url=reverse(
            "resellers_manufacturer:directory", kwargs={"manufacturer_slug": manufacturer.slug}
        ),
    )


# --- changing a member's role ----------------------------------------------------------------


class RoleChangeRefused(DomainRefused):
    """The role cannot be changed; the message is user-facing and nothing was changed."""


def member_role_change_refusal(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, role: str, by: User
) -> str:
    """Why `by` may not give this member `role`, or "" when they may (read only).

    Only an owner changes roles; nobody changes their own; a sales rep who still looks after
    customers keeps the role until they are reassigned (a manager has no portfolio).
    """
    if role not in Role.values:
        return _("Choose a role.")
    if membership.user_id == by.pk:
        return _("You cannot change your own role.")
    by_is_owner = ManufacturerMembership.objects.filter(
        manufacturer=manufacturer, user=by, role=Role.OWNER
    ).exists()
    if not by_is_owner:
        return _("Only an owner can change a member's role.")
    if role == membership.role:
        return _("%(name)s already has this role.") % {"name": membership.user.display_name}
    if membership.role == Role.SELLER and _portfolio_of(
        manufacturer=manufacturer, user=membership.user
    ):
        return _(
            "%(name)s still looks after customers: reassign them first, then change the role."
        ) % {"name": membership.user.display_name}
    return ""


@transaction.atomic
def member_role_change(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, role: str, by: User
) -> ManufacturerMembership:
    """Give a member another role: their open sessions end (the next page they open is
    built for the new role), the API keys they made with the old role stop working
    (api.selectors), the change is audited and the member is told by email."""
    Manufacturer.objects.select_for_update().filter(pk=manufacturer.pk).first()
    current = (
        ManufacturerMembership.objects.filter(manufacturer=manufacturer, pk=membership.pk)
        .select_related("user")
        .first()
    )
    if current is None:
        raise RoleChangeRefused(_("This member is no longer on the team; nothing was changed."))
    refusal = member_role_change_refusal(
        manufacturer=manufacturer, membership=current, role=role, by=by
    )
    if refusal:
        raise RoleChangeRefused(refusal)
    old_label = current.get_role_display()
    current.role = role
    current.save(update_fields=["role"])
    user_sessions_end(user=current.user)
    values = {
        "manufacturer": manufacturer.name,
        "old": old_label,
        "new": current.get_role_display(),
        "by": by.display_name,
    }
    email_enqueue(
        recipient=current.user.email,
        subject=_("Your role at %(manufacturer)s is now %(new)s") % values,
        body=_(
            "%(by)s changed your role at %(manufacturer)s from %(old)s to %(new)s.\n\n"
            "Log in again to continue. If you did not expect this, ask an owner of "
            "%(manufacturer)s.\n"
        )
        % values,
        kind="salesreps.role_changed",
        manufacturer=manufacturer,
    )
    audit_record(
        action=AuditAction.ROLE_CHANGED,
        actor=by,
        manufacturer=manufacturer,
        target=f"{current.user.email} ({values['old']} → {values['new']})",
    )
    return current
