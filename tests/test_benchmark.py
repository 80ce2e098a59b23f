"""make bench's arithmetic: medians of rounds, each page against the floor of its own round."""

from drugs.management.commands.benchmark import Command


def run(rps, p50=1.0, p99=2.0, errors=0):
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def test_a_page_is_compared_with_the_floor_of_its_own_round():
    floors = [4000, 2000, 3000]  # the machine drifted between rounds
    summary = Command.summary([run(600), run(300, errors=1), run(480, p50=9.0)], floors)
    assert summary["ratio"] == 15  # 15%, 15%, 16%: not 480 / 3000 against one floor
    assert summary["ratio_range"] == (15, 16)
    assert summary["rps"] == 480 and summary["p50"] == 1.0 and summary["errors"] == 1


def test_the_report_shows_the_median_share_and_its_range():
    command = Command()
    command.duration = 5
    row = {"mode": "cold", "page": "drug page", "path": "/drug/x/"}
    row |= Command.summary([run(600), run(300), run(480)], [4000, 2000, 3000])
    report = command.report([row], {"drug page": 2}, 10_000, 8, 3)
    assert "Medians of 3 rounds" in report
    assert "| cold | drug page | 480 | 1.0 | 2.0 | 2 | 15% | 15-16% | 0 |" in report
