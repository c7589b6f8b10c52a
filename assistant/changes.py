"""The changes: shown first as exactly what will change, made only on confirmation.

Each change names the page view whose action it is. The assistant lets through only the
roles that view lets through, and the confirmation runs the service that view runs, with
the same form for its input, so it is refused, notified and audited exactly as the page's
action is.

A confirmation carries a signed token bound to the user, the tenant, the intent, its
arguments and the state the preview was shown against (`state`), and it expires. A token
of another user or tenant, a forged one, an old one, or one whose state no longer holds
(someone granted the qualification in the meantime) changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.tenancy import ManufacturerRequest
from assistant import parser as p
from assistant.answers import Answer, require_page_roles, url
from assistant.resolve import (
    Unresolved,
    conversation_for,
    partnership_for,
    qualification_for,
    rep_for,
)
from communications import views as communication_views
from communications.services.conversations import CommunicationRefused
from communications.services.marks import conversation_mark_done
from qualifications import selectors as qualification_selectors
from qualifications import services as qualification_services
from qualifications import views as qualification_views
from qualifications.forms import GrantForm, RevokeForm
from qualifications.section import SECTION_TEMPLATE, section_context
from salesreps import selectors as salesrep_selectors
from salesreps import views as salesrep_views
from salesreps.forms import AssignForm
from salesreps.services import AssignmentRefused, portfolio_assign
from salesreps.templatetags.salesreps import panel_context

SALT = "assistant.confirm"
CONFIRMATION_MAX_AGE = 10 * 60  # seconds a preview stays confirmable
MAX_REASON = 500  # the pages' reason fields


class ConfirmationRefused(Exception):
    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Preview:
    """What will change, in the user's words, and what it is checked against."""

    title: str
    lines: list[str]
    # Canonical arguments (IDs, never names) and the state the change depends on.
    args: dict[str, str]
    state: str
    objects: dict[str, Any] = field(default_factory=dict)
    takes_reason: bool = False
    full_url: str = ""


@dataclass(frozen=True)
class Change:
    intent: str
    page_view: Callable[..., Any]  # its allowed roles are the assistant's
    preview: Callable[[ManufacturerRequest, dict[str, str]], Preview]
    perform: Callable[[ManufacturerRequest, Preview, str], Answer]


# --- qualifications -------------------------------------------------------------------------


def _held_codes(partnership: Any) -> dict[str, int]:
    grants = qualification_selectors.partnership_active_grants(partnership=partnership)
    return {grant.qualification.code: grant.pk for grant in grants}


def _grant_preview(request: ManufacturerRequest, args: dict[str, str]) -> Preview:
    partnership = partnership_for(request, args)
    qualification, _reason = qualification_for(request, args)
    reseller = partnership.reseller
    held = _held_codes(partnership)
    values = {"reseller": reseller.name, "code": qualification.code}
    if qualification.code in held:
        raise Unresolved("refused", _("%(reseller)s already holds %(code)s.") % values)
    categories = [c.name for c in qualification.restricted_categories.order_by("name")]
    lines = [
        _("%(reseller)s (%(id)s) will hold %(code)s – %(name)s.")
        % {**values, "id": reseller.public_id, "name": qualification.name},
        _("Its users are notified, and the grant is recorded in the audit log."),
    ]
    if categories:
        lines.insert(
            1,
            _("These restricted categories appear in their catalog: %(list)s.")
            % {"list": ", ".join(categories)},
        )
    return Preview(
        title=_("Grant %(code)s to %(reseller)s?") % values,
        lines=lines,
        args={"reseller_id": reseller.public_id, "qualification": qualification.code},
        state="not-held",
        objects={"partnership": partnership},
        takes_reason=True,
        full_url=url(request, "resellers_manufacturer:profile", public_id=reseller.public_id),
    )


def _revoke_preview(request: ManufacturerRequest, args: dict[str, str]) -> Preview:
    partnership = partnership_for(request, args)
    qualification, _reason = qualification_for(request, args)
    reseller = partnership.reseller
    values = {"reseller": reseller.name, "code": qualification.code}
    held = _held_codes(partnership)
    if qualification.code not in held:
        raise Unresolved(
            "refused",
            _("%(reseller)s does not hold %(code)s, so there is nothing to revoke.") % values,
        )
    categories = [c.name for c in qualification.restricted_categories.order_by("name")]
    lines = [
        _("%(reseller)s (%(id)s) will no longer hold %(code)s – %(name)s.")
        % {**values, "id": reseller.public_id, "name": qualification.name},
        _("Its users are notified, and the revocation is recorded in the audit log."),
    ]
    if categories:
        lines.insert(
            1,
            _("These restricted categories disappear from their catalog: %(list)s.")
            % {"list": ", ".join(categories)},
        )
    return Preview(
        title=_("Revoke %(code)s from %(reseller)s?") % values,
        lines=lines,
        args={"reseller_id": reseller.public_id, "qualification": qualification.code},
        state=f"grant-{held[qualification.code]}",
        objects={"partnership": partnership},
        takes_reason=True,
        full_url=url(request, "resellers_manufacturer:profile", public_id=reseller.public_id),
    )


