from typing import Any

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from demo.channel import DEMO_PASSWORD, build_demo_channel


class Command(BaseCommand):
    help = "Load the demo channel (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Known logins with a published password have no place on a real portal.
            raise CommandError(
                "The demo channel is not loaded on production (DJANGO_ENV=production)."
            )
        # The history's emails are delivered as they would be (the outbox rows end up sent),
        # but to memory: the console backend would print hundreds of them before the logins.
        # A configured broker is unaffected (its workers send with their own settings).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            report = build_demo_channel()
        mail.outbox = []
        if report.created:
            made = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo channel loaded: {made}."))
        else:
            self.stdout.write("Demo channel already loaded; nothing changed.")
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Demo logins (password for all: {DEMO_PASSWORD})")
        )
        # Each column as wide as its longest cell, so a long role ("Reseller user (Italiano)")
        # cannot push its row out of line.
        rows = [("Email", "Role", "Organisation"), *report.logins]
        email_width = max(len(email) for email, _, _ in rows)
        role_width = max(len(role) for _, role, _ in rows)
        for email, role, organisation in rows:
            self.stdout.write(f"  {email:<{email_width}}  {role:<{role_width}}  {organisation}")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in with any of them.")
