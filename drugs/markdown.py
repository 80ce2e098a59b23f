"""The one way editors' Markdown becomes HTML: markdown-it-py, then the nh3 sanitiser.

Public pages, the admin's preview, summaries and imports all call render_markdown(), so editors
preview exactly what readers get. Rendering is bounded whatever the input: at most
MAX_MARKDOWN_CHARS are rendered, blocks nested near MAX_NESTING are shown as text, and raw HTML
tags (which the sanitiser parses in time quadratic in their depth) are kept only up to
RAW_HTML_MAX_TAGS. The slowest inputs found (100 KB of "[", 50,000 one-character lines, a table
of thousands of columns) take a second or so; more on CPython without the fix for gh-142183.
"""

from html import unescape
from urllib.parse import urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.parser_inline import ParserInline

from .addresses import ALLOWED_URL_SCHEMES

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
}

# The most Markdown a section may hold, in characters (what an editor can count): forms and
# imports refuse more, render_markdown() renders no more.
MAX_MARKDOWN_CHARS = 100 * 1024
MAX_MARKDOWN_SIZE = "100 KB"
# Blocks (lists, block quotes) nested deeper than this are shown as text: a list level takes two.
MAX_NESTING = 20
# How deep the parser looks inside a link's text while deciding whether it is a link: each level
# costs a pass over runs of "[", and real link texts nest two deep at most ([![logo](a.png)](b)).
LINK_LOOKAHEAD_NESTING = 4
# Raw HTML tags kept per text; any after these are shown as text.
RAW_HTML_MAX_TAGS = 2000
TRUNCATION_NOTE = (
    f"<p><em>This text is longer than {MAX_MARKDOWN_SIZE}: only its first {MAX_MARKDOWN_SIZE} "
    "is shown.</em></p>"
)


@deconstructible
class MarkdownSizeValidator:
    """Refuses Markdown longer than MAX_MARKDOWN_CHARS, naming the field (`what`)."""

    code = "markdown_too_long"

    def __init__(self, what="This text"):
        self.what = what

    def __call__(self, value):
        if value and len(value) > MAX_MARKDOWN_CHARS:
            message = (
                f"{self.what} must be at most {MAX_MARKDOWN_SIZE} ({MAX_MARKDOWN_CHARS:,} "
                f"characters); it has {len(value):,}."
            )
            raise ValidationError(message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, MarkdownSizeValidator) and self.what == other.what


class _InlineParser(ParserInline):
    """ParserInline.skipToken (markdown-it-py 4), but looking only LINK_LOOKAHEAD_NESTING levels
    deep inside link texts and answering from its cache first: "[" * 100,000 in 0.6 s, not 1.5."""

    def skipToken(self, state):
        pos, cache = state.pos, state.cache
        if pos in cache:
            state.pos = cache[pos]
            return
        ok = False
        if state.level < LINK_LOOKAHEAD_NESTING:
            for rule in self.ruler.getRules(""):
                state.level += 1  # as upstream: limits the recursion, makes no tokens
                ok = rule(state, True)
                state.level -= 1
                if ok:
                    break
        else:
            state.pos = state.posMax  # too deep: give up on this link, as upstream does
        if not ok:
            state.pos += 1
        cache[pos] = state.pos


def _too_deep_as_text(state, start_line, end_line, silent):
    """A block rule tried first: near MAX_NESTING, a block's lines become one paragraph of text
    (markdown-it would drop them; a block opens at most two levels, so stop two short)."""
    if silent or state.level < MAX_NESTING - 2:
        return False
    line = start_line + 1
    while line < end_line and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        line += 1
    state.line = line
    state.push("paragraph_open", "p", 1).map = [start_line, line]
    inline = state.push("inline", "", 0)
    inline.content = state.getLines(start_line, line, state.blkIndent, False).strip()
    inline.map, inline.children = [start_line, line], []
    state.push("paragraph_close", "p", -1)
    return True


def _raw_html(renderer, tokens, idx, options, env):
    """Raw HTML as it is (nh3 sanitises it next), or as text after RAW_HTML_MAX_TAGS tags."""
    html = tokens[idx].content
    env["raw_html_tags"] = env.get("raw_html_tags", 0) + html.count("<")
    return html if env["raw_html_tags"] <= RAW_HTML_MAX_TAGS else escapeHtml(html)


def _parser():
    # CommonMark, tables and ~~strikethrough~~. Inline HTML goes to the sanitiser (m<sup>2</sup>
    # works, a <script> vanishes whole); HTML blocks are off: they would keep the rest of their
    # line from being read as Markdown, and hide a link's "javascript:" from the sanitiser.
    md = MarkdownIt(
        "commonmark",
        {"html": True, "linkify": True, "typographer": False, "maxNesting": MAX_NESTING},
    )
    # Bare addresses become links, found by the core rule; the inline one, trying every
    # position, made 100 KB of "[" half as slow again.
    md.enable(["table", "strikethrough", "linkify"]).disable("html_block")
    md.inline.ruler.disable("linkify")
    # URLs are judged by _refused_links_as_text and nh3: markdown-it's own check would leave a
    # refused link on the page as text, "javascript:" and all.
    md.validateLink = lambda url: True
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "too_deep", _too_deep_as_text)
    inline = _InlineParser()
    inline.ruler, inline.ruler2 = md.inline.ruler, md.inline.ruler2
    md.inline = inline
    md.add_render_rule("html_inline", _raw_html)
    md.core.ruler.push("refused_links_as_text", _refused_links_as_text)
    # The rule chains are compiled on first use: do it now, before threads share the parser.
    md.render("*x*")
    return md


def _refused_links_as_text(state):
    """A link to a refused scheme (javascript:, data:, ...) shows as its text: the sanitiser
    would drop only its href and leave a link that goes nowhere."""
    for block in state.tokens:
        if not block.children:
            continue
        kept, refused = [], False
        for token in block.children:
            if token.type == "link_open" and _refused_url(token.attrGet("href") or ""):
                refused = True
            elif token.type == "link_close" and refused:
                refused = False
            else:
                kept.append(token)
        block.children = kept


def _refused_url(url):
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        return True
    return bool(scheme) and scheme.lower() not in ALLOWED_URL_SCHEMES


_markdown = _parser()


def render_markdown(text):
    """Markdown to sanitised HTML, marked safe for templates. Text over MAX_MARKDOWN_CHARS is cut
    and followed by TRUNCATION_NOTE, so a preview of any size costs no more than one of 100 KB."""
    text = text or ""
    clean = nh3.clean(
        _markdown.render(text[:MAX_MARKDOWN_CHARS]),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    if len(text) > MAX_MARKDOWN_CHARS:
        clean += TRUNCATION_NOTE
    return mark_safe(clean)  # nh3 has just sanitised it; the note is ours


def plain_summary(text, words=25):
    """A one-line plain-text teaser of a Markdown section: "&" as such, not "&amp;" (templates
    escape it when they show it)."""
    plain = " ".join(unescape(strip_tags(render_markdown(text))).split())
    return Truncator(plain).words(words, truncate="…")
