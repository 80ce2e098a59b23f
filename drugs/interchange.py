"""The interchange format of monographs (docs/interchange.md): one reader and two writers (JSON,
CSV) for the commands, the staff import page and the staff exports. `read()` plans an import and
changes nothing, for a preview; `run_import()` reads again in a transaction and applies it."""

import csv
import datetime
import json
import re
from dataclasses import dataclass, field
from functools import partial
from itertools import batched

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify

from . import editorial, images
from .models import (
    CLINICAL_FIELDS,
    CLINICAL_RELATIONS,
    NAME_LIST_NAMES,
    NAME_LISTS,
    PUBLISH_PERMISSION,
    RELATED_FIELDS,
    REVIEW_FIELDS,
    REVIEW_PERMISSION,
    SECTION_NAMES,
    ApprovalStatus,
    AssistanceProgram,
    Drug,
    DrugClass,
    DrugClassMembership,
    DrugOldPath,
    GenericAvailability,
    ProgramKind,
    PublicationStatus,
    Reviewer,
    ReviewEvent,
)

# Version 1 files are a bare list of drugs; version 2 wraps them: {"version": 2, "drugs": [...]},
# beside the other parts of a whole catalogue (drugs.catalogue).
FORMAT_VERSION = 2
# Publishers' own words for a choice, by field: their pages say "Experimental" for
# Investigational, and whether a generic is available as true or false.
CHOICE_WORDS = {
    "approval_status": {"experimental": ApprovalStatus.INVESTIGATIONAL},
    "generic_available": {"true": GenericAvailability.YES, "false": GenericAvailability.NO},
}
# Shorthand for one program of the drug's first company: field -> program kind.
PROGRAM_URL_FIELDS = {
    "copay_program_url": ProgramKind.COPAY,
    "assistance_program_url": ProgramKind.PATIENT_ASSISTANCE,
}
# The record fields that are Drug's own fields or relations, labelled as the model labels them.
MODEL_FIELDS = {field.name for field in [*Drug._meta.fields, *Drug._meta.many_to_many]}
# A single name accepted instead of a list of names.
RELATION_ALIASES = {"drug_class": "drug_classes", "company": "companies"}
PROGRAM_FIELDS = ["company", "kind", "name", "url", "phone", "notes"]
# What only a user with the review permission may import.
REVIEW_RECORD_FIELDS = [*REVIEW_FIELDS, "changed_since_review"]
LIST_FIELDS = {*NAME_LIST_NAMES, *RELATED_FIELDS, "assistance_programs", "old_paths"}
# Fields that name other rows or need converting; the others are copied as they are onto Drug.
NOT_COPIED = {*LIST_FIELDS, "reviewed_by", *PROGRAM_URL_FIELDS}
# The links of new drugs, inserted in bulk: relation -> (through model, its other field).
NEW_LINKS = {
    "companies": (Drug.companies.through, "company_id"),
    "cancer_types": (Drug.cancer_types.through, "cancertype_id"),
    "assistance_programs": (AssistanceProgram.drugs.through, "assistanceprogram_id"),
}
CSV_COLUMNS = [
    "brand_name",
    "slug",
    "generic_name",
    *NAME_LIST_NAMES,
    *RELATED_FIELDS,
    "approval_status",
    "first_approved_year",
    "generic_available",
    "status",
    "last_reviewed",
    "reviewed_by",
    "next_review_due",
    "review_state",
    "more_info_url",
    *PROGRAM_URL_FIELDS,
    *SECTION_NAMES,
]
CSV_LIST_SEPARATOR = "; "
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 500  # drugs


