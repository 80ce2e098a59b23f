"""Staff pages, never cached: the filterable catalogue of every monograph, its exports and the
bulk import (doors onto drugs.interchange)."""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import interchange
from .filters import STAFF_COLUMNS, StaffDrugFilter
from .models import Drug, DrugClassMembership, PublicationStatus, ReviewState

PAGE_SIZE = 50
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_RECORDS = 5_000  # previewing more would outlast a worker's timeout
IMPORT_SESSION_KEY = "staff_drug_import"
VIEW_PERMISSION = "drugs.view_drug"
# Drafts, monographs in review and archived ones are shown only to those who may change drugs.
UNPUBLISHED_PERMISSION = "drugs.change_drug"
IMPORT_PERMISSIONS = ["drugs.add_drug", "drugs.change_drug"]

# What the table shows of each drug (its classes are prefetched); the Markdown stays unread.
TABLE_FIELDS = [field for field, _, _ in STAFF_COLUMNS if field != "primary_class_name"]


def staff_page(*permissions):
    """Signed-in users only (others go to the login page), with all of `permissions` (a 403
    otherwise), and never stored by any cache."""

    permitted = permission_required(permissions, raise_exception=True)
    return lambda view: never_cache(login_required(permitted(view)))


def visible_drugs(user):
    """Every drug for those who may change drugs; only the published ones for the others."""
    drugs = (
        Drug.objects.all() if user.has_perm(UNPUBLISHED_PERMISSION) else Drug.objects.published()
    )
    return drugs.order_by("brand_name", "pk")


def filtered_drugs(request):
    """The filter set for this request, and the drugs it selects (none while it is invalid)."""
    filterset = StaffDrugFilter(request.GET, queryset=visible_drugs(request.user))
    drugs = filterset.qs if filterset.is_valid() else Drug.objects.none()
    return filterset, drugs


def summary_counts(drugs):
    """How many of `drugs` are in each publication status and review state, in one query."""
    conditions = {
        "status": {status: Q(status=status) for status in PublicationStatus},
        "review": {state: ReviewState.condition(state) for state in ReviewState},
    }
    counts = {
        f"{group}:{choice}": Count("pk", filter=condition)
        for group, choices in conditions.items()
        for choice, condition in choices.items()
    }
    totals = drugs.order_by().aggregate(**counts)
    return {
        group: [(choice.label, choice.value, totals[f"{group}:{choice}"]) for choice in choices]
        for group, choices in conditions.items()
    }


def sort_headers(filterset):
    """Each column's heading, the sort its link asks for, and its aria-sort state."""
    current = (
        (filterset.form.cleaned_data.get("sort") or ["brand"])[0] if filterset.is_valid() else ""
    )
    return [
        {
            "label": label,
            "sort": f"-{key}" if current == key else key,
            "aria_sort": {key: "ascending", f"-{key}": "descending"}.get(current, ""),
        }
        for _field, key, label in STAFF_COLUMNS
    ]


@staff_page(VIEW_PERMISSION)
@require_safe
def drug_list(request):
    filterset, drugs = filtered_drugs(request)
    classes = Prefetch(
        "class_memberships", DrugClassMembership.objects.select_related("drug_class")
    )
    rows = drugs.only(*TABLE_FIELDS).prefetch_related(classes)
    context = {
        "filter": filterset,
        "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "catalogue_size": visible_drugs(request.user).count(),
        "counts": summary_counts(drugs),
        "headers": sort_headers(filterset),
        "may_import": request.user.has_perms(IMPORT_PERMISSIONS),
    }
    return render(request, "staff/drug_list.html", context)


def export(request, content_type, extension, write):
    """The filtered drugs as a download, written by `write(drugs, response)`; a 400 if the
    filters are invalid."""
    filterset, drugs = filtered_drugs(request)
    if not filterset.is_valid():
        lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
        return HttpResponseBadRequest(
            "The filters were not understood, so nothing was exported.\n" + "\n".join(lines),
            content_type="text/plain; charset=utf-8",
        )
    filename = f"drugs-{timezone.localdate():%Y-%m-%d}.{extension}"
    response = HttpResponse(
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    write(drugs, response)
    return response


def write_csv(drugs, response):
    response.write("\ufeff")  # the byte-order mark tells Excel the file is UTF-8
    interchange.write_csv(drugs, response)


def write_json(drugs, response):
    response.write(interchange.dumps(drugs))


@staff_page(VIEW_PERMISSION)
@require_safe
def export_csv(request):
    return export(request, "text/csv; charset=utf-8", "csv", write_csv)


@staff_page(VIEW_PERMISSION)
@require_safe
def export_json(request):
    return export(request, "application/json", "json", write_json)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Interchange JSON file",
        help_text="Drugs in the interchange format, as described in docs/interchange.md. At "
        "most 5 MB; load bigger files with the import_drugs command.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                "The file is bigger than 5 MB. Load it with the import_drugs command instead."
            )
        return upload


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


@staff_page(*IMPORT_PERMISSIONS)
@require_http_methods(["GET", "HEAD", "POST"])
def drug_import(request):
    """Upload a file and see what importing it would create and update; nothing changes yet."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        return render(request, "staff/drug_import.html", {"form": form})
    upload = form.cleaned_data["file"]
    try:
        text = interchange.decode(upload.read())
    except interchange.InvalidFile as error:
        plan = interchange.ImportPlan(source=upload.name, problems=error.problems)
    else:
        plan = interchange.read(
            text, source=upload.name, user=request.user, max_records=IMPORT_MAX_RECORDS
        )
    context = {"form": ImportForm(), "plan": plan}
    if plan.is_valid:
        # Kept server-side until confirmed; the digest ties the confirmation to this preview.
        request.session[IMPORT_SESSION_KEY] = {"text": text, "source": upload.name}
        context["digest"] = digest(text)
    return render(
        request, "staff/drug_import_preview.html", context, status=200 if plan.is_valid else 400
    )


@staff_page(*IMPORT_PERMISSIONS)
@require_POST
def drug_import_confirm(request):
    """Import the previewed file, checking it again; all or nothing."""
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or digest(pending["text"]) != request.POST.get("digest"):
        messages.error(request, "That preview is no longer current. Upload the file again.")
        return redirect("staff:drug-import")
    del request.session[IMPORT_SESSION_KEY]
    try:
        result = interchange.run_import(
            pending["text"], source=pending["source"], user=request.user
        )
    except interchange.InvalidFile as error:
        plan = interchange.ImportPlan(source=pending["source"], problems=error.problems)
        context = {"form": ImportForm(), "plan": plan}
        return render(request, "staff/drug_import_preview.html", context, status=400)
    messages.success(request, f"Imported {pending['source']}: {result}")
    return redirect("staff:drug-list")
