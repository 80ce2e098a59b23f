import datetime
import functools

from django.conf import settings
from django.db import connections, models, router
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.safestring import mark_safe
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from .history import RevisionRelations
from .links import slug_url
from .markdown import RENDERER_VERSION, plain_summary, render_markdown
from .monograph import (
    SHOWN_RELATIONS_VERSION,
    empty_shown_relations,
    shown_relations_of,
    store_shown_relations,
)


class ApprovalStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    ACCELERATED = "accelerated", "Accelerated approval"
    INVESTIGATIONAL = "investigational", "Investigational"
    WITHDRAWN = "withdrawn", "Withdrawn"


class GenericAvailability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    BIOSIMILAR = "biosimilar", "Biosimilar available"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Unpublished (archived)"


class ReviewState(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due within 30 days"
    CURRENT = "current", "Current"
    NEVER = "never", "Never reviewed"


REVIEW_DUE_SOON_DAYS = 30
DIGITS = "0-9"
RELATED_LIMIT = 6
MARKDOWN_SECTIONS = ("indication", "general_info", "dosage", "side_effects")
INDEX_LETTERS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", DIGITS]


def add_months(date, months):
    """The same day `months` later, clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    next_month_first = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month_first - datetime.timedelta(days=1)).day
    return date.replace(year=year, month=month, day=min(date.day, last_day))


class KeepsOldSlugs(models.Model):
    """Remembers the slug a row was loaded with, so a renamed page can redirect from its old URL."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        instance._loaded_slug = instance.__dict__.get("slug")
        return instance


def remember_old_slug(instance, redirect_model, target_field):
    old_slug = getattr(instance, "_loaded_slug", None)
    if old_slug and old_slug != instance.slug:
        redirect_model.objects.update_or_create(
            old_slug=old_slug, defaults={target_field: instance}
        )
    # A slug taken back into use is live again, not a redirect.
    redirect_model.objects.filter(old_slug=instance.slug).delete()
    instance._loaded_slug = instance.slug


class NamedModel(models.Model):
    """A thing readers find by name, with a unique slug for its URL."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    detail_view = None  # the route of its page, taking its slug

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url(self.detail_view, self.slug)


class FindsBySlug:
    """Manager mixin: by_slug(), the row a page shows. The pages of drugs, classes, cancer
    types and companies each start with that lookup, the drug page's being the site's most run
    query; its SQL is compiled once per process and database (compiling took a third of its
    time). It is the ORM's own SQL for page_rows().filter(slug=...)."""

    def page_rows(self):
        """The rows that have a page."""
        return self.all()

    def by_slug(self, slug):
        """The row at `slug` that has a page, or None."""
        sql, params = _slug_lookup_sql(self.model, self.db)
        found = list(self.raw(sql, [*params[:-1], slug]))
        return found[0] if found else None


@functools.cache
def _slug_lookup_sql(model, alias):
    query = model._default_manager.page_rows().filter(slug="")[:1].query
    sql, params = query.get_compiler(using=alias).as_sql()
    assert params[-1] == "", params  # the slug is the last parameter
    return sql, params


# Published-drug lists shown a page at a time, by name; each is a function of one key.
PAGED_LISTS = {
    "a-z": lambda letter: Drug.objects.published().index_entries(letter),
    "class": lambda pk: Drug.objects.published().in_class(pk).cards(),
    "cancer-type": lambda pk: Drug.objects.published().for_cancer_type(pk).cards(),
}


class PagedList:
    """One of the PAGED_LISTS of published drugs, for a Paginator, which asks for count() and
    a page (a slice). Building and compiling these queries with the ORM took more than running
    them (~1 ms for each of the A-Z's two, ~0.4 ms for a class page's cards), so the SQL of
    each list's count and of each of its pages is compiled once per process, as by_slug()'s is.
    `count`, when given, is the stored count of the list."""

    def __init__(self, name, key, alias, count=None):
        self.name, self.key, self.alias, self.known_count = name, key, alias, count

    def queryset(self):
        return PAGED_LISTS[self.name](self.key)

    def count(self):
        if self.known_count is not None:
            return self.known_count
        [(count,)] = self._rows(None)
        return count

    def __getitem__(self, page):
        """The rows of a page (a slice), as dicts."""
        if page.stop <= page.start:  # the empty first page of an empty list
            return []
        return self._rows((page.start, page.stop))

    def _rows(self, bounds):
        sql, params = _paged_list_sql(self.name, self.key, self.alias, bounds)
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            if bounds is None:
                return cursor.fetchall()
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@functools.lru_cache(maxsize=2048)
def _paged_list_sql(name, key, alias, bounds):
    """The SQL of a page of a list (`bounds`: its first and last row) or, for None, of the
    count of the list's rows."""
    rows = PAGED_LISTS[name](key)
    if bounds is None:
        sql, params = rows.order_by().query.get_compiler(using=alias).as_sql()
        return f"SELECT COUNT(*) FROM ({sql}) list", params
    return rows[slice(*bounds)].query.get_compiler(using=alias).as_sql()


class PublishedCountQuerySet(models.QuerySet):
    """For classes, cancer types and companies: how many published drugs each one lists."""

    def with_published_counts(self):
        """What a grid of them shows: name, link and the stored count of published drugs."""
        return self.only("name", "slug", "published_drug_count")

    def recount_published_drugs(self):
        """Count each row's published drugs afresh and store the count. drugs/counts.py calls
        this for the rows a change touches; on its own it does not lock them."""
        counted = (
            self.model.objects.filter(pk=models.OuterRef("pk"))
            .annotate(
                count=models.Count(
                    "drugs", filter=models.Q(drugs__status=PublicationStatus.PUBLISHED)
                )
            )
            .values("count")
        )
        return self.update(published_drug_count=models.Subquery(counted))


class NamedManager(FindsBySlug, models.Manager.from_queryset(PublishedCountQuerySet)):
    pass


class ListsPublishedDrugs(models.Model):
    """A class, cancer type or company: the published drugs it lists are counted once per
    change and stored, not on every page view (drugs/counts.py keeps the count)."""

    published_drug_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="How many published drugs it lists; kept up to date automatically.",
    )

    objects = NamedManager()

    class Meta:
        abstract = True


