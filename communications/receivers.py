"""What communications does when qualifications change (connected in CommunicationsConfig.ready()
through qualifications.hooks): each change is logged as an event in the partnership's
qualification conversation, in the same transaction as the change."""

from django.utils.translation import gettext as _

from accounts.models import User
from channel.models import QualifyingStatus
from communications.services.conversations import conversation_log_event
from qualifications.models import QualificationGrant, QualificationRequest, QualifyingStatusChange


def _who(user: User | None) -> str:
    return user.display_name if user is not None else _("the system")


def on_qualification_requested(*, request: QualificationRequest) -> None:
    text = _("%(reseller)s requested the qualification %(code)s – %(name)s.") % {
        "reseller": request.partnership.reseller.name,
        "code": request.qualification.code,
        "name": request.qualification.name,
    }
    if request.message:
        text = f"{text}\n\n{request.message}"
    conversation_log_event(
        partnership=request.partnership,
        event="qualification_requested",
        body=text,
        actor=request.requested_by,
        from_reseller=True,
        qualification_request=request,
    )


def on_qualification_granted(*, grant: QualificationGrant, granted_by: User | None) -> None:
    conversation_log_event(
        partnership=grant.partnership,
        event="qualification_granted",
        body=_("Qualification %(code)s – %(name)s granted by %(who)s.")
        % {"code": grant.qualification.code, "name": grant.qualification.name,
           "who": _who(granted_by)},
        actor=granted_by,
    )  # fmt: skip


def on_qualification_revoked(*, grant: QualificationGrant, revoked_by: User | None) -> None:
    text = _("Qualification %(code)s – %(name)s revoked by %(who)s.") % {
        "code": grant.qualification.code,
        "name": grant.qualification.name,
        "who": _who(revoked_by),
    }
    if grant.revoke_reason:
        text = f"{text} {_('Reason:')} {grant.revoke_reason}"
    conversation_log_event(
        partnership=grant.partnership,
        event="qualification_revoked",
        body=text,
        actor=revoked_by,
    )


def _status_label(value: str) -> str:
    try:
        return str(QualifyingStatus(value).label)
    except ValueError:
        return value


def on_qualifying_status_changed(*, change: QualifyingStatusChange) -> None:
    conversation_log_event(
        partnership=change.partnership,
        event="qualifying_status_changed",
        body=_("Qualifying status changed from %(old)s to %(new)s by %(who)s.")
        % {"old": _status_label(change.from_status), "new": _status_label(change.to_status),
           "who": _who(change.changed_by)},
        actor=change.changed_by,
    )  # fmt: skip
