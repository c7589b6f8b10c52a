"""Everything that changes qualifications: definitions, grants, revocations, status, requests.

Grants, revocations and status changes lock the partnership row first
(`select_for_update`), so two staff members acting at once are serialised; the partial
unique constraints (one active grant, one open request per pair) hold even if they are not.
A refused change raises `QualificationRefused` with a user-facing message and writes nothing.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AuditAction, Manufacturer, User
from catalog.models import Qualification
from channel.models import Partnership, PartnershipStatus, QualifyingStatus
from core.exceptions import DomainRefused
from notifications.models import NotificationKind
from notifications.services import Text, notify_reseller
from qualifications import hooks
from qualifications.models import (
    QualificationGrant,
    QualificationRequest,
    QualifyingStatusChange,
    RequestStatus,
)


class QualificationRefused(DomainRefused):
    """The change breaks a rule; the message says which, and nothing was changed."""


def normalize_code(code: str | None) -> str:
    return (code or "").strip().upper()


def _lock_partnership(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _same_tenant(partnership: Partnership, qualification: Qualification) -> None:
    if qualification.manufacturer_id != partnership.manufacturer_id:
        # Never reached through the views (they resolve codes within the tenant).
        raise QualificationRefused(_("That qualification belongs to another manufacturer."))


def _notify_reseller(*, partnership: Partnership, kind: str, title: Text, body: Text) -> None:
    """Tell the reseller's users, each as they chose and in their own language; the link
    opens their qualifications."""
    notify_reseller(
        reseller_id=partnership.reseller_id,
        manufacturer=partnership.manufacturer,
        kind=kind,
        title=title,
        body=body,
        url=reverse(
            "qualifications_reseller:list",
            kwargs={
                "reseller_public_id": partnership.reseller.public_id,
                "manufacturer_slug": partnership.manufacturer.slug,
            },
        ),
    )


# --- definitions ----------------------------------------------------------------------------


def _clear_other_defaults(*, manufacturer: Manufacturer, keep: Qualification | None) -> None:
    others = Qualification.objects.filter(manufacturer=manufacturer, is_default=True)
    if keep is not None and keep.pk:
        others = others.exclude(pk=keep.pk)
    others.update(is_default=False)


@transaction.atomic
def qualification_create(
    *,
    manufacturer: Manufacturer,
    code: str,
    name: str,
    description: str = "",
    is_default: bool = False,
) -> Qualification:
    """Define a qualification. Marking it the default moves the default from any other."""
    code = normalize_code(code)
    # Lock the tenant so two definitions cannot race for the code or the default.
    Manufacturer.objects.select_for_update().filter(pk=manufacturer.pk).first()
    if Qualification.objects.filter(manufacturer=manufacturer, code=code).exists():
        raise QualificationRefused(
            _("A qualification with the ID %(code)s already exists.") % {"code": code}
        )
    if is_default:
        _clear_other_defaults(manufacturer=manufacturer, keep=None)
    qualification = Qualification(
        manufacturer=manufacturer,
        code=code,
        name=name.strip(),
        description=description.strip(),
        is_default=is_default,
    )
    qualification.clean_fields(exclude=["manufacturer"])
    qualification.save()
    return qualification


@transaction.atomic
def qualification_update(
    *, qualification: Qualification, name: str, description: str = "", is_default: bool = False
) -> Qualification:
    """Change the name, description or default flag. The ID is permanent: it is how staff,
    resellers and the assistant refer to the qualification."""
    manufacturer = qualification.manufacturer
    Manufacturer.objects.select_for_update().filter(pk=manufacturer.pk).first()
    if is_default:
        _clear_other_defaults(manufacturer=manufacturer, keep=qualification)
    qualification.name = name.strip()
    qualification.description = description.strip()
    qualification.is_default = is_default
    qualification.save(update_fields=["name", "description", "is_default"])
    return qualification


# --- grants and revocations -----------------------------------------------------------------


@transaction.atomic
def qualification_grant(
    *,
    partnership: Partnership,
    qualification: Qualification,
    granted_by: User | None,
    reason: str = "",
) -> QualificationGrant:
    """Grant a qualification: its restricted categories appear for the reseller at once.

    An open request for the same qualification is answered (marked granted) too.
    """
    _same_tenant(partnership, qualification)
    locked = _lock_partnership(partnership)
    if QualificationGrant.objects.filter(
        partnership=locked, qualification=qualification, revoked_at__isnull=True
    ).exists():
        raise QualificationRefused(
            _("%(reseller)s already holds %(code)s.")
            % {"reseller": locked.reseller.name, "code": qualification.code}
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            grant = QualificationGrant.objects.create(
                manufacturer=locked.manufacturer,
                partnership=locked,
                qualification=qualification,
                granted_at=now,
                granted_by=granted_by,
                grant_reason=reason.strip(),
            )
    except IntegrityError as error:  # a concurrent grant won (databases without row locks)
        raise QualificationRefused(
            _("%(reseller)s already holds %(code)s.")
            % {"reseller": locked.reseller.name, "code": qualification.code}
        ) from error
    answered = QualificationRequest.objects.filter(
        partnership=locked, qualification=qualification, status=RequestStatus.OPEN
    ).update(status=RequestStatus.GRANTED, decided_by=granted_by, decided_at=now)
    hooks.qualification_granted.send(grant=grant, granted_by=granted_by)
    values = {
        "manufacturer": locked.manufacturer.name,
        "code": qualification.code,
        "name": qualification.name,
    }
    _notify_reseller(
        partnership=locked,
        # A grant that answers the reseller's request is told as the answer, once.
        kind=NotificationKind.QUALIFICATION_ANSWERED
        if answered
        else NotificationKind.QUALIFICATION_GRANTED,
        title=lambda: (
            (_("Your request for %(code)s was granted") if answered else _("%(code)s granted"))
            % values
        ),
        body=lambda: (
            _(
                "%(manufacturer)s granted you the qualification %(code)s – %(name)s. "
                "Its restricted products are in your catalog now."
            )
            % values
        ),
    )
    audit_record(
        action=AuditAction.QUALIFICATION_GRANTED,
        actor=granted_by,
        manufacturer=partnership.manufacturer,
        target=f"{qualification.code} → {partnership.reseller.public_id}",
    )
    return grant


@transaction.atomic
def qualification_revoke(
    *,
    partnership: Partnership,
    qualification: Qualification,
    revoked_by: User | None,
    reason: str = "",
) -> QualificationGrant:
    """Revoke a held qualification; the grant row stays, stamped with who, when and why."""
    _same_tenant(partnership, qualification)
    locked = _lock_partnership(partnership)
    grant = (
        QualificationGrant.objects.select_for_update()
        .filter(partnership=locked, qualification=qualification, revoked_at__isnull=True)
        .first()
    )
    if grant is None:
        raise QualificationRefused(
            _("%(reseller)s does not hold %(code)s, so there is nothing to revoke.")
            % {"reseller": locked.reseller.name, "code": qualification.code}
        )
    grant.revoked_at = timezone.now()
    grant.revoked_by = revoked_by
    grant.revoke_reason = reason.strip()
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    hooks.qualification_revoked.send(grant=grant, revoked_by=revoked_by)
    values = {
        "manufacturer": locked.manufacturer.name,
        "code": qualification.code,
        "name": qualification.name,
    }

    def body() -> str:
        text = _("%(manufacturer)s revoked your qualification %(code)s – %(name)s.") % values
        if grant.revoke_reason:
            text = f"{text}\n\n{_('Reason:')} {grant.revoke_reason}"
        return text

    _notify_reseller(
        partnership=locked,
        kind=NotificationKind.QUALIFICATION_REVOKED,
        title=lambda: _("%(code)s revoked") % values,
        body=body,
    )
    audit_record(
        action=AuditAction.QUALIFICATION_REVOKED,
        actor=revoked_by,
        manufacturer=partnership.manufacturer,
        target=f"{qualification.code} → {partnership.reseller.public_id}",
    )
    return grant


@transaction.atomic
def qualifying_status_set(
    *, partnership: Partnership, status: str, changed_by: User | None, reason: str = ""
) -> QualifyingStatusChange:
    """Set the partnership's qualifying status (qualified resellers get the blue checkmark)."""
    if status not in QualifyingStatus.values:
        raise QualificationRefused(_("Unknown qualifying status."))
    locked = _lock_partnership(partnership)
    if locked.qualifying_status == status:
        raise QualificationRefused(
            _("The qualifying status is already “%(status)s”.")
            % {"status": QualifyingStatus(status).label}
        )
    change = QualifyingStatusChange.objects.create(
        manufacturer=locked.manufacturer,
        partnership=locked,
        from_status=locked.qualifying_status,
        to_status=status,
        changed_by=changed_by,
        reason=reason.strip(),
        changed_at=timezone.now(),
    )
    locked.qualifying_status = status
    locked.save(update_fields=["qualifying_status"])
    partnership.qualifying_status = status
    hooks.qualifying_status_changed.send(change=change)
    return change


