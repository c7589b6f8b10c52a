"""The languages the assistant understands, each a data module (see `en.py`).

A language is added as data: a module here with a `LANGUAGE` of the same shape, named in
`LANGUAGE_MODULES`. Nothing else changes.

The shape of `LANGUAGE` (every string lower case, accents kept):

- `code`: the language code (also what dateparser is told).
- `stopwords`: words that carry no argument ("the", "me", "please").
- `intents`: {intent name: {"all": [[synonyms], …], "any": [[synonyms], …],
  "none": [[synonyms], …], "examples": [phrasing, …], "generic": bool}}. Every group of
  "all" must match,
  any of "any" adds to the score, one of "none" rules the intent out. A synonym is a word,
  a phrase of several words, a stem ending in `*` ("rivendit*"), or a marker of what the
  request holds (`@code` a qualification ID, `@id` a reseller ID, `@number`, `@since` a
  period). A generic intent (the directory) yields to any specific one that also matches.
- `slots`: the words that introduce an argument: {"reseller": […], "qualification": […],
  "rep": […], "conversation": […]}. The words after one of them, up to the next keyword,
  are that argument ("to Sara", "qualifica PRO-AV").
- `periods`: [(regular expression, kind)]: kinds are `days`, `weeks`, `months` (the match's
  first group is the count), `this_week`, `last_week`, `this_month`, `last_month`,
  `this_quarter`, `last_quarter`, `this_year`, `last_year`, `today`, `yesterday`,
  `since` (the first group is a date dateparser reads), `month` (the first group names a
  month), `between` (two dates).
- `me`: the words by which a user means themself ("my portfolio").
"""

from importlib import import_module
from typing import Any

LANGUAGE_MODULES = ("assistant.languages.en", "assistant.languages.it")


def load_languages() -> dict[str, dict[str, Any]]:
    languages: dict[str, dict[str, Any]] = {}
    for name in LANGUAGE_MODULES:
        language = import_module(name).LANGUAGE
        languages[language["code"]] = language
    return languages
