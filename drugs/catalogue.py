"""The whole catalogue as one interchange document (docs/interchange.md, "The whole catalogue"):
the drugs, as drugs.interchange writes and imports them, beside the classes, cancer types,
companies with their programs, and reviewers. Product images travel as files in a folder beside
the JSON ("catalogue-images/pomalyst.webp" beside catalogue.json), checked like uploads."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify

from . import images, interchange
from .caching import every_page_changed
from .interchange import InvalidFile, Problem
from .models import (
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassSlugRedirect,
    Reviewer,
)

PROGRAM_FIELDS = [name for name in interchange.PROGRAM_FIELDS if name != "company"]
# Each part but the drugs: its key -> the model and the fields of a row, slug first, in the
# order they are written; a row is matched to the site's by its slug.
PARTS = {
    "drug_classes": (DrugClass, ["slug", "name", "description"]),
    "cancer_types": (CancerType, ["slug", "name", "description"]),
    "companies": (Company, ["slug", "name", "website"]),
    "reviewers": (Reviewer, ["slug", "name", "credentials", "bio"]),
}
# The list a row of a part carries besides its fields.
EXTRA_LISTS = {"companies": "programs", "drug_classes": "old_slugs"}


# Writing -----------------------------------------------------------------------------------


def part_rows(key):
    model, fields = PARTS[key]
    programs = Prefetch("programs", queryset=AssistanceProgram.objects.order_by("kind", "name"))
    related = {"companies": [programs], "drug_classes": ["old_slugs"]}.get(key, [])
    for obj in model.objects.order_by("slug").prefetch_related(*related):
        row = {name: getattr(obj, name) for name in fields}
        if key == "companies":
            row["programs"] = [
                {name: getattr(program, name) for name in PROGRAM_FIELDS}
                for program in obj.programs.all()
            ]
        elif key == "drug_classes":
            row["old_slugs"] = sorted(redirect.old_slug for redirect in obj.old_slugs.all())
        yield row


def export(path):
    """Write the whole catalogue to `path` (every part, then every drug by brand name) and the
    drugs' product images into the folder beside it. Return the number of drugs."""
    path = Path(path)
    folder = f"{path.stem}-images"
    records = []
    drugs = Drug.objects.order_by("brand_name", "slug")
    for drug in interchange.with_record_relations(drugs):
        record = interchange.drug_record(drug)
        if drug.image:
            name = f"{folder}/{drug.slug}.webp"
            (path.parent / folder).mkdir(exist_ok=True)
            with default_storage.open(drug.image.name) as stored:
                (path.parent / name).write_bytes(stored.read())
            record["image"] = {"file": name, "alt": drug.image_alt}
        records.append(record)
    parts = {key: list(part_rows(key)) for key in PARTS}
    path.write_text(interchange.to_json(records, **parts), encoding="utf-8")
    return len(records)


# Reading -----------------------------------------------------------------------------------


def clean_row(key, row):
    """One row of a part, cleaned (None without a name), and its errors as (field, message)."""
    model, fields = PARTS[key]
    extra = EXTRA_LISTS.get(key)
    if not isinstance(row, dict):
        return None, [("(row)", f"must be an object, not {interchange.json_type(row)}")]
    errors = [(name, "unknown field") for name in sorted(set(row) - {*fields, extra})]
    for name, value in row.items():  # NUL, which PostgreSQL cannot store, and the like
        if character := interchange.control_character(value):
            errors.append((name, f"contains the control character {character}"))
    values = {}
    for name in fields:
        try:
            values[name] = interchange.field_reader(model, name)(row.get(name))
        except ValidationError as error:
            errors.append((name, " ".join(error.messages)))
    if values.get("name") == "":
        errors.append(("name", "is required"))
    if not values.get("name"):
        return None, errors
    values["slug"] = values.get("slug") or slugify(values["name"])
    try:
        if key == "companies":
            programs = [{**program, "company": values["name"]} for program in row.get(extra, [])]
            values[extra] = interchange.clean_programs(programs)
        elif key == "drug_classes":
            slugs = interchange.clean_list(row.get(extra), "slug")
            old_slug = interchange.field_reader(DrugClassSlugRedirect, "old_slug")
            values[extra] = sorted({old_slug(slug) for slug in slugs} - {""})
    except ValidationError as error:
        errors.append((extra, " ".join(error.messages)))
    except TypeError:
        errors.append((extra, "must be a list of objects"))
    return values, errors


def clean_part(key, rows, problems):
    """The rows of a part, cleaned, each slug and name once, as (index, values); problems go
    into `problems`."""
    if not isinstance(rows, list):
        problems.append(Problem(None, "", f"{key} must be a list"))
        return []
    unique = ["slug"] if key == "reviewers" else ["slug", "name"]  # namesakes may review
    cleaned, seen = [], {}
    for index, row in enumerate(rows):
        values, errors = clean_row(key, row)
        for name in unique if values else []:
            value = (name, values[name].casefold())
            if value in seen:
                errors.append((name, f"{values[name]!r} is also {key} {seen[value] + 1}"))
            seen[value] = index
        label = str(row.get("name", "")) if isinstance(row, dict) else ""
        problems += [Problem(index, name, message, label, part=key) for name, message in errors]
        if values and not errors:
            cleaned.append((index, values))
    return cleaned


