"""The communications inbox: triage every conversation with the channel's resellers.

Every member opens it; a sales rep sees only the customers in their portfolio. Replying,
commenting and marking are open to every member who sees the conversation; qualifying,
deleting messages and deleting conversations are for owners and managers (a rep gets 403).

Each action works as a plain POST (redirect with a flash) and in place with htmx: a card of
the inbox (`view=card`) or the thread of the detail page (`view=detail`) is re-rendered, and
`conversationsChanged` tells the tabs to refresh their counts. Bad input answers 400 with
the reason and changes nothing; a form submitted twice changes nothing the second time.
"""

from typing import TypedDict, cast

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from accounts.models import STAFF_ROLES, ManufacturerMembership
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from channel.benefits import priority_partnership_ids
from communications import selectors
from communications.forms import (
    AssignForm,
    CommentForm,
    InboxFilterForm,
    QualifyingForm,
    StaffReplyForm,
)
from communications.models import EMOJI_PALETTE, Conversation, MessageKind
from communications.services import deletion  # by module: the view message_delete has its name
from communications.services.comments import comment_add
from communications.services.conversations import (
    CommunicationRefused,
    DuplicateSubmission,
    staff_reply,
)
from communications.services.marks import (
    conversation_mark_done,
    conversation_unmark,
    message_set_emoji,
)
from communications.services.qualifying import (
    conversation_qualify,
    qualifying_update,
    requested_in,
)
from communications.services.team import clean_attachments, conversation_mark_read
from core.exceptions import DomainRefused
from core.http import safe_next
from core.listing import search_query
from qualifications.selectors import default_qualification
from qualifications.services import QualificationRefused

CHANGED_EVENT = "conversationsChanged"


class BoundForms(TypedDict, total=False):
    """The submitted forms a re-rendered thread shows with their errors."""

    reply: StaffReplyForm
    comment: CommentForm
    qualifying: QualifyingForm


def _detail_url(request: ManufacturerRequest, conversation_id: int) -> str:
    return reverse(
        "communications_manufacturer:detail",
        kwargs={"manufacturer_slug": request.tenant.slug, "conversation_id": conversation_id},
    )


def _inbox_url(request: ManufacturerRequest) -> str:
    return reverse(
        "communications_manufacturer:inbox", kwargs={"manufacturer_slug": request.tenant.slug}
    )


def _back(request: ManufacturerRequest, conversation_id: int | None) -> str:
    if target := safe_next(request, request.tenant):
        return target
    return _detail_url(request, conversation_id) if conversation_id else _inbox_url(request)


def _partial(
    request: ManufacturerRequest,
    conversation_id: int,
    *,
    notice: str = "",
    error: str = "",
    status: int = 200,
    forms: BoundForms | None = None,
) -> HttpResponse:
    """The re-rendered card or thread after an htmx action."""
    context: dict[str, object]
    if request.POST.get("view") == "detail":
        context = _detail_context(request, conversation_id, forms=forms)
        template = "communications/detail.html#conversation-thread"
    else:
        context = {
            "conversation": selectors.inbox_card(
                membership=request.membership, conversation_id=conversation_id
            ),
            "palette": EMOJI_PALETTE,
            "is_staff_role": request.membership.is_staff_role,
            "next_url": safe_next(request, request.tenant) or "",
            "now": timezone.now(),
        }
        template = "communications/inbox.html#conversation-card"
    context.update({"notice": notice, "error": error})
    response = render(request, template, context, status=status)
    if status == 200 and not error:
        trigger_client_event(response, CHANGED_EVENT)
    return response


def _done(
    request: ManufacturerRequest,
    conversation_id: int,
    success: str,
    *,
    forms: BoundForms | None = None,
) -> HttpResponse:
    if request.htmx:
        return _partial(request, conversation_id, notice=success, forms=forms)
    messages.success(request, success)
    return redirect(_back(request, conversation_id))


def _refused(
    request: ManufacturerRequest,
    conversation_id: int | None,
    error: DomainRefused,
    *,
    forms: BoundForms | None = None,
) -> HttpResponse:
    """A duplicate submission is answered kindly (the first one stands); any other refusal
    answers 400 with the reason. Nothing was changed either way."""
    text = error.user_message
    duplicate = isinstance(error, DuplicateSubmission)
    if request.htmx and conversation_id is not None:
        if duplicate:
            return _partial(request, conversation_id, notice=text)
        return _partial(request, conversation_id, error=text, status=400, forms=forms)
    if duplicate:
        messages.info(request, text)
        return redirect(_back(request, conversation_id))
    return render(
        request,
        "communications/refused.html",
        {"error": text, "back_url": _back(request, conversation_id)},
        status=400,
    )


# --- pages ---------------------------------------------------------------------------------


def member_choices(request: ManufacturerRequest) -> list[tuple[str, str]]:
    """(user id, name) of the team members a conversation may be given to."""
    return [
        (str(member.user_id), member.user.display_name)
        for member in selectors.assignable_members(manufacturer_id=request.tenant.pk)
    ]