class InvalidFile(Exception):
    """The file cannot be imported; `problems` lists every reason, each with its record."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Problem:
    index: int | None  # the record's position in the list, from 0; None for the whole file
    field: str
    message: str
    drug: str = ""  # the record's brand name or slug, as it names its drug
    part: str = "Record"  # what the list holds: a catalogue's other parts name theirs

    def __str__(self):
        if self.index is None:
            return f"File: {self.message}"
        drug = f" ({self.drug})" if self.drug else ""
        return f"{self.part} {self.index + 1}{drug}, {self.field}: {self.message}"


@dataclass
class PlannedDrug:
    """One record of a file and what importing it would do."""

    index: int
    values: dict  # the record, cleaned; for a new drug, with defaults filled in
    drug: Drug | None  # the existing drug it updates, or None to create one
    changes: list = field(default_factory=list)  # the fields that would change
    # A user's update of a published monograph is its working copy, as from the admin.
    working_copy: bool = False
    # A product image (None: the drug's own) and its alt text, which only a catalogue brings.
    image: tuple[images.ProcessedImage | None, str] | None = None

    @property
    def action(self):
        if self.drug is None:
            return "create"
        return "update" if self.changes else "unchanged"

    @property
    def brand_name(self):
        return self.values.get("brand_name") or self.drug.brand_name

    @property
    def slug(self):
        return self.values.get("slug") or self.drug.slug

    @property
    def number(self):
        return self.index + 1

    @property
    def status_label(self):
        return PublicationStatus(self.values.get("status") or self.drug.status).label

    def field_changes(self):
        """Each change of an update: its field in the file, its label as the admin and the
        revisions name it, value now, value after, and a word diff (HTML)."""
        current = current_values(self.drug)
        rows = []
        for name in self.changes:
            old, new = shown(name, current[name]), shown(name, self.values[name])
            label = editorial.label_of(name) if name in MODEL_FIELDS else name.replace("_", " ")
            rows.append((name, label, old, new, editorial.word_diff_html(old, new)))
        return rows


@dataclass
class ImportPlan:
    source: str
    items: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    new_names: dict = field(default_factory=dict)  # field -> names to be created
    labels: dict = field(default_factory=dict)  # record index -> its brand name or slug

    @property
    def is_valid(self):
        return not self.problems

    def problem(self, index, name, message):
        self.problems.append(Problem(index, name, message, self.labels.get(index, "")))

    def with_action(self, action):
        return [item for item in self.items if item.action == action]

    to_create = property(lambda self: self.with_action("create"))
    to_update = property(lambda self: self.with_action("update"))
    unchanged = property(lambda self: self.with_action("unchanged"))


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged."


# Writing -----------------------------------------------------------------------------------


def named(obj):
    """A class, company or cancer type as the format names it: its name, with its slug when
    that is not the one its name would get."""
    if obj.slug == slugify(obj.name):
        return obj.name
    return {"name": obj.name, "slug": obj.slug}


def drug_record(drug):
    """One drug as an interchange record. Expects `with_record_relations()`."""
    record = {name: getattr(drug, name) for name in FIELDS if name not in PROGRAM_URL_FIELDS}
    reviewer = drug.reviewed_by
    record.update(
        {names.name: names.names(drug) for names in NAME_LISTS},
        drug_classes=[named(drug_class) for drug_class in drug.ordered_classes],
        companies=[named(company) for company in drug.companies.all()],
        cancer_types=[named(cancer_type) for cancer_type in drug.cancer_types.all()],
        approval_status=drug.get_approval_status_display(),
        generic_available=GenericAvailability(drug.generic_available).name.capitalize(),
        assistance_programs=[
            {key: getattr(program, key) for key in PROGRAM_FIELDS}
            | {"company": program.company.name}
            for program in drug.assistance_programs.all()
        ],
        old_paths=[old.path for old in drug.old_paths.all()],
        last_reviewed=drug.last_reviewed.isoformat() if drug.last_reviewed else None,
        reviewed_by=reviewer and {"name": reviewer.name, "credentials": reviewer.credentials},
    )
    return record


def with_record_relations(queryset):
    """The drugs with every related row their records name, in a fixed number of queries."""
    return queryset.with_monograph_relations().prefetch_related("old_paths")


def records(queryset):
    """The drugs as interchange records, in the queryset's order."""
    return [drug_record(drug) for drug in with_record_relations(queryset)]


def to_json(drug_records, **catalogue):
    """An interchange document: the drugs, and for a whole catalogue its other parts."""
    document = {"version": FORMAT_VERSION, **catalogue, "drugs": drug_records}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def dumps(queryset):
    """The drugs as an interchange JSON document, in the queryset's order."""
    return to_json(records(queryset))


def first_program_urls(drug):
    """The address of the drug's first program of each kind, by shorthand field."""
    return {
        name: next((program.url for program in drug.programs_of_kind(kind)), "")
        for name, kind in PROGRAM_URL_FIELDS.items()
    }


