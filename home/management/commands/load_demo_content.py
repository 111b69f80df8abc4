"""Build the demo site: each installed app contributes its part through `<app>.demo.load()`.

Apps run in INSTALLED_APPS order (home first), so a later part can rely on an earlier one. Every part is
idempotent: it creates what is missing and leaves existing content alone, so a second run changes nothing.
"""

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from site_project.database_statistics import analyze_database


class Command(BaseCommand):
    help = "Create the demo practice site (pages, posts, office hours, contact form). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-users",
            action="store_true",
            help="Also create the demo admin, editor and counselor accounts (for local use only).",
        )

    def handle(self, *args, with_users: bool = False, **options):
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if Path(app_config.path).is_relative_to(settings.BASE_DIR) and find_spec(module_name):
                with transaction.atomic():
                    import_module(module_name).load(stdout=self.stdout, with_users=with_users)
        analyze_database()  # the demo's rows arrived at once: plan with them, not with an empty site's guesses
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
