import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from drugs import demo_content
from drugs.editorial import CONTENT_FIELDS, record_relations
from drugs.models import (
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassMembership,
    PublicationStatus,
)


class Command(BaseCommand):
    help = (
        "Load the demo monographs (Pomalyst and other real cancer drugs). Safe to run again: "
        "what is already in the database, including editors' changes, is left as it is."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        classes = {
            item["name"]: DrugClass.objects.get_or_create(
                slug=item["slug"],
                defaults={"name": item["name"], "description": item["description"]},
            )[0]
            for item in demo_content.DRUG_CLASSES
        }
        companies = {
            item["name"]: Company.objects.get_or_create(
                slug=item["slug"], defaults={"name": item["name"], "website": item["website"]}
            )[0]
            for item in demo_content.COMPANIES
        }
        cancer_types = {
            item["name"]: CancerType.objects.get_or_create(
                slug=item["slug"], defaults={"name": item["name"]}
            )[0]
            for item in demo_content.CANCER_TYPES
        }
        created = 0
        for item in demo_content.DRUGS:
            if Drug.objects.filter(slug=item["slug"]).exists():
                continue
            drug = Drug.objects.create(
                **{
                    **{field: item[field] for field in CONTENT_FIELDS},
                    "other_names": "\n".join(item["other_names"]),
                },
                slug=item["slug"],
                last_reviewed=datetime.date.fromisoformat(item["last_reviewed"]),
                status=PublicationStatus.PUBLISHED,
            )
            created += 1
            for position, name in enumerate(item["drug_classes"]):
                DrugClassMembership.objects.create(
                    drug=drug, drug_class=classes[name], position=position
                )
            drug.companies.set(companies[name] for name in item["companies"])
            drug.cancer_types.set(cancer_types[name] for name in item["cancer_types"])
            record_relations(drug)
            for program in item["assistance_programs"]:
                assistance_program, _ = AssistanceProgram.objects.get_or_create(
                    company=companies[program["company"]],
                    name=program["name"],
                    defaults={field: program[field] for field in ["kind", "url", "phone", "notes"]},
                )
                assistance_program.drugs.add(drug)
        self.stdout.write(
            f"Demo content: {created} new of {len(demo_content.DRUGS)} drugs "
            f"({len(classes)} classes, {len(companies)} companies)."
        )
