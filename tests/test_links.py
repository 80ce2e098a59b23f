import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from drugs.links import page_url, slug_url, slug_url_builder


@pytest.fixture
def script_prefix():
    """A site served under a path, as behind a proxy that mounts it at /drugs-site/."""
    set_script_prefix("/drugs-site/")
    yield
    clear_script_prefix()


@pytest.mark.parametrize("name", ["drugs:home", "drugs:drug-index", "drugs:search", "drugs:feed"])
def test_page_url_is_reverse(name):
    assert page_url(name) == reverse(name)


@pytest.mark.parametrize("slug", ["pomalyst", "car-t_2", "A1"])
def test_slug_url_is_reverse(slug):
    for name in ["drugs:drug-detail", "drugs:class-detail", "drugs:company-detail"]:
        assert slug_url(name, slug) == reverse(name, args=[slug])


def test_both_follow_the_script_prefix(script_prefix):
    assert page_url("drugs:home") == "/drugs-site/"
    assert slug_url("drugs:drug-detail", "pomalyst") == "/drugs-site/drug/pomalyst/"


def test_a_builder_makes_the_same_links_as_reverse(script_prefix):
    drug_url = slug_url_builder("drugs:drug-detail")
    for slug in ["pomalyst", "car-t_2"]:
        assert drug_url(slug) == reverse("drugs:drug-detail", args=[slug])
    with pytest.raises(NoReverseMatch):
        drug_url("not/a slug")


def test_a_slug_no_route_accepts_is_refused_as_by_reverse():
    with pytest.raises(NoReverseMatch):
        slug_url("drugs:drug-detail", "not/a slug")


def test_urls_follow_a_changed_urlconf(settings):
    assert slug_url("drugs:drug-detail", "pomalyst") == "/drug/pomalyst/"
    settings.ROOT_URLCONF = "tests.urls_under_a_path"

    assert slug_url("drugs:drug-detail", "pomalyst") == "/under/drug/pomalyst/"
    assert page_url("drugs:home") == "/under/"
