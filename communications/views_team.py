"""The team inbox's own pages and actions: start a conversation, assign, bulk actions, mark
unread, saved views, and attachment downloads. Every conversation is reached through the
member's visibility (a rep, their portfolio); an id outside it is one 404, or, in a bulk
action, a refusal that changes nothing."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from channel.selectors import access_partnership
from communications import selectors
from communications.forms import AssignForm, SavedViewForm, StaffNewConversationForm
from communications.services.conversations import CommunicationRefused, DuplicateSubmission
from communications.services.team import (
    BulkAction,
    clean_attachments,
    conversation_assign,
    conversation_mark_unread,
    conversations_bulk,
    file_response,
    saved_view_delete,
    saved_view_save,
    staff_conversation_start,
)
from communications.views import _done, _inbox_url, _refused, member_choices

# The query-string keys a saved view keeps (never a cursor or a partial).
VIEW_KEYS = ("tab", "q", "sort", "type", "assignee", "rep", "qualifying", "unread", "layout")


def _member(request: ManufacturerRequest, user_id: str) -> User | None:
    """A member of this tenant by id (for an assignee), None for "nobody"; 404 for others."""
    if not user_id:
        return None
    for member in selectors.assignable_members(manufacturer_id=request.tenant.pk):
        if str(member.user_id) == user_id:
            return member.user
    raise Http404(_("No such team member."))


@manufacturer_view
@require_http_methods(["GET", "POST"])
def conversation_new(request: ManufacturerRequest) -> HttpResponse:
    """Write to a partner first (from the inbox, or the profile with ?reseller=<ID>)."""
    initial = {"reseller": request.GET.get("reseller", "")[:7]}
    form = StaffNewConversationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                partnership = access_partnership(
                    manufacturer=request.tenant,
                    membership=request.membership,
                    public_id=form.cleaned_data["reseller"],
                )
            except Http404:
                form.add_error(
                    "reseller", _("No reseller with this ID is among the partners you can see.")
                )
            else:
                try:
                    conversation = staff_conversation_start(
                        partnership=partnership,
                        kind=form.cleaned_data["kind"],
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                        author=request.user,
                        submission_key=form.cleaned_data["submission_key"],
                        files=clean_attachments(request.FILES.getlist("attachments")),
                    )
                except DuplicateSubmission as error:
                    messages.info(request, error.user_message)
                    return redirect(_inbox_url(request))
                except CommunicationRefused as error:
                    form.add_error(None, error.user_message)
                else:
                    messages.success(
                        request,
                        _("Your message was sent to %(reseller)s.")
                        % {"reseller": partnership.reseller.name},
                    )
                    return redirect(
                        "communications_manufacturer:detail",
                        manufacturer_slug=request.tenant.slug,
                        conversation_id=conversation.pk,
                    )
    return render(request, "communications/new.html", {"form": form}, status=status)


@manufacturer_view
@require_POST
def assign(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    form = AssignForm(request.POST, members=member_choices(request))
    if not form.is_valid():
        return _refused(
            request,
            conversation.pk,
            CommunicationRefused(_("Choose a member of your team, or nobody.")),
        )
    assignee = _member(request, form.cleaned_data["assignee"])
    try:
        changed = conversation_assign(conversation=conversation, assignee=assignee, by=request.user)
    except CommunicationRefused as error:
        return _refused(request, conversation.pk, error)
    if not changed:
        text = _("Nothing changed: it was already so.")
    elif assignee is None:
        text = _("Nobody looks after this conversation now.")
    else:
        text = _("Assigned to %(name)s.") % {"name": assignee.display_name}
    return _done(request, conversation.pk, text)


@manufacturer_view
@require_POST
def mark_unread(request: ManufacturerRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.access_conversation(
        membership=request.membership, conversation_id=conversation_id
    )
    conversation_mark_unread(conversation=conversation, user=request.user)
    return _done(request, conversation.pk, _("Marked as unread, for you."))


def _selected_ids(request: ManufacturerRequest) -> list[int] | None:
    """The selected conversation ids, or None when one of them is not a number."""
    ids = []
    for value in request.POST.getlist("ids"):
        if not value.isdigit() or len(value) > 12:
            return None
        ids.append(int(value))
    return list(dict.fromkeys(ids))


@manufacturer_view
@require_POST
def bulk(request: ManufacturerRequest) -> HttpResponse:
    """One action on the selected conversations, all or nothing: a selected id the member
    cannot see (another tenant's, another rep's, a forged one) refuses the whole action."""
    action = request.POST.get("action", "")
    ids = _selected_ids(request)
    back = request.POST.get("next", "")
    target = back if back.startswith(_inbox_url(request)) else _inbox_url(request)
    nothing = _("Nothing was changed.")
    if ids is None:
        return _bulk_refused(request, target, _("The selection is not valid.") + " " + nothing)
    rows = list(selectors.visible_conversations(membership=request.membership).filter(pk__in=ids))
    if len(rows) != len(ids):
        return _bulk_refused(
            request,
            target,
            _("One or more selected conversations do not exist or are not yours to change.")
            + " "
            + nothing,
        )
    assignee = None
    if action == BulkAction.ASSIGN:
        try:
            assignee = _member(request, request.POST.get("assignee", ""))
        except Http404:
            return _bulk_refused(
                request, target, _("Choose a member of your team.") + " " + nothing
            )
    try:
        result = conversations_bulk(
            conversations=rows,
            action=action,
            by=request.user,
            assignee=assignee,
            emoji=request.POST.get("emoji", ""),
        )
    except CommunicationRefused as error:
        return _bulk_refused(request, target, error.user_message + " " + nothing)
    messages.success(
        request,
        ngettext(
            "%(changed)d conversation changed (%(unchanged)d already were so).",
            "%(changed)d conversations changed (%(unchanged)d already were so).",
            result.changed,
        )
        % {"changed": result.changed, "unchanged": result.unchanged},
    )
    return redirect(target)


def _bulk_refused(request: ManufacturerRequest, back: str, text: str) -> HttpResponse:
    return render(
        request, "communications/refused.html", {"error": text, "back_url": back}, status=400
    )


@manufacturer_view
@require_POST
def view_save(request: ManufacturerRequest) -> HttpResponse:
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _bulk_refused(request, _inbox_url(request), error)
    kept = {}
    submitted = QueryDict(form.cleaned_data["query"])
    for key in VIEW_KEYS:
        if submitted.get(key):
            kept[key] = submitted.get(key, "")[:200]
    if any(ord(c) < 32 for value in kept.values() for c in value):
        return _bulk_refused(request, _inbox_url(request), _("These filters cannot be saved."))
    try:
        view = saved_view_save(
            membership=request.membership, name=form.cleaned_data["name"], query=urlencode(kept)
        )
    except CommunicationRefused as error:
        return _bulk_refused(request, _inbox_url(request), error.user_message)
    messages.success(request, _("View “%(name)s” saved. Only you see it.") % {"name": view.name})
    return redirect(f"{_inbox_url(request)}?{view.query}")


@manufacturer_view
@require_POST
def view_delete(request: ManufacturerRequest, view_id: int) -> HttpResponse:
    view = selectors.access_saved_view(membership=request.membership, view_id=view_id)
    name = view.name
    saved_view_delete(view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": name})
    return redirect(_inbox_url(request))


@manufacturer_view
def attachment_download(request: ManufacturerRequest, attachment_id: int) -> FileResponse:
    attachment = selectors.access_attachment(
        membership=request.membership, attachment_id=attachment_id
    )
    return file_response(attachment)
