from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home and site-wide settings"

    def ready(self) -> None:
        from home import public_address, signals  # they use models, which load after this module
        from site_project.database_statistics import analyze_after_migrate

        signals.connect()
        post_migrate.connect(public_address.derive_initial_site, sender=self)
        post_migrate.connect(analyze_after_migrate, dispatch_uid="site_project.analyze_after_migrate")
        checks.register(public_address.check_default_site, checks.Tags.database)