def neutralise_formula(value):
    """Make a spreadsheet show a cell as text instead of running it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        # Each item neutralised too: split into cells, "safe; =HYPERLINK(…)" would run.
        value = CSV_LIST_SEPARATOR.join(neutralise_formula(item) for item in value)
    return neutralise_formula(value)


def write_csv(queryset, stream):
    """The drugs as CSV for a spreadsheet, one row each, with names joined and choices as
    labels; export only, never read back."""
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for drug in with_record_relations(queryset):
        row = drug_record(drug) | first_program_urls(drug)
        for name in RELATED_FIELDS:
            row[name] = [item if isinstance(item, str) else item["name"] for item in row[name]]
        row["generic_available"] = drug.get_generic_available_display()
        row["status"] = drug.get_status_display()
        row["reviewed_by"] = str(drug.reviewed_by or "")
        row["next_review_due"] = drug.next_review_due
        row["review_state"] = drug.review_state.label
        writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])


# Reading -----------------------------------------------------------------------------------


JSON_TYPES = {
    bool: "true/false",
    int: "a number",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "an object",
}


def json_type(value):
    return JSON_TYPES.get(type(value), "null")


def field_value(field, value):
    """A record's value for a plain model field. Once it is the JSON the field's kind takes, the
    field itself checks it: the length, URL scheme, slug, date, range or size its model declares.
    Empty text comes back as "", unchecked: the reader requires it, or makes a slug, if it must."""
    if isinstance(value, str):
        value = value.strip()
    if field.choices:
        return choice_value(field, value)
    if isinstance(field, models.BooleanField):
        expected, given = "true or false", isinstance(value, bool)
    elif isinstance(field, models.IntegerField):
        whole = isinstance(value, int) and not isinstance(value, bool)
        digits = isinstance(value, str) and value.isdigit()
        expected, given = "a whole number", whole or digits or value in ("", None)
    elif isinstance(field, models.DateField):
        expected, given = "an ISO date such as 2024-05-31", isinstance(value, str | None)
    else:
        expected, given = "a string", isinstance(value, str | None)
    if not given:
        raise ValidationError(f"must be {expected}, not {json_type(value)}")
    if value in ("", None):
        if field.empty_strings_allowed:  # a text field, whose empty value is ""
            return ""
        value = None  # which the field refuses if it may not be null
    return field.clean(value, None)


def field_reader(model, name):
    """What reads a record's value for `model`'s field `name` (field_value)."""
    return partial(field_value, model._meta.get_field(name))


def choice_value(field, value):
    """A choice given as its value or its label in any case, or in a publisher's own word."""
    words = dict(CHOICE_WORDS.get(field.name, {}))
    for choice, label in field.flatchoices:
        words |= {choice: choice, choice.replace("_", " "): choice, label.casefold(): choice}
    word = json.dumps(value) if isinstance(value, bool) else value  # JSON's true and false
    if isinstance(word, str) and word.casefold() in words:
        return words[word.casefold()]
    accepted = ", ".join(repr(label) for _, label in field.flatchoices)
    raise ValidationError(f"{value!r} is not one of {accepted}")


def clean_list(value, what="name"):
    """A list; one string alone is a list of one."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValidationError(f"must be a list of {what}s, not {json_type(value)}")
    return value


def clean_name_list(value):
    """Strings, each once, without blanks; one string is read a name a line."""
    names = clean_list(value.splitlines() if isinstance(value, str) else value)
    if not all(isinstance(name, str) for name in names):
        raise ValidationError("every name must be a string")
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def clean_named(item):
    """One class, company or cancer type: a name, or {"name": ..., "slug": ...}."""
    if isinstance(item, dict):
        unknown = set(item) - {"name", "slug"}
        if unknown:
            raise ValidationError(f"unknown key {sorted(unknown)[0]!r} in {item!r}")
        name, slug = item.get("name"), field_reader(DrugClass, "slug")(item.get("slug"))
    else:
        name, slug = item, None
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"{item!r} is not a name")
    name = field_reader(DrugClass, "name")(name)
    slug = slug or slugify(name)
    if not slug:
        raise ValidationError(f"{name!r} has no letters or numbers to make an address from")
    return {"name": name, "slug": slug}


def clean_names(value):
    """Names, the first of each kept whatever its case."""
    cleaned = {}
    for item in clean_list(value):
        named_item = clean_named(item)
        cleaned.setdefault(named_item["name"].casefold(), named_item)
    return list(cleaned.values())


def clean_old_paths(value):
    """Addresses as DrugOldPath keeps them, each once: paths, or whole URLs of another site."""
    paths = []
    for address in clean_list(value, "path"):
        if not isinstance(address, str) or not address.strip():
            raise ValidationError(f"{address!r} is not a path such as /drug/keytruda-pembrolizumab")
        path = field_reader(DrugOldPath, "path")(DrugOldPath.normalise(address))
        if path == "/":
            raise ValidationError(f"{address!r} is the address of the home page")
        paths.append(path)
    return list(dict.fromkeys(paths))


def clean_reviewer(value):
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict) or set(value) - {"name", "credentials"}:
        raise ValidationError('must be a name or {"name": ..., "credentials": ...}')
    name = field_reader(Reviewer, "name")(value.get("name"))
    if not name:
        raise ValidationError("needs a name")
    credentials = field_reader(Reviewer, "credentials")(value.get("credentials"))
    return {"name": name, "credentials": credentials}


def clean_programs(value):
    programs = []
    for number, program in enumerate(clean_list(value, "program"), start=1):
        if not isinstance(program, dict):
            raise ValidationError(f"program {number} must be an object")
        unknown = set(program) - set(PROGRAM_FIELDS)
        if unknown:
            raise ValidationError(f"program {number} has an unknown field {sorted(unknown)[0]!r}")
        cleaned, key = {}, "company"
        try:
            cleaned[key] = clean_named(program.get(key))["name"]
            for key in PROGRAM_FIELDS[1:]:  # the program's own fields, after its company
                cleaned[key] = field_reader(AssistanceProgram, key)(program.get(key))
        except ValidationError as error:
            message = " ".join(error.messages)
            raise ValidationError(f"program {number}, {key}: {message}") from None
        if not cleaned["name"] or not cleaned["url"]:
            raise ValidationError(f"program {number} needs a name and a url")
        programs.append(cleaned)
    return programs


# Every field a record may carry and how it is read, in the order of docs/interchange.md, in
# which a record's problems and an import preview's changes are listed.
FIELDS = {
    "brand_name": field_reader(Drug, "brand_name"),
    "slug": field_reader(Drug, "slug"),
    "generic_name": field_reader(Drug, "generic_name"),
    **dict.fromkeys(NAME_LIST_NAMES, clean_name_list),
    "pronunciation": field_reader(Drug, "pronunciation"),
    **dict.fromkeys(RELATED_FIELDS, clean_names),
    "approval_status": field_reader(Drug, "approval_status"),
    "approval_status_label": field_reader(Drug, "approval_status_label"),
    "first_approved_year": field_reader(Drug, "first_approved_year"),
    "generic_available": field_reader(Drug, "generic_available"),
    **{name: field_reader(Drug, name) for name in SECTION_NAMES},
    "more_info_url": field_reader(Drug, "more_info_url"),
    "assistance_programs": clean_programs,
    "old_paths": clean_old_paths,
    "last_reviewed": field_reader(Drug, "last_reviewed"),
    "reviewed_by": clean_reviewer,
    "review_note": field_reader(Drug, "review_note"),
    "review_interval_months": field_reader(Drug, "review_interval_months"),
    "changed_since_review": field_reader(Drug, "changed_since_review"),
    "status": field_reader(Drug, "status"),
    **dict.fromkeys(PROGRAM_URL_FIELDS, field_reader(AssistanceProgram, "url")),
}
KNOWN_FIELDS = {*FIELDS, *RELATION_ALIASES}
# What a new drug gets when a record leaves a field out (an existing drug keeps its value): the
# model's default, but an imported monograph is published unless the record says otherwise.
DEFAULTS = {
    name: [] if name in LIST_FIELDS else Drug._meta.get_field(name).get_default()
    for name in FIELDS
    if name not in PROGRAM_URL_FIELDS
} | {"status": PublicationStatus.PUBLISHED}
# NUL (which PostgreSQL cannot store) and the other C0 and C1 control characters, but for the
# tab and line breaks that text may hold.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(value, depth=0):
    """The first control character in a value or any string inside it, as U+XXXX, or None.
    Deeper than any valid record nests, values are left to the field's own checks."""
    if isinstance(value, str):
        found = CONTROL_CHARACTERS.search(value)
        return f"U+{ord(found.group()):04X}" if found else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list) and depth < 5:
        return next(filter(None, (control_character(item, depth + 1) for item in value)), None)
    return None


