import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from drugs.interchange import InvalidFile, run_import


class Command(BaseCommand):
    help = (
        "Import monographs from an interchange JSON file (see docs/interchange.md). All or "
        "nothing: a file with any invalid record changes nothing. Drugs already here are "
        "updated in place, matched by slug, else by brand name. It acts with full rights, as an "
        "operator at the server (a record that says it is published and reviewed is imported "
        "so); with --user it may do only what that user may do in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file to import, or - for standard input.")
        parser.add_argument("--user", help="Import as this user, with exactly their permissions.")

    def handle(self, *args, file, user=None, **options):
        if user:
            try:
                user = get_user_model().objects.get(username=user, is_active=True)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No active user {user!r}.") from None
        if file == "-":
            data, source = sys.stdin.buffer.read(), "standard input"
        else:
            try:
                data, source = Path(file).read_bytes(), Path(file).name
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            result = self.run(data, source, user, file)
        except InvalidFile as error:
            count = len(error.problems)
            lines = [f"Nothing was imported: {count} problem{pluralize(count)}."]
            lines += [f"  {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(f"Imported {source}: {result}")

    def run(self, data, source, user, path):
        return run_import(data, source=source, user=user, progress=self.report_progress)

    def report_progress(self, message):
        self.stdout.write(message)
        self.stdout.flush()  # as it happens, also when piped to a log
