"""The benchmark and load test in tools/: reading wrk's output, the medians of rounds against
each round's floor, the targets and the reports; and the floor itself, a view with no queries."""

from django.test import Client, override_settings

from tools import bench, floor
from tools.loadtest import Outcome, PhaseResult, summary

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


def test_targets_name_what_missed_them():
    rows = [
        row("uncached", "drug page", rps=45, p99=40.0),
        row("uncached", "search", rps=60, p99=120.0),
        row("cached", "drug page", rps=700),
        row("cached", "home page", rps=450),
    ]
    checks = bench.targets(rows, {"drug page": 7, "home page": 9})
    assert checks == [
        ("uncached drug page ≥ 4% of floor", "4.5%", True),
        ("uncached drug page p99 < 50 ms", "40.0 ms", True),
        ("cached pages ≥ 50% of floor", "lowest 45% (home page)", False),
        ("queries per public page ≤ 8", "most 9 (home page)", False),
        ("uncached search p99 < 100 ms", "120.0 ms", False),
    ]


def test_the_report_gives_medians_shares_by_round_targets_and_queries():
    page = {"mode": "uncached", "page": "drug page", "path": "/drug/x/"}
    page |= bench.summary([run(600), run(300), run(480)], [4000, 2000, 3000])
    text = bench.report(
        [page],
        {"drug page": 2},
        {"drug page": "/drug/x/"},
        drugs=10_000,
        connections=8,
        duration=5,
        rounds=3,
    )
    assert "10000 drugs on PostgreSQL" in text and "Medians of 3 rounds" in text
    assert "| uncached | drug page | 480 | 15.0% | 15.0 / 15.0 / 16.0 | 1.0 | 2.0 | 0 |" in text
    assert "| uncached drug page ≥ 4% of floor | 15.0% | yes |" in text
    assert "| drug page | `/drug/x/` | 2 |" in text


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