def clean_record(plan, index, record):
    """A record's values, cleaned; the problems found in it go into the plan."""
    for name in record:
        if name not in KNOWN_FIELDS:
            plan.problem(index, name, "unknown field")
        elif character := control_character(record[name]):
            plan.problem(index, name, f"contains the control character {character}")
    record = {name: value for name, value in record.items() if not control_character(value)}
    for alias, name in RELATION_ALIASES.items():
        if alias not in record:
            continue
        if name in record:
            plan.problem(index, alias, f"give {name} or {alias}, not both")
        elif record[alias] is not None and not isinstance(record[alias], str):
            plan.problem(index, alias, "must be a single name (a string)")
        else:
            record[name] = record[alias]
    values = {}
    for name, reader in FIELDS.items():
        if name in record:
            try:
                values[name] = reader(record[name])
            except ValidationError as error:
                plan.problem(index, name, " ".join(error.messages))
    for name in ["brand_name", "generic_name"]:
        if values.get(name) == "":
            plan.problem(index, name, "is required")
            del values[name]
    if values.get("slug") == "":  # made from the brand name
        del values["slug"]
    programs = values.get("assistance_programs", [])
    for name, kind in PROGRAM_URL_FIELDS.items():
        if values.get(name) and any(program["kind"] == kind for program in programs):
            plan.problem(index, name, f"give it in {name} or in assistance_programs, not both")
    return values


def file_problem(message):
    return InvalidFile([Problem(None, "", message)])


def decode(data):
    """The text of an uploaded file: UTF-8 (with or without a byte-order mark), or UTF-16/32."""
    if isinstance(data, str):
        return data
    try:
        return data.decode(json.detect_encoding(data)).removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise file_problem(f"not a UTF-8 text file ({error})") from None


def load_document(data):
    """An interchange file (str or bytes) as a version-2 document, a version-1 list of drugs
    read as one; raise InvalidFile if it is neither."""
    try:
        document = json.loads(decode(data))
    except ValueError as error:
        raise file_problem(f"not valid JSON ({error})") from None
    except RecursionError:
        raise file_problem("nested too deeply to be a list of drugs") from None
    if isinstance(document, list):
        return {"version": 1, "drugs": document}
    if not isinstance(document, dict):
        raise file_problem(f"must be a JSON object or list of drugs, not {json_type(document)}")
    if document.get("version") != FORMAT_VERSION:
        raise file_problem(
            f"version {document.get('version')!r} is not one this site reads: 1 (a list of "
            f'drugs) or {FORMAT_VERSION} (an object, {{"version": {FORMAT_VERSION}, '
            '"drugs": [...]})'
        )
    if not isinstance(document.get("drugs", []), list):
        raise file_problem(f"drugs must be a list, not {json_type(document['drugs'])}")
    return document


