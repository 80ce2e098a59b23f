import calendar
import datetime
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Prefetch, Q, Value, prefetch_related_objects
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst, slugify
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from . import images
from .addresses import web_address_validator
from .history import RevisionRelations
from .markdown import MarkdownSizeValidator, plain_summary

REVIEW_DUE_SOON_DAYS = 30
DIGITS = "0-9"
INDEX_LETTERS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", DIGITS]
RELATED_LIMIT = 6
# What the form, the importer and the database accept.
EARLIEST_APPROVAL_YEAR, LATEST_APPROVAL_YEAR = 1900, 2100
SHORTEST_REVIEW_INTERVAL, LONGEST_REVIEW_INTERVAL = 1, 120  # months
# What a drug card shows (includes/drug_list.html): for_listing() reads just these.
DRUG_CARD_FIELDS = ("slug", "brand_name", "generic_name", "summary", "approval_status")
PUBLISH_PERMISSION = "drugs.publish_drug"
REVIEW_PERMISSION = "drugs.mark_reviewed"
# The editorial groups (created by migration 0004).
EDITOR_GROUP, REVIEWER_GROUP, PUBLISHER_GROUP = "Editor", "Medical reviewer", "Publisher"


class ApprovalStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    ACCELERATED = "accelerated", "Accelerated approval"
    INVESTIGATIONAL = "investigational", "Investigational"
    WITHDRAWN = "withdrawn", "Withdrawn"


# What each status but Approved means for a patient: the banner on the drug page.
APPROVAL_STATUS_NOTES = {
    ApprovalStatus.ACCELERATED: (
        "The FDA approved this drug early, on promising first results such as tumors "
        "shrinking, because it treats a serious cancer with few other options. Studies are "
        "still checking that it helps people live longer or better; if they do not confirm "
        "the benefit, the approval can be withdrawn."
    ),
    ApprovalStatus.INVESTIGATIONAL: (
        "This drug is not approved by the FDA. It is still being studied and is available only "
        "in clinical trials or, sometimes, through an expanded access program. Ask your doctor "
        "whether a trial is right for you."
    ),
    ApprovalStatus.WITHDRAWN: (
        "This drug has been withdrawn from the US market and is no longer sold for the uses "
        "described here. If you are taking it, do not stop on your own: ask your cancer care "
        "team what to do next."
    ),
}


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

    @classmethod
    def due_dates(cls, today):
        """The one definition of the review states: for each state but NEVER (no review yet),
        the first and last next-review date it covers (None: no limit)."""
        soon = today + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS)
        day = datetime.timedelta(days=1)
        return {
            cls.OVERDUE: (None, today - day),
            cls.DUE_SOON: (today, soon),
            cls.CURRENT: (soon + day, None),
        }

    @classmethod
    def condition(cls, state, today=None):
        """A Q() selecting the drugs in `state`."""
        if state == cls.NEVER:
            return Q(next_review_due__isnull=True)
        first, last = cls.due_dates(today or timezone.localdate())[state]
        condition = Q(next_review_due__isnull=False)
        if first:
            condition &= Q(next_review_due__gte=first)
        if last:
            condition &= Q(next_review_due__lte=last)
        return condition

    @classmethod
    def of(cls, next_review_due, today=None):
        if next_review_due is None:
            return cls.NEVER
        for state, (first, last) in cls.due_dates(today or timezone.localdate()).items():
            if (first is None or first <= next_review_due) and (
                last is None or next_review_due <= last
            ):
                return state
        raise AssertionError("the due dates cover every date")


class ProgramKind(models.TextChoices):
    COPAY = "copay", "Co-pay program"
    PATIENT_ASSISTANCE = "patient_assistance", "Patient assistance program"
    FOUNDATION = "foundation", "Foundation or other support"


