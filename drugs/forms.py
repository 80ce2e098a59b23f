"""Admin forms for the editorial workflow."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from . import editorial, images
from .models import (
    FACT_FIELDS,
    IMAGE_FIELDS,
    LINK_FIELDS,
    NAME_FIELDS,
    REVIEW_PERMISSION,
    SECTION_NAMES,
    Drug,
    Reviewer,
)

DRUG_FORM_FIELDS = [
    *NAME_FIELDS,
    "companies",
    *FACT_FIELDS,
    "cancer_types",
    *IMAGE_FIELDS,
    *SECTION_NAMES,
    *LINK_FIELDS,
    "review_interval_months",
    "status",
]
# Textareas: browsers send CRLF line ends, which would otherwise look like edits.
TEXT_FIELDS = [
    name for name in DRUG_FORM_FIELDS if isinstance(Drug._meta.get_field(name), models.TextField)
]


class DrugAdminForm(forms.ModelForm):
    """The monograph form: carries the version it was opened at and merges or refuses a stale
    save. DrugAdmin.get_form sets `user`, so the publication rules hold whatever is sent."""

    change_note = forms.CharField(
        required=False,
        max_length=editorial.CHANGE_NOTE_MAX_LENGTH,
        help_text="Optional: what you changed and why. Kept with this revision.",
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    user = None
    conflict = None  # set when the save is refused: the fields both people changed
    merged = ()  # the fields taken from a newer revision saved meanwhile
    saves_working_copy = False  # set by DrugAdmin.save_model
    new_image = None  # an uploaded product image, checked and encoded, stored on save()

    class Meta:
        model = Drug
        # The admin shows help text as HTML: the model's "<slug>" would vanish.
        help_texts = {"slug": "The page address: /drug/&lt;slug&gt;/."}
        fields = DRUG_FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            latest = editorial.latest_revision(self.instance)
            self.fields["loaded_revision"].initial = latest.history_id if latest else None
        self.initial_status = self.instance.status  # a new drug's is the default, draft
        if "image" in self.fields:
            self.fields["image"].widget.attrs["accept"] = images.ACCEPTED_TYPES
        if "review_interval_months" in self.fields and not (
            self.user is not None and self.user.has_perm(REVIEW_PERMISSION)
        ):
            # Raising the interval would clear an overdue review: a reviewer's decision.
            self.fields["review_interval_months"].disabled = True
            self.fields["review_interval_months"].help_text = "Set by medical reviewers."
        if "status" in self.fields and self.user is not None:
            status = self.fields["status"]
            status.choices = [
                (value, label)
                for value, label in status.choices
                if editorial.status_change_allowed(self.user, self.initial_status, value)
            ]
            status.error_messages["invalid_choice"] = editorial.PUBLISH_REFUSED
            if not editorial.can_publish(self.user):
                status.help_text = (
                    "Editors save drafts and submit them for review; a publisher publishes."
                )

    def clean(self):
        cleaned = super().clean()
        for name in TEXT_FIELDS:
            if name in cleaned:
                cleaned[name] = editorial.normalise_text(cleaned[name])
        new_status = cleaned.get("status")
        if (
            new_status is not None
            and self.user is not None
            and not editorial.status_change_allowed(self.user, self.initial_status, new_status)
        ):
            self.add_error("status", editorial.PUBLISH_REFUSED)
        if self.new_image is not None and cleaned.get("image_alt") == "":
            self.add_error("image_alt", images.NO_ALT)
        if self.instance.pk:
            self.check_version(cleaned)
        return cleaned

    def clean_image(self):
        """Check and re-encode a new upload now; save() stores it, so a form shown again with
        errors still shows the stored image."""
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            self.new_image = images.process(image)
            return self.instance.image
        return image

    def save(self, commit=True):
        if self.new_image is not None:
            images.attach(self.instance, self.new_image)
        return super().save(commit)

    def check_version(self, cleaned):
        """Merge a save that collides with a newer one: take the fields only the other person
        changed from the newer revision; a field both changed is a conflict, shown to choose."""
        # Locking the row until the admin's transaction ends (PostgreSQL) makes a concurrent
        # save wait here and then see this one's new version.
        if transaction.get_connection().in_atomic_block:
            current = editorial.locked(self.instance)
        else:
            current = Drug.objects.get(pk=self.instance.pk)
        if cleaned.get("loaded_version") == current.version:
            return
        latest = editorial.latest_revision(current)
        base = None
        if loaded_revision := cleaned.get("loaded_revision"):
            base = current.history.filter(history_id=loaded_revision).first()
        theirs = editorial.changed_for_editors(base, latest) if base and latest else []
        conflicts, taken = [], []
        # Saving again (or now, when nothing conflicts) builds on the newer revision.
        self.data = self.data.copy()
        for change in theirs:
            name = change.name
            if name not in self.fields or name not in cleaned:
                continue
            mine, newer = self.comparable(name, cleaned[name]), self.record_value(name, latest)
            if mine == self.record_value(name, base):
                cleaned[name] = self.fields[name].clean(newer)
                self.data[self.add_prefix(name)] = newer
                taken.append(change)
            elif mine != newer:
                conflicts.append(change)
        self.data[self.add_prefix("loaded_version")] = current.version
        self.data[self.add_prefix("loaded_revision")] = latest.history_id if latest else ""
        cleaned["loaded_version"] = current.version
        self.merged = taken
        if base is not None and not conflicts:
            return
        later = current.history.select_related("history_user").order_by("-history_date")
        if base:
            later = later.filter(history_date__gt=base.history_date)
        authors = sorted({str(record.history_user) for record in later if record.history_user})
        self.conflict = {"changes": conflicts or theirs, "taken": taken}
        names = ", ".join(change.label for change in conflicts) or "the monograph"
        by = f" by {', '.join(authors)}" if authors else ""
        saved_at = timezone.localtime(current.updated).strftime("%Y-%m-%d %H:%M")
        self.add_error(
            None,
            f"Not saved: this monograph was saved{by} at {saved_at}, after you opened this "
            f"page, and you both changed: {names}. Their version is shown above; yours is in "
            "the form below. Choose the text to keep (edit the field), then save again.",
        )

    def record_value(self, name, record):
        """A revision's value of a form field, as the form's data would hold it."""
        if name in ("companies", "cancer_types"):
            return sorted((record.relations or {}).get(name, []))
        return editorial.normalise_text(getattr(record, name))

    def comparable(self, name, value):
        if name in ("companies", "cancer_types"):
            return sorted(item.pk for item in value)
        return value


class ClassMembershipForm(forms.ModelForm):
    def __init__(self, *args, of_working_copy=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.of_working_copy = of_working_copy

    def validate_constraints(self):
        # A working copy's classes are never saved as rows: the live rows they repeat are no
        # conflict (the formset still refuses a class given twice).
        if not self.of_working_copy:
            super().validate_constraints()


class ClassMembershipFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        of_working_copy = hasattr(self.instance, "working_copy")
        return {**super().get_form_kwargs(index), "of_working_copy": of_working_copy}


class MarkReviewedForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        queryset=Reviewer.objects.all(),
        help_text="Who medically reviewed the monograph; shown to readers.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        help_text="Optional: what was checked, sources, anything for the next reviewer.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if own := getattr(user, "reviewer", None):
            self.fields["reviewer"].initial = own.pk


class RevertForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=editorial.CHANGE_NOTE_MAX_LENGTH,
        label="Change note",
        help_text="Optional: why you are reverting.",
    )


class PublishForm(forms.Form):
    go_live_at = forms.DateTimeField(
        required=False,
        label="Go live at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Optional: publish at this time instead of now (the publish_scheduled command, "
        "run from cron, does it).",
    )
    reason = forms.CharField(
        required=False,
        max_length=200,
        help_text="Only for a change of non-clinical fields (links, names, typos) that no "
        "medical reviewer has seen: why it may go live without a review. Kept in the history.",
    )

    def clean_go_live_at(self):
        go_live_at = self.cleaned_data["go_live_at"]
        if go_live_at and go_live_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or leave it empty.")
        return go_live_at