def read(data, source="the file", user=None, max_records=None):
    """Check an interchange file (str or bytes) and plan its import, changing nothing; the plan
    lists every problem. `user` may import only what they may do in the admin (None: full
    rights, as an operator at the server). More than `max_records` records are refused."""
    try:
        document = load_document(data)
        others = sorted(set(document) - {"version", "drugs"})
        if others:
            raise file_problem(
                f"has {', '.join(others)}, which only a whole-catalogue import reads: "
                "`python manage.py import_catalogue FILE`"
            )
        drugs = document.get("drugs", [])
        if max_records is not None and len(drugs) > max_records:
            raise file_problem(
                f"has {len(drugs):,} drugs; this import takes at most {max_records:,}. "
                "Load bigger files with `python manage.py import_drugs FILE`."
            )
    except InvalidFile as error:
        return ImportPlan(source=source, problems=error.problems)
    return plan_records(drugs, source, user)


def plan_records(records, source, user=None):
    """Check drug records (parsed JSON) and plan their import, as read() does."""
    plan = ImportPlan(source=source)
    cleaned = []
    for index, record in enumerate(records):
        if isinstance(record, dict):
            label = record.get("brand_name") or record.get("slug")
            plan.labels[index] = label if isinstance(label, str) else ""
            cleaned.append((index, clean_record(plan, index, record), record))
        else:
            plan.problem(index, "(record)", f"must be an object, not {json_type(record)}")
    plan_drugs(plan, cleaned)
    old_path_problems(plan)
    if user is not None:
        permission_problems(plan, user)
        for item in plan.to_update:
            item.working_copy = item.drug.is_published
    plan.problems.sort(key=lambda problem: -1 if problem.index is None else problem.index)
    plan.new_names = new_names(plan.items)
    return plan


def plan_drugs(plan, cleaned):
    """Match each record to the drug it updates (by slug, else by brand name), or to none."""
    by_slug, by_brand = existing_drugs(values for _, values, _ in cleaned)
    claimed_slugs, claimed_drugs = {}, {}
    for index, values, record in cleaned:
        brand_name, slug = values.get("brand_name"), values.get("slug")
        if "brand_name" not in record:
            plan.problem(index, "brand_name", "is required")
        if not brand_name:
            continue
        drug = by_slug.get(slug)
        matches = [] if drug else by_brand.get(brand_name.casefold(), [])
        if len(matches) > 1:
            message = f"{len(matches)} drugs are called {brand_name!r}; give the slug of the one"
            plan.problem(index, "brand_name", f"{message} to update")
            continue
        drug = drug or next(iter(matches), None)
        if drug is None:
            values = {**DEFAULTS, **values, "slug": slug or slugify(brand_name)}
            if not values["slug"]:
                plan.problem(index, "brand_name", "has no letters or numbers for a slug")
                continue
            if "generic_name" not in record:
                plan.problem(index, "generic_name", "is required")
        final_slug = values.get("slug") or drug.slug
        if final_slug in by_slug and by_slug[final_slug] is not drug:
            plan.problem(index, "slug", f"{final_slug!r} is the address of another drug")
            continue
        if final_slug in claimed_slugs:
            other = claimed_slugs[final_slug]
            plan.problem(index, "slug", f"{final_slug!r} is also record {other}")
            continue
        claimed_slugs[final_slug] = index
        if drug is not None and drug.pk in claimed_drugs:
            other = claimed_drugs[drug.pk]
            plan.problem(index, "brand_name", f"updates the same drug as record {other}")
            continue
        if drug is not None:
            claimed_drugs[drug.pk] = index
        companies = values["companies"] if "companies" in values else drug.companies.all()
        for name in PROGRAM_URL_FIELDS:
            if values.get(name) and not companies:
                plan.problem(index, name, "needs a company")
        changes = list(values) if drug is None else changed_fields(drug, values)
        plan.items.append(PlannedDrug(index=index, values=values, drug=drug, changes=changes))


def old_path_problems(plan):
    """A problem for each old address that is a page's address now or another drug's already."""
    owners = {}
    for item in plan.items:
        for path in item.values.get("old_paths", []):
            owners.setdefault(path, []).append(item)
    taken = DrugOldPath.objects.filter(path__in=list(owners)).select_related("drug")
    taken = {old.path: old.drug for old in taken}
    # A /drug/<slug> path that is a drug's address now: the page, not a redirect, answers it.
    slug_in = {path: path.removeprefix("/drug/") for path in owners if path.startswith("/drug/")}
    slugs_now = {item.slug: item for item in plan.items}
    renamed = [item.drug.pk for item in plan.items if item.drug and item.slug != item.drug.slug]
    drugs_now = Drug.objects.filter(slug__in=list(slug_in.values())).exclude(pk__in=renamed)
    for drug in drugs_now.only("slug", "brand_name"):
        slugs_now.setdefault(drug.slug, drug)
    for path, items in owners.items():
        owner, now = taken.get(path), slugs_now.get(slug_in.get(path))
        for item in items:
            if len(items) > 1:
                others = [other.number for other in items if other is not item]
                message = f"{path!r} is also an old address in record {others[0]}"
            elif owner is not None and owner != item.drug:
                message = f"{path!r} is already an old address of {owner.brand_name}"
            elif now is not None:
                message = f"{path!r} is the address of {now.brand_name}'s page now"
            else:
                continue
            plan.problem(item.index, "old_paths", message)


