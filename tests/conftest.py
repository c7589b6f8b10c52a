"""Shared fixtures: a throwaway PostgreSQL per run, scoping off in test bodies, inline Celery.

A test marked `@pytest.mark.scoped` runs its body with scoping on, as production does.

The suite always runs on a real PostgreSQL 15 that it starts and stops itself
(pytest-postgresql, through tests/pg_ctl_wrapper.sh so it also works as root). There is
no SQLite fallback: where the PostgreSQL server binaries are missing, the run stops.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import kombu.pools
import pytest
from django.test import Client
from django_scopes import scopes_disabled
from django_scopes.state import state as scope_state
from pytest_postgresql import factories

from accounts.models import Manufacturer, Reseller, Role, User
from tests.accounts.factories import (
    ManufacturerFactory,
    MembershipFactory,
    ResellerFactory,
    ResellerUserFactory,
    UserFactory,
)
from tests.resellers.factories import PartnershipFactory

TESTS_DIR = Path(__file__).resolve().parent
PG_CTL_WRAPPER = TESTS_DIR / "pg_ctl_wrapper.sh"
TEST_DATABASE_NAME = "channel_portal"


def find_pg_ctl() -> str | None:
    """The real pg_ctl: the newest /usr/lib/postgresql/*/bin/pg_ctl, else pg_config's."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda path: [int(p) if p.isdigit() else 0 for p in Path(path).parts[-3].split(".")],
    )
    candidates = [path for path in candidates if os.access(path, os.X_OK)]
    if candidates:
        return candidates[-1]
    if shutil.which("pg_config"):
        try:
            bindir = subprocess.run(
                ["pg_config", "--bindir"],  # noqa: S607 - found on PATH on purpose
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
        pg_ctl = Path(bindir) / "pg_ctl"
        if os.access(pg_ctl, os.X_OK):
            return str(pg_ctl)
    return None


REAL_PG_CTL = find_pg_ctl()
if REAL_PG_CTL:
    # The wrapper runs this one (as the `postgres` user when we are root).
    os.environ["CHANNEL_PORTAL_PG_CTL"] = REAL_PG_CTL


def pytest_sessionstart(session: pytest.Session) -> None:
    if REAL_PG_CTL is None:
        pytest.exit(
            "PostgreSQL server binaries are required to run the tests: no pg_ctl found in "
            "/usr/lib/postgresql/*/bin or in `pg_config --bindir`. "
            "Install them (Debian 12: apt-get install postgresql-15).",
            returncode=3,
        )


postgresql_proc = factories.postgresql_proc(
    executable=str(PG_CTL_WRAPPER),
    host="127.0.0.1",
    port=None,
    user="postgres",
    dbname=TEST_DATABASE_NAME,
    # Durability is worth nothing in a throwaway database; speed is.
    postgres_options="-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(postgresql_proc) -> None:
    """Point Django at the PostgreSQL this run started; pytest-django creates test_<name>."""
    from django.conf import settings
    from django.db import connections

    default = settings.DATABASES["default"]
    default.update(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": TEST_DATABASE_NAME,
            "USER": postgresql_proc.user,
            "PASSWORD": postgresql_proc.password or "",
            "HOST": postgresql_proc.host,
            "PORT": str(postgresql_proc.port),
            "OPTIONS": {},
            "CONN_MAX_AGE": 0,
        }
    )
    # A connection object made before this point would still speak SQLite.
    connections.close_all()
    for alias in list(connections.settings):
        with contextlib.suppress(AttributeError):
            del connections[alias]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Hashing a password the production way takes a third of a second; tests make many."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _scopes_disabled() -> Iterator[None]:
    """Test set-up and assertions query freely.

    Requests are not affected: the tenant middleware gives each request a fresh,
    fail-closed scope, and tenant views set their own. A test marked `scoped` opts out
    for its body (see `pytest_runtest_call` below); its fixtures are still built here.
    """
    with scopes_disabled():
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """`@pytest.mark.scoped`: the test body runs with scoping ON and no tenant in scope.

    That is the state of a Celery worker, and of a request before its tenant view
    (accounts.middleware starts each request from the same fresh state). The fixtures were
    built with scopes disabled; in the body, wrap extra set-up and assertions in
    `scopes_disabled()` and run the code under test in the scope its real caller sets
    (tests/scoping.py names them after the view decorators of accounts.tenancy).
    """
    if item.get_closest_marker("scoped") is None:
        return (yield)
    token = scope_state.set({})
    try:
        return (yield)
    finally:
        scope_state.reset(token)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a page rendered for an Italian user leaves
    Italian active in the worker's thread (LocaleMiddleware does not reset it), and the next
    test would store its texts in Italian."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _celery_eager() -> Iterator[None]:
    """Tasks run inline (the settings' default without a broker); emails go to mail.outbox."""
    from config.celery_app import app

    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(scope="session")