class ListsLeadingDrugs(models.Model):
    """A class or company stores its first published drugs by brand name, which the pages of
    its other drugs list as related ("Other PD-1 inhibitors", "More from Merck"): finding them
    per page view walked thousands of rows. drugs/counts.py keeps it with the count."""

    leading_drugs = models.JSONField(
        default=list,
        editable=False,
        help_text="Its first published drugs by brand name; kept up to date automatically.",
    )

    class Meta:
        abstract = True


class CancerType(NamedModel, ListsPublishedDrugs):
    detail_view = "drugs:cancer-type-detail"
    description = MarkdownxField(
        blank=True, help_text="Markdown. Optional plain-language introduction to the listing."
    )


class Reviewer(models.Model):
    """Who medically reviews monographs: a user of the site, or a named outside clinician."""

    name = models.CharField(max_length=200, help_text="As shown to readers, e.g. Jane Doe.")
    credentials = models.CharField(
        max_length=100, blank=True, help_text="e.g. PharmD, MD, RN. Shown after the name."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer",
        help_text="The reviewer's account here, if they have one.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class DrugClass(KeepsOldSlugs, NamedModel, ListsPublishedDrugs, ListsLeadingDrugs):
    detail_view = "drugs:class-detail"
    description = MarkdownxField(
        blank=True, help_text="Markdown. A few plain-language sentences shown on the class page."
    )

    class Meta(KeepsOldSlugs.Meta, NamedModel.Meta):
        verbose_name = "drug class"
        verbose_name_plural = "drug classes"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        remember_old_slug(self, DrugClassSlugRedirect, "drug_class")


class Company(NamedModel, ListsPublishedDrugs, ListsLeadingDrugs):
    detail_view = "drugs:company-detail"
    website = models.URLField(blank=True)

    class Meta(NamedModel.Meta):
        verbose_name_plural = "companies"


class DrugQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def in_class(self, drug_class):
        return self.filter(drug_classes=drug_class)

    def for_cancer_type(self, cancer_type):
        return self.filter(cancer_types=cancer_type)

    def in_review_state(self, state):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS)
        return self.filter(
            {
                ReviewState.OVERDUE: models.Q(next_review_due__lt=today),
                ReviewState.DUE_SOON: models.Q(
                    next_review_due__gte=today, next_review_due__lte=soon
                ),
                ReviewState.CURRENT: models.Q(next_review_due__gt=soon),
                ReviewState.NEVER: models.Q(next_review_due__isnull=True),
            }[state]
        )

    def review_overdue(self):
        return self.in_review_state(ReviewState.OVERDUE)

    def for_listing(self, *extra_fields):
        """Just what a drug card shows, and any extra fields named."""
        return self.only("brand_name", "slug", "generic_name", "summary", *extra_fields)

    def cards(self):
        """What a drug card shows, as rows for DrugLink.many(): building model instances for
        a page of cards cost more than fetching them."""
        return self.values(*DrugLink.FIELDS)

    def with_stale_rendering(self):
        return self.exclude(rendered__version=RENDERER_VERSION)

    def with_stale_shown_relations(self):
        return self.exclude(shown_relations__version=SHOWN_RELATIONS_VERSION)

    def refresh_shown_relations(self):
        """Store afresh what these drugs' pages show of their related rows (drugs/monograph.py)."""
        return store_shown_relations(self)

    def starting_with(self, field_name, letter):
        """Drugs whose `field_name` starts with `letter`, or with any digit for "0-9"."""
        if letter == DIGITS:
            return self.filter(**{f"{field_name}__regex": r"^[0-9]"})
        return self.filter(**{f"{field_name}__istartswith": letter})

    def index_entries(self, letter):
        """The A-Z under `letter`: each drug under its brand name and under its generic name,
        as rows of slug, brand_name, label (the name listed) and is_generic, sorted without
        regard to case: brand names are capitalised, generic names not, and "pomalidomide"
        belongs just before "Pomalyst", not after every brand name."""
        rows = self.order_by()  # a compound query orders only as a whole

        def listed_under(name_field, is_generic):
            return rows.starting_with(name_field, letter).values(
                "slug",
                "brand_name",
                label=models.F(name_field),
                is_generic=models.Value(is_generic),
                sort_key=Lower(name_field),
            )

        by_brand, by_generic = listed_under("brand_name", False), listed_under("generic_name", True)
        return by_brand.union(by_generic, all=True).order_by("sort_key", "label", "brand_name")

    def recently_reviewed(self):
        return self.filter(last_reviewed__isnull=False).order_by("-last_reviewed", "brand_name")

    def with_monograph_relations(self):
        """The classes, companies, cancer types, programs and reviewer, read from their own
        tables in a fixed number of queries (the page reads its stored copy, Drug.shown)."""
        return self.select_related("reviewed_by").prefetch_related(
            "cancer_types",
            Prefetch(
                "class_memberships",
                queryset=DrugClassMembership.objects.select_related("drug_class"),
            ),
            "companies",
            Prefetch(
                "assistance_programs",
                queryset=AssistanceProgram.objects.select_related("company"),
            ),
        )