def taken_names(key, rows, problems):
    """A problem for each row whose name another row of the site has under another slug."""
    model, _ = PARTS[key]
    if key == "reviewers":  # reviewers' names need not be unique
        return
    by_name = {values["name"].casefold(): (index, values) for index, values in rows}
    for obj in model.objects.exclude(slug__in=[values["slug"] for _, values in rows]):
        if found := by_name.get(obj.name.casefold()):
            index, values = found
            message = f"{obj.name!r} is here already, at the address {obj.slug!r}"
            problems.append(Problem(index, "name", message, values["name"], part=key))


def save_part(key, rows):
    """Insert or update the part's rows by slug, their programs by company and name, and their
    old slugs, a few queries whatever their number. No row's save() or signal runs: the caller
    retires every cached page (caching.every_page_changed)."""
    model, fields = PARTS[key]
    saved = model.objects.bulk_create(
        [model(**{name: values[name] for name in fields}) for _, values in rows],
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=fields[1:],
    )
    programs, old_slugs = [], []
    for obj, (_, values) in zip(saved, rows, strict=True):
        programs += [
            AssistanceProgram(company=obj, **{name: program[name] for name in PROGRAM_FIELDS})
            for program in values.get("programs", [])
        ]
        old_slugs += [
            DrugClassSlugRedirect(old_slug=old_slug, drug_class=obj)
            for old_slug in values.get("old_slugs", [])
        ]
    AssistanceProgram.objects.bulk_create(
        programs,
        update_conflicts=True,
        unique_fields=["company", "name"],
        update_fields=[name for name in PROGRAM_FIELDS if name != "name"],
    )
    DrugClassSlugRedirect.objects.bulk_create(
        old_slugs, update_conflicts=True, unique_fields=["old_slug"], update_fields=["drug_class"]
    )


def read_image(reference, folder):
    """A drug record's "image", {"file": a path relative to `folder`, "alt": text}, as the
    file's bytes and the alt text; raise ValidationError saying what is wrong."""
    if not isinstance(reference, dict) or set(reference) != {"file", "alt"}:
        raise ValidationError('must be {"file": "<folder>/<name>.webp", "alt": "what it shows"}')
    if character := interchange.control_character(reference):
        raise ValidationError(f"contains the control character {character}")
    name = reference["file"]
    alt = interchange.field_reader(Drug, "image_alt")(reference["alt"])
    if not alt:
        raise ValidationError(images.NO_ALT)
    if folder is None:
        raise ValidationError("images are read only from a catalogue file, beside which they lie")
    path = (folder / str(name)).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise ValidationError(f"{name!r} is not a file beside the catalogue")
    if path.stat().st_size > images.MAX_BYTES:
        raise ValidationError(images.TOO_LARGE.format(size=filesizeformat(path.stat().st_size)))
    return path.read_bytes(), alt


def planned_image(drug, data, alt):
    """What importing an image's bytes and alt text does to `drug` (None: a new one): None when
    nothing changes, else (images.ProcessedImage, or None to keep the drug's file, alt). The
    site's own export is the drug's file byte for byte; any other is checked and re-encoded
    like an upload (raises ValidationError)."""
    if drug is not None and drug.image:
        with default_storage.open(drug.image.name) as stored:
            if stored.read() == data:
                return None if drug.image_alt == alt else (None, alt)
    return images.process(ContentFile(data)), alt


def read_images(records, folder, problems):
    """Take the "image" out of each drug record and read it: {record index: (bytes, alt)}."""
    wanted = {}
    for index, record in enumerate(records):
        if isinstance(record, dict) and "image" in record:
            label = str(record.get("brand_name") or record.get("slug") or "")
            try:
                wanted[index] = read_image(record.pop("image"), folder)
            except ValidationError as error:
                problems.append(Problem(index, "image", " ".join(error.messages), label))
    return wanted


def file_order(problem):
    """Problems in the order of the file: the file's own, each part's, then the drugs'."""
    parts = [*PARTS, "Record"]
    return (problem.index is not None, parts.index(problem.part), problem.index or 0)


def run_import(data, source="the file", folder=None, progress=None):
    """Import a whole catalogue, all or nothing, with full rights (as `import_drugs` without a
    user); raise InvalidFile listing every problem. Rows are matched to the site's by slug and
    updated; nothing the file leaves out is deleted. Images are read from `folder`."""
    document = interchange.load_document(data)
    problems = []
    unknown = sorted(set(document) - {"version", "drugs", *PARTS})
    if unknown:
        problems.append(Problem(None, "", f"unknown part {unknown[0]!r}"))
    with transaction.atomic():
        parts = {key: clean_part(key, document.get(key, []), problems) for key in PARTS}
        for key, rows in parts.items():
            taken_names(key, rows, problems)
        drug_images = read_images(document.get("drugs", []), folder, problems)
        plan = interchange.plan_records(document.get("drugs", []), source)
        for item in plan.items:
            if item.index in drug_images:
                try:
                    item.image = planned_image(item.drug, *drug_images[item.index])
                except ValidationError as error:
                    message = " ".join(error.messages)
                    problems.append(Problem(item.index, "image", message, item.brand_name))
                if item.image:
                    item.changes.append("image")
        if problems or plan.problems:
            raise InvalidFile(sorted([*problems, *plan.problems], key=file_order))
        for key, rows in parts.items():
            save_part(key, rows)
        transaction.on_commit(every_page_changed)
        if progress:
            saved = (f"{len(rows):,} {key.replace('_', ' ')}" for key, rows in parts.items())
            progress(f"Saved {', '.join(saved)}.")
        return interchange.apply_plan(plan, progress=progress)
