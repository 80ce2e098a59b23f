import importlib
import re

import pytest
from django.db import connection

from drugs.models import NAME_LIST_NAMES, SECTION_NAMES, Drug
from drugs.search import ACCENT_FOLDS, MAX_DRUG_RESULTS, MAX_QUERY_LENGTH, search
from tests.factories import make_cancer_type, make_class, make_company, make_drug, make_drugs

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="whole words need PostgreSQL (SQLite: any part)"
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


@pytest.mark.parametrize("query", ["secretinib", "secret", "cretin", "secretinb"])
def test_drafts_are_never_found(catalogue, query):
    assert brands(search(query)) == []


def test_exact_names_then_names_starting_with_the_query_then_the_rest(db):
    make_drug("Zotami", generic_name="zotamib")
    make_drug("Atamix", generic_name="atamixab")
    make_drug("Tamiflo", generic_name="floxib")
    make_drug("Brevo", generic_name="tamiprazole")
    make_drug("Tami", generic_name="tamidex")
    make_drug("Other", generic_name="otherumab")
    assert brands(search("tami")) == ["Tami", "Brevo", "Tamiflo", "Atamix", "Zotami"]


@on_postgresql
def test_a_whole_word_of_any_name_ranks_above_name_starts(db):
    make_drug("Tamiflo", generic_name="floxib")
    make_drug("Zeta", generic_name="zetamab", other_names="TAMI")
    assert brands(search("tami")) == ["Zeta", "Tamiflo"]


def test_a_broad_query_keeps_the_best_matches_within_the_first_fifty(db):
    Drug.objects.bulk_create(
        Drug(
            brand_name=f"Ab{n:02d}zibra",
            slug=f"ab{n:02d}zibra",
            generic_name="a",
            status="published",
        )
        for n in reversed(range(MAX_DRUG_RESULTS + 5))  # ids in the opposite order to names
    )
    make_drug("Zyzibra", generic_name="zibratinib")
    found = brands(search("zibra"))
    assert len(found) == MAX_DRUG_RESULTS
    assert found[:3] == ["Zyzibra", "Ab00zibra", "Ab01zibra"]


def test_short_queries_match_the_start_of_names_only(db):
    make_drug("Tamoxa", generic_name="xaumab")
    make_drug("Atara", generic_name="ataumab")
    make_drug("Listed", classes=[make_class("Targeted Therapy Medications")])
    make_cancer_type("Metastatic breast cancer")
    results = search("ta")
    assert brands(results) == ["Tamoxa"]
    assert [item.name for item in results.drug_classes] == ["Targeted Therapy Medications"]
    assert results.cancer_types == []


@pytest.mark.parametrize("query", ["b_d", "b%d", "b\\d"])
def test_like_wildcards_in_a_query_are_plain_characters(db, query):
    make_drug("Abcde", generic_name="abcdeumab")
    assert brands(search(query)) == []


def test_finds_classes_cancer_types_and_companies(db):
    make_drug(
        "Pomalyst",
        classes=[make_class("Immunotherapy Medications")],
        companies=[make_company("Celgene")],
    )
    results = search("immuno")
    assert [c.name for c in results.drug_classes] == ["Immunotherapy Medications"]
    assert [c.name for c in search("celgene").companies] == ["Celgene"]


def test_finds_no_class_or_company_that_only_unpublished_drugs_use(db):
    make_drug(
        "Secretinib",
        classes=[make_class("Secret Inhibitors")],
        companies=[make_company("Stealth Pharma")],
        status="draft",
    )
    assert search("secret").drug_classes == []
    assert search("stealth").companies == []


def test_empty_and_over_long_queries_are_flagged_not_run(db):
    assert search("").problem == "empty"
    assert search("   ").problem == "empty"
    assert search("x" * (MAX_QUERY_LENGTH + 1)).problem == "too_long"


@pytest.mark.parametrize(
    "typo, expected", [("pomalidomid", "pomalidomide"), ("keytrudda", "Keytruda")]
)
def test_typos_still_find_the_drug_and_suggest_the_name(catalogue, typo, expected):
    results = search(typo)
    assert results.drugs
    assert results.suggestion == expected


def test_no_suggestion_when_the_query_matches(catalogue):
    assert search("keytruda").suggestion == ""


def test_no_suggestion_for_a_piece_from_the_middle_of_a_name(catalogue):
    results = search("malidomide")
    assert brands(results) == ["Pomalyst"]
    assert results.suggestion == ""


def test_lookalike_names_only_when_nothing_matches_literally(catalogue):
    assert brands(search("lenalidomide")) == ["Revlimid"]  # not Pomalyst (pomalidomide)


def test_a_class_name_lists_its_drugs_not_lookalike_names(db):
    make_drug("Keytruda", classes=[make_class("Immunotherapy Medications")])
    make_drug("Immunotera", generic_name="immunoteramab")
    results = search("immunotherapy")
    assert [item.name for item in results.drug_classes] == ["Immunotherapy Medications"]
    assert brands(results) == ["Keytruda"]
    assert results.drugs[0].search_match == "Drug class: <mark>Immunotherapy</mark> Medications"
    assert results.suggestion == ""


