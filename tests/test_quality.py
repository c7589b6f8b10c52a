"""The lint gate, so `make test` alone catches it: ruff, migrations, import layering, mypy,
djLint and django-upgrade (the checks .pre-commit-config.yaml runs before a commit)."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _pre_commit_hook(hook_id: str) -> dict:
    """A hook of .pre-commit-config.yaml, so the gate and the hook share one definition."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            if hook["id"] == hook_id:
                return hook
    raise LookupError(hook_id)


def _django_upgrade() -> list[str]:
    """django-upgrade in check mode over the Python files its hook covers."""
    hook = _pre_commit_hook("django-upgrade")
    entry = shlex.split(hook["entry"])
    exclude = re.compile(hook.get("exclude", "(?!)"))
    files = sorted(
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if not path.relative_to(ROOT).parts[0].startswith(".")
    )
    return [
        str(BIN / Path(entry[0]).name),
        *entry[1:],
        "--check",
        *(name for name in files if not exclude.search(name)),
    ]


COMMANDS = {
    "ruff check": [str(BIN / "ruff"), "check", "--no-cache", "."],
    "ruff format": [str(BIN / "ruff"), "format", "--check", "--no-cache", "."],
    "migrations": [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
    "import layers": [str(BIN / "lint-imports"), "--no-cache", "--no-logo"],
    # The whole project as [tool.mypy] sets it; no cache, so nothing stale hides an error.
    "mypy": [str(BIN / "mypy"), "--cache-dir", os.devnull],
    "djlint": [str(BIN / "djlint"), "templates", "--lint"],
    "django-upgrade": _django_upgrade(),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Run the checks side by side; each test reports one of them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    env["DATA_DIR"] = str(tmp_path_factory.mktemp("quality-data"))
    processes = {
        name: subprocess.Popen(  # noqa: S603 - fixed arguments
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name, command in COMMANDS.items()
    }
    done = {}
    for name, process in processes.items():
        output, _ = process.communicate(timeout=180)
        done[name] = subprocess.CompletedProcess(process.args, process.returncode, output)
    return done


@pytest.mark.parametrize("name", list(COMMANDS))
def test_quality_gate(results, name):
    result = results[name]

    assert result.returncode == 0, f"`{' '.join(result.args)}` failed:\n{result.stdout}"
