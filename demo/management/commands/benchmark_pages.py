"""Print how many queries and how much time the busiest pages take, per role.

Run it on the demo channel (or any database): `manage.py benchmark_pages --repeat 5`.
`--scale 20000` first builds (or tops up) the throwaway tenant `scale-test` with about
20,000 conversations and orders (demo/scale.py) and measures that one; run it on
PostgreSQL (DATABASE_URL) to see what production would.
`--outbox N` instead measures email delivery: N due emails drained by one worker (the
periodic sweep) with the locmem backend, printed as emails per minute; the rows are removed
afterwards.
`--commission-job 1000000` times the daily commission job over a million ledger entries
(PostgreSQL; its budget is 30 s), in a transaction it rolls back.
`--jobs` times each periodic job of the beat schedule once over the whole database, in a
transaction it rolls back (ops/bench runs it at the demo's size and at scale).
`--json FILE` also writes every page's figures, URL and login to FILE: `make bench`
(ops/bench) reads it to replay the same pages over HTTP under gunicorn.
Figures, not assertions: tests hold the query budgets; this shows what a user waits.
`ms` is the whole request in the test client, `sql ms` the part spent in the database
(both medians; `p95` the 95th percentile); the rest is Python, mostly template rendering.
`req/s` is 1000 / `ms`: what
one process answers one after the other, so the REST API's orders list (`api_v1:m-order-list`)
reads beside the orders page.
"""

import json
import logging
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core import mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import (
    Manufacturer,
    ManufacturerMembership,
    Reseller,
    ResellerMembership,
    Role,
    User,
)
from accounts.services import user_create
from channel.models import Partnership
from channel.visibility import partnership_visibility_q
from communications.selectors import encode_cursor, visible_conversations
from demo.assistant_bench import report_assistant_accuracy
from demo.channel import DEMO_PASSWORD
from demo.commission_bench import benchmark_commission_job
from demo.jobs_bench import report_beat_jobs, time_beat_jobs
from demo.partner_scale import run_partner_benchmark
from demo.scale import SLUG as SCALE_SLUG
from demo.scale import build_scale_channel
from notifications.models import OutboxEmail
from notifications.services import OUTBOX_BATCH_SIZE, outbox_flush
from orders.models import Order

BENCHMARK_KIND = "benchmark"
COMMISSION_JOB_BUDGET_SECONDS = 30
MIDDLE = "{middle}"  # replaced by the keyset cursor of the conversation halfway down the inbox

# (url name, URL kwargs (None: the role's busiest reseller), query string)
PAGES: list[tuple[str, dict[str, str | None], str]] = [
    ("accounts_manufacturer:dashboard", {}, ""),
    ("resellers_manufacturer:directory", {}, ""),
    ("resellers_manufacturer:directory", {}, "?page=999999"),
    ("resellers_manufacturer:directory", {}, "?days=365"),
    ("resellers_manufacturer:profile", {"public_id": None}, "?days=365"),
    ("orders_manufacturer:list", {}, ""),
    ("orders_manufacturer:list", {}, "?page=999999"),  # out of range: the last page
    ("orders_manufacturer:list", {}, "?q=shop"),
    ("orders_manufacturer:list", {}, "?status=placed"),
    # The REST API's orders list beside the page (api/), through the same session.
    ("api_v1:m-order-list", {}, ""),
    ("api_v1:m-order-list", {}, "?page_size=200"),
    ("api_v1:m-order-list", {}, "?q=shop"),
    ("catalog_manufacturer:products", {}, ""),
    ("qualifications_manufacturer:list", {}, ""),
    ("communications_manufacturer:inbox", {}, ""),
    ("communications_manufacturer:inbox", {}, "?tab=marked"),
    ("communications_manufacturer:inbox", {}, f"?after={MIDDLE}"),
    ("communications_manufacturer:inbox", {}, "?q=stock"),
    ("salesreps_manufacturer:overview", {}, ""),
    ("partners_manufacturer:leaderboard", {}, ""),
    ("partners_manufacturer:leaderboard", {}, "?months=12&sort=-completion"),
    ("partners_manufacturer:scorecard", {"public_id": None}, ""),
    ("partners_manufacturer:offers", {}, ""),
    ("partners_manufacturer:proposals", {}, ""),
]
# The reseller's side, as the busiest reseller's user (kwargs filled in by the command).
RESELLER_PAGES: list[tuple[str, str]] = [
    ("accounts_reseller:dashboard", ""),
    ("orders_reseller:list", ""),
    ("communications_reseller:list", ""),
]
# The busiest pages, whose throughput ops/bench holds against a bare view (the dashboard
# counts twice: the manager's and the rep's).
BUSIEST_URLS = {
    "accounts_manufacturer:dashboard",
    "resellers_manufacturer:directory",
    "resellers_manufacturer:profile ?days=365",
    "communications_manufacturer:inbox",
    "orders_manufacturer:list",
    "accounts_reseller:dashboard",
}
# Also measured for throughput, beside the busiest, without the 40% floor: the REST API's
# orders list reads beside the orders page (issue 18).
THROUGHPUT_URLS = {*BUSIEST_URLS, "api_v1:m-order-list"}


