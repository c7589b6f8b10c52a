"""Run jobs at the same moment, each in its own thread and database connection (for the
concurrent tests on PostgreSQL, marked `django_db(transaction=True)`)."""

import threading
import time
from collections.abc import Callable

from django.db import connection


def run_at_once(jobs: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Release the jobs together; returns (their results, the errors they raised)."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = []
    errors: list[BaseException] = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            results.append(job())
        except BaseException as error:  # the test reports every failure, whatever it is
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


def wait_until_a_lock_is_awaited(tries: int = 2000) -> None:
    """Return once some session waits for a row lock (pg_locks), so the test can release it
    knowing the other thread is blocked behind it. Fails rather than waiting forever."""
    with connection.cursor() as cursor:
        for _ in range(tries):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.005)
    raise AssertionError("no session ever waited for the lock")
