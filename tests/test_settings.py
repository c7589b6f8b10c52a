"""Production settings: hardened enough for `check --deploy`, and no start without a key."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    clean.update({"DATA_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="portal.example.com",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = manage(
        tmp_path, "check", DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="portal.example.com"
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


SHOW_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL,"
    "'cache': s.CACHES['default']['BACKEND'], 'email': s.EMAIL_BACKEND, 'debug': s.DEBUG}))"
)


def settings_under(tmp_path, **env: str) -> dict:
    result = manage(tmp_path, "shell", "-c", SHOW_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_nothing_set_everything_runs_on_one_machine(tmp_path):
    shown = settings_under(tmp_path)

    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["name"] == str(tmp_path / "portal.sqlite3")
    assert shown["eager"] is True, "Celery tasks run inline without a broker"
    assert shown["email"] == "django.core.mail.backends.console.EmailBackend"
    assert shown["debug"] is True


def test_database_url_and_redis_url_switch_to_postgresql_and_redis(tmp_path):
    shown = settings_under(
        tmp_path,
        DATABASE_URL="postgres://portal:secret@db.example:5432/portal",
        REDIS_URL="redis://cache.example:6379/0",
    )

    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["name"] == "portal"
    assert shown["eager"] is False
    assert shown["broker"] == "redis://cache.example:6379/0"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