def _rep_choices(members: list[ManufacturerMembership]) -> list[tuple[str, str]]:
    return [(str(m.user_id), m.user.display_name) for m in members if m.is_seller]


def _filters(
    request: ManufacturerRequest, members: list[ManufacturerMembership]
) -> tuple[InboxFilterForm, selectors.InboxFilters, str, str]:
    """The filter form (bound to the query string), the filters it allows, sort, layout."""
    form = InboxFilterForm(
        request.GET or None,
        sorts=[(sort.key, sort.label) for sort in selectors.SORTS],
        members=[(str(m.user_id), m.user.display_name) for m in members],
        reps=_rep_choices(members) if request.membership.is_staff_role else [],
    )
    rep = form.value("rep")
    filters = selectors.InboxFilters(
        kind=form.value("type"),
        assignee=form.value("assignee"),
        rep_id=int(rep) if rep else None,
        qualifying_status=form.value("qualifying"),
        unread_only=bool(form.value("unread", False)),
    )
    return form, filters, form.value("sort", selectors.DEFAULT_SORT), form.value("layout", "cards")


@manufacturer_view
@require_GET
def inbox(request: ManufacturerRequest) -> HttpResponse:
    tab_key = request.GET.get("tab", selectors.DEFAULT_TAB)
    if tab_key not in selectors.TABS_BY_KEY:
        tab_key = selectors.DEFAULT_TAB
    query = search_query(request)
    members = selectors.assignable_members(manufacturer_id=request.tenant.pk)
    filter_form, filters, sort, layout = _filters(request, members)
    rows = selectors.inbox_filter(
        selectors.conversation_search(
            selectors.visible_conversations(membership=request.membership), query
        ),
        filters,
        user_id=request.user.pk,
    )
    counts = selectors.tab_counts(rows)
    tabs = [
        {"key": tab.key, "label": tab.label, "count": counts[tab.key], "active": tab.key == tab_key}
        for tab in selectors.TABS
    ]
    context: dict[str, object] = {"tabs": tabs, "tab": tab_key, "q": query}
    if request.htmx and request.GET.get("partial") == "tabs":
        return render(request, "communications/inbox.html#inbox-tabs", context)
    page = selectors.inbox_page(
        rows.filter(selectors.TABS_BY_KEY[tab_key].q),
        user_id=request.user.pk,
        sort=sort,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        priority_ids=priority_partnership_ids(request.tenant.pk),
    )
    context.update(
        {
            "page": page,
            "palette": EMOJI_PALETTE,
            "is_staff_role": request.membership.is_staff_role,
            "next_url": request.get_full_path(),
            "filter_form": filter_form,
            "sort": sort,
            "layout": layout,
            "members": [(str(m.user_id), m.user.display_name) for m in members],
            "saved_views": selectors.saved_views(membership=request.membership),
            "current_query": request.GET.urlencode(),
            "now": timezone.now(),
        }
    )
    template = "communications/inbox.html"
    if request.htmx and not request.htmx.boosted:
        template += "#inbox-body"
    return render(request, template, context)


def _detail_context(
    request: ManufacturerRequest, conversation_id: int, *, forms: BoundForms | None = None
) -> dict[str, object]:
    conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    partnership = conversation.partnership
    forms = forms or {}
    return {
        "conversation": conversation,
        "partnership": partnership,
        "thread": selectors.conversation_thread(conversation),
        "comments": selectors.conversation_comments(conversation),
        "reseller_context": selectors.partnership_context(partnership),
        "reply_form": forms.get("reply") or StaffReplyForm(),
        "comment_form": forms.get("comment") or CommentForm(),
        "qualifying_form": forms.get("qualifying")
        or QualifyingForm(
            manufacturer=request.tenant, initial={"status": partnership.qualifying_status}
        ),
        "palette": EMOJI_PALETTE,
        "is_staff_role": request.membership.is_staff_role,
        "default_qualification": default_qualification(manufacturer=request.tenant),
        "assign_form": AssignForm(
            initial={"assignee": str(conversation.assignee_id or "")},
            members=member_choices(request),
        ),
        "requested": requested_in(conversation),
        "now": timezone.now(),
    }


