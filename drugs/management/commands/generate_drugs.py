import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify

from drugs.caching import every_page_changed
from drugs.models import (
    SECTION_NAMES,
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassMembership,
)

CLASSES = [
    "Immunotherapy Medications",
    "Targeted Therapy Medications",
    "Hormone Therapy Medications",
    "Chemotherapy Medications",
    "Antibody-Drug Conjugates",
    "Supportive Care Medications",
    "Radiopharmaceuticals",
    "Cell and Gene Therapies",
]
CANCER_TYPES = [
    "Breast cancer",
    "Lung cancer",
    "Prostate cancer",
    "Colorectal cancer",
    "Melanoma",
    "Multiple myeloma",
    "Lymphoma",
    "Leukemia",
    "Ovarian cancer",
    "Pancreatic cancer",
    "Kidney cancer",
    "Bladder cancer",
    "Liver cancer",
    "Stomach cancer",
    "Head and neck cancer",
    "Brain tumors",
    "Sarcoma",
    "Thyroid cancer",
    "Cervical cancer",
    "Kaposi sarcoma",
]
COMPANY_WORDS = [
    "Helix",
    "Northwind",
    "Arbor",
    "Meridian",
    "Crescent",
    "Summit",
    "Beacon",
    "Harbor",
    "Solstice",
    "Keystone",
    "Lumen",
    "Vantage",
    "Cobalt",
    "Juniper",
]
COMPANY_SUFFIXES = ["Oncology", "Pharmaceuticals", "Therapeutics", "Biosciences", "Health"]
SYLLABLES = [
    "za",
    "vo",
    "ri",
    "lex",
    "tam",
    "ne",
    "xa",
    "cor",
    "bi",
    "tra",
    "lo",
    "qui",
    "fen",
    "do",
    "mi",
    "sar",
    "ka",
    "ple",
    "ver",
    "tu",
    "zel",
    "on",
    "pra",
    "gi",
]
GENERIC_STEMS = [
    "mab",
    "tinib",
    "ciclib",
    "lisib",
    "parib",
    "rafenib",
    "zumab",
    "ximab",
    "platin",
    "taxel",
    "rubicin",
    "lutamide",
    "relix",
    "tecan",
]
SENTENCES = [
    "It blocks a signal that cancer cells use to grow and divide.",
    "In clinical trials it lengthened the time before the cancer got worse.",
    "It is given alone or together with other cancer medicines.",
    "Your care team will check your blood counts before each cycle.",
    "Some people need a lower dose if side effects become hard to manage.",
    "Tell your doctor about every other medicine and supplement you take.",
    "It can harm an unborn baby, so reliable contraception is needed during treatment.",
    "The medicine was studied in adults whose cancer had come back after earlier treatment.",
    "Most side effects are mild to moderate and ease after treatment stops.",
    "Regular scans show whether the treatment is working.",
    "It is taken by mouth with or without food at about the same time each day.",
    "It is given as an infusion into a vein over about thirty minutes.",
    "Treatment usually continues until the disease progresses or side effects are too severe.",
    "It works by helping the immune system recognise and attack cancer cells.",
    "Liver and kidney function are checked regularly during treatment.",
]
SIDE_EFFECTS = [
    "fatigue",
    "nausea",
    "diarrhea",
    "rash",
    "hair loss",
    "mouth sores",
    "low blood counts",
    "fever",
    "cough",
    "joint pain",
    "headache",
    "constipation",
    "loss of appetite",
    "high blood pressure",
    "swelling of the legs",
]
VARIANTS_PER_SECTION = 60


def paragraph(rng, sentences):
    return " ".join(rng.sample(SENTENCES, sentences))


def section_text(rng, name):
    """Markdown for a section of one monograph: roughly 100-400 words across its sections."""
    if name == "indication":
        return (
            f"It is approved for adults with {rng.choice(CANCER_TYPES).lower()} "
            f"and for {rng.choice(CANCER_TYPES).lower()}. " + paragraph(rng, 2)
        )
    if name == "general_info":
        return "\n\n".join(paragraph(rng, rng.randint(3, 6)) for _ in range(rng.randint(2, 4)))
    if name != "side_effects":
        return paragraph(rng, rng.randint(2, 4))
    effects = rng.sample(SIDE_EFFECTS, rng.randint(4, 8))
    return (
        "Common side effects include:\n\n"
        + "\n".join(f"- {effect}" for effect in effects)
        + "\n\n**Serious** side effects can include infections and bleeding. "
        + paragraph(rng, 2)
    )


