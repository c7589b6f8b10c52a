"""`make test` runs on a real PostgreSQL and says so plainly when there is none."""

import pytest

from tests import conftest


def test_without_postgresql_binaries_the_run_stops_with_a_plain_message(monkeypatch):
    monkeypatch.setattr(conftest, "REAL_PG_CTL", None)

    with pytest.raises(pytest.exit.Exception) as stopped:
        conftest.pytest_sessionstart(session=None)

    assert stopped.value.returncode != 0
    assert "PostgreSQL server binaries are required" in str(stopped.value)


def test_with_postgresql_binaries_the_run_goes_on(monkeypatch):
    monkeypatch.setattr(conftest, "REAL_PG_CTL", "/usr/lib/postgresql/15/bin/pg_ctl")

    conftest.pytest_sessionstart(session=None)


def test_this_run_is_on_postgresql(db):
    from django.db import connection

    assert connection.vendor == "postgresql"
