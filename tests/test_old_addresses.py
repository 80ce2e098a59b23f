"""Old addresses: every address a drug's page had, here or on the site it came from, answers 301
to the page (issue 16), from the admin or an import, exported and imported again."""

import json

import pytest

from drugs import interchange
from drugs.models import Drug, DrugOldPath, PublicationStatus
from tests.factories import make_drug, make_user

pytestmark = pytest.mark.django_db


def run(*records, **options):
    document = {"version": 2, "drugs": list(records)}
    return interchange.run_import(json.dumps(document), source="drugs.json", **options)


def problems_of(*records):
    with pytest.raises(interchange.InvalidFile) as error:
        run(*records)
    return [str(problem) for problem in error.value.problems]


@pytest.fixture
def keytruda():
    return make_drug("Keytruda", generic_name="pembrolizumab")


@pytest.mark.parametrize(
    "address",
    [
        "/drug/keytruda-pembrolizumab",
        "/drug/keytruda-pembrolizumab/",
        "/drug/keytruda-pembrolizumab?utm_source=newsletter&utm_medium=email",
        "/drug/Keytruda-Pembrolizumab",
        "/hiv/keytruda.html",
    ],
)
def test_every_form_of_an_old_address_redirects_permanently_to_the_page(client, keytruda, address):
    DrugOldPath.objects.create(drug=keytruda, path="/drug/keytruda-pembrolizumab")
    DrugOldPath.objects.create(drug=keytruda, path="/HIV/Keytruda.html")

    response = client.get(address, follow=True)

    assert response.redirect_chain[-1] == ("/drug/keytruda/", 301)
    assert response.status_code == 200
    assert "pembrolizumab" in response.text


def test_an_unpublished_drugs_old_address_is_a_404_that_does_not_reveal_its_new_one(
    client, keytruda
):
    DrugOldPath.objects.create(drug=keytruda, path="/drug/keytruda-pembrolizumab")
    keytruda.status = PublicationStatus.DRAFT
    keytruda.save()

    response = client.get("/drug/keytruda-pembrolizumab/")

    assert response.status_code == 404
    assert "/drug/keytruda/" not in response.text


def test_an_unknown_address_stays_a_404(client, keytruda):
    assert client.get("/drug/keytruda-pembrolizumab/").status_code == 404
    assert client.post("/hiv/keytruda.html").status_code == 404
    assert client.get("/drug/%00").status_code == 404  # PostgreSQL cannot compare a NUL


def test_a_renamed_drug_keeps_its_old_address_and_taking_it_back_drops_the_redirect(keytruda):
    keytruda.slug = "keytruda-pembrolizumab"
    keytruda.save()
    assert list(keytruda.old_paths.values_list("path", flat=True)) == ["/drug/keytruda"]

    keytruda.slug = "keytruda"
    keytruda.save()
    assert list(keytruda.old_paths.values_list("path", flat=True)) == [
        "/drug/keytruda-pembrolizumab"
    ]


def test_a_publisher_adds_an_old_address_in_the_admin(client, keytruda):
    client.force_login(make_user("pat", groups=["Publisher"]))

    response = client.post(
        "/admin/drugs/drugoldpath/add/",
        {
            "path": "https://www.example.org/Drug/Keytruda-Pembrolizumab/?utm_source=x",
            "drug": keytruda.pk,
        },
    )

    assert response.status_code == 302
    assert list(DrugOldPath.objects.values_list("path", "drug")) == [
        ("/drug/keytruda-pembrolizumab", keytruda.pk)
    ]
    assert client.get("/drug/keytruda-pembrolizumab").status_code == 301


def test_the_admin_refuses_an_address_kept_already_or_a_live_pages(client, keytruda):
    keytruda.old_paths.create(path="/drug/keytruda-pembrolizumab")
    make_drug("Opdivo", generic_name="nivolumab")
    client.force_login(make_user("pat", groups=["Publisher"]))

    again = client.post(
        "/admin/drugs/drugoldpath/add/",
        {"path": "/Drug/Keytruda-Pembrolizumab/", "drug": keytruda.pk},
    )
    live = client.post(
        "/admin/drugs/drugoldpath/add/", {"path": "/drug/opdivo/", "drug": keytruda.pk}
    )

    assert again.status_code == 200
    assert "Old address with this Path already exists." in again.text
    assert live.status_code == 200
    assert "This is the address of Opdivo&#x27;s page." in live.text
    assert DrugOldPath.objects.count() == 1


def test_an_editor_sees_old_addresses_but_may_not_add_them(client, keytruda):
    client.force_login(make_user("eddie", groups=["Editor"]))

    assert client.get("/admin/drugs/drugoldpath/").status_code == 200
    assert client.get("/admin/drugs/drugoldpath/add/").status_code == 403


# The interchange format ------------------------------------------------------------------------


def test_an_import_adds_old_addresses_in_the_form_they_are_kept(client):
    run(
        {
            "brand_name": "Keytruda",
            "generic_name": "pembrolizumab",
            "old_paths": [
                "/drug/keytruda-pembrolizumab",
                "/drug/keytruda-pembrolizumab/?utm_campaign=x",
                "https://www.cancerhealth.com/drug/Keytruda-Pembrolizumab",
                "/drugs/keytruda.html",
            ],
        }
    )

    drug = Drug.objects.get()
    assert list(drug.old_paths.values_list("path", flat=True)) == [
        "/drug/keytruda-pembrolizumab",
        "/drugs/keytruda.html",
    ]
    assert client.get("/drugs/keytruda.html")["Location"] == "/drug/keytruda/"
    (written,) = interchange.records(Drug.objects.all())
    assert written["old_paths"] == ["/drug/keytruda-pembrolizumab", "/drugs/keytruda.html"]


