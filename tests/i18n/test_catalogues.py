"""The catalogues are complete, current and safe to serve.

- Every message of it, es and fr is translated (every plural form) and none is fuzzy: Django
  would show the English text for both.
- A translation names no placeholder its English does not have: `%(nome)s` for `%(name)s`
  would raise a KeyError on the page (a 500) instead of showing it.
- `make messages` (makemessages with the agreed options), run on a copy of the project, leaves
  the catalogues unchanged: they hold every current message and nothing else.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from core.catalogues import compile_catalogues

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
TRANSLATED = ["it", "es", "fr"]
# The exact options of `make messages` (Makefile): the catalogues are kept current with them.
MAKEMESSAGES = [
    "makemessages",
    "--locale=it",
    "--locale=es",
    "--locale=fr",
    "--ignore=.venv",
    "--ignore=tests",
    "--ignore=stubs",
    "--ignore=static/vendor",
    "--no-location",
    "--no-wrap",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfi]|%[sdfi]")


def catalogue(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def read(path: Path):
    with path.open("rb") as source:
        return read_po(source, locale=path.parent.parent.name)


def placeholders(text: str) -> set[str]:
    return {
        match.group(0) if not match.group(1) else match.group(1)
        for match in PLACEHOLDER.finditer(text)
    }


def untranslated(path: Path) -> list[str]:
    problems = []
    parsed = read(path)
    for message in parsed:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        elif not all(strings) or (message.pluralizable and len(strings) < parsed.num_plurals):
            problems.append(f"untranslated: {ids[0]!r}")
    return problems


def unknown_placeholders(path: Path) -> list[str]:
    problems = []
    for message in read(path):
        if not message.id or "python-format" not in message.flags:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        known = set().union(*(placeholders(text) for text in ids))
        for text in strings:
            extra = placeholders(text) - known
            if text and extra:
                problems.append(f"{ids[0]!r}: {sorted(extra)} in {text!r}")
    return problems


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    path = catalogue(language)
    assert path.exists(), f"No catalogue for {language}: run `make messages` and translate it."
    problems = untranslated(path)
    assert not problems, f"{len(problems)} messages of {language}:\n" + "\n".join(problems[:50])


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_names_a_placeholder_the_english_lacks(language):
    path = catalogue(language)
    assert path.exists(), f"No catalogue for {language}."
    problems = unknown_placeholders(path)
    assert not problems, "\n".join(problems)


def test_the_checks_see_untranslated_fuzzy_and_wrong_placeholders(tmp_path):
    path = tmp_path / "it" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Orders"\nmsgstr "Ordini"\n\n'
        'msgid "Resellers"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Commission"\nmsgstr "Commissione"\n\n'
        '#, python-format\nmsgid "%(count)d order"\nmsgid_plural "%(count)d orders"\n'
        'msgstr[0] "%(count)d ordine"\nmsgstr[1] ""\n\n'
        '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Ciao %(nome)s"\n',
        encoding="utf-8",
    )
    assert untranslated(path) == [
        "untranslated: 'Resellers'",
        "fuzzy: 'Commission'",
        "untranslated: '%(count)d order'",
    ]
    assert unknown_placeholders(path) == ["'Hello %(name)s': ['nome'] in 'Ciao %(nome)s'"]
    # A fuzzy entry is not served: it is compiled without it.
    assert compile_catalogues(tmp_path) == [path.with_suffix(".mo")]


def _without_creation_date(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return re.sub(r'^"POT-Creation-Date: .*\\n"$', "", text, flags=re.MULTILINE)


def test_makemessages_leaves_the_catalogues_unchanged(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "data", "staticfiles", "vendor", "tests", "__pycache__", "*.mo",
            "node_modules", ".mypy_cache", ".ruff_cache",
        ),
    )  # fmt: skip
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for language in TRANSLATED:
        ours, theirs = catalogue(language), copy / "locale" / language / "LC_MESSAGES" / "django.po"
        assert ours.exists(), f"No catalogue for {language}: run `make messages`."
        assert _without_creation_date(theirs) == _without_creation_date(ours), (
            f"locale/{language} is not current: run `make messages` and translate what it adds."
        )
