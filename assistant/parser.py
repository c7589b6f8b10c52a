"""Text in, intent and arguments out.

`RequestParser` is the seam: anything that turns a request into a `ParsedRequest` (this
keyword parser, or a language model later) plugs in behind it, and the rest of the
assistant (resolution, answers, the confirmation of changes) stays the same.

`KeywordParser` knows no words of its own: each language is a data module under
`assistant/languages/`. It reads the request in every language it knows and keeps the one
that understands it best. Keywords match with typos (rapidfuzz), in any word order; reseller
IDs (36G8J2Z) and qualification IDs (PRO-AV-CERTIFIED) match exactly, with or without quotes;
periods ("last quarter", "since March", "in October") become dates (dateparser for the
free-form ones). Names are returned as typed: `assistant.resolve` matches them approximately
against what the user may see.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any, Protocol

import dateparser  # type: ignore[import-untyped]
from rapidfuzz import fuzz

from assistant.languages import load_languages

MAX_REQUEST_LENGTH = 500

# The intents and the arguments each one takes (the languages only name them).
RESELLERS_LIST = "resellers.list"
RESELLER_PROFILE = "reseller.profile"
RESELLER_STATISTICS = "reseller.statistics"
QUALIFICATION_GRANT = "qualification.grant"
QUALIFICATION_REVOKE = "qualification.revoke"
REP_ASSIGN = "rep.assign"
CONVERSATION_DONE = "conversation.done"
ORDERS_OPEN = "orders.open"
ORDERS_AWAITING = "orders.awaiting"
CONVERSATIONS_WAITING = "conversations.waiting"
PAYOUTS_DUE = "payouts.due"
REP_PORTFOLIO = "rep.portfolio"
RESELLERS_UNASSIGNED = "resellers.unassigned"
RESELLERS_TOP = "resellers.top"
RESELLER_CHANGES = "reseller.changes"

INTENT_ARGUMENTS: dict[str, tuple[str, ...]] = {
    RESELLERS_LIST: (),
    RESELLER_PROFILE: ("reseller",),
    RESELLER_STATISTICS: ("reseller", "period"),
    QUALIFICATION_GRANT: ("reseller", "qualification"),
    QUALIFICATION_REVOKE: ("reseller", "qualification"),
    REP_ASSIGN: ("reseller", "rep"),
    CONVERSATION_DONE: ("conversation",),
    ORDERS_OPEN: ("reseller",),
    ORDERS_AWAITING: (),
    CONVERSATIONS_WAITING: (),
    PAYOUTS_DUE: (),
    REP_PORTFOLIO: ("rep",),
    RESELLERS_UNASSIGNED: (),
    RESELLERS_TOP: ("period",),
    RESELLER_CHANGES: ("reseller", "since"),
}
CHANGES = frozenset({QUALIFICATION_GRANT, QUALIFICATION_REVOKE, REP_ASSIGN, CONVERSATION_DONE})
# What "closest commands" offers when nothing else comes close.
POPULAR = (RESELLERS_LIST, RESELLER_STATISTICS, QUALIFICATION_GRANT)
ME = "me"


@dataclass(frozen=True)
class ParsedRequest:
    """What a request asks. `args` holds strings only (it is signed into confirmations):
    `reseller_id` (exact) or `reseller` (a name as typed), `qualification` (an ID),
    `rep` (a name, or "me"), `conversation` (a number), `period` ("2026-09-01..2026-11-30"),
    `since` ("2026-03-01")."""

    intent: str | None
    args: dict[str, str] = field(default_factory=dict)
    language: str = "en"
    score: int = 0
    closest: tuple[str, ...] = ()


class RequestParser(Protocol):
    """The seam: a request's text in, its intent and arguments out."""

    def parse(
        self, text: str, *, language: str | None = None, today: date | None = None
    ) -> ParsedRequest: ...