@manufacturer_view
@require_GET
def detail(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    context = _detail_context(request, conversation_id)
    conversation = cast(Conversation, context["conversation"])
    conversation_mark_read(conversation=conversation, user=request.user)
    return render(request, "communications/detail.html", context)


# --- actions -------------------------------------------------------------------------------


@manufacturer_view
@require_POST
def reply(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    form = StaffReplyForm(request.POST)
    if not form.is_valid():
        error = CommunicationRefused([str(e) for errors in form.errors.values() for e in errors])
        return _refused(request, conversation.pk, error, forms={"reply": form})
    try:
        message = staff_reply(
            conversation=conversation,
            author=request.user,
            body=form.cleaned_data["body"],
            emoji=form.cleaned_data["emoji"],
            submission_key=form.cleaned_data["submission_key"],
            files=clean_attachments(request.FILES.getlist("attachments")),
        )
        conversation_mark_read(conversation=conversation, user=request.user)
    except CommunicationRefused as error:
        return _refused(request, conversation.pk, error, forms={"reply": form})
    text = (
        _("Internal reply saved with %(emoji)s: the reseller does not see it.")
        % {"emoji": message.emoji}
        if message.emoji
        else _("Reply sent to %(reseller)s.") % {"reseller": conversation.partnership.reseller.name}
    )
    return _done(request, conversation.pk, text)


@manufacturer_view
@require_POST
def comment(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    form = CommentForm(request.POST)
    if not form.is_valid():
        error = CommunicationRefused([str(e) for errors in form.errors.values() for e in errors])
        return _refused(request, conversation.pk, error, forms={"comment": form})
    try:
        comment_add(
            conversation=conversation,
            author=request.user,
            body=form.cleaned_data["body"],
            submission_key=form.cleaned_data["submission_key"],
        )
    except CommunicationRefused as error:
        return _refused(request, conversation.pk, error, forms={"comment": form})
    return _done(request, conversation.pk, _("Comment added. Only your team sees it."))


@manufacturer_view
@require_POST
def message_emoji(request: ManufacturerRequest, message_id: int) -> HttpResponse:
    message = selectors.access_message(membership=request.membership, message_id=message_id)
    emoji = request.POST.get("emoji", "")
    was_internal = message.is_hidden_from_reseller
    try:
        message = message_set_emoji(message=message, emoji=emoji)
    except CommunicationRefused as error:
        return _refused(request, message.conversation_id, error)
    if emoji and message.kind == MessageKind.STAFF and message.is_delivered:
        text = _(
            "Marked with %(emoji)s for your team. The message was already delivered: the "
            "reseller still sees it."
        ) % {"emoji": emoji}
    elif emoji and message.kind == MessageKind.STAFF:
        text = _("Marked with %(emoji)s: the reseller will not see this message.") % {
            "emoji": emoji
        }
    elif emoji:
        text = _("Marked with %(emoji)s.") % {"emoji": emoji}
    elif was_internal:
        text = _("Emoji removed: the message is now a reply the reseller reads.")
    else:
        text = _("Emoji removed.")
    return _done(request, message.conversation_id, text)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def message_delete(request: ManufacturerRequest, message_id: int) -> HttpResponse:
    message = selectors.access_message(membership=request.membership, message_id=message_id)
    try:
        deletion.message_delete(message=message)
    except CommunicationRefused as error:
        return _refused(request, message.conversation_id, error)
    return _done(request, message.conversation_id, _("Message deleted."))


@manufacturer_view
@require_POST
def mark_done(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    try:
        conversation_mark_done(conversation=conversation)
    except CommunicationRefused as error:
        return _refused(request, conversation.pk, error)
    return _done(request, conversation.pk, _("Marked as done ✅. It left New Leads."))


@manufacturer_view
@require_POST
def unmark(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    try:
        conversation_unmark(conversation=conversation)
    except CommunicationRefused as error:
        return _refused(request, conversation.pk, error)
    return _done(request, conversation.pk, _("Marks removed: it is a new lead again."))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def qualify(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    try:
        summary = conversation_qualify(conversation=conversation, user=request.user)
    except (CommunicationRefused, QualificationRefused) as error:
        return _refused(request, conversation.pk, error)
    return _done(
        request,
        conversation.pk,
        _("%(reseller)s qualified 👍: %(summary)s.")
        % {"reseller": conversation.partnership.reseller.name, "summary": summary},
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def qualifying(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    """More actions: grant a qualifying code and/or change the qualifying status."""
    conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    form = QualifyingForm(request.POST, manufacturer=request.tenant)
    if not form.is_valid():
        error = CommunicationRefused([str(e) for errs in form.errors.values() for e in errs])
        return _refused(request, conversation.pk, error, forms={"qualifying": form})
    try:
        done = qualifying_update(
            partnership=conversation.partnership,
            qualification=form.cleaned_data["qualification"],
            status=form.cleaned_data["status"],
            user=request.user,
            conversation=conversation,
        )
    except (CommunicationRefused, QualificationRefused) as error:
        return _refused(request, conversation.pk, error, forms={"qualifying": form})
    return _done(request, conversation.pk, _("Saved: %(what)s.") % {"what": done})


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def delete(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    conversation: Conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    reseller = conversation.partnership.reseller.name
    try:
        count = deletion.conversation_delete(conversation=conversation)
    except CommunicationRefused as error:
        return _refused(request, None, error)
    text = _("The conversation with %(reseller)s and its %(count)d messages were deleted.") % {
        "reseller": reseller,
        "count": count,
    }
    if request.htmx:
        response = HttpResponse("")
        trigger_client_event(response, CHANGED_EVENT)
        return response
    messages.success(request, text)
    target = safe_next(request, request.tenant)
    if not target or str(conversation_id) in target:
        return redirect(_inbox_url(request))
    return redirect(target)
