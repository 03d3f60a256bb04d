from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_migrate, post_save


def _sync_roles_after_migrate(sender, using, **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from pcc_portal.roles import sync_roles

    # Other apps' post_migrate handlers may not have run yet: make sure every app's
    # permissions exist before the groups are given them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles()
    # A flush or a migration may have changed the profile without a save signal.
    apps.get_model("pcc_portal", "OfficeProfile").cache_forget()


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
        # Saved in the admin, loaded from a fixture (a raw save) or deleted: every process
        # reads the profile from the database again.
        profile = self.get_model("OfficeProfile")
        for signal in (post_save, post_delete):
            signal.connect(profile.cache_forget, sender=profile, dispatch_uid="office_cache")
        user_logged_in.connect(session_start_clocks, dispatch_uid="portal_session_clocks")
        register(HOME_TASKS, home_import_tasks)
