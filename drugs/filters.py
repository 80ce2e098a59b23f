"""django-filter FilterSets for the public listings and the staff catalogue."""

import django_filters
from django import forms
from django.db.models import F, OuterRef, Q, Subquery
from django.forms import ModelChoiceField
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django_filters.constants import EMPTY_VALUES

from .escaping import escape
from .models import (
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassMembership,
)


def html_attributes(attrs):
    """Attributes as Django's widgets/attrs.html writes them, in the same order, escaped."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """Django's <select>, the same markup written in Python instead of a template rendered
    per option: the company filter lists every company, which took ~3 ms a listing page."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{escape(name)}"{html_attributes(attrs)}>']
        selected = self.format_value(value)
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # a group: (group name, its choices)
                parts.append(f'\n  <optgroup label="{escape(option_value)}">')
                for subvalue, sublabel in label:
                    parts.append(self.option(subvalue, sublabel, selected))
                parts.append("\n  </optgroup>")
            else:
                parts.append(self.option(option_value, label, selected))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every value in it was escaped

    @staticmethod
    def option(value, label, selected):
        """One <option>; `selected` lists the selected value until its option is written (a
        single select marks only the first option holding it, as Django does)."""
        value = "" if value is None else value
        is_selected = bool(selected) and str(value) in selected
        if is_selected:
            selected.clear()
        marker = " selected" if is_selected else ""
        return f'\n  <option value="{escape(value)}"{marker}>{escape(label)}</option>\n'


class ListingFilterSet(django_filters.FilterSet):
    """A public listing's filters, shown by includes/filters.html."""

    def fields_html(self):
        """The form's fields and its errors (includes/filter_fields.html)."""
        return render_to_string("includes/filter_fields.html", {"filter": self})


# PublicDrugFilter's unbound form as HTML, by list of companies; a few, as the list changes
# rarely and a stale entry is never shown (its key is the old list).
_unbound_fields_html = {}
UNBOUND_FORMS_KEPT = 4


class PublicDrugFilter(ListingFilterSet):
    """Filters readers can combine on class and cancer-type pages."""

    approval_status = django_filters.ChoiceFilter(
        choices=Drug.ApprovalStatus.choices, empty_label="Any approval status", widget=PlainSelect
    )
    generic_available = django_filters.ChoiceFilter(
        label="Generic version",
        choices=Drug.GenericAvailability.choices,
        empty_label="Generic or not",
        widget=PlainSelect,
    )
    # Its choices are (slug, name) pairs read once per page (see __init__): a ModelChoiceFilter
    # would build a Company per option, read them through a server-side cursor on PostgreSQL
    # (three round trips) and query again to check the chosen one. Same options and messages.
    company = django_filters.ChoiceFilter(
        field_name="companies__slug",
        label="Company",
        empty_label="Any company",
        null_value=None,  # no "null" choice: a company slugged "null" is just a company
        error_messages={
            "invalid_choice": ModelChoiceField.default_error_messages["invalid_choice"]
        },
        widget=PlainSelect,
    )

    class Meta:
        model = Drug
        fields = ["approval_status", "generic_available", "company"]

    def __init__(self, data=None, *args, **kwargs):
        # Most requests name none of these filters (no query, or only ?page=N): they filter
        # nothing, so the form is left unbound and not validated, and shows no choice made.
        if data is not None and not any(name in data for name in self.base_filters):
            data = None
        super().__init__(data, *args, **kwargs)
        self._companies = None
        # A function, not the list: the form copies its fields, choices and all, and the form
        # field calls it when validating or rendering; it reads the companies once. Not the
        # bound method, which that deep copy would copy with this whole FilterSet.
        self.filters["company"].extra["choices"] = lambda: self.company_choices()

    def company_choices(self):
        if self._companies is None:
            self._companies = list(Company.objects.values_list("slug", "name"))
        return self._companies

    def fields_html(self):
        """The form's fields (includes/filter_fields.html). Unbound, the form is the same on
        every listing page until the companies change, and building and rendering it took a
        quarter of a class page's time: that HTML is kept, keyed by the list of companies."""
        if self.is_bound:
            return super().fields_html()
        companies = tuple(self.company_choices())
        html = _unbound_fields_html.get(companies)
        if html is None:
            if len(_unbound_fields_html) >= UNBOUND_FORMS_KEPT:
                _unbound_fields_html.clear()
            html = _unbound_fields_html[companies] = super().fields_html()
        return html

    def narrows(self):
        """Whether any filter applies, so that `qs` may hold fewer drugs than the queryset
        given. Filters whose value is empty or invalid are skipped, as filter_queryset does."""
        if not self.is_bound:
            return False
        self.form.is_valid()
        return any(value not in EMPTY_VALUES for value in self.form.cleaned_data.values())


class AssistanceProgramFilter(ListingFilterSet):
    kind = django_filters.ChoiceFilter(
        label="Kind of help", choices=AssistanceProgram.Kind.choices, empty_label="All kinds"
    )

    class Meta:
        model = AssistanceProgram
        fields = ["kind"]


class StaffSortFilter(django_filters.OrderingFilter):
    """Table sorting for staff: empty dates last either way, ties broken by brand name."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            expression = F(self.param_map[param.removeprefix("-")])
            descending = param.startswith("-")
            ordering.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
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
        queryset=Company.objects.all(),
        to_field_name="slug",
        empty_label="Any company",
    )
    approval_status = django_filters.ChoiceFilter(
        label="Approval", choices=Drug.ApprovalStatus.choices, empty_label="Any approval status"
    )
    generic_available = django_filters.ChoiceFilter(
        label="Generic version", choices=Drug.GenericAvailability.choices, empty_label="Any"
    )
    status = django_filters.ChoiceFilter(
        label="Publication", choices=Drug.Status.choices, empty_label="Any status"
    )
    review = django_filters.ChoiceFilter(
        label="Review",
        choices=Drug.ReviewState.choices,
        empty_label="Any review state",
        method="filter_review",
    )
    sort = StaffSortFilter(
        label="Sort by",
        fields={
            "brand_name": "brand",
            "generic_name": "generic",
            "primary_class_name": "class",
            "approval_status": "approval",
            "status": "status",
            "last_reviewed": "reviewed",
            "next_review_due": "due",
        },
        field_labels={
            "brand_name": "Brand name",
            "generic_name": "Generic name",
            "primary_class_name": "Class",
            "approval_status": "Approval status",
            "status": "Publication status",
            "last_reviewed": "Last reviewed",
            "next_review_due": "Next review due",
        },
        empty_label="Brand name",
    )

    class Meta:
        model = Drug
        fields = []

    def filter_queryset(self, queryset):
        first_class = DrugClassMembership.objects.filter(drug=OuterRef("pk")).order_by(
            "position", "pk"
        )
        queryset = queryset.annotate(
            primary_class_name=Subquery(first_class.values("drug_class__name")[:1])
        )
        return super().filter_queryset(queryset)

    def filter_names(self, queryset, name, value):
        return queryset.filter(
            Q(brand_name__icontains=value)
            | Q(generic_name__icontains=value)
            | Q(other_names__icontains=value)
        )

    def filter_review(self, queryset, name, value):
        return queryset.in_review_state(value)
