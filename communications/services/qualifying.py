"""Qualifying from the inbox: "Qualify 👍" and "More actions" grant a qualifying code and set
the qualifying status through the qualifications services, all or nothing, and log what they
did in the conversation they were clicked in."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import Qualification
from channel.models import Partnership, QualifyingStatus
from communications.models import Conversation, Message
from communications.services.conversations import CommunicationRefused, logging_into
from qualifications.models import QualificationGrant, QualificationRequest, RequestStatus
from qualifications.selectors import default_qualification
from qualifications.services import (
    qualification_grant,
    qualification_request_decide,
    qualifying_status_set,
)


def _holds(partnership: Partnership, qualification: Qualification) -> bool:
    return QualificationGrant.objects.filter(
        partnership=partnership, qualification=qualification, revoked_at__isnull=True
    ).exists()


def requested_in(conversation: Conversation) -> QualificationRequest | None:
    """The newest open qualification request logged in this conversation, if any."""
    return (
        QualificationRequest.objects.filter(
            partnership_id=conversation.partnership_id,
            status=RequestStatus.OPEN,
            pk__in=Message.objects.filter(
                conversation=conversation, qualification_request__isnull=False
            ).values("qualification_request_id"),
        )
        .select_related("qualification")
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def conversation_qualify(*, conversation: Conversation, user: User) -> str:
    """ "Qualify 👍": grant what the conversation's open request asked for (the default
    qualifying code when it holds none) and set the status to qualified. The events are
    logged in this conversation.

    Returns a summary of what changed. Refuses (changing nothing) when there is no code to
    grant, or the reseller already holds it and is already qualified.
    """
    partnership = conversation.partnership
    request = requested_in(conversation)
    qualification = (
        request.qualification
        if request is not None
        else default_qualification(manufacturer=partnership.manufacturer)
    )
    if qualification is None:
        raise CommunicationRefused(
            _(
                "There is no default qualifying code. Mark one qualification as the default "
                "on the Qualifications page first."
            )
        )
    done = []
    with logging_into(conversation):
        # Only "already held" is skipped; any other refusal stops the whole action.
        if request is not None:
            qualification_request_decide(
                request=request,
                grant=True,
                decided_by=user,
                reason=_("Qualified from the communications inbox"),
            )
            done.append(_("granted %(code)s as requested") % {"code": qualification.code})
        elif not _holds(partnership, qualification):
            qualification_grant(
                partnership=partnership,
                qualification=qualification,
                granted_by=user,
                reason=_("Qualified from the communications inbox"),
            )
            done.append(_("granted %(code)s") % {"code": qualification.code})
        partnership.refresh_from_db(fields=["qualifying_status"])
        if partnership.qualifying_status != QualifyingStatus.QUALIFIED:
            qualifying_status_set(
                partnership=partnership,
                status=QualifyingStatus.QUALIFIED,
                changed_by=user,
                reason=_("Qualified from the communications inbox"),
            )
            done.append(_("set the status to qualified"))
    if not done:
        raise CommunicationRefused(
            _("%(reseller)s already holds %(code)s and is qualified.")
            % {"reseller": partnership.reseller.name, "code": qualification.code}
        )
    return ", ".join(done)


@transaction.atomic
def qualifying_update(
    *,
    partnership: Partnership,
    qualification: Qualification | None,
    status: str,
    user: User,
    conversation: Conversation | None = None,
) -> str:
    """ "More actions": grant a qualifying code (if not held) and set the qualifying status.
    All or nothing; refuses when there is nothing to change. A code already held is named in
    the answer, so staff know it was not granted a second time. The events are logged in
    `conversation`, the one the action was taken in."""
    if conversation is not None:
        with logging_into(conversation):
            return _qualifying_update(
                partnership=partnership, qualification=qualification, status=status, user=user
            )
    return _qualifying_update(
        partnership=partnership, qualification=qualification, status=status, user=user
    )


def _qualifying_update(
    *,
    partnership: Partnership,
    qualification: Qualification | None,
    status: str,
    user: User,
) -> str:
    done = []
    # The code asked for when the reseller already holds it (it is not granted twice).
    already_held: Qualification | None = None
    if qualification is not None:
        if _holds(partnership, qualification):
            already_held = qualification
        else:
            qualification_grant(
                partnership=partnership, qualification=qualification, granted_by=user
            )
            done.append(_("granted %(code)s") % {"code": qualification.code})
    partnership.refresh_from_db(fields=["qualifying_status"])
    if status != partnership.qualifying_status:
        qualifying_status_set(partnership=partnership, status=status, changed_by=user)
        done.append(
            _("qualifying status set to %(status)s") % {"status": QualifyingStatus(status).label}
        )
    if done:
        if already_held is not None:
            done.append(_("%(code)s was already held") % {"code": already_held.code})
        return ", ".join(done)
    label = QualifyingStatus(status).label
    if already_held is not None:
        raise CommunicationRefused(
            _(
                "%(reseller)s already holds %(code)s and the qualifying status is already "
                "“%(status)s”: nothing was changed."
            )
            % {"reseller": partnership.reseller.name, "code": already_held.code, "status": label}
        )
    raise CommunicationRefused(
        _("Nothing to change: the qualifying status is already “%(status)s”.") % {"status": label}
    )