# --- requests -------------------------------------------------------------------------------


@transaction.atomic
def qualification_request_create(
    *,
    partnership: Partnership,
    qualification: Qualification,
    requested_by: User | None,
    message: str = "",
) -> QualificationRequest:
    """A reseller asks for a qualification; the manufacturer's owners and managers are told."""
    _same_tenant(partnership, qualification)
    locked = _lock_partnership(partnership)
    if locked.status != PartnershipStatus.ACTIVE:
        raise QualificationRefused(_("This partnership is not active."))
    if QualificationGrant.objects.filter(
        partnership=locked, qualification=qualification, revoked_at__isnull=True
    ).exists():
        raise QualificationRefused(_("You already hold %(code)s.") % {"code": qualification.code})
    duplicate = _("You already have an open request for %(code)s.") % {"code": qualification.code}
    if QualificationRequest.objects.filter(
        partnership=locked, qualification=qualification, status=RequestStatus.OPEN
    ).exists():
        raise QualificationRefused(duplicate)
    try:
        with transaction.atomic():
            request = QualificationRequest.objects.create(
                manufacturer=locked.manufacturer,
                partnership=locked,
                qualification=qualification,
                message=message.strip(),
                requested_by=requested_by,
                created_at=timezone.now(),
            )
    except IntegrityError as error:
        raise QualificationRefused(duplicate) from error
    # Staff hear of it through the conversation the request is logged in (communications
    # receives the hook and notifies each staff member the way they chose).
    hooks.qualification_requested.send(request=request)
    return request


