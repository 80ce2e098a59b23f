from django.core.management.base import BaseCommand, CommandError

from drugs import catalogue


class Command(BaseCommand):
    help = (
        "Export the whole catalogue (classes, cancer types, companies and their programs, "
        "reviewers, and every drug with its old addresses) as one interchange JSON file (see "
        "docs/interchange.md), and the product images into a folder beside it "
        "(FILE catalogue.json: catalogue-images/). import_catalogue reads them back."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file to write.")

    def handle(self, *args, **options):
        try:
            count = catalogue.export(options["file"])
        except OSError as error:
            raise CommandError(f"Cannot write {options['file']}: {error.strerror}") from None
        self.stderr.write(f"Exported the catalogue ({count:,} drugs) to {options['file']}.")
