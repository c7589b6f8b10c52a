"""Finds user-visible strings in Python that no translation function wraps.

The places where the portal's Python speaks to a user: flash messages, validation errors,
refusals (`DomainRefused` subclasses, whose message a page shows), form and model field labels
and help texts, and the labels of choices. Log lines, developer errors (TypeError, CommandError)
and the REST API's schema descriptions are for developers and stay English.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TRANSLATORS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "gettext_noop",
    "format_lazy",
}
MESSAGE_CALLS = {"success", "error", "warning", "info", "debug", "add_message"}
USER_ERRORS = {"ValidationError", "PermissionDenied"}
VISIBLE_KEYWORDS = {"label", "help_text", "empty_label", "verbose_name", "verbose_name_plural"}
# Code that speaks to developers or operators, not to the portal's users.
SKIPPED_PARTS = {".venv", "tests", "stubs", "migrations", "management", "ops", "demo", "api"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _untranslated(node: ast.AST) -> Iterator[ast.Constant]:
    """String constants under `node` that are not inside a translation call."""
    if isinstance(node, ast.Call) and _name(node.func) in TRANSLATORS:
        return
    if isinstance(node, ast.Dict):
        # `_("… %(name)s …") % {"name": …}`: the keys are placeholders, not text.
        for value in node.values:
            yield from _untranslated(value)
        return
    if isinstance(node, ast.Subscript):
        yield from _untranslated(node.value)
        return
    if isinstance(node, ast.Call):
        # Another call's keywords (`code="max"`) and arguments are not the message itself,
        # except a string method's receiver (`"…".format(…)`).
        yield from _untranslated(node.func)
        return
    if isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.Constant) and any(ch.isalpha() for ch in str(part.value)):
                yield part
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if any(ch.isalpha() for ch in node.value):
            yield node
        return
    for child in ast.iter_child_nodes(node):
        yield from _untranslated(child)


def _refusal_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """Names of the classes that descend from `DomainRefused` or `Http404`, across modules."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(_name(b) for b in node.bases)
    refusals = {"DomainRefused"}
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in refusals and parents & refusals:
                refusals.add(name)
                changed = True
    return refusals


def _is_choices(node: ast.ClassDef) -> bool:
    return any(_name(b) in {"TextChoices", "IntegerChoices", "Choices"} for b in node.bases)


def scan_tree(root: Path) -> list[str]:
    trees = {}
    for path in sorted(root.rglob("*.py")):
        if SKIPPED_PARTS & set(path.relative_to(root).parts):
            continue
        trees[path] = ast.parse(path.read_text(encoding="utf-8"))
    refusals = _refusal_classes(trees)
    findings = []
    for path, tree in trees.items():
        rel = path.relative_to(root)
        for node in ast.walk(tree):
            suspects: list[ast.AST] = []
            if isinstance(node, ast.Call):
                name = _name(node.func)
                if (
                    name in MESSAGE_CALLS
                    and _name(getattr(node.func, "value", node.func)) == "messages"
                ):
                    suspects += node.args[1:2]
                    suspects += [k.value for k in node.keywords if k.arg == "message"]
                if name in USER_ERRORS or name in refusals:
                    suspects += node.args[:1]
                    suspects += [k.value for k in node.keywords if k.arg == "message"]
                suspects += [k.value for k in node.keywords if k.arg in VISIBLE_KEYWORDS]
            elif isinstance(node, ast.ClassDef) and _is_choices(node):
                for statement in node.body:
                    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                        suspects += statement.value.elts[1:]
            for suspect in suspects:
                for constant in _untranslated(suspect):
                    findings.append(f"{rel}:{constant.lineno}: {constant.value!r}")
    return findings
