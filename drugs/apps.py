from django.apps import AppConfig


class DrugsConfig(AppConfig):
    name = "drugs"
    verbose_name = "Drug monographs"

    def ready(self):
        from .caching import connect_invalidation
        from .counts import connect_counting
        from .monograph import keep_shown_relations_in_step

        connect_invalidation()
        connect_counting()
        keep_shown_relations_in_step()
