import csv
import datetime
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from drugs.models import Drug, PublicationStatus
from tests.factories import (
    make_cancer_type,
    make_class,
    make_company,
    make_drug,
    make_drugs,
    make_user,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
# The Nu HTML Checker, as in test_html_validity.py.
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / "var/qa/node_modules/vnu-jar/build/dist/vnu.jar"))

CATALOGUE = reverse("staff:drug-list")
EXPORT_CSV = reverse("staff:drug-export-csv")
EXPORT_JSON = reverse("staff:drug-export-json")
IMPORT = reverse("staff:drug-import")
CONFIRM = reverse("staff:drug-import-confirm")


@pytest.fixture
def staff_client(client):
    client.force_login(make_user("staffer", permissions=["view_drug", "add_drug", "change_drug"]))
    return client


@pytest.fixture
def editor_client(client):
    permissions = ["view_drug", "add_drug", "change_drug", "publish_drug"]
    client.force_login(make_user("editor", permissions=permissions))
    return client


def brand_names(response):
    return [drug.brand_name for drug in response.context["page_obj"]]


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def reviewed_for_due(days, **fields):
    """Fields for a drug whose next review is due `days` from today (12-month interval)."""
    due = days_from_today(days)
    return {"last_reviewed": due.replace(year=due.year - 1), **fields}


# Permissions --------------------------------------------------------------------------------


@pytest.fixture
def unpublished():
    """A drug in each unpublished status, with text that must not leak."""
    return [
        make_drug("Secretumab", status=PublicationStatus.DRAFT, indication="Draft text."),
        make_drug("Pendinib", status=PublicationStatus.IN_REVIEW, indication="In review."),
        make_drug("Oldinib", status=PublicationStatus.ARCHIVED, indication="Withdrawn."),
    ]


UNPUBLISHED_TEXT = ["Secretumab", "Draft text.", "Pendinib", "In review.", "Oldinib", "Withdrawn."]


@pytest.mark.parametrize("url", [CATALOGUE, EXPORT_CSV, EXPORT_JSON, IMPORT])
def test_anonymous_visitors_are_sent_to_the_public_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert reverse("admin:index") not in response["Location"]


@pytest.mark.parametrize("url", [CATALOGUE, EXPORT_CSV, EXPORT_JSON, IMPORT])
@pytest.mark.parametrize("fields", [{"is_staff": True}, {"is_staff": False}])
def test_signed_in_users_without_permissions_are_refused(client, unpublished, url, fields):
    # Finding 2: staff in no group read every draft in the catalogue and both exports.
    client.force_login(make_user("intern", **fields))

    for query in [{}, {"status": "draft"}]:
        response = client.get(url, query)

        assert response.status_code == 403
        for text in UNPUBLISHED_TEXT:
            assert text not in response.content.decode(), (url, query)


def test_the_view_permission_alone_shows_published_drugs_only(client, unpublished):
    make_drug("Keytruda", indication="Published text.")
    client.force_login(make_user("viewer", permissions=["view_drug"]))

    catalogue = client.get(CATALOGUE)

    assert brand_names(catalogue) == ["Keytruda"]
    assert "<strong>1</strong> of 1 drug matches." in catalogue.content.decode()
    assert "Published text." in client.get(EXPORT_JSON).content.decode()
    assert "Keytruda" in client.get(EXPORT_CSV).content.decode("utf-8-sig")
    for url in [CATALOGUE, EXPORT_CSV, EXPORT_JSON]:
        for status in ["", "draft", "in_review", "archived"]:
            response = client.get(url, {"status": status} if status else {})
            assert response.status_code == 200
            for text in UNPUBLISHED_TEXT:
                assert text not in response.content.decode("utf-8-sig"), (url, status, text)


def test_the_change_permission_shows_unpublished_drugs_too(client, unpublished):
    make_drug("Keytruda")
    client.force_login(make_user("changer", permissions=["view_drug", "change_drug"]))

    assert brand_names(client.get(CATALOGUE)) == ["Keytruda", "Oldinib", "Pendinib", "Secretumab"]
    assert brand_names(client.get(CATALOGUE, {"status": "draft"})) == ["Secretumab"]
    csv_export = client.get(EXPORT_CSV, {"status": "draft"}).content.decode("utf-8-sig")
    assert "Secretumab" in csv_export
    assert "Keytruda" not in csv_export
    (record,) = json.loads(client.get(EXPORT_JSON, {"status": "draft"}).content)["drugs"]
    assert record["indication"] == "Draft text."