def _qualification_done(request: ManufacturerRequest, preview: Preview, message: str) -> Answer:
    partnership = preview.objects["partnership"]
    context = section_context(request, partnership, next_url=preview.full_url)
    return Answer(
        title=message,
        template="assistant/answers/section.html",
        context={"section_template": SECTION_TEMPLATE, **context},
        full_url=preview.full_url,
        full_label=_("Open the profile"),
        kind="done",
    )


def _qualification_form(
    form_class: type[GrantForm] | type[RevokeForm],
    request: ManufacturerRequest,
    preview: Preview,
    reason: str,
) -> GrantForm | RevokeForm:
    """The page's own form, bound to what the preview showed: its checks are the page's."""
    form = form_class(
        data={"code": preview.args["qualification"], "reason": reason},
        manufacturer=request.tenant,
    )
    if not form.is_valid():
        raise ConfirmationRefused(
            " ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    return form


def _grant_perform(request: ManufacturerRequest, preview: Preview, reason: str) -> Answer:
    partnership = preview.objects["partnership"]
    form = _qualification_form(GrantForm, request, preview, reason)
    qualification = form.cleaned_data["qualification"]
    try:
        qualification_services.qualification_grant(
            partnership=partnership,
            qualification=qualification,
            granted_by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except qualification_services.QualificationRefused as refused:
        raise ConfirmationRefused(refused.user_message) from None
    return _qualification_done(
        request,
        preview,
        _("%(code)s granted to %(reseller)s.")
        % {"code": qualification.code, "reseller": partnership.reseller.name},
    )


def _revoke_perform(request: ManufacturerRequest, preview: Preview, reason: str) -> Answer:
    partnership = preview.objects["partnership"]
    form = _qualification_form(RevokeForm, request, preview, reason)
    qualification = form.cleaned_data["qualification"]
    try:
        qualification_services.qualification_revoke(
            partnership=partnership,
            qualification=qualification,
            revoked_by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except qualification_services.QualificationRefused as refused:
        raise ConfirmationRefused(refused.user_message) from None
    return _qualification_done(
        request,
        preview,
        _("%(code)s revoked from %(reseller)s.")
        % {"code": qualification.code, "reseller": partnership.reseller.name},
    )


# --- a rep ----------------------------------------------------------------------------------


def _assign_preview(request: ManufacturerRequest, args: dict[str, str]) -> Preview:
    partnership = partnership_for(request, args)
    rep = rep_for(request, args)
    current = salesrep_selectors.current_assignment(
        manufacturer=request.tenant, partnership=partnership
    )
    reseller = partnership.reseller
    values = {"reseller": reseller.name, "rep": rep.display_name}
    if current is not None and current.rep_id == rep.pk:
        raise Unresolved("refused", _("%(reseller)s is already in %(rep)s's portfolio.") % values)
    lines = [
        _("%(reseller)s (%(id)s) moves into %(rep)s's portfolio.")
        % {**values, "id": reseller.public_id}
    ]
    if current is not None:
        lines.append(
            _("%(previous)s no longer sees this customer or its orders.")
            % {"previous": current.rep.display_name}
        )
    lines.append(_("The change is kept in the customer's sales rep history."))
    return Preview(
        title=_("Assign %(reseller)s to %(rep)s?") % values,
        lines=lines,
        args={"reseller_id": reseller.public_id, "rep_id": str(rep.pk)},
        state=f"assignment-{current.pk if current else 'none'}",
        objects={"partnership": partnership, "rep": rep},
        full_url=url(request, "resellers_manufacturer:profile", public_id=reseller.public_id),
    )  # fmt: skip


def _assign_perform(request: ManufacturerRequest, preview: Preview, reason: str) -> Answer:
    partnership = preview.objects["partnership"]
    form = AssignForm(
        data={"rep": preview.args["rep_id"]},
        sellers=salesrep_selectors.sellers(manufacturer=request.tenant),
    )
    if not form.is_valid():
        raise ConfirmationRefused(
            _("Choose one of this manufacturer's sales reps; nothing was changed.")
        )
    rep = form.cleaned_data["rep"].user
    try:
        portfolio_assign(
            manufacturer=request.tenant, partnership=partnership, rep=rep, by=request.user
        )
    except AssignmentRefused as refused:
        raise ConfirmationRefused(refused.user_message) from None
    context = panel_context(request, partnership, next_url=preview.full_url)
    return Answer(
        title=_("%(customer)s is now in %(rep)s's portfolio.")
        % {"customer": partnership.reseller.name, "rep": rep.display_name},
        template="assistant/answers/section.html",
        context={"section_template": "salesreps/includes/assignment_panel.html", **context},
        full_url=preview.full_url,
        full_label=_("Open the profile"),
        kind="done",
    )


# --- a conversation -------------------------------------------------------------------------


def _done_preview(request: ManufacturerRequest, args: dict[str, str]) -> Preview:
    conversation = conversation_for(request, args)
    if conversation.mark == "✅":
        raise Unresolved("refused", _("This conversation is already marked as done."))
    reseller = conversation.partnership.reseller
    detail_url = url(request, "communications_manufacturer:detail", conversation_id=conversation.pk)
    return Preview(
        title=_("Mark the conversation with %(reseller)s as done?") % {"reseller": reseller.name},
        lines=[
            _("“%(subject)s” (%(kind)s, number %(number)s) gets ✅ and leaves New Leads.")
            % {
                "subject": conversation.subject or _("No subject"),
                "kind": conversation.get_kind_display(),
                "number": conversation.pk,
            },
        ],
        args={"conversation": str(conversation.pk)},
        state=f"{conversation.mark}-{conversation.last_message_at.isoformat()}",
        objects={"conversation": conversation},
        full_url=detail_url,
    )


def _done_perform(request: ManufacturerRequest, preview: Preview, reason: str) -> Answer:
    conversation = preview.objects["conversation"]
    try:
        conversation_mark_done(conversation=conversation)
    except CommunicationRefused as refused:
        raise ConfirmationRefused(refused.user_message) from None
    return Answer(
        title=_("Marked as done ✅. It left New Leads."),
        template="assistant/answers/message.html",
        context={},
        full_url=preview.full_url,
        full_label=_("Open the conversation"),
        kind="done",
    )


CHANGES: dict[str, Change] = {
    p.QUALIFICATION_GRANT: Change(
        p.QUALIFICATION_GRANT, qualification_views.grant, _grant_preview, _grant_perform
    ),
    p.QUALIFICATION_REVOKE: Change(
        p.QUALIFICATION_REVOKE, qualification_views.revoke, _revoke_preview, _revoke_perform
    ),
    p.REP_ASSIGN: Change(p.REP_ASSIGN, salesrep_views.assign, _assign_preview, _assign_perform),
    p.CONVERSATION_DONE: Change(
        p.CONVERSATION_DONE, communication_views.mark_done, _done_preview, _done_perform
    ),
}


# --- the token ------------------------------------------------------------------------------


def confirmation_token(request: ManufacturerRequest, intent: str, preview: Preview) -> str:
    payload = {
        "u": request.user.pk,
        "m": request.tenant.pk,
        "i": intent,
        "a": preview.args,
        "s": preview.state,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def preview_change(request: ManufacturerRequest, intent: str, args: dict[str, str]) -> Preview:
    """What the change would do now; raises PermissionDenied for a role the page refuses."""
    change = CHANGES[intent]
    require_page_roles(request, change.page_view)
    return change.preview(request, args)


def confirm_change(request: ManufacturerRequest, token: str, reason: str) -> Answer:
    """Check the token, re-read the state, and run the page's service."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationRefused(
            _("This confirmation has expired; nothing was changed. Ask again.")
        ) from None
    except signing.BadSignature:
        raise ConfirmationRefused(
            _("This confirmation is not valid; nothing was changed."), status=400
        ) from None
    if (
        not isinstance(payload, dict)
        or payload.get("u") != request.user.pk
        or payload.get("m") != request.tenant.pk
        or payload.get("i") not in CHANGES
        or not isinstance(payload.get("a"), dict)
    ):
        raise ConfirmationRefused(_("This confirmation is not valid; nothing was changed."))
    intent = payload["i"]
    if len(reason) > MAX_REASON:
        raise ConfirmationRefused(
            _("The reason is longer than %(max)d characters; nothing was changed.")
            % {"max": MAX_REASON}
        )
    try:
        preview = preview_change(request, intent, {str(k): str(v) for k, v in payload["a"].items()})
    except Unresolved as unresolved:
        raise ConfirmationRefused(
            _("Nothing was changed: %(reason)s") % {"reason": unresolved.message},
            status=409 if unresolved.kind == "refused" else unresolved.status,
        ) from None
    if preview.state != payload.get("s"):
        raise ConfirmationRefused(
            _("Something changed since this was shown to you; nothing was changed. Ask again."),
            status=409,
        )
    return CHANGES[intent].perform(request, preview, reason.strip())


__all__ = ["CHANGES", "ConfirmationRefused", "PermissionDenied", "confirm_change"]
