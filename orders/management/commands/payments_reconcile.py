"""Finish payment attempts left pending (the same job the Celery beat runs every minute)."""

from django.core.management.base import BaseCommand

from orders.services.payments import payment_attempts_reconcile


class Command(BaseCommand):
    help = "Ask the payment provider about attempts pending for over a minute and finish them."

    def handle(self, *args, **options):
        finished = payment_attempts_reconcile()
        self.stdout.write(f"{finished} pending payment attempt(s) finished.")