def test_the_editor_group_may_see_drafts(client, unpublished):
    client.force_login(make_user("eve", groups=["Editor"]))

    assert "Secretumab" in brand_names(client.get(CATALOGUE, {"status": "draft"}))


def test_staff_without_change_permission_may_browse_but_not_import(client):
    client.force_login(make_user("viewer", permissions=["view_drug"]))

    assert client.get(CATALOGUE).status_code == 200
    assert "Import monographs" not in client.get(CATALOGUE).content.decode()
    assert client.get(IMPORT).status_code == 403
    assert client.post(CONFIRM, {"digest": "x"}).status_code == 403


@pytest.mark.parametrize("url", [CATALOGUE, EXPORT_CSV, EXPORT_JSON, IMPORT])
def test_staff_pages_are_never_cached(staff_client, url):
    response = staff_client.get(url)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# The catalogue -------------------------------------------------------------------------------


def test_the_catalogue_lists_every_drug_whatever_its_status(staff_client):
    make_drug("Keytruda", classes=[make_class("Immunotherapy")])
    make_drug("Draftumab", status=PublicationStatus.DRAFT)
    make_drug("Oldinib", status=PublicationStatus.ARCHIVED)

    response = staff_client.get(CATALOGUE)

    assert brand_names(response) == ["Draftumab", "Keytruda", "Oldinib"]
    html = response.content.decode()
    assert "<strong>3</strong> of 3 drugs match." in html
    assert "Immunotherapy" in html
    assert "Unpublished (archived)" in html
    keytruda = Drug.objects.get(brand_name="Keytruda")
    assert f'href="{reverse("admin:drugs_drug_change", args=[keytruda.pk])}"' in html


def test_the_question_from_the_issue_is_one_shareable_url(staff_client):
    immunotherapy = make_class("Immunotherapy Medications")
    chemo = make_class("Chemotherapy")
    overdue = reviewed_for_due(-10)
    make_drug("Wanted", classes=[immunotherapy], generic_available="no", **overdue)
    make_drug("Generic", classes=[immunotherapy], generic_available="yes", **overdue)
    make_drug("Current", classes=[immunotherapy], generic_available="no", **reviewed_for_due(90))
    make_drug("Chemo", classes=[chemo], generic_available="no", **overdue)
    make_drug("Trial", classes=[immunotherapy], approval_status="investigational", **overdue)

    response = staff_client.get(
        CATALOGUE,
        {
            "approval_status": "approved",
            "drug_class": "immunotherapy-medications",
            "generic_available": "no",
            "review": "overdue",
        },
    )

    assert brand_names(response) == ["Wanted"]
    assert "<strong>1</strong> of 5 drugs matches." in response.content.decode()


def test_filters_by_cancer_type_company_and_publication_status(staff_client):
    myeloma = make_cancer_type("Multiple Myeloma")
    bms = make_company("Bristol Myers Squibb")
    pomalyst = make_drug("Pomalyst", companies=[bms], status=PublicationStatus.DRAFT)
    pomalyst.cancer_types.set([myeloma])
    make_drug("Revlimid", companies=[bms]).cancer_types.set([myeloma])
    make_drug("Keytruda")

    assert brand_names(staff_client.get(CATALOGUE, {"cancer_type": "multiple-myeloma"})) == [
        "Pomalyst",
        "Revlimid",
    ]
    assert brand_names(staff_client.get(CATALOGUE, {"company": "bristol-myers-squibb"})) == [
        "Pomalyst",
        "Revlimid",
    ]
    assert brand_names(staff_client.get(CATALOGUE, {"status": "draft"})) == ["Pomalyst"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [("overdue", "Late"), ("due_soon", "Soon"), ("current", "Fresh"), ("never", "Unreviewed")],
)
def test_filters_by_review_state(staff_client, state, expected):
    make_drug("Late", **reviewed_for_due(-1))
    make_drug("Soon", **reviewed_for_due(10))
    make_drug("Fresh", **reviewed_for_due(200))
    make_drug("Unreviewed", last_reviewed=None)

    assert brand_names(staff_client.get(CATALOGUE, {"review": state})) == [expected]


