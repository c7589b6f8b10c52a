"""The demo logins that `make run` prints line up whatever the length of a role."""

from io import StringIO
from types import SimpleNamespace

from django.core.management import call_command

LOGINS = [
    ("marco.manager@northwind.example", "Manager", "Northwind Audio"),
    ("giulia@soundhouse.example", "Reseller user (Italiano)", "Soundhouse"),
    ("anna@soundhouse.example", "Reseller user", "Soundhouse"),
]


def test_every_row_of_the_demo_logins_starts_its_columns_at_the_same_place(monkeypatch):
    report = SimpleNamespace(created={}, logins=LOGINS)
    monkeypatch.setattr("demo.management.commands.demo_channel.build_demo_channel", lambda: report)
    out = StringIO()
    call_command("demo_channel", stdout=out, no_color=True)
    rows = [line for line in out.getvalue().splitlines() if "@" in line]
    assert len(rows) == 3
    organisation_at = {row.index(org) for row, (_, _, org) in zip(rows, LOGINS, strict=True)}
    role_at = {row.index(role) for row, (_, role, _) in zip(rows, LOGINS, strict=True)}
    assert len(organisation_at) == 1 and len(role_at) == 1
