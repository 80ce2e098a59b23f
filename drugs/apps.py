from django.apps import AppConfig


class DrugsConfig(AppConfig):
    name = "drugs"
    verbose_name = "Drug monographs"

    def ready(self):
        from .caching import connect_invalidation

        connect_invalidation()