def test_free_text_searches_brand_generic_and_other_names(staff_client):
    make_drug("Pomalyst", generic_name="pomalidomide", other_names="CC-4047\nImnovid")
    make_drug("Revlimid", generic_name="lenalidomide")
    make_drug("Keytruda", generic_name="pembrolizumab")

    assert brand_names(staff_client.get(CATALOGUE, {"q": "imnovid"})) == ["Pomalyst"]
    assert brand_names(staff_client.get(CATALOGUE, {"q": "LIDOMIDE"})) == ["Pomalyst", "Revlimid"]
    assert brand_names(staff_client.get(CATALOGUE, {"q": "truda"})) == ["Keytruda"]


def test_invalid_filter_values_show_the_error_and_list_nothing(staff_client):
    make_drug("Keytruda")

    response = staff_client.get(
        CATALOGUE, {"approval_status": "sort-of", "drug_class": "no-such-class", "sort": "price"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "These filters were not understood, so no drugs are listed." in html
    assert "Select a valid choice. sort-of is not one of the available choices." in html
    assert "Select a valid choice. That choice is not one of the available choices." in html
    assert brand_names(response) == []
    assert "No drugs are listed until the filters are corrected." in html


def test_invalid_filters_export_nothing(staff_client):
    make_drug("Keytruda")

    response = staff_client.get(EXPORT_CSV, {"review": "someday"})

    assert response.status_code == 400
    assert "nothing was exported" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("brand", ["Alpha", "Beta", "Gamma"]),
        ("-brand", ["Gamma", "Beta", "Alpha"]),
        ("generic", ["Gamma", "Alpha", "Beta"]),
        ("class", ["Beta", "Alpha", "Gamma"]),
        ("due", ["Beta", "Gamma", "Alpha"]),
        ("-due", ["Gamma", "Beta", "Alpha"]),
        ("reviewed", ["Beta", "Gamma", "Alpha"]),
        ("status", ["Beta", "Gamma", "Alpha"]),
    ],
)
def test_the_table_sorts_by_its_columns(staff_client, sort, expected):
    make_drug(
        "Alpha",
        generic_name="b-generic",
        classes=[make_class("Zeta class")],
        last_reviewed=None,
        status=PublicationStatus.PUBLISHED,
    )
    make_drug(
        "Beta",
        generic_name="c-generic",
        classes=[make_class("Alpha class")],
        last_reviewed=datetime.date(2020, 1, 1),
        status=PublicationStatus.DRAFT,
    )
    make_drug(
        "Gamma",
        generic_name="a-generic",
        last_reviewed=datetime.date(2023, 1, 1),
        status=PublicationStatus.IN_REVIEW,
    )

    assert brand_names(staff_client.get(CATALOGUE, {"sort": sort})) == expected


def test_column_headings_link_to_the_other_direction_and_keep_the_filters(staff_client):
    response = staff_client.get(CATALOGUE, {"status": "draft", "sort": "brand"})

    html = response.content.decode()
    assert '<th scope="col" aria-sort="ascending"><a href="?status=draft&amp;sort=-brand">' in html
    assert '<a href="?status=draft&amp;sort=due">Next review due</a>' in html


def test_the_catalogue_is_paginated_with_counts(staff_client):
    make_drugs(120, drug_class=make_class(), company=make_company())

    response = staff_client.get(CATALOGUE, {"page": 3, "q": "bulk"})

    html = response.content.decode()
    assert brand_names(response)[0] == "Bulk00100"
    assert len(brand_names(response)) == 20
    assert "<strong>120</strong> of 120 drugs match." in html
    assert "Showing 101\N{EN DASH}120." in html
    assert "Page 3 of 3" in html
    assert 'href="?page=2&amp;q=bulk"' in html or 'href="?q=bulk&amp;page=2"' in html


def test_the_summary_counts_the_matching_drugs_by_status_and_review(staff_client):
    make_drug("Late", **reviewed_for_due(-1))
    make_drug("Draft late", status=PublicationStatus.DRAFT, **reviewed_for_due(-5))
    make_drug("Fresh", **reviewed_for_due(200))

    response = staff_client.get(CATALOGUE, {"review": "overdue"})

    counts = response.context["counts"]
    assert ("Published", "published", 1) in counts["status"]
    assert ("Draft", "draft", 1) in counts["status"]
    assert ("Overdue", "overdue", 2) in counts["review"]
    assert ("Current", "current", 0) in counts["review"]


@pytest.mark.parametrize("count", [5, 60])
def test_the_catalogue_takes_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries, count
):
    make_drugs(count, drug_class=make_class(), company=make_company())

    # Among them: the user's permissions (2) and the session renewed on every request (3).
    with django_assert_max_num_queries(15):
        response = staff_client.get(CATALOGUE, {"sort": "class"})

    assert len(brand_names(response)) == min(count, 50)