@transaction.atomic
def qualification_request_decide(
    *,
    request: QualificationRequest,
    grant: bool,
    decided_by: User | None,
    reason: str = "",
) -> QualificationRequest:
    """Grant (which grants the qualification) or decline (with a reason) an open request."""
    locked = QualificationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise QualificationRefused(
            _("This request was already answered (%(status)s).")
            % {"status": locked.get_status_display().lower()}
        )
    reason = reason.strip()
    if grant:
        qualification_grant(
            partnership=locked.partnership,
            qualification=locked.qualification,
            granted_by=decided_by,
            reason=reason or _("Requested by the reseller"),
        )
        locked.refresh_from_db()
    else:
        if not reason:
            raise QualificationRefused(_("Give a reason for declining."))
        locked.status = RequestStatus.DECLINED
        locked.decided_by = decided_by
        locked.decided_at = timezone.now()
        locked.decline_reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        values = {
            "manufacturer": locked.manufacturer.name,
            "code": locked.qualification.code,
            "name": locked.qualification.name,
            "reason": reason,
        }
        _notify_reseller(
            partnership=locked.partnership,
            kind=NotificationKind.QUALIFICATION_ANSWERED,
            title=lambda: _("Your request for %(code)s was declined") % values,
            body=lambda: (
                _(
                    "%(manufacturer)s declined your request for %(code)s – %(name)s.\n\n"
                    "Reason: %(reason)s"
                )
                % values
            ),
        )
    request.status = locked.status
    return locked
