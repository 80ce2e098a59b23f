"""django-filter FilterSets for the public listings and the staff catalogue."""

import django_filters
from django.db.models import Count, F, OrderBy, OuterRef, Q, Subquery

from .models import (
    NAME_LIST_NAMES,
    ApprovalStatus,
    CancerType,
    Company,
    DrugClass,
    DrugClassMembership,
    GenericAvailability,
    ProgramKind,
    PublicationStatus,
    ReviewState,
)

# The public filters whose choices are fixed, by name.
FIXED_CHOICES = {"approval_status": ApprovalStatus, "generic_available": GenericAvailability}
# The staff table's columns: the field each sorts by, its `sort` value and its heading.
STAFF_COLUMNS = [
    ("brand_name", "brand", "Brand name"),
    ("generic_name", "generic", "Generic name"),
    ("primary_class_name", "class", "Classes"),
    ("approval_status", "approval", "Approval status"),
    ("status", "status", "Publication status"),
    ("last_reviewed", "reviewed", "Last reviewed"),
    ("next_review_due", "due", "Next review due"),
]


def with_counts(counted, chosen):
    """The choices of (value, label, count) that find drugs, as (value, "Label (count)"); the
    chosen value stays, whatever its count, so that the form shows what the page lists."""
    return [
        (value, f"{label} ({count})") for value, label, count in counted if count or value == chosen
    ]


class PublicDrugFilter(django_filters.FilterSet):
    """Filters readers can combine on class and cancer-type pages. Each offers only the choices
    that find drugs given the other filters chosen, with how many ("Celgene (3)"), in two
    queries: the companies of the listing, and the fixed choices."""

    approval_status = django_filters.ChoiceFilter(
        choices=ApprovalStatus.choices, empty_label="Any approval status"
    )
    generic_available = django_filters.ChoiceFilter(
        label="Generic version", choices=GenericAvailability.choices, empty_label="Generic or not"
    )
    company = django_filters.ChoiceFilter(
        label="Company", field_name="companies__slug", empty_label="Any company"
    )

    def get_form_class(self):
        for name, choices in self.choices_with_counts().items():
            self.filters[name].extra["choices"] = choices
        return super().get_form_class()

    def choices_with_counts(self):
        listing = self.queryset.order_by()
        # What the reader chose; a value that is no choice at all is left to the form to reject.
        chosen = {
            name: self.data[name]
            for name, choices in FIXED_CHOICES.items()
            if self.data.get(name) in choices.values
        }
        companies = list(
            listing.filter(companies__isnull=False)
            .values_list("companies__slug", "companies__name")
            .annotate(count=Count("pk", filter=self.others_chosen(chosen, "company") or None))
            .order_by("companies__name")
        )
        if self.data.get("company") in {slug for slug, _, _ in companies}:
            chosen["company"] = self.data["company"]
        # A choice of company joins a drug's companies: count each drug once.
        counts = listing.aggregate(
            **{
                f"{name}:{value}": Count(
                    "pk",
                    distinct=True,
                    filter=Q(**{name: value}) & self.others_chosen(chosen, name),
                )
                for name, choices in FIXED_CHOICES.items()
                for value in choices.values
            }
        )
        choices = {
            name: with_counts(
                [(value, label, counts[f"{name}:{value}"]) for value, label in choices.choices],
                chosen.get(name),
            )
            for name, choices in FIXED_CHOICES.items()
        }
        choices["company"] = with_counts(companies, chosen.get("company"))
        return choices

    def others_chosen(self, chosen, name):
        """The filters chosen other than `name`, as one condition on drugs."""
        fields = {other: self.filters[other].field_name for other in chosen if other != name}
        return Q(*((field, chosen[other]) for other, field in fields.items()))


class AssistanceProgramFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="Kind of help", choices=ProgramKind.choices, empty_label="All kinds"
    )


class StaffSortFilter(django_filters.OrderingFilter):
    """Table sorting for staff: empty dates last either way, ties broken by brand name."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [
            OrderBy(
                F(self.param_map[param.removeprefix("-")]),
                descending=param.startswith("-"),
                nulls_last=True,
            )
            for param in value
        ]
        return qs.order_by(*ordering, "brand_name", "pk")


class StaffDrugFilter(django_filters.FilterSet):
    """The staff catalogue: every monograph, whatever its status, by any combination of these."""

    q = django_filters.CharFilter(label="Name contains", method="filter_names")
    drug_class = django_filters.ModelChoiceFilter(
        label="Drug class",
        field_name="drug_classes",
        queryset=DrugClass.objects.all(),
        to_field_name="slug",
        empty_label="Any class",
    )
    cancer_type = django_filters.ModelChoiceFilter(
        label="Cancer type",
        field_name="cancer_types",
        queryset=CancerType.objects.all(),
        to_field_name="slug",
        empty_label="Any cancer type",
    )
    company = django_filters.ModelChoiceFilter(
        label="Company",
        field_name="companies",
        queryset=Company.objects.with_published_drugs(),
        to_field_name="slug",
        empty_label="Any company",
    )
    approval_status = django_filters.ChoiceFilter(
        label="Approval", choices=ApprovalStatus.choices, empty_label="Any approval status"
    )
    generic_available = django_filters.ChoiceFilter(
        label="Generic version", choices=GenericAvailability.choices, empty_label="Any"
    )
    status = django_filters.ChoiceFilter(
        label="Publication", choices=PublicationStatus.choices, empty_label="Any status"
    )
    review = django_filters.ChoiceFilter(
        label="Review",
        choices=ReviewState.choices,
        empty_label="Any review state",
        method="filter_review",
    )
    sort = StaffSortFilter(
        label="Sort by",
        fields=[(field, param) for field, param, _ in STAFF_COLUMNS],
        field_labels={field: label for field, _, label in STAFF_COLUMNS},
        empty_label="Brand name",
    )

    def filter_queryset(self, queryset):
        first_class = DrugClassMembership.objects.filter(drug=OuterRef("pk")).order_by(
            "position", "pk"
        )
        queryset = queryset.annotate(
            primary_class_name=Subquery(first_class.values("drug_class__name")[:1])
        )
        return super().filter_queryset(queryset)

    def filter_names(self, queryset, name, value):
        names = ["brand_name", "generic_name", *NAME_LIST_NAMES]
        return queryset.filter(Q.create([(f"{name}__icontains", value) for name in names], Q.OR))

    def filter_review(self, queryset, name, value):
        return queryset.in_review_state(value)