# Exports ------------------------------------------------------------------------------------


def test_csv_export_has_the_filtered_drugs_with_formulas_neutralised(staff_client):
    make_drug('=HYPERLINK("https://evil.example","Click")', slug="evil", status="draft")
    make_drug("+Plus", slug="plus", generic_name="@sum", status="draft")
    make_drug("Published one")

    response = staff_client.get(EXPORT_CSV, {"status": "draft"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="drugs-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["brand_name"] for row in rows] == [
        "'+Plus",
        '\'=HYPERLINK("https://evil.example","Click")',
    ]
    assert rows[0]["generic_name"] == "'@sum"
    assert rows[0]["status"] == "Draft"


def test_json_export_is_the_interchange_format_of_the_filtered_drugs(staff_client):
    make_drug("Keytruda", classes=[make_class("Immunotherapy")], generic_name="pembrolizumab")
    make_drug("Revlimid")

    response = staff_client.get(EXPORT_JSON, {"q": "keytruda"})

    assert response["Content-Type"] == "application/json"
    (record,) = json.loads(response.content)["drugs"]
    assert record["brand_name"] == "Keytruda"
    assert record["generic_name"] == "pembrolizumab"
    assert record["drug_classes"] == ["Immunotherapy"]
    assert record["approval_status"] == "Approved"


@pytest.mark.parametrize("url", [EXPORT_CSV, EXPORT_JSON])
def test_exports_take_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, url):
    make_drugs(30, drug_class=make_class(), company=make_company())

    with django_assert_max_num_queries(13):
        response = staff_client.get(url)

    assert response.status_code == 200


def test_the_catalogue_links_to_exports_of_what_it_shows(staff_client):
    html = staff_client.get(CATALOGUE, {"status": "draft", "page": "2"}).content.decode()

    assert f'href="{EXPORT_CSV}?status=draft"' in html
    assert f'href="{EXPORT_JSON}?status=draft"' in html


# Import -------------------------------------------------------------------------------------


def upload(data, name="batch.json"):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    file = io.BytesIO(content)
    file.name = name
    return file


def test_the_import_page_is_linked_from_the_catalogue(staff_client):
    html = staff_client.get(CATALOGUE).content.decode()

    assert f'href="{IMPORT}"' in html
    assert "Interchange JSON file" in staff_client.get(IMPORT).content.decode()


def test_upload_shows_what_will_be_created_and_updated_and_changes_nothing(editor_client):
    make_drug("Keytruda", generic_name="pembrolizumab", dosage="200 mg.")
    make_drug("Opdivo", generic_name="nivolumab")
    data = [
        {
            "brand_name": "Pomalyst",
            "generic_name": "pomalidomide",
            "drug_class": "New Class",
            "status": "draft",
        },
        {"brand_name": "Keytruda", "dosage": "400 mg."},
        {"brand_name": "Opdivo", "generic_name": "nivolumab"},
    ]

    response = editor_client.post(IMPORT, {"file": upload(data)})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Import batch.json" in html
    assert "<strong>1</strong> to create" in html
    assert "<strong>1</strong> to update" in html
    assert "<strong>1</strong> unchanged" in html
    assert "<dt>Drug classes</dt><dd>New Class</dd>" in html
    # The update shows its change field by field: the words removed and added.
    # Labelled as the admin labels the field, beside its name in the file.
    dosage = "<dt>Dosing info <code>dosage</code></dt><dd><del>200</del> <ins>400</ins> mg.</dd>"
    assert dosage in html
    assert "<td>1</td>" in html and "<td>0</td>" not in html  # records counted from 1
    assert 'type="submit">Import 3 records</button>' in html
    assert Drug.objects.count() == 2
    assert Drug.objects.get(brand_name="Keytruda").dosage == "200 mg."