def add_months(date, months):
    """The same day `months` later, clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    years, month_index = divmod(date.month - 1 + months, 12)
    year, month = date.year + years, month_index + 1
    last_day = calendar.monthrange(year, month)[1]
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

    def replaced_slug(self):
        """The slug this row had when loaded, if a save has since changed it; else None. Once
        asked, the current slug counts as the loaded one."""
        old_slug = getattr(self, "_loaded_slug", None)
        self._loaded_slug = self.slug
        return old_slug if old_slug and old_slug != self.slug else None


class ListsDrugsQuerySet(models.QuerySet):
    """Rows that list drugs (a `drugs` relation). Readers see only those listing a published
    drug: a class, company or program that only drafts use is not public yet."""

    def with_published_drugs(self):
        listing = self.model.objects.filter(drugs__status=PublicationStatus.PUBLISHED)
        return self.filter(pk__in=listing.values("pk"))

    def with_published_counts(self):
        """Each row with `published_drug_count`, the number of published drugs it lists."""
        return self.annotate(
            published_drug_count=Count("drugs", filter=Q(drugs__status=PublicationStatus.PUBLISHED))
        )

    def listed(self):
        """The rows readers see, each with its `published_drug_count`."""
        return self.with_published_counts().filter(published_drug_count__gt=0)


class NamedModel(models.Model):
    """A thing readers find by name, with a unique slug for its URL."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    objects = ListsDrugsQuerySet.as_manager()

    detail_view = None  # the route of its page, taking its slug

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(self.detail_view, args=[self.slug])


class CancerType(NamedModel):
    detail_view = "drugs:cancer-type-detail"
    description = MarkdownxField(
        blank=True,
        validators=[MarkdownSizeValidator("The description")],
        help_text="Markdown. Optional plain-language introduction to the listing.",
    )


class ReviewerQuerySet(models.QuerySet):
    def credited(self):
        """Reviewers whom a published monograph names as its medical reviewer."""
        return self.filter(pk__in=Drug.objects.published().credited().values("reviewed_by"))


class Reviewer(models.Model):
    """Who medically reviews monographs: a user of the site, or a named outside clinician."""

    name = models.CharField(max_length=200, help_text="As shown to readers, e.g. Jane Doe.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The address of the reviewer's page (jane-doe for /reviewers/jane-doe/). Made "
        "from the name when left blank.",
    )
    credentials = models.CharField(
        max_length=100, blank=True, help_text="e.g. PharmD, MD, RN. Shown after the name."
    )
    bio = models.TextField(
        blank=True,
        help_text="Plain text, optional: a few sentences on the reviewer's training and "
        "practice, shown on their page.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer",
        help_text="The reviewer's account here, if they have one.",
    )

    objects = ReviewerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def save(self, *args, **kwargs):
        if not self.slug:  # "jane-doe", else "jane-doe-2", ...: the first no one else has
            base = slugify(self.name)[:190] or "unnamed"
            others = Reviewer.objects.exclude(pk=self.pk).filter(slug__startswith=base)
            taken = set(others.values_list("slug", flat=True))
            self.slug, number = base, 2
            while self.slug in taken:
                self.slug, number = f"{base}-{number}", number + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("drugs:reviewer-detail", args=[self.slug])


class DrugClass(KeepsOldSlugs, NamedModel):
    detail_view = "drugs:class-detail"
    description = MarkdownxField(
        blank=True,
        validators=[MarkdownSizeValidator("The description")],
        help_text="Markdown. A few plain-language sentences shown on the class page.",
    )

    class Meta(KeepsOldSlugs.Meta, NamedModel.Meta):
        verbose_name = "drug class"
        verbose_name_plural = "drug classes"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if old_slug := self.replaced_slug():
            DrugClassSlugRedirect.objects.update_or_create(
                old_slug=old_slug, defaults={"drug_class": self}
            )
        # A slug taken back into use is live again, not a redirect.
        DrugClassSlugRedirect.objects.filter(old_slug=self.slug).delete()


class Company(NamedModel):
    detail_view = "drugs:company-detail"
    website = models.URLField(blank=True, validators=[web_address_validator])

    class Meta(NamedModel.Meta):
        verbose_name_plural = "companies"


