"""The benchmark and load test in tools/: reading wrk's output, the medians of rounds against
each round's floor (and the edge's against nginx's), the targets and the reports; nginx serving
a saved page; and the floor itself, a view with no queries."""

import os
import shutil
import socket

import pytest
from django.test import Client, override_settings

from tools import bench, floor
from tools.loadtest import Outcome, PhaseResult, summary
from tools.servers import ROOT, get, nginx

pytestmark = [
    # Shares Redis and Varnish with the other files in this group: one process runs them all.
    pytest.mark.xdist_group("services"),
]

WRK_OUTPUT = """\
Running 8s test @ http://127.0.0.1:8766/drug/x/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.30ms    4.02ms  61.10ms   80.00%
    Req/Sec   188.12     20.33   230.00     70.00%
  Latency Distribution
     50%  850.00us
     75%   22.10ms
     90%   25.00ms
     99%    1.20s
  3011 requests in 8.00s, 90.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    376.31
Transfer/sec:     11.26MB
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(rps, p50=1.0, p99=2.0, errors=0):
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def row(mode, page, **measured):
    return {"mode": mode, "page": page, "path": "/x/"} | bench.summary([run(**measured)], [1000])


def test_wrk_output_is_read_in_milliseconds_with_failures_counted():
    assert bench.parse_wrk(WRK_OUTPUT) == {"rps": 376.31, "p50": 0.85, "p99": 1200.0, "errors": 7}


def test_a_page_is_compared_with_the_floor_of_its_own_round():
    floors = [4000, 2000, 3000]  # the machine drifted between rounds
    result = bench.summary([run(600), run(300, errors=1), run(480, p50=9.0)], floors)
    assert result["share"] == 15  # 15%, 15%, 16%: not 480 / 3000 against one floor
    assert result["shares"] == [15, 15, 16]
    assert result["rps"] == 480 and result["p50"] == 1.0 and result["errors"] == 1


def test_the_edge_is_compared_with_nginx_of_its_own_round():
    assert bench.shares([run(1500), run(900)], [3000, 2000]) == [50, 45]


def staleness(stale, edits=60):
    return {
        "edits": edits,
        "stale": stale,
        "reads": {"200 MISS": edits - 2, "200 HIT": 2},
        "seconds": 9.6,
        "load": run(2500, p99=12.5),
    }


def test_targets_name_what_missed_them():
    rows = [
        row("uncached", "drug page", rps=45, p99=40.0),
        row("uncached", "search", rps=60, p99=120.0),
        row("cached", "drug page", rps=700),
        row("cached", "home page", rps=450),
        row("edge", "drug page", rps=2000) | {"of_nginx": [40.0, 52.0, 48.0]},
    ]
    queries = {"drug page": (8, 2), "home page": (9, 9)}
    checks = bench.targets(rows, queries, staleness(stale=1))
    assert checks == [
        ("uncached drug page ≥ 4% of floor", "4.5%", True),
        ("uncached drug page p99 < 50 ms", "40.0 ms", True),
        ("cached pages (no Varnish) ≥ 50% of floor", "lowest 45% (home page)", False),
        ("queries per public page ≤ 8", "most 9 (home page)", False),
        ("uncached search p99 < 100 ms", "120.0 ms", False),
        ("drug page through Varnish ≥ 50% of nginx", "48%", False),
        ("stale reads through Varnish after 60 edits under load ≤ 0", "1", False),
    ]


def test_the_edge_and_staleness_targets_are_met_at_their_limits():
    rows = [row("edge", "drug page", rps=2000) | {"of_nginx": [50.0]}]
    assert bench.targets(rows, {}, staleness(stale=0)) == [
        ("drug page through Varnish ≥ 50% of nginx", "50%", True),
        ("stale reads through Varnish after 60 edits under load ≤ 0", "0", True),
    ]


def test_the_report_gives_medians_shares_by_round_targets_and_queries():
    page = {"mode": "uncached", "page": "drug page", "path": "/drug/x/"}
    page |= bench.summary([run(600), run(300), run(480)], [4000, 2000, 3000])
    text = bench.report(
        [page],
        {"drug page": (8, 2)},
        {"drug page": "/drug/x/"},
        floors_before=[4000, 2000, 3000],
        drugs=10_000,
        connections=8,
        duration=5,
        rounds=3,
    )
    assert "10000 drugs on PostgreSQL" in text and "Medians of 3 rounds" in text
    assert "floor runs just before the app pages measured 2000-4000 req/s (median 3000)" in text
    assert "| uncached | drug page | 480 | 15.0% | 15.0 / 15.0 / 16.0 | 1.0 | 2.0 | 0 |" in text
    assert "| uncached drug page ≥ 4% of floor | 15.0% | yes |" in text
    assert "| drug page | `/drug/x/` | 8 | 2 |" in text
    assert "Edits under load" not in text  # no staleness check was run


def test_the_report_gives_the_edge_against_nginx_and_the_stale_reads():
    floors = [4000, 2000]
    edge = {"mode": "edge", "page": "drug page", "path": "/drug/x/"}
    edge |= bench.summary([run(2000), run(1100)], floors) | {"of_nginx": [50.0, 55.0]}
    saved = {"mode": "nginx", "page": "drug page (saved copy)", "path": "/drug-page.html"}
    saved |= bench.summary([run(4000), run(2000)], floors)
    text = bench.report(
        [edge, saved],
        {},
        {},
        staleness(stale=0),
        drugs=10_000,
        connections=8,
        duration=5,
        rounds=2,
    )
    assert "| edge | drug page | 1550 | 52.5% | 50.0 / 55.0 | 1.0 | 2.0 | 0 |" in text
    assert "| nginx | drug page (saved copy) | 3000 | 100.0% | 100.0 / 100.0 |" in text
    assert "52% of nginx's requests a second serving its saved copy (by round: 50% / 55%" in text
    assert "| drug page through Varnish ≥ 50% of nginx | 52% | yes |" in text
    assert "| stale reads through Varnish after 60 edits under load ≤ 0 | 0 | yes |" in text
    assert "(8 connections, 2500 req/s, p99 12.5 ms, 0 failed): **0 stale**" in text
    assert "200 HIT: 2, 200 MISS: 58" in text


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_serves_a_saved_page_as_it_was_written():
    # Under var/, not tmp_path: nginx's workers run as another user and must read the file.
    workdir = ROOT / "var" / f"test-nginx-{os.getpid()}"
    page = workdir / "root" / "drug-page.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_bytes(b"<h1>Pomalyst</h1>\n")
    port = free_port()
    try:
        with nginx(port, page.parent, workdir):
            assert get(port, "/drug-page.html") == (200, b"<h1>Pomalyst</h1>\n")
            assert get(port, "/missing.html")[0] == 404
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def test_the_floor_answers_without_middleware_or_the_database():
    # No django_db mark: pytest-django makes any database access here an error.
    assert floor.MIDDLEWARE == [] and floor.INSTALLED_APPS == []
    with override_settings(ROOT_URLCONF="tools.floor", MIDDLEWARE=floor.MIDDLEWARE):
        response = Client().get("/")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_the_load_test_summary_counts_failures_and_latency():
    outcomes = [Outcome(0.0, 0.010 * n, "200") for n in range(1, 10)]
    outcomes += [Outcome(1.0, 0.5, "503", styled=True), Outcome(1.0, 0.1, "ConnectionResetError")]
    phase = PhaseResult("2. PostgreSQL restart", 10, outcomes, passed=False)
    text = summary([phase], lost=0)
    assert "2. PostgreSQL restart  [FAIL]" in text
    assert "requests: 11 in 10 s (1/s), errors: 2" in text
    assert "by status: 200: 9, 503: 1, ConnectionResetError: 1" in text
    assert "latency: p50 60 ms, p95 500 ms, max 500 ms" in text
    assert "Drugs lost: 0" in text
