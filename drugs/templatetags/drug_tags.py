import functools
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from drugs import links
from drugs.markdown import plain_summary, render_markdown

register = template.Library()


# Class and cancer-type descriptions are rendered where they are shown. Rather than render
# them on every request, these filters keep the texts they rendered last: keyed by the text, an
# edit is rendered afresh, and a new renderer comes with a restart.
DESCRIPTIONS_KEPT = 256


@register.filter
@functools.lru_cache(maxsize=DESCRIPTIONS_KEPT)
def markdown(text):
    return render_markdown(text)


@register.filter
@functools.lru_cache(maxsize=DESCRIPTIONS_KEPT)
def excerpt(text, words=25):
    """A one-line plain-text teaser of a Markdown section."""
    return plain_summary(text, words)


# What Django's json_script escapes, so data cannot close the <script> element it sits in.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data):
    """A dict as JSON for a <script type="application/ld+json"> element."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES))


@register.simple_tag
def page_url(viewname):
    """{% url viewname %} for a route without arguments, worked out once (drugs/links.py)."""
    return links.page_url(viewname)
