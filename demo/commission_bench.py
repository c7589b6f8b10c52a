"""The daily commission job over a large ledger, for `benchmark_pages --commission-job N`.

Builds a throwaway tenant with 1,000 partnerships and N ledger entries spread over a year
(set-based: a few INSERT … SELECT statements, seconds for a million rows), the way a
channel looks after a year: what is older than its pay-by date already paid, the rest in
its holding period or payable. Then times one run of the daily job, the one production
does at dawn, and rolls everything back. PostgreSQL only: that is where it runs for real.
"""

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scope

from accounts.models import Manufacturer, Reseller
from channel.models import Partnership
from commissions.models import (
    CommissionEntry,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutItem,
    PayoutRequest,
    PayoutRequestStatus,
)
from commissions.services.job import RunResult, commission_daily_run

SLUG = "commission-bench"
PARTNERSHIPS = 1_000


@dataclass(frozen=True)
class JobBenchmark:
    entries: int
    build_seconds: float
    run_seconds: float
    result: RunResult
    requests: int
    items: int


ENTRIES_SQL = """
INSERT INTO {entry} (manufacturer_id, partnership_id, kind, credit, debit, currency, base,
    rate, rule, rule_detail, eligible_from, pay_by, reason, business_key, created_at)
SELECT %(tenant)s, ids[1 + (g %% cardinality(ids))], 'accrual', 10 + (g %% 5000) / 100.0, 0,
    'EUR', 100 + (g %% 50000) / 100.0, 10, 'default', '',
    %(today)s::date - (g %% 365) + 28, %(today)s::date - (g %% 365) + 70, '',
    'bench:' || g, %(now)s::timestamptz - ((g %% 365) || ' days')::interval
FROM generate_series(1, %(count)s) AS g,
    (SELECT array_agg(id ORDER BY id) AS ids FROM {partnership}
     WHERE manufacturer_id = %(tenant)s) AS p
"""

PAID_ITEMS_SQL = """
INSERT INTO {item} (manufacturer_id, request_id, entry_id)
SELECT e.manufacturer_id, r.id, e.id
FROM {entry} e JOIN {request} r ON r.partnership_id = e.partnership_id
WHERE e.manufacturer_id = %(tenant)s AND e.pay_by < %(paid_until)s
"""


def benchmark_commission_job(*, entries: int) -> JobBenchmark:
    if connection.vendor != "postgresql":
        raise RuntimeError("The commission job benchmark runs on PostgreSQL (DATABASE_URL).")
    tables = {
        "entry": CommissionEntry._meta.db_table,
        "item": PayoutItem._meta.db_table,
        "request": PayoutRequest._meta.db_table,
        "partnership": Partnership._meta.db_table,
    }
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        started = time.perf_counter()
        manufacturer = Manufacturer.objects.create(name="Commission benchmark", slug=SLUG)
        resellers = Reseller.objects.bulk_create(
            Reseller(name=f"Benchmark reseller {n}") for n in range(PARTNERSHIPS)
        )
        with scope(manufacturer=manufacturer):
            partnerships = Partnership.objects.bulk_create(
                Partnership(manufacturer=manufacturer, reseller=reseller) for reseller in resellers
            )
            batch = PayoutBatch.objects.create(
                manufacturer=manufacturer,
                status=PayoutBatchStatus.PAID,
                currency="EUR",
                reference="BENCH",
                approved_at=now,
                paid_at=now,
            )
            PayoutRequest.objects.bulk_create(
                PayoutRequest(
                    manufacturer=manufacturer,
                    partnership=partnership,
                    amount=0,
                    currency="EUR",
                    status=PayoutRequestStatus.PAID,
                    batch=batch,
                    created_at=now,
                )
                for partnership in partnerships
            )
            params: dict[str, Any] = {
                "tenant": manufacturer.pk,
                "today": today,
                "now": now,
                "count": entries,
                "paid_until": today - timedelta(days=14),
            }
            with connection.cursor() as cursor:
                # Set-up only: the bulk rows skip their triggers (tenant guards, append-only),
                # which a superuser of a throwaway database may do; the job runs with them.
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute(ENTRIES_SQL.format(**tables), params)
                cursor.execute(PAID_ITEMS_SQL.format(**tables), params)
                cursor.execute("SET LOCAL session_replication_role = origin")
                for table in tables.values():
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            built = time.perf_counter() - started

            started = time.perf_counter()
            result = commission_daily_run(manufacturer=manufacturer, today=today)
            ran = time.perf_counter() - started
            requests = PayoutRequest.objects.filter(
                manufacturer=manufacturer, status=PayoutRequestStatus.REQUESTED
            ).count()
            items = PayoutItem.objects.filter(
                manufacturer=manufacturer, request__status=PayoutRequestStatus.REQUESTED
            ).count()
        transaction.set_rollback(True)
    return JobBenchmark(
        entries=entries,
        build_seconds=built,
        run_seconds=ran,
        result=result,
        requests=requests,
        items=items,
    )