class Command(BaseCommand):
    help = "Measure query counts and response times of the main pages for a manager and a rep."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--manufacturer",
            default=None,
            help=f"tenant slug (default: northwind, or {SCALE_SLUG} with --scale)",
        )
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument(
            "--outbox",
            type=int,
            default=0,
            metavar="N",
            help="measure the outbox instead: N emails delivered by one worker, per minute",
        )
        parser.add_argument(
            "--commission-job",
            type=int,
            default=0,
            metavar="N",
            help="measure the daily commission job instead, over N ledger entries "
            "(PostgreSQL; budget 30 s for 1,000,000), in a transaction rolled back",
        )
        parser.add_argument(
            "--partners",
            type=int,
            default=0,
            metavar="N",
            help="measure the partner scorecards and tier evaluation instead: N partners and "
            "--orders orders in a throwaway tenant (PostgreSQL; rolled back)",
        )
        parser.add_argument(
            "--json",
            dest="json_path",
            default="",
            metavar="FILE",
            help="also write the figures, with each page's URL and login, to FILE (ops/bench)",
        )
        parser.add_argument("--orders", type=int, default=1_000_000, metavar="M")
        parser.add_argument(
            "--jobs",
            action="store_true",
            help="measure the periodic jobs instead: each beat task once over the whole "
            "database, in a transaction rolled back",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help=f"first build the tenant {SCALE_SLUG} with about N conversations and N orders "
            "(idempotent; a larger N tops it up), then measure it",
        )

    def handle(
        self,
        *args: Any,
        manufacturer: str | None,
        repeat: int,
        scale: int,
        outbox: int = 0,
        commission_job: int = 0,
        partners: int = 0,
        orders: int = 1_000_000,
        json_path: str = "",
        jobs: bool = False,
        **options: Any,
    ) -> None:
        if jobs:
            self._measure_jobs(json_path)
            return
        if commission_job:
            self._measure_commission_job(commission_job)
            return
        if outbox:
            self._measure_outbox(outbox)
            return
        if partners:
            self._measure_partners(partners, orders)
            return
        if scale:
            if manufacturer not in (None, SCALE_SLUG):
                raise CommandError(
                    f"--scale builds and measures {SCALE_SLUG!r}, not {manufacturer!r}."
                )
            manufacturer = SCALE_SLUG
            self.stdout.write(f"Building {SCALE_SLUG} for {scale} conversations and orders…")
            report = build_scale_channel(size=scale)
            made = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
            self.stdout.write(f"Built in {report.seconds:.1f} s: {made or 'nothing was missing'}.")
        manufacturer = manufacturer or "northwind"
        with scopes_disabled():
            tenant = Manufacturer.objects.filter(slug=manufacturer).first()
            if tenant is None:
                raise CommandError(f"No manufacturer {manufacturer!r}; run demo_channel first.")
            members = {
                role: ManufacturerMembership.objects.filter(manufacturer=tenant, role=role)
                .select_related("user", "manufacturer")
                .order_by("pk")
                .first()
                for role in (Role.MANAGER, Role.SELLER)
            }
            counts = {
                "resellers": tenant.partnerships.count(),
                "orders": tenant.orders.count(),
                "conversations": tenant.conversations.count(),
            }
        self.stdout.write(
            f"{tenant.name}: {counts['resellers']} resellers, {counts['orders']} orders, "
            f"{counts['conversations']} conversations; median of {repeat} requests"
        )
        self.stdout.write(
            f"{'page':<48} {'role':<8} {'status':>6} {'queries':>8} {'ms':>8} {'p95':>8}"
            f" {'sql ms':>8} {'req/s':>7}"
        )
        rows: list[dict[str, Any]] = []
        # A seller's 403 on a staff-only page is an expected figure, not an error to log.
        request_logger = logging.getLogger("django.request")
        level = request_logger.level
        request_logger.setLevel(logging.CRITICAL)
        try:
            for role, membership in members.items():
                if membership is not None:
                    rows += self._measure(tenant, role, membership, repeat)
            rows += self._measure_reseller(tenant, repeat)
        finally:
            request_logger.setLevel(level)
        if json_path:
            Path(json_path).write_text(
                json.dumps({"tenant": tenant.slug, "counts": counts, "pages": rows}, indent=1)
            )
        report_assistant_accuracy(self.stdout)

    def _measure_jobs(self, json_path: str) -> None:
        with scopes_disabled():
            counts = {
                "orders": Order.objects.count(),
                "partnerships": Partnership.objects.count(),
            }
        self.stdout.write(
            f"Periodic jobs over {counts['orders']:,} orders and "
            f"{counts['partnerships']:,} partnerships (each rolled back):"
        )
        figures = time_beat_jobs()
        report_beat_jobs(self.stdout, figures)
        if json_path:
            Path(json_path).write_text(
                json.dumps(
                    {
                        "counts": counts,
                        "jobs": [
                            {"name": f.name, "seconds": f.seconds, "queries": f.queries}
                            for f in figures
                        ],
                    },
                    indent=1,
                )
            )

    def _measure_commission_job(self, count: int) -> None:
        """The daily commission job over `count` entries (demo/commission_bench.py)."""
        try:
            figures = benchmark_commission_job(entries=count)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"commission daily job over {figures.entries:,} ledger entries: "
            f"{figures.run_seconds:.2f} s (budget {COMMISSION_JOB_BUDGET_SECONDS} s for "
            f"1,000,000); {figures.result.became_payable} resellers told of newly payable "
            f"commissions, {figures.requests:,} payout requests with {figures.items:,} entries "
            f"due; ledger built in {figures.build_seconds:.1f} s, all rolled back"
        )

    def _measure_partners(self, partners: int, orders: int) -> None:
        try:
            result = run_partner_benchmark(partners=partners, orders=orders)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Partners: {result.partners:,} partners, {result.orders:,} orders "
            f"(built in {result.build_seconds:.1f} s, rolled back afterwards)"
        )
        self.stdout.write(
            f"Scorecards, 12 months: {result.scorecard_rows:,} rows in "
            f"{result.scorecard_seconds:.1f} s, {result.scorecard_queries} queries"
        )
        self.stdout.write(
            f"Tier evaluation: {result.proposals:,} proposals in "
            f"{result.evaluation_seconds:.1f} s, {result.evaluation_queries} queries"
        )
        total = result.scorecard_seconds + result.evaluation_seconds
        self.stdout.write(f"Evaluation of {result.partners:,} partners: {total:.1f} s in all")

    def _measure_outbox(self, count: int) -> None:
        """Write `count` due emails, drain them as the sweep does, print the rate.

        It all runs in one transaction that is rolled back: the benchmark's rows disappear, and
        a real email the sweep took along meanwhile is pending again, not lost to locmem.
        """
        past = timezone.now() - timedelta(seconds=1)
        with transaction.atomic():
            OutboxEmail.objects.bulk_create(
                (
                    OutboxEmail(
                        recipient=f"benchmark{n}@example.test",
                        subject=f"Benchmark email {n}",
                        body="An email of the outbox benchmark.\n\nhttp://127.0.0.1:8000/",
                        kind=BENCHMARK_KIND,
                        next_attempt_at=past,
                    )
                    for n in range(count)
                ),
                batch_size=1000,
            )
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                CaptureQueriesContext(connection) as captured,
            ):
                started = time.perf_counter()
                sent = outbox_flush(budget=timedelta(hours=1))
                seconds = time.perf_counter() - started
                mail.outbox = []
            transaction.set_rollback(True)
        self.stdout.write(
            f"Outbox: {sent} of {count} emails sent in {seconds:.2f} s by one worker, "
            f"batches of {OUTBOX_BATCH_SIZE}, {len(captured)} queries (locmem backend)"
        )
        self.stdout.write(f"{sent / seconds * 60:,.0f} emails/minute")

    def _measure(
        self,
        tenant: Manufacturer,
        role: str,
        membership: ManufacturerMembership,
        repeat: int,
    ) -> list[dict[str, Any]]:
        with scopes_disabled():
            busiest = _busiest_partnership(tenant, membership)
            inbox = visible_conversations(membership=membership).order_by("-last_message_at", "-pk")
            total = inbox.count()
            middle = encode_cursor(inbox[total // 2]) if total else ""
        urls = []
        for url_name, extra, query in PAGES:
            kwargs = {"manufacturer_slug": tenant.slug}
            if extra:
                if busiest is None:
                    continue
                public_id = busiest.reseller.public_id
                kwargs.update({k: v or public_id for k, v in extra.items()})
            try:
                url = reverse(url_name, kwargs=kwargs) + query.replace(MIDDLE, middle)
            except NoReverseMatch:
                continue
            urls.append((url_name + (" " + query.replace(MIDDLE, "…") if query else ""), url))
        return self._measure_urls(membership.user, role, urls, repeat)

    def _measure_reseller(self, tenant: Manufacturer, repeat: int) -> list[dict[str, Any]]:
        """The reseller's pages, as a user of the tenant's busiest reseller."""
        with scopes_disabled():
            busiest = _busiest_partnership(tenant, None)
            if busiest is None:
                return []
            user = _bench_reseller_user(busiest.reseller)
        kwargs = {"reseller_public_id": busiest.reseller.public_id}
        urls = []
        for url_name, query in RESELLER_PAGES:
            try:
                url = reverse(url_name, kwargs=kwargs)
            except NoReverseMatch:
                url = reverse(url_name, kwargs={**kwargs, "manufacturer_slug": tenant.slug})
            urls.append((url_name + (" " + query if query else ""), url + query))
        return self._measure_urls(user, "reseller", urls, repeat)

    def _measure_urls(
        self, user: User, role: str, urls: list[tuple[str, str]], repeat: int
    ) -> list[dict[str, Any]]:
        client = Client()
        client.force_login(user)
        rows = []
        for label, url in urls:
            timings, sql_timings, queries, status, size = [], [], 0, 0, 0
            client.get(url)  # warm: the first request compiles templates and fills caches
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                sql_timings.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
                queries, status, size = len(captured), response.status_code, len(response.content)
            median = statistics.median(timings)
            p95 = _percentile(timings, 95)
            sql_ms = statistics.median(sql_timings)
            # One client in one thread: requests a second one web process serves this way.
            per_second = 1000 / median if median else 0.0
            self.stdout.write(
                f"{label:<48} {role:<8} {status:>6} {queries:>8} "
                f"{median:>8.1f} {p95:>8.1f} {sql_ms:>8.1f} {per_second:>7.1f}"
            )
            rows.append(
                {
                    "label": label,
                    "role": role,
                    "email": user.email,
                    "url": url,
                    "status": status,
                    "queries": queries,
                    "sql_ms": round(sql_ms, 2),
                    "p50_ms": round(median, 2),
                    "p95_ms": round(p95, 2),
                    "bytes": size,
                    "busiest": label in BUSIEST_URLS,
                    "throughput": label in THROUGHPUT_URLS,
                }
            )
        return rows


def _percentile(values: list[float], percent: int) -> float:
    """The nearest-rank percentile (p95 of 20 requests is the 19th slowest)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * percent // 100) - 1))]


def _busiest_partnership(
    tenant: Manufacturer, membership: ManufacturerMembership | None
) -> Partnership | None:
    partnerships = Partnership.objects.filter(manufacturer=tenant)
    if membership is not None:
        partnerships = partnerships.filter(partnership_visibility_q(membership))
    return (
        partnerships.annotate(n=Count("orders"))
        .order_by("-n", "pk")
        .select_related("reseller")
        .first()
    )


def _bench_reseller_user(reseller: Reseller) -> User:
    """A user of `reseller` the HTTP benchmark can log in as (the demo password): an
    existing member with a usable password, else one made for the benchmark."""
    for membership in ResellerMembership.objects.filter(reseller=reseller).select_related("user"):
        if membership.user.has_usable_password() and membership.user.is_active:
            return membership.user
    email = f"bench.{reseller.public_id.lower()}@reseller-bench.example"
    user = User.objects.filter(email=email).first() or user_create(
        email=email, password=DEMO_PASSWORD, first_name="Bench", last_name=reseller.name
    )
    ResellerMembership.objects.get_or_create(reseller=reseller, user=user)
    return user
