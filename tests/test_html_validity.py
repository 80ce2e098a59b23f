"""Every reader page is valid HTML according to the Nu HTML Checker (vnu.jar).

The checker needs Java and vnu.jar; .ci/run installs the jar from npm into var/qa/. Elsewhere set
VNU_JAR, or the test is skipped with that reason.
"""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / "var/qa/node_modules/vnu-jar/build/dist/vnu.jar"))
PAGES = [
    "/",
    "/drugs/?letter=P",
    "/drug/pomalyst/",
    "/drug-classes/",
    "/drug-class/immunotherapy-medications/?approval_status=bogus",
    "/cancer-types/",
    "/cancer-type/multiple-myeloma/",
    "/company/celgene/",
    "/assistance/",
    "/search/?q=pomalidomide",
    "/search/?q=keytrda",  # a misspelling: "Did you mean"
    "/search/?q=myeloma",  # a cancer type and its drugs
    "/search/?q=",
    "/drug/pepaxto/",  # withdrawn: the status banner
    "/reviewers/maria-alvarez/",
    "/drug/no-such-drug/",
    "/?q=%00",  # the styled 400 page
]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not VNU_JAR.exists() or shutil.which("java") is None,
        reason=f"the Nu HTML Checker needs java and {VNU_JAR} (set VNU_JAR)",
    ),
]


def test_reader_pages_have_no_html_errors(client, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    files = []
    for number, url in enumerate(PAGES):
        path = tmp_path / f"page{number}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--exit-zero-always",
            "--format",
            "json",
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{PAGES[files.index(m['url'].removeprefix('file:'))]}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []
