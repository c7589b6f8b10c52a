"""The partner benchmark: store a year of scorecards and evaluate tiers for a tenant of
N partners and M orders (`manage.py benchmark_pages --partners 10000 --orders 1000000`).

The tenant is written with `INSERT … SELECT generate_series` (PostgreSQL only), so building a
million orders takes seconds rather than the hours the services would; everything runs in one
transaction that is rolled back, so nothing is left behind. Orders are own-use orders without
lines (the category mix stays empty); about 92 % completed (each with its move to
"accepted" on the timeline), 5 % placed, 2 % cancelled, 1 % rejected, over the last 365
days, spread unevenly over the partners so that some qualify for each tier.
"""

import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from accounts.services import manufacturer_create
from partners.metrics import add_months, month_start
from partners.models import TierProposal
from partners.services.scorecards import scorecards_compute
from partners.services.tiers import tiers_evaluate

SLUG = "partner-bench"


@dataclass(frozen=True)
class PartnerBenchmark:
    partners: int
    orders: int
    build_seconds: float
    scorecard_seconds: float
    scorecard_rows: int
    scorecard_queries: int
    evaluation_seconds: float
    evaluation_queries: int
    proposals: int


def run_partner_benchmark(*, partners: int, orders: int) -> PartnerBenchmark:
    if connection.vendor != "postgresql":
        raise RuntimeError("The partner benchmark needs PostgreSQL (DATABASE_URL).")
    with transaction.atomic():
        started = time.perf_counter()
        manufacturer = manufacturer_create(name="Partner benchmark", slug=SLUG)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO accounts_reseller (public_id, name, reseller_type, public_email,
                    website, phone, street, postal_code, city, country, region, created_at)
                SELECT 'Q' || upper(lpad(to_hex(n), 6, '0')), 'Bench reseller ' || n, 'retailer',
                    '', '', '', '', lpad((n %% 99999)::text, 5, '0'), '', 'Germany',
                    (ARRAY['north','south','east','west','central'])[1 + n %% 5], now()
                FROM generate_series(1, %s) AS n
                """,
                [partners],
            )
            cursor.execute(
                """
                INSERT INTO channel_partnership (manufacturer_id, reseller_id, status,
                    qualifying_status, discount_percent, payment_method, shipping_method,
                    created_at)
                SELECT %s, r.id, 'active', 'qualified', 0, 'invoice', 'standard',
                    now() - interval '2 years'
                FROM accounts_reseller r WHERE r.name LIKE 'Bench reseller %%'
                """,
                [manufacturer.pk],
            )
            # Partner i of P gets a share of the orders that falls with i (a long tail).
            cursor.execute(
                """
                WITH p AS (
                    SELECT array_agg(id ORDER BY id) AS ids,
                        array_agg(reseller_id ORDER BY id) AS resellers, count(*) AS total
                    FROM channel_partnership WHERE manufacturer_id = %s
                ), o AS (
                    SELECT n, 1 + floor(
                            p.total * power(((n::bigint * 7919) %% 1000003) / 1000003.0, 2)
                        )::int AS i
                    FROM generate_series(1, %s) AS n, p
                )
                INSERT INTO orders_order (manufacturer_id, partnership_id, reseller_id,
                    own_use, sale_kind, number, status, currency, subtotal, discount_total,
                    total, payment_method, shipping_method, is_manual, created_at, updated_at)
                SELECT %s, p.ids[o.i], p.resellers[o.i], true, 'own_use', 'PB-' || o.n,
                    CASE WHEN o.n %% 50 = 0 THEN 'cancelled' WHEN o.n %% 100 = 1 THEN 'rejected'
                         WHEN o.n %% 20 = 2 THEN 'placed' ELSE 'completed' END,
                    'EUR', 100 + o.n %% 900, 0, 100 + o.n %% 900, '', '', false,
                    now() - ((o.n %% 365) || ' days')::interval, now()
                FROM o, p
                """,
                [manufacturer.pk, orders, manufacturer.pk],
            )
            cursor.execute(
                """
                INSERT INTO orders_orderstatuschange (manufacturer_id, order_id, from_status,
                    to_status, reason, created_at)
                SELECT manufacturer_id, id, 'placed', 'accepted', '', created_at
                FROM orders_order WHERE manufacturer_id = %s AND status = 'completed'
                """,
                [manufacturer.pk],
            )
            # Fresh tables have no statistics yet; autovacuum would gather them in production.
            cursor.execute("ANALYZE orders_order, orders_orderstatuschange, channel_partnership")
        build_seconds = time.perf_counter() - started

        current = month_start(timezone.localdate())
        with scope(manufacturer=manufacturer):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                rows = scorecards_compute(
                    manufacturer=manufacturer,
                    first_month=add_months(current, -11),
                    last_month=current,
                )
                scorecard_seconds = time.perf_counter() - started
            scorecard_queries = len(captured)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                evaluation = tiers_evaluate(manufacturer=manufacturer)
                evaluation_seconds = time.perf_counter() - started
            proposals = TierProposal.objects.filter(manufacturer=manufacturer).count()
        result = PartnerBenchmark(
            partners=partners,
            orders=orders,
            build_seconds=build_seconds,
            scorecard_seconds=scorecard_seconds,
            scorecard_rows=rows,
            scorecard_queries=scorecard_queries,
            evaluation_seconds=evaluation_seconds,
            evaluation_queries=len(captured),
            proposals=proposals if evaluation.proposed == proposals else -1,
        )
        transaction.set_rollback(True)
    return result