class ProgramsByKind:
    """A drug's help-paying programs grouped as the monograph lists them, from program_list()."""

    def programs_of_kind(self, kind):
        return [program for program in self.program_list() if program.kind == kind]

    @property
    def copay_programs(self):
        return self.programs_of_kind(ProgramKind.COPAY)

    @property
    def patient_assistance_programs(self):
        return self.programs_of_kind(ProgramKind.PATIENT_ASSISTANCE)

    @property
    def other_programs(self):
        return self.programs_of_kind(ProgramKind.FOUNDATION)


class DrugManager(FindsBySlug, models.Manager.from_queryset(DrugQuerySet)):
    def page_rows(self):
        return self.published()


class Drug(ProgramsByKind, KeepsOldSlugs, models.Model):
    ApprovalStatus = ApprovalStatus
    GenericAvailability = GenericAvailability
    Status = PublicationStatus
    ReviewState = ReviewState

    brand_name = models.CharField(max_length=200, help_text="As patients know it, e.g. Pomalyst.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The page address: /drug/<slug>/."
    )
    generic_name = models.CharField(
        max_length=200, help_text="The non-proprietary name, in lower case, e.g. pomalidomide."
    )
    other_names = models.TextField(
        blank=True,
        help_text="One per line: other brand names, abbreviations and experimental codes "
        "such as CC-4047. Readers can search for them.",
    )
    pronunciation = models.CharField(
        max_length=100, blank=True, help_text='Optional, e.g. "poe-MAL-ist".'
    )
    drug_classes = models.ManyToManyField(
        DrugClass, through="DrugClassMembership", related_name="drugs"
    )
    companies = models.ManyToManyField(Company, related_name="drugs", blank=True)
    cancer_types = models.ManyToManyField(CancerType, related_name="drugs", blank=True)
    approval_status = models.CharField(
        max_length=20, choices=ApprovalStatus, default=ApprovalStatus.APPROVED
    )
    first_approved_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of first FDA approval, if approved."
    )
    generic_available = models.CharField(
        "generic version available",
        max_length=20,
        choices=GenericAvailability,
        default=GenericAvailability.NO,
    )
    indication = MarkdownxField(
        "drug indication", blank=True, help_text="Markdown. What the drug is approved for."
    )
    general_info = MarkdownxField(
        blank=True, help_text="Markdown. How the drug works and what the trials showed."
    )
    dosage = MarkdownxField(blank=True, help_text="Markdown. The dosing info.")
    side_effects = MarkdownxField(
        blank=True, help_text="Markdown. Common and serious adverse reactions."
    )
    more_info_url = models.URLField(
        "for more info", blank=True, help_text="The official product or prescribing site."
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text='Shown to readers as "Last Reviewed".'
    )
    reviewed_by = models.ForeignKey(
        Reviewer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_drugs",
        help_text="Named to readers after the Last Reviewed date.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=12, help_text="How often the monograph must be medically reviewed."
    )
    next_review_due = models.DateField(
        null=True, blank=True, editable=False, help_text="Last reviewed + review interval."
    )
    review_note = models.TextField(blank=True, help_text="The reviewer's note on the last review.")
    changed_since_review = models.BooleanField(
        default=False,
        editable=False,
        help_text="The text was edited after its last medical review.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Only published monographs are visible to the public.",
    )
    summary = models.CharField(
        max_length=400, blank=True, editable=False, help_text="Plain-text teaser of the indication."
    )
    rendered = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Sanitised HTML of the sections."
    )
    shown_relations = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What the page shows of the classes, companies, cancer types, programs and "
        "reviewer; kept in step by drugs/monograph.py.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised on every save; refuses stale concurrent saves."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = DrugManager()
    history = HistoricalRecords(
        excluded_fields=["version", "summary", "rendered", "shown_relations"],
        bases=[RevisionRelations],
    )

    class Meta:
        ordering = ["brand_name"]
        indexes = [
            models.Index(fields=["status", "brand_name"]),
            models.Index(fields=["status", "generic_name"]),
            models.Index(fields=["next_review_due"]),
            # The home page's "Recently reviewed": the newest few, read in index order.
            models.Index(
                fields=["-last_reviewed", "brand_name"],
                condition=models.Q(status=PublicationStatus.PUBLISHED, last_reviewed__isnull=False),
                name="drug_recently_reviewed",
            ),
        ]
        # PostgreSQL also has covering indexes for the A-Z and for drug cards in brand-name
        # order (migrations 0008 and 0011): not declared here, as SQLite has no INCLUDE.
        permissions = [
            ("publish_drug", "Can publish and unpublish monographs"),
            ("mark_reviewed", "Can mark monographs as medically reviewed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approval_status__in=ApprovalStatus.values),
                name="%(app_label)s_%(class)s_approval_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(generic_available__in=GenericAvailability.values),
                name="%(app_label)s_%(class)s_generic_available_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PublicationStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(first_approved_year__gte=1900)
                & models.Q(first_approved_year__lte=2100)
                | models.Q(first_approved_year__isnull=True),
                name="%(app_label)s_%(class)s_first_approved_year_plausible",
            ),
            models.CheckConstraint(
                condition=~models.Q(brand_name=""), name="%(app_label)s_%(class)s_has_brand_name"
            ),
            models.CheckConstraint(
                condition=models.Q(review_interval_months__gte=1),
                name="%(app_label)s_%(class)s_review_interval_positive",
            ),
        ]

    def __str__(self):
        return self.brand_name

    def save(self, *args, **kwargs):
        self.render_sections()
        self.next_review_due = (
            add_months(self.last_reviewed, self.review_interval_months)
            if self.last_reviewed
            else None
        )
        super().save(*args, **kwargs)
        remember_old_slug(self, DrugSlugRedirect, "drug")

    def get_absolute_url(self):
        return slug_url("drugs:drug-detail", self.slug)

    def render_sections(self):
        """Render the Markdown sections once, at save time, instead of on every request."""
        self.rendered = {
            "version": RENDERER_VERSION,
            **{name: render_markdown(getattr(self, name)) for name in MARKDOWN_SECTIONS},
        }
        self.summary = plain_summary(self.indication, html=self.rendered["indication"])

    @property
    def sections_html(self):
        if self.rendered.get("version") != RENDERER_VERSION:
            self.render_sections()  # stale until `manage.py render_markdown` stores it again
        return {name: mark_safe(self.rendered[name]) for name in MARKDOWN_SECTIONS}

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def review_state(self):
        if self.next_review_due is None:
            return ReviewState.NEVER
        today = timezone.localdate()
        if self.next_review_due < today:
            return ReviewState.OVERDUE
        if self.next_review_due <= today + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS):
            return ReviewState.DUE_SOON
        return ReviewState.CURRENT

    @property
    def other_names_list(self):
        return [name.strip() for name in self.other_names.splitlines() if name.strip()]

    @property
    def ordered_classes(self):
        """The drug's classes, the one to show first leading; uses the prefetched memberships."""
        return [membership.drug_class for membership in self.class_memberships.all()]

    @property
    def primary_class(self):
        classes = self.ordered_classes
        return classes[0] if classes else None

    @property
    def shown(self):
        """What the page shows of the related rows (ShownRelations), from the stored copy; read
        live while that copy is from older code, until `manage.py render_markdown` stores it."""
        stored = self.shown_relations
        remembered = self.__dict__.get("_shown")
        if remembered is None or remembered[0] is not stored:  # loaded or reassigned since
            if stored.get("version") == SHOWN_RELATIONS_VERSION:
                current = stored
            elif self.pk is None:
                current = empty_shown_relations()
            else:
                live = shown_relations_of(Drug.objects.filter(pk=self.pk))
                current = live.get(self.pk, empty_shown_relations())
            remembered = self._shown = (stored, ShownRelations(current, self._state.db))
        return remembered[1]

    def related_drugs(self):
        """Other published drugs in the first class and by the same companies, as DrugLinks,
        in one query.

        Returns (same_class, same_company): the first RELATED_LIMIT of each by brand name, a
        company's drug counted once per shared company, and a drug in both shows only under
        its class. They come from what the class and the companies store of their first
        drugs (`leading_drugs`, kept by drugs/counts.py).
        """
        shown = self.shown
        primary = shown.primary_class
        company_ids = [company.pk for company in shown.companies]
        if not (primary or company_ids):
            return [], []
        sql = LEADING_DRUGS_SQL.format(companies=", ".join(["%s"] * len(company_ids) or ["NULL"]))
        connection = connections[router.db_for_read(Drug, instance=self)]
        with connection.cursor() as cursor:
            cursor.execute(sql, [primary.pk if primary else None, *company_ids])
            rows = cursor.fetchall()
        stored = DrugClass._meta.get_field("leading_drugs")  # the same JSONField on Company
        class_list, company_lists = [], []
        for is_company, value in rows:
            entries = stored.from_db_value(value, None, connection)
            (company_lists if is_company else class_list).extend(
                entry for entry in entries if entry["id"] != self.pk
            )
        # A drug of two of the companies is a link of each: both count towards the limit.
        company_links = sorted(company_lists, key=lambda entry: entry["brand_name"])
        same_class, same_company = class_list[:RELATED_LIMIT], []
        listed = {entry["id"] for entry in same_class}
        for entry in company_links[:RELATED_LIMIT]:
            if entry["id"] in listed:
                continue
            listed.add(entry["id"])
            in_class = primary is not None and primary.pk in entry["class_ids"]
            (same_class if in_class else same_company).append(entry)
        return DrugLink.many(same_class), DrugLink.many(same_company)

    def structured_data(self, url):
        """schema.org MedicalWebPage about this Drug, for search engines (JSON-LD)."""
        drug = {
            "@type": "Drug",
            "name": self.brand_name,
            "proprietaryName": self.brand_name,
            "nonProprietaryName": self.generic_name,
            "isAvailableGenerically": self.generic_available != GenericAvailability.NO,
        }
        shown = self.shown
        if shown.classes:
            drug["drugClass"] = [
                {"@type": "DrugClass", "name": drug_class.name} for drug_class in shown.classes
            ]
        if shown.companies:
            drug["manufacturer"] = [
                {"@type": "Organization", "name": company.name} for company in shown.companies
            ]
        page = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "url": url,
            "name": f"{self.brand_name} ({self.generic_name})",
            "about": drug,
        }
        if self.last_reviewed:
            page["lastReviewed"] = self.last_reviewed.isoformat()
        if shown.reviewer:
            page["reviewedBy"] = {"@type": "Person", "name": str(shown.reviewer)}
        return page

    def program_list(self):
        return self.assistance_programs.all()


