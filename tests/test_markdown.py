import pytest

from drugs.markdown import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("Take **once daily**.\n\n- fatigue\n- rash")
    assert "<strong>once daily</strong>" in html
    assert "<li>fatigue</li>" in html


@pytest.mark.parametrize(
    "source, forbidden",
    [
        ("<script>alert('x')</script>", "<script"),
        ("<script>alert('x')</script>", "alert"),
        ("[click](javascript:alert(1))", "javascript:"),
        ("[click](JaVaScRiPt:alert(1))", "alert"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<p onclick="alert(1)">hi</p>', "onclick"),
        ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "data:"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ('<svg onload="alert(1)"></svg>', "<svg"),
        ('<div style="background:url(javascript:alert(1))">x</div>', "style"),
    ],
)
def test_dangerous_markup_comes_out_inert(source, forbidden):
    assert forbidden.lower() not in render_markdown(source).lower()


def test_safe_links_survive_with_rel():
    html = render_markdown("[Pomalyst](https://www.pomalyst.com) or [mail](mailto:a@b.org)")
    assert 'href="https://www.pomalyst.com"' in html
    assert 'href="mailto:a@b.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""


def test_a_summary_is_plain_text_with_characters_not_entities():
    from drugs.markdown import plain_summary

    summary = plain_summary('Treats "AL" amyloidosis & <b>myeloma</b> in adults < 65.')
    assert summary == 'Treats "AL" amyloidosis & myeloma in adults < 65.'
