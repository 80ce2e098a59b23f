import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from drugs.addresses import is_allowed_url
from drugs.markdown import plain_summary, render_markdown
from drugs.models import ApprovalStatus

register = template.Library()
register.filter("markdown", render_markdown)
register.filter("excerpt", plain_summary)  # a one-line plain-text teaser: |excerpt:30

# What Django's json_script escapes, so data cannot close the <script> element it sits in.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def allowed_url(url):
    """Whether a URL from data may be a link; used through includes/external_link.html."""
    return is_allowed_url(url or "")


@register.filter
def ld_json(data):
    """A dict as JSON for a <script type="application/ld+json"> element, escaped as Django's
    json_script escapes (which only writes type="application/json")."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES))


@register.filter
def status_badge_label(approval_status):
    """The badge a listed drug wears for its approval status: none for an approved drug."""
    if approval_status == ApprovalStatus.APPROVED:
        return ""
    return ApprovalStatus(approval_status).label