class MonographSection(MarkdownxField):
    """A Markdown section of a monograph. Declaring one is all a new section needs: the page,
    the admin, the interchange format, the diff and the review rules read them from the model."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def run_validators(self, value):
        # Not a validator given to __init__: the name is known only once the field is declared.
        super().run_validators(value)
        MarkdownSizeValidator(f"The “{capfirst(self.verbose_name)}” section")(value)


class NameList(models.TextField):
    """A list of a drug's names, one per line, such as its abbreviations. Declaring one is all a
    new list needs but for search's migration (see drugs/migrations/0024_labelled_names.py)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.widget.attrs["rows"] = 3  # a few short names, not the ten lines of prose
        return field

    def names(self, drug):
        return [name.strip() for name in self.value_from_object(drug).splitlines() if name.strip()]

    def label(self, count):
        """The verbose name for `count` names: "(s)" is a plural ("abbreviation(s)")."""
        return self.verbose_name.replace("(s)", "" if count == 1 else "s")


class DrugQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def in_class(self, drug_class):
        return self.filter(drug_classes=drug_class)

    def for_cancer_type(self, cancer_type):
        return self.filter(cancer_types=cancer_type)

    def in_review_state(self, state):
        return self.filter(ReviewState.condition(state))

    def review_overdue(self):
        return self.in_review_state(ReviewState.OVERDUE)

    def credited(self):
        """The drugs whose page names their reviewer (Drug.credits_reviewer says it of one)."""
        return self.filter(reviewed_by__isnull=False, changed_since_review=False)

    def for_listing(self, *extra_fields):
        """Just what a drug card shows, and any extra fields named."""
        return self.only(*DRUG_CARD_FIELDS, *extra_fields)

    def starting_with(self, field_name, letter):
        """Drugs whose `field_name` starts with `letter`, or with any digit for "0-9"."""
        if letter == DIGITS:
            return self.filter(**{f"{field_name}__regex": r"^[0-9]"})
        return self.filter(**{f"{field_name}__istartswith": letter})

    def letters_in_index(self):
        """The INDEX_LETTERS that some drug is listed under (by brand or generic name), in one
        query of an EXISTS per letter and name."""
        listed = {
            f"{name}_{number}": models.Exists(self.order_by().starting_with(name, letter))
            for number, letter in enumerate(INDEX_LETTERS)
            for name in ("brand_name", "generic_name")
        }
        row = Drug.objects.order_by().annotate(**listed).values(*listed).first() or {}
        return [
            letter
            for number, letter in enumerate(INDEX_LETTERS)
            if row.get(f"brand_name_{number}") or row.get(f"generic_name_{number}")
        ]

    def index_entries(self, letter):
        """The A-Z under `letter`: each drug under its brand and its generic name (`label`), sorted
        without regard to case ("pomalidomide" just before "Pomalyst")."""
        rows = self.order_by()  # a compound query orders only as a whole

        def listed_under(name_field, is_generic):
            return rows.starting_with(name_field, letter).values(
                "slug",
                "brand_name",
                "approval_status",
                label=models.F(name_field),
                is_generic=Value(is_generic),
                sort_key=Lower(name_field),
            )

        by_brand, by_generic = listed_under("brand_name", False), listed_under("generic_name", True)
        return by_brand.union(by_generic, all=True).order_by("sort_key", "label", "brand_name")

    def named_by(self, slug):
        """The one drug whose brand or generic name makes `slug` ("keytruda" or
        "pembrolizumab" for Keytruda), or None when none does or several do."""
        first_word = slug.split("-")[0]
        candidates = self.filter(
            Q(brand_name__istartswith=first_word) | Q(generic_name__istartswith=first_word)
        ).only("slug", "brand_name", "generic_name")
        named = [
            drug
            for drug in candidates
            if slug in (slugify(drug.brand_name), slugify(drug.generic_name))
        ]
        return named[0] if len(named) == 1 else None

    def recently_reviewed(self):
        return self.filter(last_reviewed__isnull=False).order_by("-last_reviewed", "brand_name")

    def surrogate_keys(self):
        """The surrogate keys of these drugs' pages, which a proxy in front purges by: the
        drugs and every row their pages show, read in one query."""
        ids = self.values("pk")
        drugs = Drug.objects.filter(pk__in=ids)
        links = [
            (DrugClassMembership, "drugclass", "drug_class_id"),
            (Drug.companies.through, "company", "company_id"),
            (Drug.cancer_types.through, "cancertype", "cancertype_id"),
            (AssistanceProgram.drugs.through, "assistanceprogram", "assistanceprogram_id"),
        ]
        shown = [
            drugs.values_list(Value("drug"), "pk"),
            drugs.filter(reviewed_by__isnull=False).values_list(
                Value("reviewer"), "reviewed_by_id"
            ),
            *(
                link.objects.filter(drug__in=ids).values_list(Value(kind), field)
                for link, kind, field in links
            ),
        ]
        first, *rest = (rows.order_by() for rows in shown)
        return {f"{kind}:{pk}" for kind, pk in first.union(*rest).order_by()}

    def with_monograph_relations(self):
        """With the rows a monograph shows, in a fixed number of queries however many drugs."""
        return self.select_related("reviewed_by").prefetch_related(*monograph_relations())


