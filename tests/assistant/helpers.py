import re

from tests.assistant.conftest import ASK, CONFIRM

HTMX = {"HTTP_HX_REQUEST": "true"}


def ask(client, text, *, htmx=True, **extra):
    return client.get(ASK, {"q": text, **extra}, **(HTMX if htmx else {}))


def title(response) -> str:
    match = re.search(
        r'id="assistant-answer-title"[^>]*>(.*?)</h3>', response.content.decode(), re.S
    )
    assert match, response.content.decode()[:2000]
    return match.group(1).strip()


def token(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def confirm(client, value, *, htmx=True, **data):
    return client.post(CONFIRM, {"token": value, **data}, **(HTMX if htmx else {}))


def answer_html(response) -> str:
    """The answer without the recent requests below it (which repeat what was typed)."""
    return response.content.decode().split('class="assistant-recent')[0]
