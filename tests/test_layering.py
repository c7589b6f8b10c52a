"""The layering of ARCHITECTURE.md rule 4 that import-linter cannot see: relations.

A model that names another app's model by a string ("orders.Order") depends on it without
an import, which is how `orders` once reached the partnership above it. Every relation
names its model by the class (or the user model setting), so the import-linter contract
in pyproject.toml sees every dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
APPS = sorted(
    path.parent.name
    for path in ROOT.glob("*/models.py")
    if path.parent.name not in {"tests", ".venv"}
)


def _string_relations(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name in RELATION_FIELDS and node.args:
            target = node.args[0]
            is_string = isinstance(target, ast.Constant) and isinstance(target.value, str)
            if is_string and target.value != "self":
                found.append(f"line {node.lineno}: {name}({target.value!r})")
    return found


@pytest.mark.parametrize("app", APPS)
def test_relations_name_their_model_by_class(app):
    models_source = (ROOT / app / "models.py").read_text()
    assert _string_relations(models_source) == [], (
        f"{app}/models.py names a related model by a string; import the class, so the "
        "layering contract sees the dependency (a model of a higher layer cannot be used)."
    )


def test_the_check_finds_a_string_relation():
    source = 'from django.db import models\nx = models.ForeignKey("resellers.Partnership")\n'
    assert _string_relations(source) == ["line 2: ForeignKey('resellers.Partnership')"]
