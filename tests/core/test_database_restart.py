"""CONN_HEALTH_CHECKS: a persistent connection the server dropped is replaced, not used.

A quiet database restart (or a failover) closes every server-side connection. Without the
check, each web thread's next request runs its first query on the dead connection and
answers a 500. The server's side is closed here with pg_terminate_backend.
"""

import time

import pytest
from django.db import OperationalError, connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


def persistent_connection(*, health_checks: bool):
    """A second connection to the test database, kept across requests as CONN_MAX_AGE does."""
    settings = {**connection.settings_dict, "CONN_MAX_AGE": 600}
    settings["CONN_HEALTH_CHECKS"] = health_checks
    other = connections.create_connection("default")
    other.settings_dict = settings
    return other


def server_drops(other) -> None:
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        # The backend exits shortly after the signal; wait for it, or the test would race it.
        for _ in range(200):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() == (0,):
                return
            time.sleep(0.05)
    pytest.fail(f"PostgreSQL backend {pid} did not exit")


def next_request_query(other):
    """What the request cycle does: close_old_connections at its start, then a query."""
    other.close_if_unusable_or_obsolete()
    with other.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()


def test_the_settings_check_connections_before_reuse():
    from config import settings as portal_settings

    assert portal_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_with_health_checks_a_dropped_connection_is_replaced():
    other = persistent_connection(health_checks=True)
    try:
        next_request_query(other)
        server_drops(other)

        assert next_request_query(other) == (1,)
    finally:
        other.close()


def test_without_health_checks_a_dropped_connection_fails_the_next_request():
    other = persistent_connection(health_checks=False)
    try:
        next_request_query(other)
        server_drops(other)

        with pytest.raises(OperationalError):
            next_request_query(other)
    finally:
        other.close()
