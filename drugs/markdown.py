"""The one way Markdown from editors becomes HTML: markdown-it-py, then the nh3 sanitiser.

Public pages, the admin's markdownx preview, admin saves (summaries) and imports all call
render_markdown(), so editors preview exactly what readers get, and no script an editor (or an
intruder) types can reach a reader.

Rendering is bounded, whatever the input: markdown-it-py is a CommonMark parser whose time grows
linearly with its input, nesting deeper than MAX_NESTING is shown as text, at most
MAX_MARKDOWN_CHARS characters are rendered, and raw HTML tags (which the sanitiser parses in time
that grows with the square of their depth) are kept only up to RAW_HTML_MAX_TAGS. Forms and
imports refuse sections over MAX_MARKDOWN_CHARS (MarkdownSizeValidator), so the cut only ever
shows in a preview, or on text stored before the limit. The slowest inputs found take about a
second (100 KB of "[" or "![" runs, 50,000 one-character lines; up to 1.5 s for a table of
thousands of columns, whose empty cells markdown-it-py fills in up to 65,536), and CPython
releases without the fix for gh-142183 can take several times that when the caller's stack
depth is unlucky.
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

# The most Markdown a section may hold: forms and imports refuse more, render_markdown() renders
# no more. Characters, not bytes: what an editor can count.
MAX_MARKDOWN_CHARS = 100 * 1024
MAX_MARKDOWN_SIZE = "100 KB"
# Blocks (lists, block quotes) nested deeper than this are shown as text: a list level takes two.
MAX_NESTING = 20
# How deep the parser looks inside a link's text for other links, images and code while deciding
# whether it is a link at all. Each level costs a pass over the text in runs of "[" or "![";
# real link texts nest two deep at most ([![logo](a.png)](b)).
LINK_LOOKAHEAD_NESTING = 4
# Raw HTML tags kept per text; any after these are shown as text.
RAW_HTML_MAX_TAGS = 2000
TRUNCATION_NOTE = (
    f"<p><em>This text is longer than {MAX_MARKDOWN_SIZE}: only its first {MAX_MARKDOWN_SIZE} "
    "is shown.</em></p>"
)


def too_long_message(length):
    """Why a Markdown text of `length` characters is refused, to follow the field's name."""
    return (
        f"must be at most {MAX_MARKDOWN_SIZE} ({MAX_MARKDOWN_CHARS:,} characters); "
        f"it has {length:,}"
    )


@deconstructible
class MarkdownSizeValidator:
    """Refuses Markdown longer than MAX_MARKDOWN_CHARS, with an error that begins with `what`
    (which field it is)."""

    code = "markdown_too_long"

    def __init__(self, what="This text"):
        self.what = what

    def __call__(self, value):
        if value and len(value) > MAX_MARKDOWN_CHARS:
            raise ValidationError(f"{self.what} {too_long_message(len(value))}.", code=self.code)

    def __eq__(self, other):
        return isinstance(other, MarkdownSizeValidator) and self.what == other.what


class _InlineParser(ParserInline):
    """markdown-it-py's inline parser, looking only LINK_LOOKAHEAD_NESTING levels deep inside
    link texts (instead of MAX_NESTING) and answering from its cache before anything else: in a
    run of "[" every position is looked at once per level, so this takes "[" * 100,000 from
    about 1.5 s to about 0.6 s. Otherwise ParserInline.skipToken as it is (markdown-it-py 4)."""

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
    """A block rule tried first: near MAX_NESTING, a block's lines become one paragraph of text.

    (markdown-it itself drops whatever is nested deeper than its maxNesting; a list or block
    quote opens at most two levels at once, so stopping two short of it keeps every line.)"""
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
    # CommonMark, with GitHub's tables and ~~strikethrough~~. Raw HTML tags are let through to
    # the sanitiser, as before, so that m<sup>2</sup> still works and a <script> vanishes whole;
    # but only as inline tags: a CommonMark HTML block would keep the rest of its line from being
    # read as Markdown, and hide a link's "javascript:" from the sanitiser.
    md = MarkdownIt(
        "commonmark",
        {"html": True, "linkify": True, "typographer": False, "maxNesting": MAX_NESTING},
    )
    # Bare addresses (https://..., www....) become links, through the sanitiser like the rest:
    # found in the parsed text (the core rule). The inline rule, which would try every position
    # of every line, is left off: it made 100 KB of "[" half as slow again.
    md.enable(["table", "strikethrough", "linkify"]).disable("html_block")
    md.inline.ruler.disable("linkify")
    # URLs are judged by the sanitiser, as before (nh3 drops a href or src of another scheme);
    # markdown-it's own check would leave a refused link on the page as text, "javascript:" and
    # all.
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
    """A Markdown link to an address of a refused scheme (javascript:, data:, ...) shows as its
    text: the sanitiser would drop only its href and leave a link that goes nowhere."""
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
    """Markdown to sanitised HTML, marked safe for templates.

    Text over MAX_MARKDOWN_CHARS is cut, not refused: its first MAX_MARKDOWN_CHARS characters
    are rendered, followed by TRUNCATION_NOTE. So a preview of any size costs no more than one of
    100 KB, and the editor still sees their text (forms refuse to save it, naming the limit)."""
    text = text or ""
    truncated = len(text) > MAX_MARKDOWN_CHARS
    html = _markdown.render(text[:MAX_MARKDOWN_CHARS] if truncated else text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    if truncated:
        clean += TRUNCATION_NOTE
    return mark_safe(clean)  # nh3 has just sanitised it; the note is ours


def plain_summary(text, words=25, *, html=None):
    """A one-line plain-text teaser of a Markdown section (or of its rendered `html`). Plain
    text: "&" as such, not "&amp;" (templates escape it when they show it)."""
    rendered = render_markdown(text) if html is None else html
    plain = " ".join(unescape(strip_tags(rendered)).split())
    return Truncator(plain).words(words, truncate="…")
