from pathlib import Path

from drugs import catalogue
from drugs.management.commands.import_drugs import Command as ImportDrugsCommand


class Command(ImportDrugsCommand):
    help = (
        "Import a whole catalogue written by export_catalogue (see docs/interchange.md), all "
        "or nothing, with full rights, as an operator at the server: classes, cancer types, "
        "companies, programs and reviewers are matched by slug and updated, drugs as by "
        "import_drugs. Nothing the file leaves out is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file to import, or - for standard input.")

    def run(self, data, source, user, path):
        # Product images lie beside the file (none can come with standard input).
        folder = None if path == "-" else Path(path).parent
        return catalogue.run_import(data, source, folder, progress=self.report_progress)
