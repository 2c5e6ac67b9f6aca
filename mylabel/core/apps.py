from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "mylabel.core"
    label = "core"

    def ready(self) -> None:
        from mylabel.core import lookups

        lookups.register()


class MyLabelAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site (mylabel/core/admin_site.py) as ``admin.site``; named in
    INSTALLED_APPS, so not this module's default (CoreConfig is)."""

    default = False
    default_site = "mylabel.core.admin_site.AdminSite"
