import functools
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from drugs import links
from drugs.escaping import escape
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


# The lists on public pages are written here rather than by a template loop, which costs some
# 8 µs an item (a drug card, an A-Z entry, a class in a grid, a letter): on the A-Z's 100
# entries that was a fifth of the page's time. Django's admin builds its change-list rows in
# Python for the same reason.


@register.simple_tag
def drug_cards(drugs):
    """The <li> of each card in includes/drug_list.html, for Drugs or DrugLinks."""
    drug_url = links.slug_url_builder("drugs:drug-detail")
    cards = []
    for drug in drugs:
        excerpt = f'<p class="drug-card-excerpt">{escape(drug.summary)}</p>' if drug.summary else ""
        cards.append(
            '\n  <li class="drug-card">\n'
            f'    <a class="drug-card-title" href="{escape(drug_url(drug.slug))}">'
            f"{escape(drug.brand_name)}</a>\n"
            f'    <span class="drug-card-generic">{escape(drug.generic_name)}</span>\n'
            f"    {excerpt}\n"
            "  </li>"
        )
    return mark_safe("".join(cards))  # every value in it was escaped


@register.simple_tag
def az_entries(entries):
    """The <li> of each A-Z entry: a brand name links to its page; a generic name is followed
    by the brand it is sold as, linked."""
    items = []
    for entry in entries:
        url, label = escape(entry["url"]), escape(entry["label"])
        if entry["is_generic"]:
            items.append(
                f'\n  <li>{label} → <a href="{url}">{escape(entry["brand_name"])}</a></li>'
            )
        else:
            items.append(f'\n  <li><a href="{url}">{label}</a></li>')
    return mark_safe("".join(items))  # every value in it was escaped


def _with_page_urls(items):
    """(item, address of its page) for a list of classes, cancer types or companies (one kind
    a list, so one routing lookup for all of them)."""
    items = list(items)
    url = links.slug_url_builder(items[0].detail_view) if items else None
    return [(item, url(item.slug)) for item in items]


@register.simple_tag
def named_grid(items):
    """The <li> of each class, cancer type or company in includes/named_grid.html: its link
    and how many published drugs it lists."""
    cells = []
    for item, url in _with_page_urls(items):
        count = item.published_drug_count
        cells.append(
            f'\n  <li><a href="{escape(url)}">{escape(item.name)}</a> '
            f'<span class="count">{count} drug{"" if count == 1 else "s"}</span></li>'
        )
    return mark_safe("".join(cells))  # every value in it was escaped


@register.simple_tag
def letter_bar(letters, current):
    """The <li> of each letter in includes/letter_bar.html; the current one is not a link."""
    items = []
    for letter, url in letters:
        if letter == current:
            items.append(f'\n    <li><span aria-current="page">{escape(letter)}</span></li>')
        else:
            items.append(f'\n    <li><a href="{escape(url)}">{escape(letter)}</a></li>')
    return mark_safe("".join(items))  # every value in it was escaped


@register.simple_tag
def related_drugs(drugs):
    """The <li> of each related drug in the drug page's aside."""
    drug_url = links.slug_url_builder("drugs:drug-detail")
    return mark_safe(  # every value in it is escaped
        "".join(
            f'<li><a href="{escape(drug_url(drug.slug))}">{escape(drug.brand_name)}</a> '
            f'<span class="generic">{escape(drug.generic_name)}</span></li>'
            for drug in drugs
        )
    )


@register.simple_tag
def linked_names(items, separator):
    """Classes, companies or cancer types as links to their pages, `separator` between them."""
    return mark_safe(  # every value in it is escaped
        escape(separator).join(
            f'<a href="{escape(url)}">{escape(item.name)}</a>'
            for item, url in _with_page_urls(items)
        )
    )
