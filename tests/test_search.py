import pytest
from django.db import connection

from drugs.search import MAX_QUERY_LENGTH, search
from tests.factories import make_class, make_company, make_drug

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="typo tolerance needs PostgreSQL's pg_trgm"
)


@pytest.fixture
def catalogue(db):
    make_drug("Pomalyst", generic_name="pomalidomide", other_names="CC-4047\nImnovid")
    make_drug("Keytruda", generic_name="pembrolizumab", other_names="MK-3475")
    make_drug("Revlimid", generic_name="lenalidomide")
    make_drug("Secretinib", generic_name="secretinib", status="draft")


def brands(results):
    return [drug.brand_name for drug in results.drugs]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Pomalyst", "Pomalyst"),
        ("pomalyst", "Pomalyst"),
        ("pomalidomide", "Pomalyst"),
        ("CC-4047", "Pomalyst"),
        ("imnovid", "Pomalyst"),
        ("MK-3475", "Keytruda"),
        ("  keytruda  ", "Keytruda"),
    ],
)
def test_finds_drugs_by_any_name(catalogue, query, expected):
    assert brands(search(query))[0] == expected


def test_exact_match_comes_first(catalogue):
    make_drug("Lenalidomide Plus", generic_name="other")
    assert brands(search("lenalidomide"))[0] == "Revlimid"


def test_drafts_are_never_found(catalogue):
    assert brands(search("secretinib")) == []


def test_finds_classes_cancer_types_and_companies(db):
    make_class("Immunotherapy Medications")
    make_company("Celgene")
    results = search("immuno")
    assert [c.name for c in results.drug_classes] == ["Immunotherapy Medications"]
    assert [c.name for c in search("celgene").companies] == ["Celgene"]


def test_empty_and_over_long_queries_are_flagged_not_run(db):
    assert search("").problem == "empty"
    assert search("   ").problem == "empty"
    assert search("x" * (MAX_QUERY_LENGTH + 1)).problem == "too_long"


@on_postgresql
@pytest.mark.parametrize(
    "typo, expected", [("pomalidomid", "pomalidomide"), ("keytrudda", "Keytruda")]
)
def test_typos_still_find_the_drug_and_suggest_the_name(catalogue, typo, expected):
    results = search(typo)
    assert results.drugs
    assert results.suggestion == expected


@on_postgresql
def test_no_suggestion_when_the_query_matches(catalogue):
    assert search("keytruda").suggestion == ""
