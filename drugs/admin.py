"""The editorial workflow in the admin: monographs, review tracking, publication, revisions.

The rules live in drugs/editorial.py; this module wires them to ModelAdmins, actions and a few
extra admin views (preview, mark as reviewed, revisions).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from . import editorial
from .forms import DrugAdminForm, MarkReviewedForm, RevertForm
from .models import (
    FACT_FIELDS,
    LINK_FIELDS,
    NAME_FIELDS,
    PUBLISH_PERMISSION,
    REVIEW_PERMISSION,
    SECTION_NAMES,
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassMembership,
    PublicationStatus,
    Reviewer,
    ReviewEvent,
    ReviewState,
)

admin.site.site_header = "Cancer Health Drugs"
admin.site.site_title = "Cancer Health Drugs admin"
admin.site.index_title = "Editorial desk"

REVISIONS_PER_PAGE = 50
REVIEW_EVENTS_SHOWN = 20


class MarkdownAdminMixin:
    """Markdown fields get the markdownx editor with its live, sanitised preview."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class ReviewStateFilter(admin.SimpleListFilter):
    title = "review state"
    parameter_name = "review_state"

    def lookups(self, request, model_admin):
        return ReviewState.choices

    def queryset(self, request, queryset):
        if self.value() in ReviewState.values:
            return queryset.in_review_state(self.value())
        return queryset


class DrugClassMembershipInline(admin.TabularInline):
    model = DrugClassMembership
    autocomplete_fields = ["drug_class"]
    extra = 0
    min_num = 1


