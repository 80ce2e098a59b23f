"""The admin: the rules of drugs/editorial.py wired to ModelAdmins, actions and a few extra
views (preview, mark as reviewed, publish, revisions)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from . import editorial
from .forms import (
    ClassMembershipForm,
    ClassMembershipFormSet,
    DrugAdminForm,
    MarkReviewedForm,
    PublishForm,
    RevertForm,
)
from .models import (
    FACT_FIELDS,
    IMAGE_FIELDS,
    LINK_FIELDS,
    NAME_FIELDS,
    NAME_LIST_NAMES,
    PUBLISH_PERMISSION,
    REVIEW_FIELDS,
    REVIEW_PERMISSION,
    SECTION_NAMES,
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassMembership,
    DrugOldPath,
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
    form = ClassMembershipForm
    formset = ClassMembershipFormSet
    autocomplete_fields = ["drug_class"]
    # A class is optional, as in imports: the page leaves out "Drug Class" when there is none.
    min_num = 0

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None:
            return 1
        # A working copy's classes are new rows of the form (DrugAdmin.get_formset_kwargs).
        revision = getattr(obj, "working_copy", None)
        if revision is None or request.method == "POST":
            return 0
        return len(revision.relations["drug_classes"])


@admin.register(Drug)
class DrugAdmin(MarkdownAdminMixin, admin.ModelAdmin):
    form = DrugAdminForm
    change_form_template = "admin/drugs/drug/change_form.html"
    list_display = ["brand_name", "generic_name", "status", "unpublished", "reviewed", "review_due"]
    list_filter = [
        "drug_classes",
        "approval_status",
        "generic_available",
        "status",
        ReviewStateFilter,
        "changed_since_review",
        "has_unpublished_changes",
        "companies",
    ]
    list_select_related = ["reviewed_by"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["brand_name", "generic_name", *NAME_LIST_NAMES]
    prepopulated_fields = {"slug": ["brand_name"]}
    autocomplete_fields = ["companies", "cancer_types"]
    inlines = [DrugClassMembershipInline]
    readonly_fields = [
        "last_reviewed",
        "reviewed_by",
        "review_note",
        "next_review_due",
        "changed_since_review",
        "image_preview",
    ]
    # In the order of the public page.
    fieldsets = [
        (None, {"fields": NAME_FIELDS}),
        ("Facts", {"fields": ["companies", *FACT_FIELDS, "cancer_types"]}),
        ("Product image", {"fields": ["image_preview", *IMAGE_FIELDS]}),
        ("Monograph", {"fields": SECTION_NAMES}),
        ("More information", {"fields": LINK_FIELDS}),
        (
            "Medical review",
            {
                "fields": [*REVIEW_FIELDS, "next_review_due", "changed_since_review"],
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

    @admin.display(description="unpublished changes", boolean=True)
    def unpublished(self, drug):
        return drug.has_unpublished_changes

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

    @admin.display(description="current image")
    def image_preview(self, drug):
        return render_to_string("admin/drugs/drug/image_preview.html", {"drug": drug})

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

    def get_object(self, request, object_id, from_field=None):
        """The monograph as editors work on it: its working copy, if it has one."""
        drug = super().get_object(request, object_id, from_field)
        return drug and editorial.with_working_copy(drug)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if revision := getattr(obj, "working_copy", None):
            kwargs["queryset"] = DrugClassMembership.objects.none()
            if request.method != "POST":
                kwargs["initial"] = [
                    {"drug_class": pk, "position": position}
                    for position, pk in enumerate(revision.relations["drug_classes"])
                ]
        return kwargs

    def save_model(self, request, obj, form, change):
        form.saves_working_copy = (
            change
            and obj.status != PublicationStatus.ARCHIVED
            and Drug.objects.filter(pk=obj.pk).published().exists()
        )
        if not form.saves_working_copy:  # else save_related saves it, with its relations
            self.save_drug(request, obj, form, change)

    def save_drug(self, request, obj, form, change, relations=None):
        editorial.save_drug(
            obj,
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
            user=request.user,
            note=form.cleaned_data.get("change_note", ""),
            relations=relations,
        )
        if form.merged:
            fields = ", ".join(change.label for change in form.merged)
            message = f"Kept the changes saved meanwhile by someone else to: {fields}."
            self.message_user(request, message, messages.INFO)

    def save_related(self, request, form, formsets, change):
        if not form.saves_working_copy:
            super().save_related(request, form, formsets, change)
            # save_model wrote this save's revision before the related rows: record them now.
            editorial.record_relations(form.instance)
            if change:  # the one inline is the drug's classes
                changed = [*form.changed_data] + [
                    "drug_classes" for formset in formsets if formset.has_changed()
                ]
                editorial.note_relations_changed(form.instance, changed)
            return
        classes = sorted(
            (row["position"], number, row["drug_class"].pk)
            for formset in formsets
            for number, row in enumerate(formset.cleaned_data)
            if row.get("drug_class") and not row.get("DELETE")
        )
        relations = {
            "drug_classes": [pk for _, _, pk in classes],
            "companies": sorted(item.pk for item in form.cleaned_data["companies"]),
            "cancer_types": sorted(item.pk for item in form.cleaned_data["cancer_types"]),
        }
        self.save_drug(request, form.instance, form, change, relations=relations)
        self.message_user(
            request,
            "Saved as a working copy: the public page is unchanged until it is reviewed and "
            "published.",
            messages.WARNING,
        )

    def construct_change_message(self, request, form, formsets, add=False):
        if form.saves_working_copy:  # no inline row was saved
            return [{"changed": {"fields": ["working copy"]}}]
        return super().construct_change_message(request, form, formsets, add)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            events = obj.review_events.select_related("reviewer", "user")
            context |= {
                "review_events": events[:REVIEW_EVENTS_SHOWN],
                "can_mark_reviewed": self.has_mark_reviewed_permission(request),
                "can_publish": self.has_publish_permission(request),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Extra views

    def get_urls(self):
        views = [
            ("preview/", self.preview_view, "preview"),
            ("mark-reviewed/", self.mark_reviewed_view, "mark_reviewed"),
            ("publish/", self.publish_view, "publish"),
            ("revisions/", self.revisions_view, "revisions"),
            ("revisions/<int:history_id>/", self.revision_view, "revision"),
        ]
        view = self.admin_site.admin_view
        urls = [
            path(f"<path:object_id>/{route}", view(function), name=f"drugs_drug_{name}")
            for route, function, name in views
        ]
        return urls + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        # One history: the revisions record every edit, review, publication, import and revert.
        return redirect("admin:drugs_drug_revisions", object_id)

    def get_drug_or_404(self, request, object_id):
        drug = self.get_object(request, unquote(object_id))
        if drug is None:
            raise Http404("No such monograph.")
        if not self.has_view_permission(request, drug):
            raise PermissionDenied
        return drug

    def render_page(self, request, template, drug, title, **extra):
        """An extra admin page about `drug`, with the context the admin's own pages have."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": drug,
            "title": title,
            "has_view_permission": self.has_view_permission(request, drug),
            "has_change_permission": self.has_change_permission(request, drug),
            **extra,
        }
        return TemplateResponse(request, f"admin/drugs/drug/{template}", context)

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
        form_page = self.mark_drugs_reviewed(
            request, [drug], bool(request.POST), drug, f"Mark {drug} as reviewed"
        )
        if form_page is not None:
            return form_page
        self.message_user(request, f"{drug} is marked as reviewed today.", messages.SUCCESS)
        return redirect("admin:drugs_drug_change", drug.pk)

    def mark_drugs_reviewed(self, request, drugs, submitted, original, title, **extra):
        """Mark `drugs` as reviewed once the submitted form is valid (returning None); until
        then, return the form's page."""
        form = MarkReviewedForm(request.POST if submitted else None, user=request.user)
        if submitted and form.is_valid():
            for drug in drugs:
                editorial.mark_reviewed(
                    drug,
                    reviewer=form.cleaned_data["reviewer"],
                    user=request.user,
                    note=form.cleaned_data["note"],
                )
            return None
        return self.render_page(
            request, "mark_reviewed.html", original, title, form=form, drugs=list(drugs), **extra
        )

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
        title = f"Revisions of {drug}"
        return self.render_page(request, "revisions.html", drug, title, page_obj=page, rows=rows)

    def revision_view(self, request, object_id, history_id):
        drug = self.get_drug_or_404(request, object_id)
        revision = get_object_or_404(
            drug.history.select_related("history_user", "reviewed_by"), history_id=history_id
        )
        form = RevertForm(request.POST or None)
        can_revert = self.has_change_permission(request, drug)
        if request.method == "POST":
            if not can_revert:
                raise PermissionDenied
            if form.is_valid():
                editorial.revert_to_revision(
                    drug, revision, user=request.user, note=form.cleaned_data["note"]
                )
                restored = "a working copy; the public page is unchanged until it is published"
                self.message_user(
                    request,
                    f"{drug}: the revision of {editorial.when_saved(revision)} is restored as "
                    f"{restored if drug.is_published else 'the current version'}.",
                    messages.SUCCESS,
                )
                return redirect("admin:drugs_drug_change", drug.pk)
        compare_live = request.GET.get("compare") == "live"
        diffs = editorial.diff_records(
            revision, Drug.objects.get(pk=drug.pk) if compare_live else drug
        )
        compared_with = "the published version" if compare_live else "now"
        return self.render_page(
            request,
            "revision.html",
            drug,
            f"{drug}: revision of {editorial.when_saved(revision)} compared with {compared_with}",
            revision=revision,
            diffs=diffs,
            changed=[diff for diff in diffs if diff.changed],
            restored_fields={*editorial.CONTENT_FIELDS, *editorial.RELATIONS},
            relations_recorded=revision.relations is not None,
            form=form,
            can_revert=can_revert,
        )

    def publish_view(self, request, object_id):
        """Publish one monograph (its working copy, if any), showing what will go live."""
        drug = self.get_drug_or_404(request, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reason, go_live_at = form.cleaned_data["reason"], form.cleaned_data["go_live_at"]
            try:
                if go_live_at:
                    editorial.schedule(drug, go_live_at, user=request.user, reason=reason)
                    done = f"{drug} goes live at {timezone.localtime(go_live_at):%Y-%m-%d %H:%M}."
                else:
                    editorial.publish(drug, user=request.user, reason=reason)
                    done = f"{drug} is published."
            except PermissionDenied as refusal:
                form.add_error(None, str(refusal))
            else:
                self.message_user(request, done, messages.SUCCESS)
                return redirect("admin:drugs_drug_change", drug.pk)
        live = Drug.objects.get(pk=drug.pk)
        diffs = editorial.changed_fields(live, drug) if live.is_published else []
        return self.render_page(
            request, "publish.html", drug, f"Publish {drug}", form=form, diffs=diffs, live=live
        )

    # Actions: each drug is saved through editorial, so each gets a revision.

    @admin.action(permissions=["mark_reviewed"], description="Mark selected as reviewed")
    def mark_reviewed(self, request, queryset):
        form_page = self.mark_drugs_reviewed(
            request,
            queryset,
            "apply" in request.POST,
            None,
            "Mark monographs as reviewed",
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
        )
        if form_page is None:
            self.message_user(
                request, f"{len(queryset)} monograph(s) marked as reviewed today.", messages.SUCCESS
            )
        return form_page

    def change_status(self, request, queryset, status, verb):
        changed = 0
        for drug in queryset:
            try:
                before = (drug.status, drug.has_unpublished_changes)
                drug = editorial.set_status(
                    drug, status, user=request.user, note=f"{verb} (bulk action)"
                )
                changed += before != (drug.status, drug.has_unpublished_changes)
            except PermissionDenied as refusal:
                reason = str(refusal) or "you may not do this"
                self.message_user(request, f"{drug}: {reason}", messages.WARNING)
        if changed:
            self.message_user(request, f"{verb}: {changed} monograph(s).", messages.SUCCESS)

    @admin.action(permissions=["change"], description="Submit selected for review")
    def submit_for_review(self, request, queryset):
        self.change_status(request, queryset, PublicationStatus.IN_REVIEW, "Submitted for review")

    @admin.action(permissions=["publish"], description="Publish selected")
    def publish(self, request, queryset):
        self.change_status(request, queryset, PublicationStatus.PUBLISHED, "Published")

    @admin.action(permissions=["publish"], description="Unpublish (archive) selected")
    def archive(self, request, queryset):
        self.change_status(request, queryset, PublicationStatus.ARCHIVED, "Unpublished")


@admin.register(DrugClass, CancerType)
class NamedPageAdmin(MarkdownAdminMixin, admin.ModelAdmin):
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
    """Publishers add reviewers and link them to accounts; a reviewer keeps their own profile."""

    list_display = ["name", "credentials", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "credentials", "user__username"]

    def has_change_permission(self, request, obj=None):
        own = obj is not None and obj.user_id == request.user.pk
        return own or super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if super().has_change_permission(request, obj) else ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A plain list of staff accounts: choosing one needs no permission on users.
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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


@admin.register(DrugOldPath)
class DrugOldPathAdmin(admin.ModelAdmin):
    """Addresses that redirect to a drug's page: its renamed slugs, written by its saves, and
    the addresses it had on the site it was imported from."""

    list_display = ["path", "drug"]
    list_select_related = ["drug"]
    search_fields = ["path", "drug__brand_name", "drug__generic_name"]
    autocomplete_fields = ["drug"]
