"""The message catalogues: compiled with Babel (pure Python, pinned), so serving the
translations needs no GNU gettext; only `make messages` (Django's makemessages) does.

Compiled `.mo` files are not committed: they are built from the `.po` files at install
(`make install`, `manage.py compile_catalogues`) and by the test run, so they never drift
from the text they are made of and never conflict when catalogues merge.
"""

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def catalogue_paths(locale_dir: Path) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compile_catalogues(locale_dir: Path, *, force: bool = False) -> list[Path]:
    """Compile every `.po` under `locale_dir` whose `.mo` is missing or older; the compiled.

    Fuzzy entries are left out, as msgfmt does. Each file is written to a temporary name and
    renamed, so parallel test workers never read half a file."""
    compiled = []
    for po_path in catalogue_paths(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source, locale=po_path.parent.parent.name)
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(handle, "wb") as target:
                write_mo(target, catalog, use_fuzzy=False)
            Path(temporary).replace(mo_path)
        finally:
            Path(temporary).unlink(missing_ok=True)
        compiled.append(mo_path)
    return compiled
