"""The review-queue panels on the admin index."""

from django import template
from django.urls import reverse

from drugs import editorial
from drugs.models import PublicationStatus, ReviewState

register = template.Library()

# The queue leaves archived monographs out; so do the links, to list what the counts count.
NOT_ARCHIVED = "&status__in=" + ",".join(
    status for status in PublicationStatus.values if status != PublicationStatus.ARCHIVED
)
QUEUE_ROWS = [  # (key in editorial.review_queue_counts(), label, changelist query)
    *(
        (state.value, state.label, f"review_state={state.value}{NOT_ARCHIVED}")
        for state in (ReviewState.OVERDUE, ReviewState.DUE_SOON, ReviewState.NEVER)
    ),
    ("changed", "Changed since review", f"changed_since_review__exact=1{NOT_ARCHIVED}"),
    ("in_review", "Submitted for review", f"status__exact={PublicationStatus.IN_REVIEW}"),
    (ReviewState.CURRENT.value, ReviewState.CURRENT.label, f"review_state=current{NOT_ARCHIVED}"),
]


@register.inclusion_tag("admin/drugs/review_queue.html")
def review_queue_panel():
    counts = editorial.review_queue_counts()
    changelist = reverse("admin:drugs_drug_changelist")
    rows = [
        {"key": key, "label": label, "count": counts[key], "url": f"{changelist}?{query}"}
        for key, label, query in QUEUE_ROWS
    ]
    return {"rows": rows}


@register.inclusion_tag("admin/drugs/waiting_for_review.html")
def waiting_for_review_panel():
    return {"drugs": editorial.waiting_for_review()[:20]}