def test_confirming_the_preview_imports_the_file(editor_client):
    keytruda = make_drug("Keytruda", generic_name="pembrolizumab", dosage="200 mg.")
    data = [
        {"brand_name": "Pomalyst", "generic_name": "pomalidomide", "status": "draft"},
        {"brand_name": "Keytruda", "dosage": "400 mg."},
    ]
    preview = editor_client.post(IMPORT, {"file": upload(data)})
    assert "as a working copy: the public page changes once it is reviewed" in (
        preview.content.decode()
    )

    response = editor_client.post(CONFIRM, {"digest": preview.context["digest"]}, follow=True)

    assert response.redirect_chain == [(CATALOGUE, 302)]
    assert "Imported batch.json: 1 created, 1 updated, 0 unchanged." in response.content.decode()
    keytruda.refresh_from_db()
    assert (keytruda.dosage, keytruda.has_unpublished_changes) == ("200 mg.", True)  # live
    revision = keytruda.history.latest()
    assert (revision.working_copy, revision.dosage) == (True, "400 mg.")
    assert revision.history_change_reason == "Imported from batch.json"
    assert revision.history_user.username == "editor"
    assert Drug.objects.filter(brand_name="Pomalyst").exists()


def test_confirming_twice_or_a_stale_preview_imports_nothing_more(editor_client):
    new_draft = {"brand_name": "Pomalyst", "generic_name": "pomalidomide", "status": "draft"}
    preview = editor_client.post(IMPORT, {"file": upload([new_draft])})
    editor_client.post(CONFIRM, {"digest": preview.context["digest"]})

    response = editor_client.post(CONFIRM, {"digest": preview.context["digest"]}, follow=True)

    assert "That preview is no longer current." in response.content.decode()
    assert Drug.objects.count() == 1


def test_a_confirmation_must_match_the_last_preview(editor_client):
    editor_client.post(
        IMPORT, {"file": upload([{"brand_name": "Pomalyst", "generic_name": "pomalidomide"}])}
    )

    editor_client.post(CONFIRM, {"digest": "0" * 64})

    assert not Drug.objects.exists()


def test_an_invalid_upload_lists_every_problem_and_offers_no_confirmation(editor_client):
    data = [
        {"brand_name": "Pomalyst", "status": "draft"},
        {"generic_name": "x", "approval_status": "Maybe"},
    ]

    response = editor_client.post(IMPORT, {"file": upload(data)})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported: the file has 3 problems." in html
    assert "Record 1 (Pomalyst), generic_name: is required" in html
    assert "Record 2, approval_status: &#x27;Maybe&#x27; is not one of" in html
    assert "Record 2, brand_name: is required" in html
    assert CONFIRM not in html
    assert not Drug.objects.exists()


def test_an_upload_that_is_not_json_is_refused(editor_client):
    response = editor_client.post(IMPORT, {"file": upload(b"\x89PNG\r\n", name="photo.png")})

    assert response.status_code == 400
    assert "File: not" in response.content.decode()


def test_staff_without_publish_permission_may_import_drafts_only(staff_client):
    data = [
        {"brand_name": "Pomalyst", "generic_name": "pomalidomide"},
        {"brand_name": "Revlimid", "generic_name": "lenalidomide", "status": "draft"},
    ]

    response = staff_client.post(IMPORT, {"file": upload(data)})

    assert response.status_code == 400
    assert "Record 1 (Pomalyst), status: you may not publish or unpublish monographs" in (
        response.content.decode()
    )
    assert "or ask a Publisher" in response.content.decode()  # the role's name


@pytest.mark.skipif(
    not VNU_JAR.exists() or shutil.which("java") is None,
    reason=f"the Nu HTML Checker needs java and {VNU_JAR} (set VNU_JAR)",
)
def test_staff_pages_are_valid_html(editor_client, tmp_path):
    make_drug("Keytruda", classes=[make_class("Immunotherapy")], status=PublicationStatus.DRAFT)
    new_drug = [
        {
            "brand_name": "Pomalyst",
            "generic_name": "pomalidomide",
            "drug_class": "New",
            "status": "draft",
        }
    ]
    pages = {
        "catalogue": editor_client.get(CATALOGUE, {"status": "draft", "sort": "-due"}),
        "bad filters": editor_client.get(CATALOGUE, {"review": "someday"}),
        "import": editor_client.get(IMPORT),
        "preview": editor_client.post(IMPORT, {"file": upload(new_drug)}),
        "problems": editor_client.post(IMPORT, {"file": upload([{"brand_name": 1}])}),
    }
    files = {}
    for name, response in pages.items():
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[f"file:{path}"] = name

    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--exit-zero-always", "--format", "json"]
        + [url.removeprefix("file:") for url in files],
        capture_output=True,
        text=True,
        timeout=180,
    )

    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [f"{files[m['url']]}: {m['message']}" for m in messages if m["type"] == "error"] == []