def monograph_relations():
    """The related rows a monograph shows, as prefetch lookups."""
    return [
        Prefetch("class_memberships", DrugClassMembership.objects.select_related("drug_class")),
        "companies",
        "cancer_types",
        Prefetch("assistance_programs", AssistanceProgram.objects.select_related("company")),
    ]


class RelatedDrugs(NamedTuple):
    same_class: models.QuerySet
    same_company: models.QuerySet


class Section(NamedTuple):
    """One section of a monograph as the page shows it."""

    name: str
    heading: str
    text: str

    @property
    def anchor(self):
        return self.name.replace("_", "-")


class Drug(KeepsOldSlugs, models.Model):
    brand_name = models.CharField(max_length=200, help_text="As patients know it, e.g. Pomalyst.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The page address: /drug/<slug>/."
    )
    generic_name = models.CharField(
        max_length=200, help_text="The non-proprietary name, in lower case, e.g. pomalidomide."
    )
    # The names by kind, in the order of the page; readers can search for all of them.
    abbreviations = NameList("abbreviation(s)", help_text="One per line, e.g. DTG.")
    other_market_names = NameList(
        "other market name(s)",
        help_text="One per line: the brand names it is sold under elsewhere, e.g. Imnovid.",
    )
    experimental_codes = NameList(
        "experimental code(s)",
        help_text="One per line: the codes it had in trials, e.g. CC-4047 or S/GSK1349572.",
    )
    other_names = NameList(
        "also known as",
        help_text="One per line: other names that are none of the above.",
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
    approval_status_label = models.CharField(
        max_length=60,
        blank=True,
        help_text="Optional: the publisher's own wording of the status, shown to readers instead "
        "of the standard one (e.g. Experimental for Investigational).",
    )
    first_approved_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(EARLIEST_APPROVAL_YEAR),
            MaxValueValidator(LATEST_APPROVAL_YEAR),
        ],
        help_text="Year of first FDA approval, if approved.",
    )
    generic_available = models.CharField(
        "generic version available",
        max_length=20,
        choices=GenericAvailability,
        default=GenericAvailability.NO,
    )
    # The sections, in the order of the page.
    boxed_warning = MonographSection(
        "key safety information",
        help_text="Markdown. The FDA boxed warning in plain words, if the label has one: the "
        "most serious risks. Shown in a warning box above everything else on the page.",
    )
    indication = MonographSection(
        "drug indication", help_text="Markdown. What the drug is approved for."
    )
    general_info = MonographSection(
        help_text="Markdown. How the drug works and what the trials showed."
    )
    dosage = MonographSection("dosing info", help_text="Markdown. The dosing info.")
    side_effects = MonographSection(help_text="Markdown. Common and serious adverse reactions.")
    drug_interactions = MonographSection(
        help_text="Markdown. Medicines, foods and supplements that interact with the drug."
    )
    other_info = MonographSection(
        "other info",
        help_text="Markdown. Anything else patients should know, such as storage and handling.",
    )
    more_info_url = models.URLField(
        "for more info",
        blank=True,
        validators=[web_address_validator],
        help_text="The official product or prescribing site.",
    )
    # The product image (drugs/images.py): stored as WebP renditions for srcset; the field names
    # the largest, whose size the two fields after it keep (so a page never opens the file).
    image = models.ImageField(
        "product image",
        upload_to=images.FOLDER,
        max_length=255,
        blank=True,
        help_text="Optional: a photo of the product or its pack. JPEG, PNG or WebP, at most "
        "10 MB and 40 megapixels; its metadata (such as a GPS position) is removed.",
    )
    image_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="Required with an image: what it shows, for readers who cannot see it, "
        'e.g. "Pomalyst 4 mg capsules in their blister pack".',
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
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
        default=12,
        validators=[
            MinValueValidator(SHORTEST_REVIEW_INTERVAL),
            MaxValueValidator(LONGEST_REVIEW_INTERVAL),
        ],
        help_text="How often the monograph must be medically reviewed.",
    )
    next_review_due = models.DateField(
        null=True, blank=True, editable=False, help_text="Last reviewed + review interval."
    )
    review_note = models.TextField(blank=True, help_text="The reviewer's note on the last review.")
    changed_since_review = models.BooleanField(
        default=False,
        editable=False,
        help_text="The published clinical content is not the content last medically reviewed.",
    )
    has_unpublished_changes = models.BooleanField(
        default=False,
        editable=False,
        help_text="A working copy (the latest revision) differs from the published page.",
    )
    go_live_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When `publish_scheduled` publishes the monograph (its working copy, if any).",
    )
    go_live_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The publisher who scheduled it; it is published with their permissions.",
    )
    status = models.CharField(
        max_length=20,
        choices=PublicationStatus,
        default=PublicationStatus.DRAFT,
        help_text="Only published monographs are visible to the public.",
    )
    summary = models.CharField(
        max_length=400, blank=True, editable=False, help_text="Plain-text teaser of the indication."
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised on every save; refuses stale concurrent saves."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = DrugQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "version",
            "summary",
            "has_unpublished_changes",
            "go_live_at",
            "go_live_by",
        ],
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
                condition=Q(status=PublicationStatus.PUBLISHED, last_reviewed__isnull=False),
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
                condition=Q(approval_status__in=ApprovalStatus.values),
                name="%(app_label)s_%(class)s_approval_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(generic_available__in=GenericAvailability.values),
                name="%(app_label)s_%(class)s_generic_available_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PublicationStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(first_approved_year__gte=EARLIEST_APPROVAL_YEAR)
                & Q(first_approved_year__lte=LATEST_APPROVAL_YEAR)
                | Q(first_approved_year__isnull=True),
                name="%(app_label)s_%(class)s_first_approved_year_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(brand_name=""), name="%(app_label)s_%(class)s_has_brand_name"
            ),
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=SHORTEST_REVIEW_INTERVAL),
                name="%(app_label)s_%(class)s_review_interval_positive",
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="%(app_label)s_%(class)s_image_has_alt_text",
                violation_error_message=images.NO_ALT,
            ),
        ]

    def __str__(self):
        return self.brand_name

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        super().save(*args, **kwargs)
        if old_slug := self.replaced_slug():
            address = reverse("drugs:drug-detail", args=[old_slug])
            DrugOldPath.objects.update_or_create(
                path=DrugOldPath.normalise(address), defaults={"drug": self}
            )
            # An address taken back into use is live again, not a redirect. (A new drug's
            # address needs no such care: an old address answers only where no page does.)
            path = DrugOldPath.normalise(self.get_absolute_url())
            DrugOldPath.objects.filter(path=path).delete()

    def get_absolute_url(self):
        return reverse("drugs:drug-detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": images.NO_ALT}, code="required")

    def set_derived_fields(self):
        """The fields worked out from the others: save() calls it; bulk_create() does not."""
        self.summary = plain_summary(self.indication)
        self.next_review_due = (
            add_months(self.last_reviewed, self.review_interval_months)
            if self.last_reviewed
            else None
        )
        if not self.image:
            self.image_width = self.image_height = None

    @property
    def image_srcset(self):
        """The product image's renditions, for its `srcset` (empty without an image)."""
        return images.srcset(self.image.name, self.image_width) if self.image_width else ""

    @property
    def sections(self):
        """The sections with text, in order, but the key safety information (shown first)."""
        return [
            Section(field.name, field.verbose_name, getattr(self, field.name))
            for field in MONOGRAPH_SECTIONS
            if field.name != WARNING_SECTION and getattr(self, field.name).strip()
        ]

    @property
    def credits_reviewer(self):
        """Whether the page names its medical reviewer (DrugQuerySet.credited says it of many)."""
        return self.reviewed_by_id is not None and not self.changed_since_review

    @property
    def approval_status_note(self):
        """What the approval status means for a patient; empty for an approved drug."""
        return APPROVAL_STATUS_NOTES.get(self.approval_status, "")

    @property
    def review_is_old(self):
        """Last reviewed more than a year ago."""
        year_ago = add_months(timezone.localdate(), -12)
        return self.last_reviewed is not None and self.last_reviewed < year_ago

    @property
    def approval_status_shown(self):
        """The approval status as readers see it: the publisher's wording, if it has one."""
        return self.approval_status_label or self.get_approval_status_display()

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED

    @property
    def review_state(self):
        return ReviewState.of(self.next_review_due)

    @property
    def labelled_names(self):
        """The name lists that have names, labelled: [("abbreviation", ["DTG"]), ...]."""
        return [
            (field.label(len(names)), names) for field in NAME_LISTS if (names := field.names(self))
        ]

    @property
    def ordered_classes(self):
        """The drug's classes, the one to show first leading (from prefetched memberships)."""
        return [membership.drug_class for membership in self.class_memberships.all()]

    @property
    def primary_class(self):
        return next(iter(self.ordered_classes), None)

    def programs_of_kind(self, kind):
        return [program for program in self.assistance_programs.all() if program.kind == kind]

    @property
    def copay_programs(self):
        return self.programs_of_kind(ProgramKind.COPAY)

    @property
    def patient_assistance_programs(self):
        return self.programs_of_kind(ProgramKind.PATIENT_ASSISTANCE)

    @property
    def other_programs(self):
        return self.programs_of_kind(ProgramKind.FOUNDATION)

    def load_monograph_relations(self):
        """This drug with the rows its monograph shows loaded: the page calls it inside its
        cached fragments, so that a cached page does not query them."""
        prefetch_related_objects([self], *monograph_relations())
        return self

    def related_drugs(self):
        """Other published drugs, the first few by brand name: of its first class, and of its
        companies leaving out that class's drugs (already in the first list)."""
        others = Drug.objects.published().exclude(pk=self.pk).for_listing().order_by("brand_name")
        primary = self.primary_class
        same_class = others.in_class(primary) if primary else others.none()
        companies = [company.pk for company in self.companies.all()]
        same_company = others.filter(companies__in=companies) if companies else others.none()
        if primary:
            same_company = same_company.exclude(drug_classes=primary)
        return RelatedDrugs(same_class[:RELATED_LIMIT], same_company.distinct()[:RELATED_LIMIT])

    def structured_data(self, url):
        """schema.org MedicalWebPage about this Drug, for search engines (JSON-LD)."""
        self.load_monograph_relations()
        drug = {
            "@type": "Drug",
            "name": self.brand_name,
            "proprietaryName": self.brand_name,
            "nonProprietaryName": self.generic_name,
            "isAvailableGenerically": self.generic_available != GenericAvailability.NO,
        }
        if classes := self.ordered_classes:
            drug["drugClass"] = [{"@type": "DrugClass", "name": c.name} for c in classes]
        if companies := self.companies.all():
            drug["manufacturer"] = [{"@type": "Organization", "name": c.name} for c in companies]
        page = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "url": url,
            "name": f"{self.brand_name} ({self.generic_name})",
            "about": drug,
        }
        if self.last_reviewed:
            page["lastReviewed"] = self.last_reviewed.isoformat()
        if self.reviewed_by:
            page["reviewedBy"] = {"@type": "Person", "name": str(self.reviewed_by)}
        return page


