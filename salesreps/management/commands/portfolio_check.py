"""Report partnerships whose django-guardian rep permissions disagree with their assignment.

Exit code 0 when everything agrees, 1 (CommandError) when there is anything to repair.
"""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from accounts.models import Manufacturer
from salesreps.selectors import portfolio_inconsistencies


class Command(BaseCommand):
    help = "Check that every rep's object permissions match the portfolio assignments."

    def add_arguments(self, parser):
        parser.add_argument("--manufacturer", help="Only this manufacturer (slug).")

    def handle(self, *args, **options):
        with scopes_disabled():
            manufacturer = None
            if options.get("manufacturer"):
                manufacturer = Manufacturer.objects.filter(slug=options["manufacturer"]).first()
                if manufacturer is None:
                    raise CommandError(f"No manufacturer with slug {options['manufacturer']!r}.")
            problems = portfolio_inconsistencies(manufacturer=manufacturer)
        for problem in problems:
            self.stderr.write(problem.describe())
        if problems:
            raise CommandError(
                f"{len(problems)} partnership(s) have permissions that disagree with their "
                "assignment. Re-assign them through salesreps.services.portfolio_assign."
            )
        self.stdout.write(self.style.SUCCESS("Portfolio permissions agree with assignments."))
