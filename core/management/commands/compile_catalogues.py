from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from core.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile the message catalogues (.po to .mo) with Babel; only those that changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Compile every catalogue.")

    def handle(self, *args: Any, **options: Any) -> None:
        for locale_dir in settings.LOCALE_PATHS:
            for path in compile_catalogues(Path(locale_dir), force=options["force"]):
                self.stdout.write(f"Compiled {path.relative_to(settings.BASE_DIR)}")
