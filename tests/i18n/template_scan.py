"""Finds user-visible text in templates that no translation tag wraps.

Django's template syntax is replaced first (translation blocks, comments and verbatim blocks
by nothing, every other tag and variable by a placeholder), then the HTML that remains is read:
its text nodes and the attributes a user reads or hears (title, placeholder, aria-label, alt,
the value of buttons, the content of a meta description) must hold no letters of their own.
String literals handed to another template (`with title="Orders"`) or to a filter
(`|default:"None"`) are user-visible text too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MARK = "\x00"
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description", "label"}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Text a translator has nothing to do with: symbols, units and marks that read the same in every
# language of the portal (HTML entities are decoded before this check).
NEUTRAL = re.compile(r"^(?:[\W\d_]|×|·|…|—|–|→|←|↑|↓|%|€|\$|x)*$", re.UNICODE)

# The product's mark, the same in every language.
BRANDS = {"CP"}
# A URL or path shown as such (`…/join/<token>/`).
PATH = re.compile(r"^[…./]*/[\w./:?=&#-]*$")
# A block whose content is a CSS class, not text.
CLASS_BLOCK_RE = re.compile(r"{%\s*block\s+\w*class\w*\s*%}.*?{%\s*endblock\b.*?%}", re.DOTALL)

BLOCK_RE = re.compile(
    r"{%-?\s*(blocktranslate|blocktrans|comment|verbatim)\b.*?%}.*?{%-?\s*end\1\s*-?%}",
    re.DOTALL,
)
SHORT_COMMENT_RE = re.compile(r"{#.*?#}", re.DOTALL)
TAG_RE = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
# `key="Literal"` in an include/with tag and `filter:"Literal"` in a variable.
LITERAL_IN_TAG_RE = re.compile(r"""(?:\b\w+=|\|\w+:)\s*(?P<q>["'])(?P<text>.*?)(?P=q)""")
TRANSLATED_LITERAL_RE = re.compile(r"""_\(\s*(["']).*?\1\s*\)""")
# Literals that are identifiers, not prose: a template name, a URL name, a CSS class, a format.
NON_PROSE_KEYS = re.compile(
    r"^(?:template|url|name|id|class|css|icon|kind|variant|size|target|partial|field|param|"
    r"param_name|sort|key|prefix|suffix_id|hx_\w*|attrs?|type|tone|color|colour|style|"
    r"date|time|format|fmt|role|mode|position|align)$"
)

LITERAL_FILTERS_NOT_TEXT = {"date", "time", "stringformat", "floatformat", "join", "cut", "add"}
# A lowercase word or dotted/slashed name: a template, a URL name, a field, a CSS class.
IDENTIFIER = re.compile(r"^[a-z0-9_.:/#-]*$")


@dataclass(frozen=True)
class Finding:
    template: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.text!r}"


def _blank(match: re.Match[str]) -> str:
    # Keep the line count so findings point at the right line.
    return "\n" * match.group(0).count("\n")


def _placeholder(match: re.Match[str]) -> str:
    return f" {MARK} " + "\n" * match.group(0).count("\n")


def is_prose(text: str) -> bool:
    if PATH.match(re.sub(rf"\s*{MARK}\s*", "", text).strip()):
        return False
    text = " ".join(text.replace(MARK, " ").split())
    if not text or not LETTER.search(text) or text in BRANDS:
        return False
    return not NEUTRAL.match(text)


# Code, and keys as printed on the keyboard (<kbd>Ctrl K</kbd>): not words to translate.
SKIPPED_TAGS = {"script", "style", "kbd"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skip += 1
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        for name, value in values.items():
            if name in VISIBLE_ATTRIBUTES and is_prose(value):
                self.found.append((line, f"{name}={value.strip()}"))
        is_button = tag == "button" or (
            tag == "input" and values.get("type", "").lower() in BUTTON_INPUT_TYPES
        )
        if is_button and tag == "input" and is_prose(values.get("value", "")):
            self.found.append((line, f"value={values['value'].strip()}"))
        if (
            tag == "meta"
            and values.get("name") == "description"
            and is_prose(values.get("content", ""))
        ):
            self.found.append((line, f"content={values['content'].strip()}"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_TAGS:
            self._skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._skip or not is_prose(data):
            return
        line = self.getpos()[0]
        self.found.append((line, " ".join(data.replace(MARK, " ").split())))


def _literals_in_tags(source: str) -> list[tuple[int, str]]:
    found = []
    for tag in TAG_RE.finditer(source):
        body = TRANSLATED_LITERAL_RE.sub("", tag.group(0))
        if re.match(
            r"{%\s*(?:translate|trans|url|static|load|extends|partialdef|partial|"
            r"block|endblock|csrf_token|now|firstof|cycle|templatetag)\b",
            body,
        ):
            continue
        for literal in LITERAL_IN_TAG_RE.finditer(body):
            key = literal.group(0).split("=")[0].split(":")[0].strip("|").strip()
            text = literal.group("text")
            if NON_PROSE_KEYS.match(key) or key in LITERAL_FILTERS_NOT_TEXT:
                continue
            if IDENTIFIER.match(text) or not is_prose(text):
                continue
            line = source.count("\n", 0, tag.start()) + 1
            found.append((line, f"{key}={text}"))
    return found


def scan_source(source: str, name: str = "<string>") -> list[Finding]:
    literals = _literals_in_tags(source)
    stripped = BLOCK_RE.sub(_blank, source)
    stripped = CLASS_BLOCK_RE.sub(_blank, stripped)
    stripped = SHORT_COMMENT_RE.sub(_blank, stripped)
    stripped = TAG_RE.sub(_placeholder, stripped)
    parser = _VisibleText()
    parser.feed(stripped)
    parser.close()
    found = sorted(set(parser.found + literals))
    return [Finding(name, line, text) for line, text in found]


def scan_directory(root: Path) -> list[Finding]:
    findings: list[Finding] = []
    for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.txt")):
        rel = str(path.relative_to(root))
        findings.extend(scan_source(path.read_text(encoding="utf-8"), rel))
    return findings
