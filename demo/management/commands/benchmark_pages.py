"""Print how many queries and how much time the busiest pages take, per role.

Run it on the demo channel (or any database): `manage.py benchmark_pages --repeat 5`.
Figures, not assertions: tests hold the query budgets; this shows what a user waits.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django_scopes import scopes_disabled

from accounts.models import Manufacturer, ManufacturerMembership, Reseller, Role

PAGES = [
    ("resellers:directory", {}, "?days=365"),
    ("resellers:profile", {"public_id": None}, "?days=365"),
    ("orders:list", {}, ""),
    ("catalog:products", {}, ""),
    ("qualifications:list", {}, ""),
    ("communications:inbox", {}, ""),
    ("salesreps:overview", {}, ""),
]


class Command(BaseCommand):
    help = "Measure query counts and response times of the main pages for a manager and a rep."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--manufacturer", default="northwind")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, manufacturer: str, repeat: int, **options) -> None:
        with scopes_disabled():
            tenant = Manufacturer.objects.get(slug=manufacturer)
            reseller = Reseller.objects.filter(partnerships__manufacturer=tenant).first()
            members = {
                role: ManufacturerMembership.objects.filter(manufacturer=tenant, role=role)
                .select_related("user")
                .first()
                for role in (Role.MANAGER, Role.SELLER)
            }
            counts = {
                "resellers": tenant.partnerships.count(),
                "orders": tenant.orders.count(),
            }
        self.stdout.write(
            f"{tenant.name}: {counts['resellers']} resellers, {counts['orders']} orders; "
            f"median of {repeat} requests"
        )
        self.stdout.write(f"{'page':<28} {'role':<8} {'status':>6} {'queries':>8} {'ms':>8}")
        for role, membership in members.items():
            if membership is None:
                continue
            client = Client()
            client.force_login(membership.user)
            for url_name, extra, query in PAGES:
                kwargs = {"manufacturer_slug": tenant.slug}
                kwargs.update({k: v or reseller.public_id for k, v in extra.items()})
                try:
                    url = reverse(url_name, kwargs=kwargs) + query
                except NoReverseMatch:
                    continue
                timings, queries, status = [], 0, 0
                for _ in range(repeat):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - started) * 1000)
                    queries, status = len(captured), response.status_code
                self.stdout.write(
                    f"{url_name:<28} {role:<8} {status:>6} {queries:>8} "
                    f"{statistics.median(timings):>8.1f}"
                )