# Drug.related_drugs(): the stored first drugs of the drug's first class and of its companies,
# by primary key. A company's list is stored sorted, and merged in Python.
LEADING_DRUGS_SQL = """
SELECT 0, leading_drugs FROM drugs_drugclass WHERE id = %s
UNION ALL
SELECT 1, leading_drugs FROM drugs_company WHERE id IN ({companies})
"""


class DrugLink:
    """What a link or a card to a drug shows: its page, brand and generic names, summary."""

    FIELDS = ("id", "slug", "brand_name", "generic_name", "summary")

    def __init__(self, entry):
        self.pk, self.slug = entry["id"], entry["slug"]
        self.brand_name, self.generic_name = entry["brand_name"], entry["generic_name"]
        self.summary = entry.get("summary", "")

    @classmethod
    def many(cls, rows):
        """DrugLinks for rows holding FIELDS (or all but the summary), such as cards() gives."""
        return [cls(row) for row in rows]

    def get_absolute_url(self):
        return slug_url("drugs:drug-detail", self.slug)

    def __repr__(self):
        return f"<DrugLink: {self.brand_name}>"


def as_loaded(model, values, db=None):
    """An instance holding `values` (a dict by attname) as if loaded with .only(): any other
    field is fetched on access rather than left at its default."""
    loaded = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(db, loaded, [values[name] for name in loaded])


