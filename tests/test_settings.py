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
    assert shown["cache"] == "core.cache.TolerantRedisCache"


def evaluate(tmp_path, expression: str, **env: str):
    """The JSON value of `expression` in a fresh process with these environment variables."""
    code = f"import json; from django.conf import settings as s; print(json.dumps({expression}))"
    result = manage(tmp_path, "shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "portal.example.com",
    "DATABASE_URL": "postgres://portal:secret@db.example:5432/portal",
    "REDIS_URL": "redis://cache.example:6379/0",
}


def test_production_sessions_live_in_the_database_not_in_redis(tmp_path):
    engine = evaluate(tmp_path, "s.SESSION_ENGINE", **PRODUCTION)

    assert engine == "django.contrib.sessions.backends.db"


def test_database_connections_are_health_checked_before_reuse(tmp_path):
    database = evaluate(tmp_path, "s.DATABASES['default']", **PRODUCTION)

    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


def test_every_redis_call_gives_up_within_a_fraction_of_a_second(tmp_path):
    shown = evaluate(
        tmp_path,
        "{'cache': s.CACHES['default']['OPTIONS'], 'broker': s.CELERY_BROKER_TRANSPORT_OPTIONS,"
        " 'connect': s.CELERY_BROKER_CONNECTION_TIMEOUT, 'retry': s.CELERY_TASK_PUBLISH_RETRY}",
        **PRODUCTION,
    )

    for options in (shown["cache"], shown["broker"]):
        assert 0 < options["socket_connect_timeout"] < 1
        assert 0 < options["socket_timeout"] < 1
    assert 0 < shown["connect"] < 1
    assert shown["broker"]["max_retries"] == 0, "one connection attempt when publishing"
    assert shown["retry"] is False


SENTRY_STATE = (
    "(lambda c: {'active': c.is_active(), 'pii': c.options['send_default_pii'],"
    " 'integrations': sorted(c.integrations)})(__import__('sentry_sdk').get_client())"
)


def test_sentry_reports_errors_with_django_and_celery_and_no_personal_data(tmp_path):
    shown = evaluate(
        tmp_path, SENTRY_STATE, SENTRY_DSN="https://key@sentry.example.invalid/1", **PRODUCTION
    )

    assert shown["active"] is True
    assert {"django", "celery"} <= set(shown["integrations"])
    assert shown["pii"] is False


def test_sentry_stays_off_without_a_dsn(tmp_path):
    shown = evaluate(tmp_path, SENTRY_STATE, **PRODUCTION)

    assert shown["active"] is False


def test_links_in_emails_never_point_at_the_development_port_in_production(tmp_path):
    assert evaluate(tmp_path, "s.PORTAL_BASE_URL", **PRODUCTION) == "https://portal.example.com"
    configured = {**PRODUCTION, "PORTAL_BASE_URL": "https://partners.acme.example"}
    assert evaluate(tmp_path, "s.PORTAL_BASE_URL", **configured) == "https://partners.acme.example"
    assert evaluate(tmp_path, "s.PORTAL_BASE_URL") == "http://127.0.0.1:8000"