# What a monograph is made of, declared once. The admin form and its fieldsets, the editorial
# rules, the interchange format and the revision diff are built from these lists.
MONOGRAPH_SECTIONS = [field for field in Drug._meta.fields if isinstance(field, MonographSection)]
SECTION_NAMES = [field.name for field in MONOGRAPH_SECTIONS]
WARNING_SECTION = "boxed_warning"  # shown first, as a warning, not among the sections
NAME_LISTS = [field for field in Drug._meta.fields if isinstance(field, NameList)]
NAME_LIST_NAMES = [field.name for field in NAME_LISTS]
NAME_FIELDS = ["brand_name", "slug", "pronunciation", "generic_name", *NAME_LIST_NAMES]
FACT_FIELDS = [
    "approval_status",
    "approval_status_label",
    "first_approved_year",
    "generic_available",
]
RELATED_FIELDS = ["drug_classes", "companies", "cancer_types"]
LINK_FIELDS = ["more_info_url"]
# The product image: not clinical content (a change needs no new medical review), but edited,
# versioned, restored and published with the rest. Its size goes with it, set with the file.
IMAGE_FIELDS = ["image", "image_alt"]
IMAGE_SIZE_FIELDS = ["image_width", "image_height"]
REVIEW_FIELDS = ["last_reviewed", "reviewed_by", "review_note", "review_interval_months"]
# What editors write: what a revert restores (the slug stays: addresses are stable).
CONTENT_FIELDS = [
    *(name for name in NAME_FIELDS if name != "slug"),
    *FACT_FIELDS,
    *SECTION_NAMES,
    *LINK_FIELDS,
    *IMAGE_FIELDS,
    *IMAGE_SIZE_FIELDS,
]
# Edits to these change what a reader could act on: a reviewed monograph is flagged "changed
# since review" until a medical reviewer looks at it again.
CLINICAL_FIELDS = ["generic_name", *NAME_LIST_NAMES, *FACT_FIELDS, *SECTION_NAMES]
CLINICAL_RELATIONS = ["drug_classes", "cancer_types"]


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
        verbose_name_plural = "drug classes"
        constraints = [
            models.UniqueConstraint(
                fields=["drug", "drug_class"], name="%(app_label)s_%(class)s_unique_class"
            ),
        ]

    def __str__(self):
        return f"{self.drug} in {self.drug_class}"