class ShownRelations(ProgramsByKind):
    """The stored copy of what a monograph page shows of its related rows (see
    drugs/monograph.py), as instances of their models holding just those fields."""

    def __init__(self, stored, db=None):
        self.classes = [as_loaded(DrugClass, item, db) for item in stored["classes"]]
        self.companies = [as_loaded(Company, item, db) for item in stored["companies"]]
        self.cancer_types = [as_loaded(CancerType, item, db) for item in stored["cancer_types"]]
        self.programs = [as_loaded(AssistanceProgram, item, db) for item in stored["programs"]]
        reviewer = stored["reviewer"]
        self.reviewer = as_loaded(Reviewer, reviewer, db) if reviewer else None

    @property
    def primary_class(self):
        return self.classes[0] if self.classes else None

    def program_list(self):
        return self.programs


class DrugClassMembership(models.Model):
    """A drug's place in a class; the lowest position is the class shown first."""

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="class_memberships")
    drug_class = models.ForeignKey(DrugClass, on_delete=models.PROTECT, related_name="memberships")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="0 is the class shown first on the drug page."
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "drug class"
        constraints = [
            models.UniqueConstraint(
                fields=["drug", "drug_class"], name="%(app_label)s_%(class)s_unique_class"
            ),
        ]

    def __str__(self):
        return f"{self.drug} in {self.drug_class}"