class Command(BaseCommand):
    help = (
        "Create N realistic synthetic drugs (with classes, companies and programs) for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many drugs to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (repeatable data).")

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        started = time.monotonic()
        with transaction.atomic():
            created = self.create(count, seed)
        self.refresh_statistics()
        self.stdout.write(
            f"Created {created} drugs in {time.monotonic() - started:.1f} s "
            f"({Drug.objects.count()} in the database)."
        )

    @staticmethod
    def refresh_statistics():
        """Fresh planner statistics for the bulk-inserted rows, and on PostgreSQL a VACUUM when
        not inside a transaction: until one runs, the trigram indexes' pending lists make search
        about four times slower and the A-Z's index-only scans read the table."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")

    def create(self, count, seed):
        rng = random.Random(seed)
        classes = [self.named(DrugClass, name) for name in CLASSES]
        cancer_types = [self.named(CancerType, name) for name in CANCER_TYPES]
        companies = [
            self.named(Company, f"{word} {suffix}", website=f"https://{slugify(word)}.example")
            for word in COMPANY_WORDS
            for suffix in COMPANY_SUFFIXES[:3]
        ]
        programs = {
            company.pk: [
                AssistanceProgram.objects.get_or_create(
                    company=company,
                    name=f"{company.name} {label}",
                    defaults={"kind": kind, "url": f"{company.website}/support/{kind}"},
                )[0]
                for kind, label in [("copay", "Co-Pay Card"), ("patient_assistance", "Access")]
            ]
            for company in companies
        }

        variants = {
            name: [section_text(rng, name) for _ in range(VARIANTS_PER_SECTION)]
            for name in SECTION_NAMES
        }
        taken = set(Drug.objects.values_list("slug", flat=True))
        today = datetime.date.today()
        drugs = []
        for _ in range(count):
            brand = self.unique_brand(rng, taken)
            reviewed = today - datetime.timedelta(days=rng.randint(0, 900))
            reviewed = reviewed if rng.random() > 0.05 else None
            drug = Drug(
                brand_name=brand,
                slug=slugify(brand),
                generic_name=f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}"
                f"{rng.choice(GENERIC_STEMS)}",
                other_names=f"{brand[:2].upper()}-{rng.randint(1000, 9999)}",
                approval_status=rng.choices(
                    ["approved", "accelerated", "investigational", "withdrawn"],
                    weights=[80, 10, 8, 2],
                )[0],
                first_approved_year=rng.randint(1975, 2026),
                generic_available=rng.choices(["no", "yes", "biosimilar"], [60, 30, 10])[0],
                **{name: rng.choice(variants[name]) for name in SECTION_NAMES},
                more_info_url=f"https://{slugify(brand)}.example",
                last_reviewed=reviewed,
                status=rng.choices(["published", "draft"], [95, 5])[0],
            )
            drug.set_derived_fields()  # bulk_create() does not call save()
            drugs.append(drug)
        drugs = Drug.objects.bulk_create(drugs, batch_size=1000)

        memberships, company_links, type_links, program_links = [], [], [], []
        for drug in drugs:
            for position, drug_class in enumerate(rng.sample(classes, rng.choice([1, 1, 2]))):
                memberships.append(
                    DrugClassMembership(drug=drug, drug_class=drug_class, position=position)
                )
            company = rng.choice(companies)
            company_links.append(Drug.companies.through(drug=drug, company=company))
            for cancer_type in rng.sample(cancer_types, rng.randint(1, 3)):
                type_links.append(Drug.cancer_types.through(drug=drug, cancertype=cancer_type))
            for program in programs[company.pk]:
                program_links.append(
                    AssistanceProgram.drugs.through(drug=drug, assistanceprogram=program)
                )
        DrugClassMembership.objects.bulk_create(memberships, batch_size=2000)
        for links in (company_links, type_links, program_links):
            type(links[0]).objects.bulk_create(links, batch_size=2000)
        # bulk_create() sends no signals: the cached pages must go by hand.
        transaction.on_commit(every_page_changed)
        return len(drugs)

    @staticmethod
    def named(model, name, **defaults):
        return model.objects.get_or_create(slug=slugify(name), defaults={"name": name, **defaults})[
            0
        ]

    @staticmethod
    def unique_brand(rng, taken):
        while True:
            brand = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            if slugify(brand) not in taken:
                taken.add(slugify(brand))
                return brand
