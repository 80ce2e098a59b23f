"""`make bench`: request rates and latency of the public pages under gunicorn, against a floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python tools/bench.py

Not a test: it measures this machine. Needs PostgreSQL (DATABASE_URL), Redis for the page cache
(--redis-url, a database of the benchmark's own: it is emptied at the start) and wrk on PATH.

Three gunicorns (2 workers each) listen on 127.0.0.1 side by side: the floor (tools/floor.py, a
constant view with no middleware and no database) on --port, the app with its page cache off on
--port + 1, and the app answering from the page cache in Redis on --port + 2. Every round
measures the floor first, then every page, each with wrk for --duration seconds, so a page's
share of the floor compares runs a minute or two apart at most; the report gives the medians of
the rounds. It also counts each public page's SQL queries (page cache off) in this process.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script
from tools.servers import (
    HOST,
    ROOT,
    collectstatic,
    get,
    gunicorn,
    prepare_catalogue,
    require_postgresql,
    server_env,
    setup_django,
)

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
MEASURED_PAGES = ["drug page", "class page", "A-Z page", "home page", "search"]
FLOOR, FULL_STACK, UNCACHED, CACHED = "floor", "full stack", "uncached", "cached"

# The goals the report is checked against.
UNCACHED_DRUG_PAGE_MIN_SHARE = 4  # % of the floor
UNCACHED_DRUG_PAGE_MAX_P99 = 50  # ms
CACHED_PAGE_MIN_SHARE = 50  # % of the floor
MAX_QUERIES_PER_PAGE = 8
SEARCH_MAX_P99 = 100  # ms


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drugs", type=int, default=10_000, help="Catalogue size.")
    parser.add_argument("--duration", type=int, default=8, help="Seconds per wrk run.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="Rounds; the report gives medians.")
    parser.add_argument(
        "--port", type=int, default=8765, help="The floor's; the app uses the next two."
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--output", default="var/bench/results.md")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        sys.exit("wrk is not installed (apt-get install wrk).")
    static_root = ROOT / "var" / "bench" / "static"
    os.environ["STATIC_ROOT"] = str(static_root)  # here and in the servers
    setup_django()
    require_postgresql("The benchmark")
    env = server_env(static_root, REDIS_URL=args.redis_url)
    collectstatic(env)
    prepare_catalogue(args.drugs)
    vacuum()
    pages = public_pages()
    queries = count_queries(pages)
    drugs = drug_count()
    empty_redis(args.redis_url)
    floor_port, uncached_port, cached_port = args.port, args.port + 1, args.port + 2
    runs = [
        (FLOOR, "floor (bare view)", floor_port, "/"),
        (FULL_STACK, "/healthz/", uncached_port, "/healthz/"),
        *((UNCACHED, name, uncached_port, pages[name]) for name in MEASURED_PAGES),
        *((CACHED, name, cached_port, pages[name]) for name in MEASURED_PAGES),
    ]
    with (
        gunicorn(floor_port, {**env, "DJANGO_SETTINGS_MODULE": "tools.floor"}, ready_path="/"),
        gunicorn(uncached_port, {**env, "PAGE_CACHE_SECONDS": "0"}),
        gunicorn(cached_port, env),
    ):
        for _mode, _name, port, path in runs:
            status, _body = get(port, path)
            if status != 200:
                sys.exit(f"{path} answered {status} on port {port}")
            wrk(port, path, 1, 1)  # warm up the workers (and fill the page cache)
        if not redis_has_pages(args.redis_url):
            sys.exit("The cached server stored no page in Redis; is the page cache on?")
        samples = {(mode, name): [] for mode, name, _port, _path in runs}
        for round_number in range(1, args.rounds + 1):
            for mode, name, port, path in runs:
                result = wrk(port, path, args.connections, args.duration)
                samples[mode, name].append(result)
                print(
                    f"round {round_number}  {mode:10} {name:18} {result['rps']:8.0f} req/s  "
                    f"p99 {result['p99']:6.1f} ms",
                    flush=True,
                )

    floors = [result["rps"] for result in samples[FLOOR, runs[0][1]]]
    rows = [
        {"mode": mode, "page": name, "path": path} | summary(samples[mode, name], floors)
        for mode, name, _port, path in runs
    ]
    text = report(
        rows,
        queries,
        pages,
        drugs=drugs,
        connections=args.connections,
        duration=args.duration,
        rounds=args.rounds,
    )
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print("\n" + text)
    print(f"Written to {output}")


# Set-up, in this process


def vacuum():
    """What autovacuum would do in time after generating drugs: the trigram indexes' pending
    lists and the visibility map decide search and A-Z speed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def drug_count():
    from drugs.models import Drug

    return Drug.objects.count()


