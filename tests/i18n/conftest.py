"""A temporary catalogue, so the machinery (who reads which language) is tested whatever the
state of the real translations; tests/i18n/test_catalogues.py holds the real ones to account."""

from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po


def write_catalogue(root: Path, language: str, messages: dict[object, object]) -> None:
    """messages: msgid → msgstr, or (singular, plural) → (one, other) for plurals."""
    catalog = Catalog(locale=language, domain="django")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr, flags=["python-format"] if "%" in str(msgid) else [])
    folder = root / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "django.po").open("wb") as po:
        write_po(po, catalog)
    with (folder / "django.mo").open("wb") as mo:
        write_mo(mo, catalog)


@pytest.fixture
def temporary_catalogue(settings, tmp_path) -> Callable[[str, dict[object, object]], None]:
    """temporary_catalogue("it", {"Orders": "Ordini"}): only these translations are served.

    Changing LOCALE_PATHS makes Django drop its loaded catalogues (django.test.signals)."""
    root = tmp_path / "locale"

    def install(language: str, messages: dict[object, object]) -> None:
        write_catalogue(root, language, messages)
        settings.LOCALE_PATHS = [root]

    return install
