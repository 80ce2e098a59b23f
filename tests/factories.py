"""Small factory functions: each test creates exactly the rows it needs."""

import datetime
import importlib
import itertools

from django.utils.text import slugify

from drugs.models import (
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassMembership,
    ProgramKind,
    PublicationStatus,
)

_sequence = itertools.count(1)


def make_class(name=None, **fields):
    name = name or f"Class {next(_sequence)}"
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return DrugClass.objects.create(name=name, **fields)


def make_company(name=None, **fields):
    name = name or f"Company {next(_sequence)}"
    fields.setdefault("slug", name.lower().replace(" ", "-").replace("/", "-"))
    return Company.objects.create(name=name, **fields)


def make_drug(brand_name=None, *, classes=(), companies=(), **fields):
    brand_name = brand_name or f"Drug{next(_sequence)}"
    fields.setdefault("slug", slugify(brand_name))
    fields.setdefault("generic_name", f"{brand_name.lower()}umab")
    fields.setdefault("indication", f"{brand_name} is approved for a cancer.")
    fields.setdefault("status", PublicationStatus.PUBLISHED)
    fields.setdefault("last_reviewed", datetime.date(2024, 1, 15))
    drug = Drug.objects.create(brand_name=brand_name, **fields)
    for position, drug_class in enumerate(classes):
        DrugClassMembership.objects.create(drug=drug, drug_class=drug_class, position=position)
    drug.companies.set(companies)
    return drug


def make_program(company, *, drugs=(), kind=ProgramKind.COPAY, **fields):
    fields.setdefault("name", f"{company.name} program {next(_sequence)}")
    fields.setdefault("url", "https://example.org/help")
    program = AssistanceProgram.objects.create(company=company, kind=kind, **fields)
    program.drugs.set(drugs)
    return program


def make_drugs(count, *, drug_class, company):
    """Many published drugs in one class and company, for query-count tests."""
    drugs = Drug.objects.bulk_create(
        Drug(
            brand_name=f"Bulk{n:05d}",
            slug=f"bulk{n:05d}",
            generic_name=f"bulkinib {n}",
            indication="Approved for a cancer.",
            status=PublicationStatus.PUBLISHED,
        )
        for n in range(count)
    )
    DrugClassMembership.objects.bulk_create(
        DrugClassMembership(drug=drug, drug_class=drug_class) for drug in drugs
    )
    Drug.companies.through.objects.bulk_create(
        Drug.companies.through(drug=drug, company=company) for drug in drugs
    )
    return drugs


def make_cancer_type(name=None, **fields):
    name = name or f"Cancer type {next(_sequence)}"
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return CancerType.objects.create(name=name, **fields)


# Editorial workflow: users, groups and reviewers.

EDITOR_PERMISSIONS = [
    "view_drug",
    "add_drug",
    "change_drug",
    "view_drugclassmembership",
    "add_drugclassmembership",
    "change_drugclassmembership",
    "delete_drugclassmembership",
    "view_drugclass",
    "view_company",
    "view_cancertype",
    "view_reviewer",
    "view_reviewevent",
    "view_historicaldrug",
]


def editorial_group(name):
    """The group migration 0004 made, made again as it made it if a transactional test (run
    earlier in the same process) has flushed it."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=name)
    if created:
        spec = importlib.import_module("drugs.migrations.0004_editorial_groups")
        later = importlib.import_module("drugs.migrations.0025_old_paths")
        codenames = [*spec.codenames(spec.GROUPS[name]), *later.GROUP_PERMISSIONS[name]]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="drugs", codename__in=codenames)
        )
    return group


def make_user(username=None, *, groups=(), permissions=(), password=None, **fields):
    """A staff user, in the named groups (created by migration 0004) and with extra
    drugs.* permissions given by codename. Without a password (hashing one is slow),
    log in with client.force_login()."""
    from django.contrib.auth.models import Permission, User

    username = username or f"user{next(_sequence)}"
    fields.setdefault("is_staff", True)
    fields.setdefault("email", f"{username}@example.org")
    user = User.objects.create_user(username=username, password=password, **fields)
    user.groups.set([editorial_group(name) for name in groups])
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="drugs", codename__in=permissions)
    )
    return user


def make_reviewer(name=None, *, user=None, credentials="PharmD"):
    from drugs.models import Reviewer

    name = name or f"Reviewer {next(_sequence)}"
    return Reviewer.objects.create(name=name, credentials=credentials, user=user)
