from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from drugs.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def excerpt(text, words=25):
    """A one-line plain-text teaser of a Markdown section, for listings."""
    plain = " ".join(strip_tags(render_markdown(text)).split())
    return Truncator(plain).words(words, truncate="…")