def _media_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(_media_dir) -> Iterator[None]:
    """Uploaded files (attachments, exports) go to a throwaway folder, not ./data."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=_media_dir):
        yield


@pytest.fixture(autouse=True)
def _portal_base_url() -> Iterator[None]:
    """Links in emails use PORTAL_BASE_URL; in tests it is the test client's host."""
    from django.test import override_settings

    with override_settings(PORTAL_BASE_URL="http://testserver"):
        yield


@pytest.fixture(autouse=True)
def _no_rate_limit_carried_over() -> Iterator[None]:
    """Rate-limit counters live in the (per-process, local-memory) cache: each test starts
    with none, as if an hour had passed."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_cooldown_carried_over() -> Iterator[None]:
    """A Redis failure in one test must not make the next one skip its broker or cache."""
    from core.cache import cooldowns
    from core.enqueue import broker_cooldown

    for cooldown in [broker_cooldown, *cooldowns.values()]:
        cooldown.reset()
    yield
    for cooldown in [broker_cooldown, *cooldowns.values()]:
        cooldown.reset()


# --- people and organisations -------------------------------------------------------------


@pytest.fixture
def manufacturer(db) -> Manufacturer:
    return ManufacturerFactory(name="Acme Audio", slug="acme")


@pytest.fixture
def other_manufacturer(db) -> Manufacturer:
    return ManufacturerFactory(name="Borealis Lighting", slug="borealis")


@pytest.fixture
def make_member(db) -> Callable[..., User]:
    """make_member(manufacturer, role=Role.MANAGER, **user_fields) -> the new user."""

    def make(manufacturer: Manufacturer, role: str = Role.MANAGER, **user_fields) -> User:
        return MembershipFactory(
            manufacturer=manufacturer, role=role, user=UserFactory(**user_fields)
        ).user

    return make


@pytest.fixture
def owner(manufacturer, make_member) -> User:
    return make_member(manufacturer, Role.OWNER)


@pytest.fixture
def manager(manufacturer, make_member) -> User:
    return make_member(manufacturer, Role.MANAGER)


@pytest.fixture
def seller(manufacturer, make_member) -> User:
    return make_member(manufacturer, Role.SELLER)


@pytest.fixture
def reseller(db) -> Reseller:
    return ResellerFactory(name="Soundhouse GmbH")


@pytest.fixture
def partnership(manufacturer, reseller):
    return PartnershipFactory(manufacturer=manufacturer, reseller=reseller)


@pytest.fixture
def reseller_user(partnership) -> User:
    return ResellerUserFactory(reseller=partnership.reseller).user


@pytest.fixture
def client_for(db) -> Callable[[User], Client]:
    """client_for(user) -> a test client logged in as that user."""

    def make(user: User) -> Client:
        from tests.accounts.two_factor_helpers import login_as

        return login_as(Client(), user)

    return make


# --- Redis and a Celery broker (integration tests) ----------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_program(program: str, why: str) -> str:
    """The program's path; skip without it, except on CI (CI=true), where it must exist."""
    path = shutil.which(program)
    if path is None:
        message = f"`{program}` is not installed ({why}); .ci/run installs it."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} CI=true: this test may not be skipped.", pytrace=False)
        pytest.skip(message)
    return path


class RedisServer:
    """A redis-server on a free loopback port, with no persistence; `stop()` ends it."""

    def __init__(self, workdir: Path) -> None:
        import redis

        program = require_program("redis-server", "needed for the Redis integration tests")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                program,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        self.stop()
                        pytest.fail(
                            f"redis-server did not start on port {self.port}", pytrace=False
                        )
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A real redis-server on a free loopback port, for this test session only."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        yield server.url
    finally:
        server.stop()


def reset_broker_connections(app) -> None:
    """Forget the app's cached broker connections, as Celery does after a fork.

    Even inline (eager) tasks take a producer from the pool, so by the time a test asks
    for a real broker the pool is already bound to the `memory://` broker of the settings.
    kombu also keeps every producer pool in a global group: closing only the app's pool
    leaves a closed one there, and the next test in the same worker gets "Acquire on closed
    pool", so the whole group is reset.
    """
    kombu.pools.reset()
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None


@pytest.fixture(scope="session")
def celery_broker_url(redis_url) -> Iterator[str]:
    """Point the Celery app at the test Redis, once per session.

    Changing `broker_url` twice in one run leaves a stale cached connection, so it is set
    once and the pools bound to the old broker are dropped at that moment.
    """
    from config.celery_app import app

    app.conf.broker_url = redis_url
    reset_broker_connections(app)
    yield redis_url
    reset_broker_connections(app)