def test_finds_drugs_by_their_text_and_shows_why(db):
    make_drug("Adriamycin", side_effects="Liposomal doxorubicin (Doxil) is a different drug.")
    make_drug("Taxol", indication="Approved for breast cancer.")
    results = search("doxil")
    assert brands(results) == ["Adriamycin"]
    assert "Liposomal doxorubicin (<mark>Doxil</mark>) is a different drug" in (
        results.drugs[0].search_match
    )


def test_a_cancer_type_lists_its_drugs_above_drugs_that_mention_it(db):
    myeloma = make_cancer_type("Multiple myeloma")
    make_drug("Mentions", indication="Not for multiple myeloma.")
    listed = make_drug("Listed", indication="Approved for a cancer.")
    listed.cancer_types.add(myeloma)
    results = search("myeloma")
    assert brands(results) == ["Listed", "Mentions"]
    assert results.drugs[0].search_match == "Cancer type: Multiple <mark>myeloma</mark>"


@pytest.mark.parametrize("query", ["waldenstrom", "WALDENSTRÖM", "Waldenström", "waldenström"])
def test_accents_and_case_do_not_matter(db, query):
    make_drug("Imbruvica", indication="Approved for Waldenström macroglobulinemia.")
    make_drug("Accented", indication="For Waldenstrom's disease, spelt without its accent.")
    assert sorted(brands(search(query))) == ["Accented", "Imbruvica"]


def test_snippets_are_escaped(db):
    make_drug("Risky", indication="Avoid <script>alert(1)</script> & grapefruit <b>juice</b>.")
    match = search("grapefruit").drugs[0].search_match
    assert "<script>" not in match and "<b>" not in match
    assert "alert(1)" in match and "&amp; <mark>grapefruit</mark>" in match


def test_the_index_follows_edits(db):
    """SQLite keeps its index by triggers (migration 0019); a migration that rebuilds drugs_drug
    on SQLite drops them, and must create them again."""
    drug = make_drug("Editable", indication="Approved for a cancer.")
    Drug.objects.filter(pk=drug.pk).update(indication="Approved for mesothelioma.")
    assert brands(search("mesothelioma")) == ["Editable"]
    Drug.objects.filter(pk=drug.pk).update(status="draft")
    assert brands(search("mesothelioma")) == []
    Drug.objects.filter(pk=drug.pk).update(status="published")
    assert brands(search("mesothelioma")) == ["Editable"]
    Drug.objects.filter(pk=drug.pk).delete()
    assert brands(search("mesothelioma")) == []


# The migration that made the search index's column (PostgreSQL) and triggers (SQLite) last.
SEARCH_INDEX_MIGRATION = "drugs.migrations.0024_labelled_names"


def test_the_search_index_covers_every_section_and_list_of_names():
    """The migration that made the index last froze the sections and lists of names it reads:
    a new MonographSection or NameList needs a new migration."""
    index = importlib.import_module(SEARCH_INDEX_MIGRATION)
    assert index.SECTIONS == SECTION_NAMES
    assert index.NAME_LISTS == NAME_LIST_NAMES


def test_the_database_indexes_every_name_and_section():
    """The generated column (PostgreSQL), or the trigger that indexes an edit (SQLite), reads
    every name and section, and on SQLite an edit of any of them runs it."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT generation_expression FROM information_schema.columns "
            "WHERE table_name = 'drugs_drug' AND column_name = 'search_vector'"
        )
    else:
        sql = "SELECT sql FROM sqlite_master WHERE name = 'drugs_drug_search_update'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        (definition,) = cursor.fetchone()
    names = ["brand_name", "generic_name", *NAME_LIST_NAMES, *SECTION_NAMES]
    if connection.vendor == "postgresql":
        assert [name for name in names if not re.search(rf"\b{name}\b", definition)] == []
    else:
        updated = re.search(r"UPDATE OF (.*?) ON drugs_drug", definition)[1].split(", ")
        assert [name for name in names if name not in updated] == []
        assert [name for name in names if f"NEW.{name}" not in definition] == []


def test_accent_folding_is_the_same_in_the_index_and_in_python():
    index = importlib.import_module("drugs.migrations.0019_full_text_search")
    assert str.maketrans(index.accent_folds()) == ACCENT_FOLDS


@pytest.mark.parametrize("count", [10, 500])
@pytest.mark.parametrize(
    "query, max_queries",
    [("bulk", 2), ("bulkinib 7", 2), ("b", 2), ("bulkinb", 3), ("nothing like it", 3)],
)
def test_search_page_queries_do_not_grow_with_the_catalogue(
    client, django_assert_max_num_queries, count, query, max_queries
):
    """Names, then drugs; a misspelling (no literal match) costs one more query for lookalikes
    (or, for a misspelt class, cancer type or company, for the drugs of the corrected query)."""
    make_drugs(count, drug_class=make_class("Immunotherapy"), company=make_company("Celgene"))
    with django_assert_max_num_queries(max_queries):
        response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_the_names_of_classes_are_read_once_per_content_generation(
    db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_drug("Keytruda", classes=[make_class("Immunotherapy Medications")])
    search("keytruda")  # reads the names of the classes, cancer types and companies

    with django_assert_num_queries(1):  # the drugs only
        assert [drug.brand_name for drug in search("keytruda").drugs] == ["Keytruda"]

    with django_capture_on_commit_callbacks(execute=True):  # an edit renews the generation
        make_drug("Kisqali", classes=[make_class("Cell Cycle Inhibitors")])
    assert [row.name for row in search("cell cycle").drug_classes] == ["Cell Cycle Inhibitors"]
