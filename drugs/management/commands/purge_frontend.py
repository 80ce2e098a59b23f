from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from drugs.caching import ALL_PAGES, purge_frontend


class Command(BaseCommand):
    help = (
        "Purge pages from the proxy or CDN in front (FRONTEND_PURGE_URLS) by surrogate key: by "
        "default every page. Run it after a deploy to check the purge path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "keys", nargs="*", help=f'Surrogate keys such as "drug:12"; default "{ALL_PAGES}".'
        )

    def handle(self, *args, keys, **options):
        if not settings.FRONTEND_PURGE_URLS:
            raise CommandError("FRONTEND_PURGE_URLS is empty: there is nothing in front to purge.")
        keys = keys or [ALL_PAGES]
        failed = purge_frontend(keys)
        for url in settings.FRONTEND_PURGE_URLS:
            if url not in failed:
                self.stdout.write(f"Purged {' '.join(keys)} at {url}")
        if failed:
            raise CommandError(f"Could not purge at {', '.join(failed)} (see the log above).")
