import io
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


class OneRequestAtATime(WSGIServer):
    """The live server without a thread per request. Its requests would share the test
    database's one in-memory SQLite connection (made for the server's thread, which serves
    every request here), and concurrent ones can break it ("database is locked"), more often
    the busier the machine. Unthreaded, it closes each connection after its answer, so the
    browser's parallel requests wait their turn."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture
def demo_site(live_server):
    """The live server, holding the demo content."""
    call_command("load_demo", stdout=io.StringIO())
    return live_server


SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def reader_page_problems(page, site, pages, width, prefix):
    """Open each of `pages` ({name: (path, selector that must show, status)}) at `width` px: it
    must answer that status, show its selector, have one search box and be no wider than the
    screen. Saves a screenshot of each to test-results/screenshots/<prefix>-<name>-<width>.png
    and returns each page's axe violations and script errors by path (empty when none)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    problems = {}
    for name, (path, shows, status) in pages.items():
        errors.clear()
        response = page.goto(site.url + path)
        assert response.status == status, path
        assert page.locator(shows).first.is_visible(), (path, shows)
        assert page.locator("form[role=search]").count() == 1, path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        page.screenshot(path=SCREENSHOTS / f"{prefix}-{name}-{width}.png", full_page=True)
        violations = Axe().run(page).response["violations"]
        found = [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
        if status == 200:  # else the browser logs the page's own status as an error
            found += [("script error", error) for error in errors]
        if found:
            problems[path] = found
    return problems