class ProgramKind(models.TextChoices):
    COPAY = "copay", "Co-pay program"
    PATIENT_ASSISTANCE = "patient_assistance", "Patient assistance program"
    FOUNDATION = "foundation", "Foundation or other support"


class AssistanceProgram(models.Model):
    Kind = ProgramKind

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="programs")
    drugs = models.ManyToManyField(Drug, related_name="assistance_programs", blank=True)
    kind = models.CharField(max_length=20, choices=Kind)
    name = models.CharField(max_length=200)
    url = models.URLField("URL")
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True, help_text="Who qualifies, what it covers.")

    class Meta:
        ordering = ["company__name", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ProgramKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["company", "name"], name="%(app_label)s_%(class)s_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class ReviewEvent(models.Model):
    """One medical review of a monograph: the log behind "Last Reviewed"."""

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="review_events")
    reviewed_on = models.DateField(default=timezone.localdate)
    reviewer = models.ForeignKey(Reviewer, on_delete=models.SET_NULL, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text="Who recorded the review.",
    )
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-created"]

    def __str__(self):
        return f"{self.drug} reviewed on {self.reviewed_on}"


class SlugRedirect(models.Model):
    old_slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.old_slug


class DrugSlugRedirect(SlugRedirect):
    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="old_slugs")


class DrugClassSlugRedirect(SlugRedirect):
    drug_class = models.ForeignKey(DrugClass, on_delete=models.CASCADE, related_name="old_slugs")
