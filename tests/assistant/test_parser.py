"""The parser, table-driven: every phrasing of `phrasings.py` must give its intent and
arguments; the held-out set is only measured (benchmark_pages prints it)."""

from datetime import date

import pytest

from assistant.evaluation import HELD_OUT, TODAY, accuracy
from assistant.languages import load_languages
from assistant.parser import (
    CHANGES,
    INTENT_ARGUMENTS,
    MAX_REQUEST_LENGTH,
    KeywordParser,
    ParsedRequest,
    RequestParser,
    get_parser,
)
from tests.assistant.phrasings import PHRASINGS


@pytest.mark.parametrize(("text", "intent", "args"), PHRASINGS, ids=[p[0][:60] for p in PHRASINGS])
def test_phrasing_gives_its_intent_and_arguments(text, intent, args):
    parsed = get_parser().parse(text, today=TODAY)
    assert (parsed.intent, parsed.args) == (intent, args)


def test_the_table_is_big_and_covers_every_intent_in_both_languages():
    assert len(PHRASINGS) >= 150
    assert len(HELD_OUT) >= 30
    assert not {text for text, _, _ in PHRASINGS} & {text for text, _, _ in HELD_OUT}
    for intent in INTENT_ARGUMENTS:
        languages = {
            get_parser().parse(text, today=TODAY).language
            for text, expected, _ in PHRASINGS
            if expected == intent
        }
        assert languages == {"en", "it"}, intent


def test_held_out_accuracy_is_measured_not_assumed():
    result = accuracy(HELD_OUT)
    assert result.total == len(HELD_OUT)
    # Not a target: a floor well below what it measures, so a broken parser fails here.
    assert result.share >= 0.8, result.misses


def test_every_change_intent_names_its_arguments():
    assert {
        "qualification.grant",
        "qualification.revoke",
        "rep.assign",
        "conversation.done",
    } == set(CHANGES)


def test_every_language_declares_every_intent():
    for code, language in load_languages().items():
        assert set(language["intents"]) == set(INTENT_ARGUMENTS), code
        for intent, rules in language["intents"].items():
            assert rules["examples"], (code, intent)


def test_a_long_request_is_cut_and_still_answered():
    text = "show me the open orders of soundhouse " + "x" * 10_000
    parsed = get_parser().parse(text, today=TODAY)
    assert parsed.intent == "orders.open"
    assert len(parsed.args["reseller"]) <= MAX_REQUEST_LENGTH


def test_markup_is_only_text():
    parsed = get_parser().parse('tell me about "<img src=x onerror=alert(1)>"', today=TODAY)
    assert parsed.intent == "reseller.profile"
    assert parsed.args == {"reseller": "<img src=x onerror=alert(1)>"}


def test_control_characters_and_null_bytes_are_spaces():
    parsed = get_parser().parse("open\x00orders\x1fof soundhouse", today=TODAY)
    assert (parsed.intent, parsed.args) == ("orders.open", {"reseller": "soundhouse"})


def test_nonsense_offers_the_closest_commands():
    parsed = get_parser().parse("qualification banana", today=TODAY)
    assert parsed.intent is None
    assert parsed.closest[:2] == ("qualification.grant", "qualification.revoke")


def test_a_future_since_is_not_a_date():
    parsed = get_parser().parse("what changed for soundhouse since 2099-01-01", today=TODAY)
    assert parsed.intent == "reseller.changes"
    assert "since" not in parsed.args


def test_the_users_language_wins_a_tie():
    # "top" and "stats" are words of both languages.
    assert get_parser().parse("stats 36G8J2Z", language="it", today=TODAY).language == "it"
    assert get_parser().parse("stats 36G8J2Z", language="en", today=TODAY).language == "en"


def test_periods_relative_to_today():
    parser = KeywordParser()
    day = date(2026, 2, 15)
    assert parser.parse("top resellers last quarter", today=day).args == {
        "period": "2025-10-01..2025-12-31"
    }
    assert parser.parse("top resellers in march", today=day).args == {
        "period": "2025-03-01..2025-03-31"
    }
    assert parser.parse("top resellers last week", today=day).args == {
        "period": "2026-02-02..2026-02-08"
    }


class _Model:
    """What a language model behind the seam would be: text in, intent and arguments out."""

    def parse(self, text, *, language=None, today=None):
        return ParsedRequest(intent="resellers.list", language=language or "en")


def test_the_seam_takes_any_parser():
    model: RequestParser = _Model()
    assert model.parse("whatever").intent == "resellers.list"
