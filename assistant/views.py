"""The command bar's two endpoints: ask (GET, any member) and confirm a change (POST).

Both answer htmx with the answer partial and a plain request with the full assistant page,
so the bar works without JavaScript. Every answer is built by the selectors and services
of the page it comes from (`assistant.answers`, `assistant.changes`); this module only
turns the request into words and the outcome into HTML.
"""

import copy
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from accounts.tenancy import ManufacturerRequest, manufacturer_view
from assistant import services
from assistant.answers import INTENT_LABELS, QUESTIONS, Answer
from assistant.changes import (
    CHANGES,
    MAX_REASON,
    ConfirmationRefused,
    confirm_change,
    confirmation_token,
    preview_change,
)
from assistant.parser import MAX_REQUEST_LENGTH, POPULAR, ParsedRequest, clean_text, get_parser
from assistant.resolve import Unresolved
from assistant.selectors import recent_requests

PAGE = "assistant/page.html"
ANSWER = "assistant/_answer.html"
# A picked candidate replaces the argument the request named ambiguously.
PICKS = {"reseller": "reseller_id", "rep": "rep_id"}
_PICK_VALUE = re.compile(r"^[A-Za-z0-9]{1,20}$")
# Links of a page's partial that are relative to that page ("?sort=name", "?page=2").
_RELATIVE_HREF = re.compile(r'href="\?')
_RELATIVE_HX = re.compile(r'\s(?:hx-get|hx-push-url|hx-target)="[^"]*"')


def _examples(intent: str, language: str) -> list[str]:
    from assistant.languages import load_languages

    languages = load_languages()
    spec = languages.get(language) or languages["en"]
    return list(spec["intents"][intent]["examples"])


def _suggestions(parsed: ParsedRequest) -> list[dict[str, Any]]:
    return [
        {"label": INTENT_LABELS[intent], "examples": _examples(intent, parsed.language)}
        for intent in (parsed.closest or POPULAR)
    ]


def _message(title: str, *, kind: str, status: int = 200, **context: Any) -> Answer:
    return Answer(
        title=title,
        template="assistant/answers/message.html",
        context=context,
        status=status,
        kind=kind,
    )


def _unresolved(request: ManufacturerRequest, text: str, unresolved: Unresolved) -> Answer:
    choices = [
        {
            "label": choice.label,
            "detail": choice.detail,
            "query": urlencode({"q": text, choice.arg: choice.value}),
        }
        for choice in unresolved.choices
    ]
    return Answer(
        title=unresolved.message,
        template="assistant/answers/clarify.html" if choices else "assistant/answers/message.html",
        context={"choices": choices, "suggestions": unresolved.suggestions},
        status=unresolved.status,
        kind=unresolved.kind,
    )


def _answer(request: ManufacturerRequest, text: str, raw: str) -> tuple[Answer, ParsedRequest]:
    language = (get_language() or "en")[:2]
    if len(raw) > MAX_REQUEST_LENGTH:
        parsed = ParsedRequest(intent=None, language=language)
        return _message(
            _("That request is longer than %(max)d characters. Ask in fewer words.")
            % {"max": MAX_REQUEST_LENGTH},
            kind="too_long",
            status=400,
        ), parsed
    parsed = get_parser().parse(text, language=language)
    if parsed.intent is None:
        return Answer(
            title=_("Sorry, I did not understand that."),
            template="assistant/answers/unknown.html",
            context={"suggestions": _suggestions(parsed), "text": text},
            kind="unknown",
        ), parsed
    args = dict(parsed.args)
    for name, arg in PICKS.items():
        picked = request.GET.get(name, "")
        if picked and _PICK_VALUE.match(picked):
            args.pop(name, None)
            args[arg] = picked.upper() if arg == "reseller_id" else picked
    try:
        if parsed.intent in CHANGES:
            preview = preview_change(request, parsed.intent, args)
            return Answer(
                title=preview.title,
                template="assistant/answers/confirm.html",
                context={
                    "preview": preview,
                    "token": confirmation_token(request, parsed.intent, preview),
                    "max_reason": MAX_REASON,
                },
                full_url=preview.full_url,
                full_label=_("Open the page instead"),
                kind="confirm",
            ), parsed
        return QUESTIONS[parsed.intent](request, args), parsed
    except Unresolved as unresolved:
        return _unresolved(request, text, unresolved), parsed
    except PermissionDenied as denied:
        return _message(str(denied) or _("Your role does not allow this."), kind="forbidden",
                        status=403), parsed  # fmt: skip


def _render_request(request: ManufacturerRequest, answer: Answer) -> ManufacturerRequest:
    """The request as the page's partial expects it: that page's path, no query of ours."""
    page_request = copy.copy(request)
    page_request.GET = QueryDict()
    if answer.full_url:
        page_request.path = urlsplit(answer.full_url).path
    return page_request


def _body(request: ManufacturerRequest, answer: Answer) -> str:
    html = str(
        render_to_string(
            answer.template,
            {"answer": answer, **answer.context},
            request=_render_request(request, answer),
        )
    )
    if answer.full_url:
        # The partial's sort and page links belong to its page: they open it.
        base = urlsplit(answer.full_url).path
        html = _RELATIVE_HX.sub("", html)
        html = _RELATIVE_HREF.sub(f'href="{base}?', html)
    return mark_safe(html)  # noqa: S308 - our own templates' output, escaped when rendered


def _respond(
    request: ManufacturerRequest, answer: Answer, *, text: str, status: int | None = None
) -> HttpResponse:
    context = {
        "answer": answer,
        "body": _body(request, answer),
        "q": text,
        "recent": list(recent_requests(membership=request.membership)),
    }
    template = ANSWER if request.htmx else PAGE
    return render(request, template, context, status=status or answer.status)


@manufacturer_view
@require_GET
def ask(request: ManufacturerRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    text = clean_text(raw)
    if not text:
        answer = Answer(
            title=_("Ask the portal"),
            template="assistant/answers/welcome.html",
            context={"suggestions": _suggestions(ParsedRequest(intent=None))},
            kind="welcome",
        )
        return _respond(request, answer, text="")
    answer, parsed = _answer(request, text, raw)
    if parsed.intent:
        services.recent_request_remember(
            manufacturer=request.tenant, user=request.user, text=text, intent=parsed.intent
        )
    return _respond(request, answer, text=text)


@manufacturer_view
@require_POST
def confirm(request: ManufacturerRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    reason = request.POST.get("reason", "")
    try:
        answer = confirm_change(request, token, reason)
    except PermissionDenied as denied:
        answer = _message(str(denied) or _("Your role does not allow this."), kind="forbidden",
                          status=403)  # fmt: skip
    except ConfirmationRefused as refused:
        answer = _message(refused.message, kind="refused", status=refused.status)
    if not request.htmx:
        if answer.kind == "done":
            messages.success(request, answer.title)
            return redirect(answer.full_url)
        return _respond(request, answer, text="")
    response = _respond(request, answer, text="")
    trigger_client_event(
        response,
        "showMessage",
        {"level": "success" if answer.kind == "done" else "danger", "message": answer.title},
    )
    return response