def test_an_import_adds_old_addresses_and_never_removes_one(keytruda):
    keytruda.old_paths.create(path="/drug/keytruda-old")

    result = run({"brand_name": "Keytruda", "old_paths": ["/drug/keytruda-old"]})
    assert str(result) == "0 created, 0 updated, 1 unchanged."

    run({"brand_name": "Keytruda", "old_paths": ["/drug/keytruda-pembrolizumab"]})
    assert list(keytruda.old_paths.values_list("path", flat=True)) == [
        "/drug/keytruda-old",
        "/drug/keytruda-pembrolizumab",
    ]


def test_a_renaming_import_may_list_the_address_it_leaves(keytruda):
    run(
        {
            "brand_name": "Keytruda",
            "slug": "keytruda-pembrolizumab",
            "old_paths": ["/drug/keytruda/", "/drug/pembrolizumab"],
        }
    )

    keytruda.refresh_from_db()
    assert keytruda.slug == "keytruda-pembrolizumab"
    assert list(keytruda.old_paths.values_list("path", flat=True)) == [
        "/drug/keytruda",
        "/drug/pembrolizumab",
    ]


def test_old_addresses_that_cannot_redirect_are_refused_naming_the_record(keytruda):
    opdivo = make_drug("Opdivo", generic_name="nivolumab")
    opdivo.old_paths.create(path="/drug/opdivo-nivolumab")

    problems = problems_of(
        {"brand_name": "Pomalyst", "generic_name": "pomalidomide", "old_paths": ["/drug/keytruda"]},
        {"brand_name": "Revlimid", "generic_name": "lenalidomide", "old_paths": ["/x", "/X/"]},
        {"brand_name": "Abraxane", "generic_name": "paclitaxel", "old_paths": ["/x"]},
        {
            "brand_name": "Yervoy",
            "generic_name": "ipilimumab",
            "old_paths": ["/drug/opdivo-nivolumab"],
        },
        {"brand_name": "Zejula", "generic_name": "niraparib", "old_paths": ["/", 7]},
    )

    assert problems == [
        "Record 1 (Pomalyst), old_paths: '/drug/keytruda' is the address of Keytruda's page now",
        "Record 2 (Revlimid), old_paths: '/x' is also an old address in record 3",
        "Record 3 (Abraxane), old_paths: '/x' is also an old address in record 2",
        "Record 4 (Yervoy), old_paths: '/drug/opdivo-nivolumab' is already an old address of "
        "Opdivo",
        "Record 5 (Zejula), old_paths: '/' is the address of the home page",
    ]
    assert Drug.objects.count() == 2


def test_a_version_2_file_and_a_version_1_list_both_read():
    run({"brand_name": "Keytruda", "generic_name": "pembrolizumab"})
    interchange.run_import(json.dumps([{"brand_name": "Opdivo", "generic_name": "nivolumab"}]))

    assert sorted(Drug.objects.values_list("brand_name", flat=True)) == ["Keytruda", "Opdivo"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"version": 3, "drugs": []},
            "File: version 3 is not one this site reads: 1 (a list of drugs) or 2 (an object, "
            '{"version": 2, "drugs": [...]})',
        ),
        ({"drugs": []}, "File: version None is not one this site reads"),
        ({"version": 2, "drugs": {}}, "File: drugs must be a list, not an object"),
        (
            {"version": 2, "companies": [], "drugs": []},
            "File: has companies, which only a whole-catalogue import reads: "
            "`python manage.py import_catalogue FILE`",
        ),
        ("a string", "File: must be a JSON object or list of drugs, not a string"),
    ],
)
def test_files_that_are_not_drugs_of_a_known_version_are_refused(document, message):
    with pytest.raises(interchange.InvalidFile) as error:
        interchange.run_import(json.dumps(document))

    assert str(error.value).startswith(message)


def test_changed_since_review_travels_so_an_import_credits_no_reviewer_it_should_not(client):
    run(
        {
            "brand_name": "Keytruda",
            "generic_name": "pembrolizumab",
            "last_reviewed": "2025-06-01",
            "reviewed_by": {"name": "Jane Doe", "credentials": "PharmD"},
            "review_note": "Checked against the 2025 label.",
            "changed_since_review": True,
        }
    )

    drug = Drug.objects.get()
    assert drug.changed_since_review
    assert drug.review_note == "Checked against the 2025 label."
    assert "Medically reviewed by" not in client.get("/drug/keytruda/").text
    (written,) = interchange.records(Drug.objects.all())
    assert written["changed_since_review"] is True


def test_only_medical_reviewers_may_import_the_review_note_or_state(keytruda):
    editor = make_user("eddie", groups=["Editor"])
    record = {"brand_name": "Keytruda", "review_note": "Fine.", "changed_since_review": True}

    with pytest.raises(interchange.InvalidFile) as error:
        run(record, user=editor)

    assert [str(problem) for problem in error.value.problems] == [
        "Record 1 (Keytruda), review_note: only medical reviewers may change the review",
        "Record 1 (Keytruda), changed_since_review: only medical reviewers may change the review",
    ]
