"""django-filter FilterSets for the public listings and the staff catalogue."""

import django_filters

from .models import AssistanceProgram, Company, Drug


class PublicDrugFilter(django_filters.FilterSet):
    """Filters readers can combine on class and cancer-type pages."""

    approval_status = django_filters.ChoiceFilter(
        choices=Drug.ApprovalStatus.choices, empty_label="Any approval status"
    )
    generic_available = django_filters.ChoiceFilter(
        label="Generic version",
        choices=Drug.GenericAvailability.choices,
        empty_label="Generic or not",
    )
    company = django_filters.ModelChoiceFilter(
        field_name="companies",
        label="Company",
        queryset=Company.objects.all(),
        to_field_name="slug",
        empty_label="Any company",
    )

    class Meta:
        model = Drug
        fields = ["approval_status", "generic_available", "company"]


class AssistanceProgramFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="Kind of help", choices=AssistanceProgram.Kind.choices, empty_label="All kinds"
    )

    class Meta:
        model = AssistanceProgram
        fields = ["kind"]