def public_pages():
    """Every kind of public page, at a typical drug and the biggest listings."""
    from drugs.models import CancerType, Company, Drug, DrugClass

    published = Drug.objects.published().order_by("pk")
    drug = published[published.count() // 2]

    def biggest(model):
        return model.objects.with_published_counts().order_by("-published_drug_count")[0]

    return {
        "home page": "/",
        "A-Z page": "/drugs/?letter=B",
        "drug page": drug.get_absolute_url(),
        "class list": "/drug-classes/",
        "class page": biggest(DrugClass).get_absolute_url(),
        "cancer type list": "/cancer-types/",
        "cancer type page": biggest(CancerType).get_absolute_url(),
        "company page": biggest(Company).get_absolute_url(),
        "assistance": "/assistance/",
        "search": f"/search/?q={drug.generic_name[:-2]}",  # a prefix, as a reader still typing
    }


def count_queries(pages):
    """SQL queries per page with the page cache off, as a reader without cookies sees it."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    with override_settings(PAGE_CACHE_SECONDS=0, DEBUG=False):
        for name, path in pages.items():
            with CaptureQueriesContext(connection) as context:
                response = client.get(path, headers={"host": HOST})
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
            counts[name] = len(context.captured_queries)
    return counts


def empty_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def redis_has_pages(url):
    import redis

    return any(redis.Redis.from_url(url).scan_iter(match="*page:*", count=1000))


# Measuring


def wrk(port, path, connections, duration):
    result = subprocess.run(
        [
            *("wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s"),
            *("--latency", f"http://{HOST}:{port}{path}"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(result.stdout)


def parse_wrk(output):
    """Requests per second, p50 and p99 in milliseconds, and failures (non-2xx/3xx responses
    and socket errors) from wrk --latency's output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    distribution = re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    latency = {percent: float(value) * UNITS[unit] for percent, value, unit in distribution}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"], "errors": errors}


def summary(results, floors):
    """The medians of one page's rounds; its share of the floor is taken round by round."""
    shares = [100 * result["rps"] / floor for result, floor in zip(results, floors, strict=True)]
    return {
        "rps": statistics.median(result["rps"] for result in results),
        "p50": statistics.median(result["p50"] for result in results),
        "p99": statistics.median(result["p99"] for result in results),
        "errors": sum(result["errors"] for result in results),
        "share": statistics.median(shares),
        "shares": shares,
    }


# Reporting


def targets(rows, queries):
    """Each goal as (goal, what was measured, met)."""
    by_key = {(row["mode"], row["page"]): row for row in rows}
    checks = []
    drug = by_key.get((UNCACHED, "drug page"))
    if drug:
        checks += [
            (
                f"uncached drug page ≥ {UNCACHED_DRUG_PAGE_MIN_SHARE}% of floor",
                f"{drug['share']:.1f}%",
                drug["share"] >= UNCACHED_DRUG_PAGE_MIN_SHARE,
            ),
            (
                f"uncached drug page p99 < {UNCACHED_DRUG_PAGE_MAX_P99} ms",
                f"{drug['p99']:.1f} ms",
                drug["p99"] < UNCACHED_DRUG_PAGE_MAX_P99,
            ),
        ]
    cached = [row for row in rows if row["mode"] == CACHED]
    if cached:
        worst = min(cached, key=lambda row: row["share"])
        checks.append(
            (
                f"cached pages ≥ {CACHED_PAGE_MIN_SHARE}% of floor",
                f"lowest {worst['share']:.0f}% ({worst['page']})",
                worst["share"] >= CACHED_PAGE_MIN_SHARE,
            )
        )
    if queries:
        most = max(queries, key=queries.get)
        checks.append(
            (
                f"queries per public page ≤ {MAX_QUERIES_PER_PAGE}",
                f"most {queries[most]} ({most})",
                queries[most] <= MAX_QUERIES_PER_PAGE,
            )
        )
    search = by_key.get((UNCACHED, "search"))
    if search:
        checks.append(
            (
                f"uncached search p99 < {SEARCH_MAX_P99} ms",
                f"{search['p99']:.1f} ms",
                search["p99"] < SEARCH_MAX_P99,
            )
        )
    return checks


def report(rows, queries, pages, *, drugs, connections, duration, rounds):
    lines = [
        f"# Benchmark, {date.today().isoformat()}",
        "",
        f"{drugs} drugs on PostgreSQL; gunicorn with 2 workers per server on {HOST}; wrk with "
        f"{connections} connections, {duration} s a run; {os.cpu_count()} cores. Floor: a bare "
        "Django view with no middleware and no database (tools/floor.py). Uncached: the app with "
        "its page cache off; cached: answered from the page cache in Redis. Medians of "
        f"{rounds} round{'' if rounds == 1 else 's'}; each page's share of the floor is taken "
        "against the floor of its own round.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
        *(
            f"| {goal} | {measured} | {'yes' if met else '**no**'} |"
            for goal, measured, met in targets(rows, queries)
        ),
        "",
        "## Request rates",
        "",
        "| mode | page | req/s | % of floor | % of floor by round | p50 ms | p99 ms | failed |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        by_round = " / ".join(f"{share:.1f}" for share in row["shares"])
        lines.append(
            f"| {row['mode']} | {row['page']} | {row['rps']:.0f} | {row['share']:.1f}% | "
            f"{by_round} | {row['p50']:.1f} | {row['p99']:.1f} | {row['errors']} |"
        )
    lines += [
        "",
        f"## SQL queries per public page (page cache off, target ≤ {MAX_QUERIES_PER_PAGE})",
        "",
        "| page | path | queries |",
        "| --- | --- | ---: |",
        *(f"| {name} | `{pages[name]}` | {count} |" for name, count in queries.items()),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