@admin.register(Drug)
class DrugAdmin(MarkdownAdminMixin, admin.ModelAdmin):
    form = DrugAdminForm
    change_form_template = "admin/drugs/drug/change_form.html"
    list_display = [
        "brand_name",
        "generic_name",
        "status",
        "reviewed",
        "review_due",
    ]
    list_filter = [
        "drug_classes",
        "approval_status",
        "generic_available",
        "status",
        ReviewStateFilter,
        "changed_since_review",
        "companies",
    ]
    list_select_related = ["reviewed_by"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["brand_name", "generic_name", "other_names"]
    prepopulated_fields = {"slug": ["brand_name"]}
    autocomplete_fields = ["companies", "cancer_types"]
    inlines = [DrugClassMembershipInline]
    readonly_fields = [
        "last_reviewed",
        "reviewed_by",
        "review_note",
        "next_review_due",
        "changed_since_review",
    ]
    # In the order of the public page.
    fieldsets = [
        (None, {"fields": NAME_FIELDS}),
        ("Facts", {"fields": ["companies", *FACT_FIELDS, "cancer_types"]}),
        ("Monograph", {"fields": SECTION_NAMES}),
        ("More information", {"fields": LINK_FIELDS}),
        (
            "Medical review",
            {
                "fields": [
                    "last_reviewed",
                    "reviewed_by",
                    "review_note",
                    "review_interval_months",
                    "next_review_due",
                    "changed_since_review",
                ],
                "description": "Recorded with “Mark as reviewed”, so every review is logged.",
            },
        ),
        (
            "Publication",
            {"fields": ["status", "change_note", "loaded_version", "loaded_revision"]},
        ),
    ]
    actions = ["mark_reviewed", "submit_for_review", "publish", "archive"]

    class Media:
        css = {"all": ["admin-extra/css/editorial.css"]}

    def view_on_site(self, obj):
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("admin:drugs_drug_preview", args=[obj.pk])

    # Permissions named in allowed_permissions

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_mark_reviewed_permission(self, request):
        return request.user.has_perm(REVIEW_PERMISSION)

    # Changelist columns

    @admin.display(description="last reviewed", ordering="last_reviewed")
    def reviewed(self, drug):
        if drug.last_reviewed is None:
            return "—"
        by = format_html("<br><small>{}</small>", drug.reviewed_by) if drug.reviewed_by else ""
        return format_html("{}{}", date_format(drug.last_reviewed), by)

    @admin.display(description="next review due", ordering="next_review_due")
    def review_due(self, drug):
        """The due date, coloured by review state (the row is highlighted when overdue),
        and a flag when the text changed after the last review."""
        state = drug.review_state
        due = date_format(drug.next_review_due) if drug.next_review_due else "never reviewed"
        changed = (
            format_html('<br><span class="changed-since-review">{}</span>', "changed since review")
            if drug.changed_since_review
            else ""
        )
        return format_html(
            '<span class="review-{}" title="{}">{}</span>{}', state, state.label, due, changed
        )

    # The form and its save

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # A read-only page shows the monograph, not the form's own fields.
        form_only = {"change_note", "loaded_version", "loaded_revision"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in form_only]})
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except editorial.StaleEdit:
            # Another save won between this one's validation and its save (the transaction
            # rolled back). Going round again shows the conflict as a form error.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        editorial.save_drug(
            obj,
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
            user=request.user,
            note=form.cleaned_data.get("change_note", ""),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # save_model wrote this save's revision before the classes, companies and cancer
        # types were saved: it records them now.
        editorial.record_relations(form.instance)
        if change:
            # The one inline is the drug's classes.
            changed = [*form.changed_data] + [
                "drug_classes" for formset in formsets if formset.has_changed()
            ]
            editorial.note_relations_changed(form.instance, changed)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        drug = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if drug is not None:
            extra_context |= {
                "review_events": drug.review_events.select_related("reviewer", "user")[
                    :REVIEW_EVENTS_SHOWN
                ],
                "can_mark_reviewed": self.has_mark_reviewed_permission(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    # Extra views

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/preview/", view(self.preview_view), name="drugs_drug_preview"),
            path(
                "<path:object_id>/mark-reviewed/",
                view(self.mark_reviewed_view),
                name="drugs_drug_mark_reviewed",
            ),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="drugs_drug_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:history_id>/",
                view(self.revision_view),
                name="drugs_drug_revision",
            ),
            *super().get_urls(),
        ]

    def get_drug_or_404(self, request, object_id):
        drug = self.get_object(request, unquote(object_id))
        if drug is None:
            raise Http404("No such monograph.")
        if not self.has_view_permission(request, drug):
            raise PermissionDenied
        return drug

    def admin_context(self, request, drug, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": drug,
            "title": title,
            "has_view_permission": self.has_view_permission(request, drug),
            "has_change_permission": self.has_change_permission(request, drug),
            **extra,
        }

    def preview_view(self, request, object_id):
        """Any monograph, draft or not, laid out as the public page; staff only, never indexed."""
        drug = self.get_drug_or_404(request, object_id)
        context = {"drug": drug, "preview": True}
        response = TemplateResponse(request, "drugs/drug_detail.html", context)
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-store"
        return response

    def mark_reviewed_view(self, request, object_id):
        drug = self.get_drug_or_404(request, object_id)
        if not self.has_mark_reviewed_permission(request):
            raise PermissionDenied
        form = MarkReviewedForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            editorial.mark_reviewed(
                drug,
                reviewer=form.cleaned_data["reviewer"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
            self.message_user(request, f"{drug} is marked as reviewed today.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:drugs_drug_change", args=[drug.pk]))
        context = self.admin_context(
            request, drug, f"Mark {drug} as reviewed", form=form, drugs=[drug]
        )
        return TemplateResponse(request, "admin/drugs/drug/mark_reviewed.html", context)

    def revisions_view(self, request, object_id):
        drug = self.get_drug_or_404(request, object_id)
        history = drug.history.select_related("history_user", "reviewed_by").order_by(
            "-history_date", "-history_id"
        )
        page = Paginator(history, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
        records = list(page.object_list)
        # The revision before the page's last one, to tell what that one changed.
        older = (
            history.filter(history_date__lt=records[-1].history_date).first() if records else None
        )
        names = editorial.relation_names(
            *(record.relations for record in [*records, older] if record)
        )
        rows = [
            {"record": record, "changes": editorial.changed_fields(previous, record, names=names)}
            if previous
            else {"record": record, "changes": None}
            for record, previous in zip(records, [*records[1:], older], strict=True)
        ]
        context = self.admin_context(
            request, drug, f"Revisions of {drug}", page_obj=page, rows=rows
        )
        return TemplateResponse(request, "admin/drugs/drug/revisions.html", context)

    def revision_view(self, request, object_id, history_id):
        drug = self.get_drug_or_404(request, object_id)
        revision = get_object_or_404(
            drug.history.select_related("history_user", "reviewed_by"), history_id=history_id
        )
        form = RevertForm(request.POST or None)
        can_revert = self.has_change_permission(request, drug) and (
            editorial.status_change_allowed(request.user, drug.status, PublicationStatus.DRAFT)
        )
        if request.method == "POST":
            if not can_revert:
                raise PermissionDenied
            if form.is_valid():
                editorial.revert_to_revision(
                    drug, revision, user=request.user, note=form.cleaned_data["note"]
                )
                self.message_user(
                    request,
                    f"{drug}: the revision of {editorial.when_saved(revision)} is "
                    "restored as a new draft. Check it, then publish it again.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:drugs_drug_change", args=[drug.pk]))
        diffs = editorial.diff_records(revision, drug)
        context = self.admin_context(
            request,
            drug,
            f"{drug}: revision of {editorial.when_saved(revision)} compared with now",
            revision=revision,
            diffs=diffs,
            changed=[diff for diff in diffs if diff.changed],
            restored_fields={*editorial.CONTENT_FIELDS, *editorial.RELATIONS},
            relations_recorded=revision.relations is not None,
            form=form,
            can_revert=can_revert,
            unpublishes=drug.status in editorial.LOCKED_STATUSES,
        )
        return TemplateResponse(request, "admin/drugs/drug/revision.html", context)

    # Actions: each drug is saved through editorial, so each gets a revision.

    @admin.action(permissions=["mark_reviewed"], description="Mark selected as reviewed")
    def mark_reviewed(self, request, queryset):
        form = MarkReviewedForm(
            request.POST if "apply" in request.POST else None, user=request.user
        )
        if "apply" in request.POST and form.is_valid():
            for drug in queryset:
                editorial.mark_reviewed(
                    drug,
                    reviewer=form.cleaned_data["reviewer"],
                    user=request.user,
                    note=form.cleaned_data["note"],
                )
            count = len(queryset)
            self.message_user(
                request, f"{count} monograph(s) marked as reviewed today.", messages.SUCCESS
            )
            return None
        context = self.admin_context(
            request,
            None,
            "Mark monographs as reviewed",
            form=form,
            drugs=list(queryset),
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
        )
        return TemplateResponse(request, "admin/drugs/drug/mark_reviewed.html", context)

    def change_status(self, request, queryset, status, verb):
        changed, refused = 0, []
        for drug in queryset:
            try:
                before = drug.status
                editorial.set_status(drug, status, user=request.user, note=f"{verb} (bulk action)")
                changed += before != status
            except PermissionDenied:
                refused.append(str(drug))
        if changed:
            self.message_user(request, f"{verb}: {changed} monograph(s).", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                "Only publishers can publish or unpublish; left as they were: "
                + ", ".join(refused),
                messages.WARNING,
            )

    @admin.action(permissions=["change"], description="Submit selected for review")
    def submit_for_review(self, request, queryset):
        self.change_status(request, queryset, PublicationStatus.IN_REVIEW, "Submitted for review")

    @admin.action(permissions=["publish"], description="Publish selected")
    def publish(self, request, queryset):
        self.change_status(request, queryset, PublicationStatus.PUBLISHED, "Published")

    @admin.action(permissions=["publish"], description="Unpublish (archive) selected")
    def archive(self, request, queryset):
        self.change_status(request, queryset, PublicationStatus.ARCHIVED, "Unpublished")


@admin.register(DrugClass)
class DrugClassAdmin(MarkdownAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CancerType)
class CancerTypeAdmin(MarkdownAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class AssistanceProgramInline(admin.StackedInline):
    model = AssistanceProgram
    extra = 0
    fields = ["kind", "name", "url", "phone", "notes", "drugs"]
    autocomplete_fields = ["drugs"]


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
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["name", "company__name"]
    autocomplete_fields = ["company", "drugs"]


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "credentials", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    """The review log: written by "Mark as reviewed", read here, never edited."""

    list_display = ["drug", "reviewed_on", "reviewer", "user", "note"]
    list_filter = ["reviewed_on", "reviewer"]
    list_select_related = ["drug", "reviewer", "user"]
    search_fields = ["drug__brand_name", "drug__generic_name", "reviewer__name", "note"]
    date_hierarchy = "reviewed_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
