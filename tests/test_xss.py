"""Every XSS payload we know of goes through the one Markdown renderer, and none survives.

The output is parsed (html.parser, as a browser would tokenise it) and checked against the
allow-list: only allowed tags, only allowed attributes, and only http/https/mailto URLs.
"""

import html
import re
from html.parser import HTMLParser

import pytest

from drugs.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, render_markdown

SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster"}

# (name, payload). Names show up in test ids, so a failure says which trick got through.
PAYLOADS = [
    # Script tags
    ("script", "<script>alert(1)</script>"),
    ("script-uppercase", "<SCRIPT>alert(1)</SCRIPT>"),
    ("script-src", '<script src="https://evil.example/x.js"></script>'),
    ("script-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-unclosed", "<script>alert(1)"),
    ("script-in-paragraph", "Some text <script>alert(1)</script> more text"),
    ("script-in-code-span", "`<script>alert(1)</script>`"),
    ("script-in-markdown-block", '<div markdown="1"><script>alert(1)</script></div>'),
    ("script-nul", "<scr\x00ipt>alert(1)</script>"),
    # Event handlers
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-quoted", '<img src="x" onerror="alert(1)">'),
    ("img-onerror-slash", "<img/src=x/onerror=alert(1)>"),
    ("img-onerror-tab", "<img src=x\tonerror=alert(1)>"),
    ("body-onload", "<body onload=alert(1)>"),
    ("a-onmouseover", '<a href="https://example.org" onmouseover="alert(1)">x</a>'),
    ("p-onclick", '<p onclick="alert(1)">click</p>'),
    ("details-ontoggle", "<details open ontoggle=alert(1)>"),
    ("input-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("video-onerror", "<video><source onerror=alert(1)></video>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("table-background", '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'),
    ("td-onmouseover", "<table><tr><td onmouseover=alert(1)>x</td></tr></table>"),
    # javascript:, data:, vbscript: URLs and their obfuscations
    ("a-javascript", '<a href="javascript:alert(1)">x</a>'),
    ("a-javascript-upper", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    (
        "a-javascript-entities",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    ),
    ("a-javascript-hex-entities", '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>'),
    ("a-javascript-named-colon", '<a href="javascript&colon;alert(1)">x</a>'),
    ("a-javascript-tab", '<a href="java\tscript:alert(1)">x</a>'),
    ("a-javascript-newline", '<a href="java\nscript:alert(1)">x</a>'),
    ("a-javascript-entity-tab", '<a href="java&#09;script:alert(1)">x</a>'),
    ("a-javascript-leading-space", '<a href=" javascript:alert(1)">x</a>'),
    ("a-javascript-leading-control", '<a href="\x01javascript:alert(1)">x</a>'),
    ("a-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("a-data-html", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("a-data-base64", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("img-javascript", '<img src="javascript:alert(1)">'),
    ("img-data-svg", '<img src="data:image/svg+xml,<svg onload=alert(1)>">'),
    ("img-srcset", '<img src="https://example.org/a.png" srcset="javascript:alert(1) 1x">'),
    ("img-dynsrc", '<img dynsrc="javascript:alert(1)">'),
    # Markdown links and images
    ("md-link-javascript", "[click](javascript:alert(1))"),
    ("md-link-javascript-upper", "[click](JAVASCRIPT:alert(1))"),
    ("md-link-javascript-entity", "[click](javascript&#58;alert(1))"),
    ("md-link-javascript-percent", "[click](javascript%3Aalert(1))"),
    ("md-link-javascript-angle", "[click](<javascript:alert(1)>)"),
    ("md-link-javascript-space", "[click]( javascript:alert(1))"),
    ("md-link-javascript-title", '[click](javascript:alert(1) "title")'),
    ("md-link-data", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("md-link-vbscript", "[click](vbscript:msgbox(1))"),
    ("md-link-title-breakout", '[x](https://example.org "a\\" onmouseover=\\"alert(1)")'),
    ("md-link-url-breakout", '[x](https://example.org/"onmouseover="alert(1))'),
    ("md-link-nested-html", "[<img src=x onerror=alert(1)>](https://example.org)"),
    ("md-image-javascript", "![alt](javascript:alert(1))"),
    ("md-image-onerror-alt", '![x" onerror="alert(1)](https://example.org/a.png)'),
    ("md-image-data-svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("md-reference-javascript", "[click][evil]\n\n[evil]: javascript:alert(1)"),
    ("md-reference-image", "![x][evil]\n\n[evil]: javascript:alert(1)"),
    ("md-reference-title", '[click][r]\n\n[r]: https://example.org "t" onclick="alert(1)"'),
    ("md-autolink-javascript", "<javascript:alert(1)>"),
    ("md-autolink-data", "<data:text/html,<script>alert(1)</script>>"),
    ("md-autolink-mailto-breakout", '<mailto:a@b.org" onclick="alert(1)>'),
    ("md-attr-list", "[x](https://example.org){: onclick=alert(1) }"),
    ("md-attr-list-heading", "## Title {: onmouseover=alert(1) }"),
    ("md-footnote", "Text[^1]\n\n[^1]: <script>alert(1)</script>"),
    ("md-table-cell", "| a |\n|---|\n| <img src=x onerror=alert(1)> |"),
    ("md-abbr", "*[HTML]: <script>alert(1)</script>\n\nHTML"),
    # SVG and MathML
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    (
        "svg-animate-href",
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
        '<text x="20" y="20">x</text></a></svg>',
    ),
    ("svg-use-data", '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>'),
    (
        "svg-foreignobject",
        "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    ),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    ("math-href", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    (
        "math-maction",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">'
        "x</maction></math>",
    ),
    ("math-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    # Malformed HTML and parser confusion
    ("unclosed-attribute", '<img src="x onerror=alert(1)//'),
    ("double-open", "<<script>alert(1)//<</script>"),
    ("comment-script", "<!--<script>alert(1)</script>-->"),
    ("comment-breakout", "<!-- --!><script>alert(1)</script> -->"),
    ("conditional-comment", "<!--[if IE]><script>alert(1)</script><![endif]-->"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("noscript-mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("textarea-breakout", "<textarea></textarea><script>alert(1)</script>"),
    ("title-breakout", "</title><script>alert(1)</script>"),
    ("xmp-breakout", '<xmp><p title="</xmp><img src=x onerror=alert(1)>">'),
    ("attribute-backtick", "<img src=`x` onerror=`alert(1)`>"),
    ("processing-instruction", "<?xml-stylesheet href='javascript:alert(1)'?>"),
    # Dangerous elements
    ("style-tag", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("style-attribute", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("style-expression", '<p style="width:expression(alert(1))">x</p>'),
    ("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object-data", '<object data="javascript:alert(1)"></object>'),
    ("embed-src", '<embed src="data:text/html,<script>alert(1)</script>">'),
    ("form-action", '<form action="javascript:alert(1)"><button>go</button></form>'),
    ("button-formaction", '<button formaction="javascript:alert(1)">x</button>'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base-href", '<base href="javascript:alert(1)//">'),
    ("link-import", '<link rel="import" href="https://evil.example/x.html">'),
    ("applet", '<applet code="evil.class"></applet>'),
    ("frameset", '<frameset onload="alert(1)"></frameset>'),
    ("template", "<template><script>alert(1)</script></template>"),
    ("isindex", '<isindex type="image" src="x" onerror="alert(1)">'),
    # Attribute smuggling on allowed tags
    ("a-target-opener", '<a href="https://evil.example" target="_blank">x</a>'),
    ("a-id-clobbering", '<a id="csrfmiddlewaretoken" name="x" href="https://example.org">x</a>'),
    ("img-ismap-usemap", '<img src="https://example.org/a.png" usemap="#m" ismap>'),
    ("abbr-onmouseover", '<abbr title="x" onmouseover="alert(1)">x</abbr>'),
    ("class-and-data-attrs", '<p class="x" data-bind="alert(1)">x</p>'),
]


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 60
    assert len({name for name, _ in PAYLOADS}) == len(PAYLOADS)


class AllowListChecker(HTMLParser):
    """Collects everything in the output that the allow-list does not permit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        self.check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.check(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"end tag </{tag}>")

    def handle_comment(self, data):
        self.problems.append(f"comment <!--{data}-->")

    def handle_decl(self, decl):
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data):
        self.problems.append(f"unknown declaration {data}")

    def check(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            elif name in URL_ATTRIBUTES and not url_is_safe(value or ""):
                self.problems.append(f"URL {value!r} in {name} on <{tag}>")


def url_is_safe(url):
    """Does the URL, as a browser parses it (WHATWG URL), use an allowed scheme or none?"""
    cleaned = html.unescape(url).strip("".join(map(chr, range(0x21))))
    cleaned = re.sub(r"[\t\n\r]", "", cleaned)  # browsers drop these anywhere in a URL
    scheme = SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in ALLOWED_URL_SCHEMES


def problems_in(output):
    checker = AllowListChecker()
    checker.feed(str(output))
    checker.close()
    return checker.problems


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=[n for n, _ in PAYLOADS])
def test_payload_does_not_survive_rendering(payload):
    output = str(render_markdown(payload))
    assert problems_in(output) == [], output
    # Text that merely mentions a script is fine (escaped); a live tag is not.
    assert "<script" not in output.lower()
    assert "<svg" not in output.lower()


def test_rendering_twice_is_stable():
    """Sanitised output rendered again stays safe (stored HTML is sometimes re-rendered)."""
    for name, payload in PAYLOADS:
        once = render_markdown(payload)
        assert problems_in(render_markdown(str(once))) == [], name


def test_the_checker_catches_what_it_should():
    """The checker itself is not a no-op: raw payloads do fail it."""
    assert problems_in('<img src=x onerror="alert(1)">') == ["attribute onerror on <img>"]
    assert problems_in('<a href="javascript:alert(1)">x</a>')
    assert problems_in('<a href="java&#09;script:alert(1)">x</a>')
    assert problems_in("<svg onload=alert(1)>")
    assert problems_in("<!-- x -->")


def test_safe_markdown_still_renders():
    output = str(
        render_markdown(
            "**Dose**: see [the label](https://example.org/label) or "
            "[email us](mailto:info@example.org).\n\n![chart](https://example.org/c.png)"
        )
    )
    assert problems_in(output) == []
    assert '<a href="https://example.org/label"' in output
    assert 'href="mailto:info@example.org"' in output
    assert '<img src="https://example.org/c.png" alt="chart"' in output
    assert "<strong>Dose</strong>" in output