class AssistanceProgram(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="programs")
    drugs = models.ManyToManyField(Drug, related_name="assistance_programs", blank=True)
    kind = models.CharField(max_length=20, choices=ProgramKind)
    name = models.CharField(max_length=200)
    url = models.URLField("URL", validators=[web_address_validator])
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True, help_text="Who qualifies, what it covers.")

    objects = ListsDrugsQuerySet.as_manager()

    class Meta:
        ordering = ["company__name", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProgramKind.values),
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
    revision = models.ForeignKey(
        "HistoricalDrug",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The exact revision the reviewer reviewed.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-created"]

    def __str__(self):
        return f"{self.drug} reviewed on {self.reviewed_on}"


class OldPathQuerySet(models.QuerySet):
    def redirect_for(self, address):
        """The old address `address` (in any form normalise() accepts) of a published drug, or
        None. Drafts' old addresses are not followed: a redirect would reveal their new ones."""
        path = DrugOldPath.normalise(address)
        if "\x00" in path:  # no address has one, and PostgreSQL cannot compare it
            return None
        published = self.filter(path=path, drug__status=PublicationStatus.PUBLISHED)
        return published.select_related("drug").first()


class DrugOldPath(models.Model):
    """An address the drug's page had before, here (a renamed slug) or on the site it came
    from: it answers 301 to the page (drugs.middleware.OldPathRedirectMiddleware)."""

    path = models.CharField(
        max_length=300,
        unique=True,
        help_text="A path such as /drug/keytruda-pembrolizumab: kept in lower case, without "
        "the query or a trailing slash, which make no difference to the redirect.",
    )
    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="old_paths")

    objects = OldPathQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses"

    def __str__(self):
        return self.path

    def save(self, *args, **kwargs):
        self.path = self.normalise(self.path)
        super().save(*args, **kwargs)

    def clean(self):
        # Before the uniqueness check, which then compares the form the path is kept in.
        self.path = self.normalise(self.path)
        if self.path.startswith("/drug/"):
            live = Drug.objects.filter(slug=self.path.removeprefix("/drug/")).first()
            if live:
                message = f"This is the address of {live.brand_name}'s page."
                raise ValidationError({"path": message})

    @staticmethod
    def normalise(address):
        """The form an address is kept and looked up in: "/Drug/Keytruda/?utm_source=x" and
        "https://example.org/drug/keytruda" are both "/drug/keytruda"."""
        path = unquote(urlsplit(address.strip()).path).lower()
        return "/" + path.strip("/")


class DrugClassSlugRedirect(models.Model):
    old_slug = models.SlugField(max_length=200, unique=True)
    drug_class = models.ForeignKey(DrugClass, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return self.old_slug
