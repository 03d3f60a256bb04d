from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender, using, **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from pcc_portal.roles import sync_roles

    # Other apps' post_migrate handlers may not have run yet: make sure every app's
    # permissions exist before the groups are given them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles()


class PortalConfig(AppConfig):
    name = "pcc_portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Imported for what they register: a deploy check, the safe `in` lookup.
        from pcc_portal import checks, lookups  # noqa: F401
        from pcc_portal.import_requests import home_import_tasks
        from pcc_portal.middleware import session_start_clocks
        from pcc_portal.slots import HOME_TASKS, register

        post_migrate.connect(_sync_roles_after_migrate, sender=self)
        user_logged_in.connect(session_start_clocks, dispatch_uid="portal_session_clocks")
        register(HOME_TASKS, home_import_tasks)
