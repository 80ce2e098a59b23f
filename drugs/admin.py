from django.contrib import admin

from .models import AssistanceProgram, Company, Drug, DrugClass, DrugClassMembership


class DrugClassMembershipInline(admin.TabularInline):
    model = DrugClassMembership
    autocomplete_fields = ["drug_class"]
    extra = 0
    min_num = 1


class AssistanceProgramInline(admin.StackedInline):
    model = AssistanceProgram
    extra = 0
    fields = ["kind", "name", "url", "phone", "notes"]


@admin.register(Drug)
class DrugAdmin(admin.ModelAdmin):
    list_display = [
        "brand_name",
        "generic_name",
        "approval_status",
        "generic_available",
        "status",
        "last_reviewed",
    ]
    list_filter = [
        "drug_classes",
        "approval_status",
        "generic_available",
        "status",
        "companies",
    ]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["brand_name", "generic_name", "other_names"]
    prepopulated_fields = {"slug": ["brand_name"]}
    autocomplete_fields = ["companies"]
    inlines = [DrugClassMembershipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "brand_name",
                    "slug",
                    "generic_name",
                    "other_names",
                    "pronunciation",
                    "companies",
                    "approval_status",
                    "first_approved_year",
                    "generic_available",
                ]
            },
        ),
        ("Monograph", {"fields": ["indication", "general_info", "dosage", "side_effects"]}),
        ("Links and review", {"fields": ["more_info_url", "last_reviewed", "status"]}),
    ]


@admin.register(DrugClass)
class DrugClassAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AssistanceProgramInline]


@admin.register(AssistanceProgram)
class AssistanceProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "kind", "url"]
    list_filter = ["kind", "company"]
    list_select_related = ["company"]
    search_fields = ["name", "company__name"]
    autocomplete_fields = ["company", "drugs"]