def permission_problems(plan, user):
    """A problem for each change `user` may not make, by the admin's rules: (un)publishing needs
    the publish permission, and publishing a medical review recorded in the same record; the
    review record needs the review permission; a new reviewer, the add-reviewer permission."""
    may_review = user.has_perm(REVIEW_PERMISSION)
    reviewers = set(Reviewer.objects.values_list("name", "credentials"))
    for item in plan.items:
        problem = partial(plan.problem, item.index)
        changes = [
            name
            for name in item.changes
            if item.drug is not None or item.values[name] != DEFAULTS.get(name)
        ]
        statuses = {item.drug.status if item.drug else None, item.values.get("status")}
        if "status" in item.changes and PublicationStatus.PUBLISHED in statuses:
            publishing = item.values["status"] == PublicationStatus.PUBLISHED
            if not user.has_perm(PUBLISH_PERMISSION):
                problem(
                    "status",
                    "you may not publish or unpublish monographs; set the status to "
                    "draft or in_review, or ask a Publisher",
                )
            elif publishing and not (may_review and "last_reviewed" in changes):
                problem(
                    "status",
                    "publishing needs a medical review of exactly this content: "
                    "import it as draft or in_review, and publish it once a medical reviewer "
                    "has reviewed it",
                )
        for name in REVIEW_RECORD_FIELDS:
            if name in changes and not may_review:
                problem(name, "only medical reviewers may change the review")
        reviewer = item.values.get("reviewed_by")
        known = reviewer is None or (reviewer["name"], reviewer["credentials"]) in reviewers
        if not known and not user.has_perm("drugs.add_reviewer"):
            problem(
                "reviewed_by",
                f"{reviewer['name']!r} is not a reviewer here; only Publishers add reviewers",
            )


def existing_drugs(all_values):
    """The drugs a file's records may update: by slug, and by brand name in any case."""
    all_values = list(all_values)
    brand_names = [values["brand_name"] for values in all_values if values.get("brand_name")]
    slugs = {values["slug"] for values in all_values if values.get("slug")}
    slugs |= {slugify(name) for name in brand_names}
    brands = {name.casefold() for name in brand_names}
    drugs = with_record_relations(Drug.objects.annotate(brand_key=Lower("brand_name")))
    found = {}
    for lookup, keys in [("slug__in", slugs), ("brand_key__in", brands)]:
        for chunk in batched(sorted(keys), 500):
            found.update((drug.pk, drug) for drug in drugs.filter(**{lookup: chunk}))
    by_slug, by_brand = {}, {}
    for drug in found.values():
        by_slug[drug.slug] = drug
        by_brand.setdefault(drug.brand_name.casefold(), []).append(drug)
    return by_slug, by_brand


# Comparing ---------------------------------------------------------------------------------


def current_values(drug):
    """The drug's values in the form a cleaned record holds them."""
    current = drug_record(drug) | first_program_urls(drug)
    current.update(
        approval_status=drug.approval_status,
        generic_available=drug.generic_available,
        last_reviewed=drug.last_reviewed,
    )
    for name in RELATED_FIELDS:
        current[name] = [clean_named(item) for item in current[name]]
    return current


def comparable(name, value):
    """A field's value in a form that compares equal when importing it would change nothing."""
    if name == "drug_classes":  # in order: the first is the one shown first
        return [item["name"].casefold() for item in value]
    if name in RELATED_FIELDS:  # names are matched to existing rows whatever their case
        return sorted(item["name"].casefold() for item in value)
    if name == "assistance_programs":
        return sorted(tuple(program[key] for key in PROGRAM_FIELDS) for program in value)
    if name == "reviewed_by":
        return value and (value["name"], value["credentials"])
    return value


def changed_fields(drug, values):
    """The fields of a record whose values the drug does not have already, in FIELDS."""
    current = current_values(drug)
    changed = []
    for name in FIELDS:
        if name not in values:
            continue
        if name == "old_paths":  # an import adds old addresses, never removes one
            if not set(values[name]) <= set(current[name]):
                changed.append(name)
        elif comparable(name, values[name]) != comparable(name, current[name]):
            changed.append(name)
    return changed