# --- text -----------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DOUBLE_QUOTED = re.compile(r'"([^"]{1,200})"')
_SINGLE_QUOTED = re.compile(r"(?<![\w])'([^']{1,200})'(?![\w])")
_RESELLER_ID = re.compile(r"^(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{7}$")
_ANY_ID = re.compile(r"^[A-Za-z0-9]{7}$")
_CODE = re.compile(r"^(?=.*[a-z])[a-z0-9]+(?:[-_][a-z0-9]+)+$")
_NUMBER = re.compile(r"^#?(\d{1,9})$")
_TOKEN = re.compile(r"[\w✅@#&.-]+")
_POSSESSIVE = re.compile(r"(\w)'s\b")


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text or "")).translate(_QUOTES)
    return " ".join(text.split())[:MAX_REQUEST_LENGTH]


def _strip_punctuation(token: str) -> str:
    return token.strip(".,;:!?()[]{}<>")


@dataclass
class _Token:
    text: str  # lower case
    original: str
    kind: str = "word"  # word | quoted | id | code | number | gap
    used: bool = False  # consumed by a keyword, a stopword or a slot word
    slot_word: str = ""  # the slot this word introduces ("rep", "reseller"…)


# --- periods --------------------------------------------------------------------------------


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _month_end(date(year, month + 1, 1)).day))


@cache
def _dateparser_settings(today: date) -> dict[str, Any]:
    return {
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),  # noqa: DTZ001
        "DATE_ORDER": "DMY",
    }


def _read_date(text: str, *, language: str, today: date) -> tuple[date, int] | None:
    """The date at the start of `text` and how many words it took (the longest that reads)."""
    words = text.split()[:5]
    for count in range(len(words), 0, -1):
        candidate = " ".join(words[:count]).strip(".,;:!?")
        if not candidate or candidate in {"the", "il", "la", "l'"}:
            continue
        parsed = dateparser.parse(
            candidate,
            languages=[language],
            settings=_dateparser_settings(today),
        )
        if parsed is not None:
            return parsed.date(), count
    return None


def _period(kind: str, groups: tuple[str, ...], language: dict[str, Any], today: date):
    """(start, end) of a period expression, or None when its dates do not read."""
    code = language["code"]
    if kind in {"days", "weeks", "months"}:
        raw = groups[0]
        count = 1 if not raw.isdigit() else int(raw)
        if count < 1 or count > 3660:
            return None
        if kind == "days":
            return today - timedelta(days=count - 1), today
        if kind == "weeks":
            return today - timedelta(weeks=count) + timedelta(days=1), today
        return _months_back(today, count) + timedelta(days=1), today
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    quarter_start = _quarter_start(today)
    simple = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "this_week": (week_start, today),
        "last_week": (week_start - timedelta(days=7), week_start - timedelta(days=1)),
        "this_month": (month_start, today),
        "last_month": (
            (month_start - timedelta(days=1)).replace(day=1),
            month_start - timedelta(days=1),
        ),
        "this_quarter": (quarter_start, today),
        "last_quarter": (
            _quarter_start(quarter_start - timedelta(days=1)),
            quarter_start - timedelta(days=1),
        ),
        "this_year": (date(today.year, 1, 1), today),
        "last_year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }
    if kind in simple:
        return simple[kind]
    if kind == "month":
        name = groups[0]
        for number, names in enumerate(language["months"], start=1):
            if name in names:
                year = today.year if number <= today.month else today.year - 1
                start = date(year, number, 1)
                return start, min(_month_end(start), today)
        return None
    if kind == "between":
        first = _read_date(groups[0], language=code, today=today)
        second = _read_date(groups[1], language=code, today=today)
        if first is None or second is None or first[0] > second[0]:
            return None
        return first[0], second[0]
    return None


# --- the parser -----------------------------------------------------------------------------


