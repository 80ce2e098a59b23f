import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from drugs.interchange import run_import
from drugs.models import CancerType, Company, Drug, DrugClass, Reviewer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# The classes, companies, cancer types and reviewers, with what the interchange format does not
# carry (class descriptions, company websites, reviewers' bios), by slug.
TAXONOMY = {
    "drug_classes": DrugClass,
    "companies": Company,
    "cancer_types": CancerType,
    "reviewers": Reviewer,
}


class Command(BaseCommand):
    help = (
        "Load the demo monographs (Pomalyst and other real cancer drugs) from "
        "drugs/fixtures/, through the importer staff use. Safe to run again: what is already "
        "in the database, including editors' changes, is left as it is."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        taxonomy = json.loads((FIXTURES / "demo_taxonomy.json").read_text(encoding="utf-8"))
        for key, model in TAXONOMY.items():
            for item in taxonomy[key]:
                model.objects.get_or_create(slug=item["slug"], defaults=item)
        records = json.loads((FIXTURES / "demo_drugs.json").read_text(encoding="utf-8"))
        present = set(Drug.objects.values_list("slug", flat=True))
        new = [record for record in records if record["slug"] not in present]
        if new:
            run_import(json.dumps(new), source="the demo content")
        self.stdout.write(f"Demo content: {len(new)} new of {len(records)} drugs.")
