"""Every user-visible string in Python goes through a translation function."""

import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n.python_scan import scan_tree


def test_no_user_visible_python_string_is_left_untranslated() -> None:
    findings = scan_tree(Path(settings.BASE_DIR))
    assert not findings, "Wrap these in gettext/gettext_lazy:\n" + "\n".join(findings)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('messages.success(request, "Saved.")', True),
        ('messages.success(request, _("Saved."))', False),
        ('raise ValidationError("Too long.")', True),
        ('raise ValidationError(_("Too long."), code="max")', False),
        ('forms.CharField(label="Name", help_text=_("Your name"))', True),
        ('forms.CharField(label=_("Name"))', False),
        ('raise OrderRefused(f"Order {number} is closed.")', True),
        ('raise OrderRefused(_("Order %(n)s is closed.") % {"n": number})', False),
        ('logger.warning("Cache unavailable")', False),
        ('raise TypeError("not a foreign key")', False),
        ('class Status(models.TextChoices):\n    OPEN = "open", "Open"', True),
        ('class Status(models.TextChoices):\n    OPEN = "open", _("Open")', False),
    ],
)
def test_the_python_scan_tells_translated_from_untranslated(
    tmp_path: Path, source: str, found: bool
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(
        "class DomainRefused(Exception): ...\nclass OrderRefused(DomainRefused): ...\n"
        + textwrap.dedent(source)
    )
    assert bool(scan_tree(tmp_path)) is found