def _transposed(token: str, word: str) -> bool:
    """Whether `token` is `word` with two neighbouring letters swapped ("oepn")."""
    if len(token) != len(word) or len(word) < 3 or token == word:
        return False
    diff = [i for i, (a, b) in enumerate(zip(token, word, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and token[diff[0]] == word[diff[1]]
        and (token[diff[1]] == word[diff[0]])
    )


def _close(token: str, word: str) -> bool:
    """A typo of `word`: a swap of neighbours, or (for longer words) a letter or two off.
    The first letter must be right: "unassigned" is not a typo of "assigned"."""
    if _transposed(token, word):
        return True
    if len(word) < 5 or len(token) < 4 or token[0] != word[0]:
        return False
    return fuzz.ratio(token, word) >= 86


@lru_cache(maxsize=65536)
def _word_matches(token: str, keyword: str) -> bool:
    if keyword.endswith("*"):
        stem = keyword[:-1]
        if token.startswith(stem):
            return True
        if len(stem) < 4 or len(token) < len(stem) - 1:
            return False
        return any(_close(token[:size], stem) for size in (len(stem) - 1, len(stem), len(stem) + 1))
    return token == keyword or _close(token, keyword)


class KeywordParser:
    """The offline parser: keywords, synonyms and phrase patterns of each language (data)."""

    def __init__(self, languages: dict[str, dict[str, Any]] | None = None) -> None:
        self.languages = languages or load_languages()

    def parse(
        self, text: str, *, language: str | None = None, today: date | None = None
    ) -> ParsedRequest:
        from django.utils import timezone

        today = today or timezone.localdate()
        text = clean_text(text)
        preferred = language if language in self.languages else "en"
        if not text:
            return ParsedRequest(intent=None, language=preferred, closest=POPULAR)
        readings = [
            self._read(text, spec, today=today)
            for code, spec in sorted(self.languages.items(), key=lambda item: item[0] != preferred)
        ]
        understood = [reading for reading in readings if reading.intent]
        if not understood:
            best = readings[0]
            return ParsedRequest(
                intent=None, args={}, language=preferred, closest=best.closest or POPULAR
            )
        return max(understood, key=lambda reading: reading.score)  # first wins a tie

    # -- one language --

    def _tokens(
        self, text: str, spec: dict[str, Any], *, today: date
    ) -> tuple[list[_Token], dict[str, str]]:
        """The request as tokens, with quoted strings, IDs, codes, numbers and periods
        recognised; periods go straight into the arguments."""
        found: dict[str, str] = {}
        quoted: list[str] = []

        def keep_quote(match: re.Match[str]) -> str:
            quoted.append(match.group(1).strip())
            return f" @q{len(quoted) - 1} "

        work = _DOUBLE_QUOTED.sub(keep_quote, text)
        work = _SINGLE_QUOTED.sub(keep_quote, work)
        work = _POSSESSIVE.sub(r"\1", work)
        lower = work.lower()
        for pattern, kind in spec["periods"]:
            match = re.search(pattern, lower)
            if match is None:
                continue
            if kind == "since":
                read = _read_date(match.group(1), language=spec["code"], today=today)
                if read is None or read[0] > today:
                    continue
                found["since"] = read[0].isoformat()
                words = match.group(1).split()[: read[1]]
                end = match.start(1) + len(" ".join(words))
                span = (match.start(), end)
            else:
                period = _period(kind, match.groups(), spec, today)
                if period is None:
                    continue
                found["period"] = f"{period[0].isoformat()}..{period[1].isoformat()}"
                span = match.span()
            # Keep the original casing outside the period, mark where it was.
            work = work[: span[0]] + " | " + work[span[1] :]
            lower = work.lower()
            break
        work = work.replace("'", " ")
        tokens: list[_Token] = []
        for raw in _TOKEN.findall(work):
            original = _strip_punctuation(raw)
            if not original:
                continue
            lowered = original.lower()
            if re.fullmatch(r"@q\d+", lowered):
                value = quoted[int(lowered[2:])]
                kind = "quoted"
                if _ANY_ID.match(value):
                    kind = "id"
                elif _CODE.match(value.lower()) or (
                    " " not in value and value.isupper() and len(value) > 2
                ):
                    kind = "code"
                tokens.append(_Token(value.lower(), value, kind=kind))
                continue
            if _RESELLER_ID.match(original):
                tokens.append(_Token(lowered, original, kind="id"))
            elif _CODE.match(lowered) and not re.fullmatch(r"[\d-]+", lowered):
                tokens.append(_Token(lowered, original, kind="code"))
            elif _NUMBER.match(lowered):
                tokens.append(_Token(lowered.lstrip("#"), original, kind="number"))
            else:
                tokens.append(_Token(lowered, original))
        # A 7-character word right after "ID" is a reseller ID even without digits.
        for before, token in pairwise(tokens):
            if before.text == "id" and token.kind == "word" and _ANY_ID.match(token.original):
                token.kind = "id"
        return tokens, found

    def _match_group(self, tokens: list[_Token], group: list[str], markers: set[str]) -> list[int]:
        """Indices of the tokens that match synonyms of `group` (empty: no match; a marker
        such as "@code" matches as index -1)."""
        found: list[int] = []
        for synonym in group:
            if synonym.startswith("@"):
                if synonym in markers:
                    found.append(-1)
                continue
            words = synonym.split()
            if len(words) == 1:
                found.extend(
                    i
                    for i, t in enumerate(tokens)
                    if t.kind == "word" and _word_matches(t.text, synonym)
                )
                continue
            for start in range(len(tokens) - len(words) + 1):
                window = tokens[start : start + len(words)]
                if all(
                    t.kind == "word" and _word_matches(t.text, w)
                    for t, w in zip(window, words, strict=True)
                ):
                    found.extend(range(start, start + len(words)))
        return found

    def _read(self, text: str, spec: dict[str, Any], *, today: date) -> ParsedRequest:
        tokens, found = self._tokens(text, spec, today=today)
        markers = {f"@{t.kind}" for t in tokens if t.kind != "word"}
        if "since" in found or "period" in found:
            markers.add("@since")
        best: tuple[int, str, list[int]] | None = None
        partial: list[tuple[float, str]] = []
        for intent, rules in spec["intents"].items():
            if any(self._match_group(tokens, g, markers) for g in rules.get("none", [])):
                continue
            required = [self._match_group(tokens, g, markers) for g in rules["all"]]
            matched = sum(1 for indices in required if indices)
            partial.append((matched / len(required), intent))
            if matched < len(required):
                continue
            optional = [self._match_group(tokens, g, markers) for g in rules.get("any", [])]
            # A generic intent (the directory) yields to any specific one that also matches.
            weight = 1 if rules.get("generic") else 2
            score = weight * len(required) + sum(1 for indices in optional if indices)
            used = [i for indices in required + optional for i in indices if i >= 0]
            if best is None or score > best[0]:
                best = (score, intent, used)
        partial.sort(key=lambda item: -item[0])
        closest = tuple(intent for share, intent in partial if share > 0)[:3]
        if best is None:
            # A reseller named by its ID or in quotes, and nothing else: its profile.
            if any(t.kind in {"id", "quoted"} for t in tokens):
                best = (1, RESELLER_PROFILE, [])
            else:
                return ParsedRequest(intent=None, language=spec["code"], closest=closest)
        score, intent, used = best
        for index in used:
            tokens[index].used = True
        args = self._arguments(tokens, spec, intent, found, today=today)
        with_reseller = spec["intents"].get(intent, {}).get("with_reseller")
        if with_reseller and ("reseller" in args or "reseller_id" in args):
            intent = with_reseller
        args = {
            key: value
            for key, value in args.items()
            if key in INTENT_ARGUMENTS[intent]
            or (key == "reseller_id" and "reseller" in INTENT_ARGUMENTS[intent])
        }
        # Between languages that both understand, the one that knows more of the words wins.
        known = sum(1 if t.used or t.kind != "word" else -1 for t in tokens) + 2 * len(found)
        return ParsedRequest(
            intent=intent,
            args=args,
            language=spec["code"],
            score=score * 1000 + known,
            closest=closest,
        )

    def _arguments(
        self,
        tokens: list[_Token],
        spec: dict[str, Any],
        intent: str,
        found: dict[str, str],
        *,
        today: date,
    ) -> dict[str, str]:
        args: dict[str, str] = {}
        wanted = INTENT_ARGUMENTS.get(intent, ())
        if spec["intents"].get(intent, {}).get("with_reseller"):
            wanted = (*wanted, *INTENT_ARGUMENTS[spec["intents"][intent]["with_reseller"]])
        stopwords = set(spec["stopwords"])
        slot_words = {word: slot for slot, words in spec["slots"].items() for word in words}
        reseller_words = spec["intents"]["resellers.list"]["all"][0]
        for token in tokens:
            if token.kind != "word":
                continue
            if token.text in slot_words:
                token.slot_word = slot_words[token.text]
                token.used = True
            if token.text in stopwords or any(_word_matches(token.text, w) for w in reseller_words):
                token.used = True
        ids = [t for t in tokens if t.kind == "id"]
        if ids:
            args["reseller_id"] = ids[0].original.upper()
        codes = [t for t in tokens if t.kind == "code"]
        if codes:
            args["qualification"] = codes[0].original.upper()
        numbers = [t for t in tokens if t.kind == "number"]
        if numbers and "conversation" in wanted:
            args["conversation"] = numbers[0].text
        # Runs of the words left, each with the slot word that came before it.
        segments: list[tuple[str, str]] = []
        current: list[str] = []
        slot = ""
        for token in tokens:
            if token.kind in {"word", "quoted"} and not token.used:
                current.append(token.original)
                continue
            if current:
                segments.append((slot, " ".join(current)))
                current, slot = [], ""
            if token.slot_word:
                slot = token.slot_word
        if current:
            segments.append((slot, " ".join(current)))
        me_words = set(spec["me"])
        names = [(s, value.strip(" -&.")) for s, value in segments if value.strip(" -&.")]
        if "qualification" in wanted and "qualification" not in args:
            for index, (s, value) in enumerate(names):
                if s == "qualification" and " " not in value:
                    args["qualification"] = value.upper()
                    names.pop(index)
                    break
        if "rep" in wanted:
            rep_names = [value for s, value in names if s == "rep"]
            others = [value for s, value in names if s != "rep"]
            if intent == REP_PORTFOLIO:
                rep_names, others = [*rep_names, *others], []
            elif not rep_names and len(others) > 1 and "reseller_id" not in args:
                rep_names = [others.pop()]
            elif not rep_names and others and "reseller_id" in args:
                rep_names, others = others, []
            if rep_names:
                args["rep"] = " ".join(rep_names).lower()
            elif intent == REP_PORTFOLIO and any(t.text in me_words for t in tokens):
                args["rep"] = ME
            names = [("", value) for value in others]
        if "reseller" in wanted and "reseller_id" not in args and names:
            args["reseller"] = " ".join(value for _, value in names).lower()
        if "period" in found:
            if "period" in wanted:
                args["period"] = found["period"]
            elif "since" in wanted:
                args["since"] = found["period"].split("..")[0]
        if "since" in found:
            if "since" in wanted:
                args["since"] = found["since"]
            elif "period" in wanted:
                args["period"] = f"{found['since']}..{today.isoformat()}"
        return args


_default_parser: RequestParser | None = None


def get_parser() -> RequestParser:
    """The parser in use (one per process: the language data is read once)."""
    global _default_parser
    if _default_parser is None:
        _default_parser = KeywordParser()
    return _default_parser
