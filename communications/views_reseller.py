"""A reseller's conversations with one manufacturer: read, start one of any type, reply.

The reseller never sees staff comments, marks, or staff messages written with an emoji and
never delivered (selectors.reseller_thread is the only way these pages read messages). What
the thread shows is delivered: no emoji hides it again.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.tenancy import ResellerPartnerRequest, reseller_partner_view
from communications import selectors
from communications.forms import NewConversationForm, ReplyForm
from communications.models import MessageKind
from communications.services.conversations import (
    CommunicationRefused,
    DuplicateSubmission,
    conversation_start,
    messages_mark_delivered,
    reseller_reply,
)
from core.listing import paginate


def _kwargs(request: ResellerPartnerRequest, **extra: object) -> dict[str, object]:
    return {
        "reseller_public_id": request.reseller.public_id,
        "manufacturer_slug": request.tenant.slug,
        **extra,
    }


@reseller_partner_view
@require_http_methods(["GET"])
def conversation_list(request: ResellerPartnerRequest) -> HttpResponse:
    rows = selectors.reseller_conversations(partnership=request.partnership)
    context = {"page_obj": paginate(request, rows), "partnership": request.partnership}
    return render(request, "communications/reseller_list.html", context)


@reseller_partner_view
@require_http_methods(["GET", "POST"])
def conversation_new(request: ResellerPartnerRequest) -> HttpResponse:
    initial = {"kind": request.GET.get("type")} if request.GET.get("type") else None
    form = NewConversationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                conversation = conversation_start(
                    partnership=request.partnership,
                    kind=form.cleaned_data["kind"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    author=request.user,
                    submission_key=form.cleaned_data["submission_key"],
                )
            except DuplicateSubmission as error:
                messages.info(request, " ".join(error.messages))
                return redirect(reverse("communications_reseller:list", kwargs=_kwargs(request)))
            except CommunicationRefused as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your message was sent to %(manufacturer)s.")
                    % {"manufacturer": request.tenant.name},
                )
                return redirect(
                    reverse(
                        "communications_reseller:detail",
                        kwargs=_kwargs(request, conversation_id=conversation.pk),
                    )
                )
    return render(request, "communications/reseller_new.html", {"form": form}, status=status)


@reseller_partner_view
@require_http_methods(["GET", "POST"])
def conversation_detail(request: ResellerPartnerRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.reseller_access_conversation(
        partnership=request.partnership, conversation_id=conversation_id
    )
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                reseller_reply(
                    conversation=conversation,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    submission_key=form.cleaned_data["submission_key"],
                )
            except DuplicateSubmission as error:
                messages.info(request, " ".join(error.messages))
                return redirect(request.path)
            except CommunicationRefused as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Reply sent."))
                return redirect(request.path)
    thread = selectors.reseller_thread(conversation)
    # Shown to the reseller: from now on no emoji hides these staff messages again.
    messages_mark_delivered(
        message_ids=[m.pk for m in thread if m.kind == MessageKind.STAFF and not m.is_delivered]
    )
    context = {"conversation": conversation, "thread": thread, "form": form}
    return render(request, "communications/reseller_detail.html", context, status=status)