def shown(name, value):
    """A cleaned value as an editor reads it: names, labels and ISO dates, comma-separated."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(shown(name, item) for item in value)
    if isinstance(value, dict):  # a named row, a reviewer or a program
        return ", ".join(value[key] for key in ("name", "credentials") if value.get(key))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if name in MODEL_FIELDS and (choices := Drug._meta.get_field(name).flatchoices):
        return str(dict(choices).get(value, value))
    return str(value)


def new_names(items):
    """The classes, companies and cancer types an import would create, by field."""
    found = {}
    for name in RELATED_FIELDS:
        wanted = {}
        for item in items:
            named_items = item.values.get(name, [])
            if name == "companies":
                programs = item.values.get("assistance_programs", [])
                named_items = [*named_items, *(clean_named(p["company"]) for p in programs)]
            for named_item in named_items:
                wanted.setdefault(named_item["name"].casefold(), named_item)
        existing = NameIndex(name)
        found[name] = sorted(
            named_item["name"] for named_item in wanted.values() if not existing.find(named_item)
        )
    return found


class NameIndex:
    """A relation's classes, companies or cancer types by name (any case) and by slug, which
    creates the missing."""

    def __init__(self, relation):
        self.model = Drug._meta.get_field(relation).related_model
        self.by_name, self.by_slug = {}, {}
        for obj in self.model.objects.all():
            self.add(obj)

    def add(self, obj):
        self.by_name[obj.name.casefold()] = obj
        self.by_slug[obj.slug] = obj

    def find(self, named_item):
        name, slug = named_item["name"].casefold(), named_item["slug"]
        return self.by_name.get(name) or self.by_slug.get(slug)

    def get(self, named_item):
        obj = self.find(named_item)
        if obj is None:
            obj = self.model.objects.create(name=named_item["name"], slug=named_item["slug"])
            self.add(obj)
        return obj


# Applying ----------------------------------------------------------------------------------


def run_import(data, source="the file", user=None, progress=None):
    """Import an interchange file, all or nothing, as `user` (None: with full rights); raise
    InvalidFile listing every problem. `progress(message)` hears how far the import has gone."""
    with transaction.atomic():
        return apply_plan(read(data, source, user=user), user, progress)


def apply_plan(plan, user=None, progress=None):
    """Carry out a plan of read() or plan_records(), read in the same transaction."""
    if not plan.is_valid:
        raise InvalidFile(plan.problems)
    changed = [item for item in plan.items if item.action != "unchanged"]
    if progress:
        progress(f"{len(plan.items):,} drugs read and checked; {len(changed):,} to save.")
    with transaction.atomic():
        importer = Importer(change_reason=f"Imported from {plan.source}"[:100], user=user)
        for done, item in enumerate(changed, start=1):
            importer.apply(item)
            if progress and (done % PROGRESS_EVERY == 0 or done == len(changed)):
                progress(f"{done:,} of {len(changed):,} drugs saved.")
        importer.finish()
    return ImportResult(len(plan.to_create), len(plan.to_update), len(plan.unchanged))


class Importer:
    """Applies planned records, keeping the names, programs and reviewers it has seen in memory.
    Each drug is saved through the ORM, so its save() and history run as for an admin edit; the
    links of new drugs are inserted together by `finish()` (docs/performance.md)."""

    def __init__(self, change_reason, user=None):
        self.change_reason = change_reason
        self.user = user
        self.names = {name: NameIndex(name) for name in RELATED_FIELDS}
        self.programs = ProgramIndex()
        self.reviewers = {}
        self.reviewed = []  # new drugs whose records carried a review
        self.new_links = {name: [] for name in NEW_LINKS}  # name -> (new drug's pk, target's pk)
        self.new_relations = {}  # new drug's pk -> the relations its first revision records

    def apply(self, item):
        values, drug = item.values, item.drug or Drug()
        for name in values.keys() - NOT_COPIED:
            setattr(drug, name, values[name])
        for name in values.keys() & NAME_LIST_NAMES:
            setattr(drug, name, "\n".join(values[name]))
        if "reviewed_by" in values:
            drug.reviewed_by = self.reviewer(values["reviewed_by"])
        if item.image:
            processed, drug.image_alt = item.image
            if processed:  # else the drug has this image already
                images.attach(drug, processed)
        relations = editorial.relation_snapshot(drug)
        for name, index in self.names.items():
            if name in values:
                pks = [index.get(named).pk for named in values[name]]
                relations[name] = pks if name == "drug_classes" else sorted(set(pks))
        if item.working_copy:  # a user's change to a published monograph, as from the admin
            editorial.save_drug(drug, user=self.user, note=self.change_reason, relations=relations)
        else:
            self.save(drug, item, relations)
        self.link_programs(drug, item)
        if "old_paths" in item.changes:  # old_path_problems checked them
            DrugOldPath.objects.bulk_create(
                [DrugOldPath(drug=drug, path=path) for path in values["old_paths"]],
                ignore_conflicts=True,
            )

    def save(self, drug, item, relations):
        """Save the drug, its relations (a new drug's by finish()) and the review it carries."""
        creating = drug.pk is None
        reviewed = bool({"last_reviewed", "reviewed_by"} & set(item.changes))
        clinical = set(item.changes) & {*CLINICAL_FIELDS, *CLINICAL_RELATIONS}
        if drug.last_reviewed and (reviewed or clinical):
            # A record may say its content changed since the review it carries (an export).
            changed = item.values.get("changed_since_review", False)
            drug.changed_since_review = not reviewed or changed
        if not creating:
            drug.version += 1
        drug._change_reason = self.change_reason
        if self.user is not None:
            drug._history_user = self.user
        drug.save()
        if creating:
            self.new_relations[drug.pk] = relations
            for name in ["companies", "cancer_types"]:
                self.new_links[name] += [(drug.pk, pk) for pk in relations[name]]
            if reviewed and drug.last_reviewed:
                self.reviewed.append(drug)
            return
        editorial.restore_relations(drug, relations)
        editorial.record_relations(drug, relations)
        if reviewed and drug.last_reviewed:
            self.review_event(drug, editorial.latest_revision(drug)).save()

    def review_event(self, drug, revision):
        """The review a record carries, for the review log, naming the revision it is about."""
        return ReviewEvent(
            drug=drug,
            reviewed_on=drug.last_reviewed,
            reviewer=drug.reviewed_by,
            user=self.user,
            note=self.change_reason,
            revision=revision,
        )

    def finish(self):
        """Insert the links of the new drugs, and record them in their first revisions."""
        DrugClassMembership.objects.bulk_create(
            DrugClassMembership(drug_id=pk, drug_class_id=class_pk, position=position)
            for pk, relations in self.new_relations.items()
            for position, class_pk in enumerate(relations["drug_classes"])
        )
        for name, (through, target_field) in NEW_LINKS.items():
            through.objects.bulk_create(
                through(drug_id=pk, **{target_field: target}) for pk, target in self.new_links[name]
            )
        # The new drugs' revisions were written before their links: they record them now.
        revisions = list(Drug.history.filter(id__in=list(self.new_relations), history_type="+"))
        for revision in revisions:
            revision.relations = self.new_relations[revision.id]
        Drug.history.bulk_update(revisions, ["relations"], batch_size=500)
        by_drug = {revision.id: revision for revision in revisions}
        ReviewEvent.objects.bulk_create(
            self.review_event(drug, by_drug[drug.pk]) for drug in self.reviewed
        )

    def reviewer(self, value):
        if value is None:
            return None
        key = (value["name"], value["credentials"])
        if key not in self.reviewers:
            self.reviewers[key] = Reviewer.objects.filter(**value).first() or (
                Reviewer.objects.create(**value)
            )
        return self.reviewers[key]

    def link_programs(self, drug, item):
        """Link the drug to exactly the `assistance_programs` given, and for each program URL
        shorthand to a program of that kind from its first company: the company's program with
        that address, else the drug's own program of the kind with its address changed, else
        a new program. Program links are not clinical content: they apply at once."""
        values, creating = item.values, item.drug is None
        current = [] if creating else list(drug.assistance_programs.all())
        linked = list(current)
        if "assistance_programs" in item.changes:
            linked = [
                self.programs.upsert(self.names["companies"].get(clean_named(p["company"])), p)
                for p in values["assistance_programs"]
            ]
        for name, kind in PROGRAM_URL_FIELDS.items():
            url = values.get(name) if name in item.changes else None
            if not url:
                continue
            if values.get("companies"):
                company = self.names["companies"].get(values["companies"][0])
            else:
                company = drug.companies.order_by("name").first()
            own = [p for p in linked if p.company_id == company.pk and p.kind == kind]
            program = self.programs.by_url.get((company.pk, kind, url))
            if program is None and own:
                program = own[0]
                program.url = url
                program.save()
                self.programs.add(program)
            if program is None:
                program = self.programs.create(company, kind, url)
            linked = [p for p in linked if p not in own] + [program]
        if creating:
            self.new_links["assistance_programs"] += [(drug.pk, program.pk) for program in linked]
        elif {p.pk for p in linked} != {p.pk for p in current}:
            drug.assistance_programs.set(linked)


class ProgramIndex:
    """Assistance programs by (company, name) and by (company, kind, address)."""

    def __init__(self):
        self.by_name, self.by_url = {}, {}
        for program in AssistanceProgram.objects.order_by("pk"):
            self.add(program)

    def add(self, program):
        self.by_name[(program.company_id, program.name)] = program
        self.by_url.setdefault((program.company_id, program.kind, program.url), program)

    def upsert(self, company, fields):
        """The company's program of this name, created or brought up to date."""
        program = self.by_name.get((company.pk, fields["name"]))
        changes = {key: fields[key] for key in ["kind", "url", "phone", "notes"]}
        if program is None:
            program = AssistanceProgram(company=company, name=fields["name"])
        elif all(getattr(program, key) == value for key, value in changes.items()):
            return program
        for key, value in changes.items():
            setattr(program, key, value)
        program.save()
        self.add(program)
        return program

    def create(self, company, kind, url):
        base = f"{company.name} {ProgramKind(kind).label.lower()}"
        name, number = base, 2
        while (company.pk, name) in self.by_name:
            name, number = f"{base} {number}", number + 1
        program = AssistanceProgram.objects.create(company=company, kind=kind, name=name, url=url)
        self.add(program)
        return program
