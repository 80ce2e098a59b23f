from django.apps import AppConfig


class DrugsConfig(AppConfig):
    name = "drugs"
    verbose_name = "Drug monographs"

    def ready(self):
        from . import checks  # noqa: F401 (registers the deploy checks)
        from .caching import connect_invalidation

        connect_invalidation()
