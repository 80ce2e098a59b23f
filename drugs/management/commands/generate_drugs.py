import datetime
import json
import random
import time
from pathlib import Path
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.text import slugify

from drugs import catalogue
from drugs.models import SECTION_NAMES, Drug

# The words synthetic monographs are made of, as data.
WORDS = SimpleNamespace(
    **json.loads((Path(__file__).parents[2] / "fixtures" / "generated_vocabulary.json").read_text())
)
VARIANTS_PER_SECTION = 60
BOXED_WARNING_SHARE = 0.15
PROGRAMS = [("copay", "Co-Pay Card"), ("patient_assistance", "Access")]


def paragraph(rng, sentences):
    return " ".join(rng.sample(WORDS.sentences, sentences))


def section_text(rng, name):
    """Markdown for a section of one monograph: roughly 100-400 words across its sections."""
    if name == "boxed_warning":  # as on FDA labels, a minority of drugs have one
        return paragraph(rng, 1) if rng.random() < BOXED_WARNING_SHARE else ""
    if name == "indication":
        return (
            f"It is approved for adults with {rng.choice(WORDS.cancer_types).lower()} "
            f"and for {rng.choice(WORDS.cancer_types).lower()}. " + paragraph(rng, 2)
        )
    if name == "general_info":
        return "\n\n".join(paragraph(rng, rng.randint(3, 6)) for _ in range(rng.randint(2, 4)))
    if name != "side_effects":
        return paragraph(rng, rng.randint(2, 4))
    effects = rng.sample(WORDS.side_effects, rng.randint(4, 8))
    return (
        "Common side effects include:\n\n"
        + "\n".join(f"- {effect}" for effect in effects)
        + "\n\n**Serious** side effects can include infections and bleeding. "
        + paragraph(rng, 2)
    )


def unique_brand(rng, taken):
    while True:
        brand = "".join(rng.choice(WORDS.syllables) for _ in range(rng.randint(2, 4))).capitalize()
        if slugify(brand) not in taken:
            taken.add(slugify(brand))
            return brand


def company_record(word, suffix):
    """A company of generated drugs, with a co-pay card and an access program."""
    name, website = f"{word} {suffix}", f"https://{slugify(word)}.example"
    programs = [
        {"kind": kind, "name": f"{name} {label}", "url": f"{website}/support/{kind}"}
        for kind, label in PROGRAMS
    ]
    return {"slug": slugify(name), "name": name, "website": website, "programs": programs}


def drug_records(count, rng, companies):
    """`count` monographs in the interchange format, with brand names no drug here has."""
    variants = {
        name: [section_text(rng, name) for _ in range(VARIANTS_PER_SECTION)]
        for name in SECTION_NAMES
    }
    taken = set(Drug.objects.values_list("slug", flat=True))
    today = datetime.date.today()
    for _ in range(count):
        brand = unique_brand(rng, taken)
        reviewed = today - datetime.timedelta(days=rng.randint(0, 900))
        company = rng.choice(companies)
        yield {
            "brand_name": brand,
            "generic_name": f"{rng.choice(WORDS.syllables)}{rng.choice(WORDS.syllables)}"
            f"{rng.choice(WORDS.generic_stems)}",
            "experimental_codes": [f"{brand[:2].upper()}-{rng.randint(1000, 9999)}"],
            "drug_classes": rng.sample(WORDS.classes, rng.choice([1, 1, 2])),
            "companies": [company["name"]],
            "cancer_types": rng.sample(WORDS.cancer_types, rng.randint(1, 3)),
            "approval_status": rng.choices(
                ["approved", "accelerated", "investigational", "withdrawn"],
                weights=[80, 10, 8, 2],
            )[0],
            "first_approved_year": rng.randint(1975, 2026),
            "generic_available": rng.choices(["no", "yes", "biosimilar"], [60, 30, 10])[0],
            **{name: rng.choice(variants[name]) for name in SECTION_NAMES},
            "more_info_url": f"https://{slugify(brand)}.example",
            "assistance_programs": [
                {**program, "company": company["name"]} for program in company["programs"]
            ],
            "last_reviewed": reviewed.isoformat() if rng.random() > 0.05 else None,
            "status": rng.choices(["published", "draft"], [95, 5])[0],
        }


class Command(BaseCommand):
    help = (
        "Create N synthetic drugs (with classes, companies and programs) for benchmarks, "
        "through the importer staff use."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many drugs to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (repeatable data).")

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        started = time.monotonic()
        rng = random.Random(seed)
        companies = [
            company_record(word, suffix)
            for word in WORDS.company_words
            for suffix in WORDS.company_suffixes[:3]
        ]
        drugs = list(drug_records(count, rng, companies))
        document = {"version": 2, "companies": companies, "drugs": drugs}
        catalogue.run_import(json.dumps(document), source="generate_drugs")
        # Fresh planner statistics for the new rows; on PostgreSQL outside a transaction a
        # VACUUM too: until one runs, the trigram indexes' pending lists make search about four
        # times slower and the A-Z's index-only scans read the table.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(
            f"Created {count} drugs in {time.monotonic() - started:.1f} s "
            f"({Drug.objects.count()} in the database)."
        )
