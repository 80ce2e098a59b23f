"""`make bench`: request rates and latency of the public pages under gunicorn, against a floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python tools/bench.py

Not a test: it measures this machine. Needs PostgreSQL (DATABASE_URL), Redis for the page cache
(--redis-url, a database of the benchmark's own: it is emptied at the start), and wrk, nginx and
Varnish (with varnish-modules' xkey) on PATH.

Five servers listen on 127.0.0.1 side by side: the floor (tools/floor.py, a constant view with
no middleware and no database, gunicorn) on --port; the app with its page cache off on
--port + 1 and the app answering from the page cache in Redis on --port + 2 (gunicorn, 2 workers
each); Varnish with deploy/varnish/default.vcl in front of the cached app on --port + 3 (the
"edge"; the app purges it after every change); and nginx on --port + 4, serving a copy of the
drug page saved as a static file, the most a server on this machine can make of that page.
Every round measures the floor, then every page, each right after a run of the floor, then the
edge and nginx, each with wrk (keep-alive, the same connections) for --duration seconds, so a
page's share of the floor compares runs seconds apart, and the edge's of nginx a minute or two;
the report gives the medians of the rounds. It also counts each public page's SQL queries
(page cache off) in this process.

Last, under load through Varnish, it edits the measured drug 60 times from this process, as an
editor's save on an app server would (a new page-cache generation in the same Redis, then a
purge of Varnish), reads the page through Varnish after each save and counts the reads that do
not show the edit. The drug is restored afterwards.
"""

import argparse
import gzip
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script
from tools.servers import (
    HOST,
    ROOT,
    collectstatic,
    get,
    gunicorn,
    nginx,
    prepare_catalogue,
    require_postgresql,
    server_env,
    setup_django,
    varnish,
)

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
MEASURED_PAGES = ["drug page", "class page", "A-Z page", "home page", "search"]
FLOOR, FULL_STACK, UNCACHED, CACHED = "floor", "full stack", "uncached", "cached"
EDGE, NGINX = "edge", "nginx"  # Varnish in front of the cached app; nginx serving a saved copy
SAVED_DRUG_PAGE = "drug page (saved copy)"
BENCH_DIR = ROOT / "var" / "bench"  # Varnish's and nginx's workers must be able to read it
STALENESS_EDITS = 60

# The goals the report is checked against.
UNCACHED_DRUG_PAGE_MIN_SHARE = 4  # % of the floor
UNCACHED_DRUG_PAGE_MAX_P99 = 50  # ms
CACHED_PAGE_MIN_SHARE = 50  # % of the floor
MAX_QUERIES_PER_PAGE = 8
SEARCH_MAX_P99 = 100  # ms
EDGE_MIN_SHARE_OF_NGINX = 50  # % of nginx serving the saved drug page, in the same round
MAX_STALE_READS = 0  # of the drug page through Varnish, right after each of the edits


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drugs", type=int, default=10_000, help="Catalogue size.")
    parser.add_argument("--duration", type=int, default=8, help="Seconds per wrk run.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="Rounds; the report gives medians.")
    parser.add_argument(
        "--port",
        type=int,
        default=8765,
        help="The floor's; the app, Varnish and nginx use the next four.",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--output", default="var/bench/results.md")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    for program, packages in [
        ("wrk", "wrk"),
        ("nginx", "nginx-light"),
        ("varnishd", "varnish varnish-modules"),
    ]:
        if not shutil.which(program):
            sys.exit(f"{program} is not installed (apt-get install {packages}).")
    static_root = BENCH_DIR / "static"
    os.environ["STATIC_ROOT"] = str(static_root)  # here and in the servers
    # The edits of the staleness check are made in this process: like an app server's, they
    # must start a new generation in the page cache the cached server reads.
    os.environ["REDIS_URL"] = args.redis_url
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per purge
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
    floor_port, uncached_port, cached_port, edge_port, nginx_port = range(args.port, args.port + 5)
    edge_url = f"http://{HOST}:{edge_port}/"
    saved_page = BENCH_DIR / "nginx" / "root" / "drug-page.html"
    runs = [
        (FLOOR, "floor (bare view)", floor_port, "/"),
        (FULL_STACK, "/healthz/", uncached_port, "/healthz/"),
        *((UNCACHED, name, uncached_port, pages[name]) for name in MEASURED_PAGES),
        *((CACHED, name, cached_port, pages[name]) for name in MEASURED_PAGES),
        (EDGE, "drug page", edge_port, pages["drug page"]),
        (NGINX, SAVED_DRUG_PAGE, nginx_port, "/" + saved_page.name),
    ]
    # Each server starts once the ones above it answer.
    with (
        gunicorn(floor_port, {**env, "DJANGO_SETTINGS_MODULE": "tools.floor"}, ready_path="/"),
        gunicorn(uncached_port, {**env, "PAGE_CACHE_SECONDS": "0"}),
        gunicorn(cached_port, {**env, "FRONTEND_PURGE_URLS": edge_url}),  # edits purge Varnish
        varnish(edge_port, cached_port, BENCH_DIR / "varnish"),
        nginx(
            nginx_port,
            save_page(cached_port, pages["drug page"], saved_page).parent,
            BENCH_DIR / "nginx",
        ),
    ):
        for _mode, _name, port, path in runs:
            status, _body = get(port, path)
            if status != 200:
                sys.exit(f"{path} answered {status} on port {port}")
            wrk(port, path, 1, 1)  # warm up the workers (and fill the page cache and Varnish)
        if not redis_has_pages(args.redis_url):
            sys.exit("The cached server stored no page in Redis; is the page cache on?")
        if (x_cache := read(edge_port, pages["drug page"])[1]) != "HIT":
            sys.exit(f"Varnish answered the drug page with X-Cache: {x_cache}, not from its cache")
        samples = {(mode, name): [] for mode, name, _port, _path in runs}
        # The floor measured just before each app page, which that page's share is taken
        # against: the machine's speed drifts over a round, so a floor a minute older would not do.
        floors_before = {key: [] for key in samples}
        for round_number in range(1, args.rounds + 1):
            for mode, name, port, path in runs:
                if mode in (FULL_STACK, UNCACHED, CACHED):
                    floor = wrk(floor_port, "/", args.connections, args.duration)
                    floors_before[mode, name].append(floor["rps"])
                # Varnish and nginx send their stored gzip copies, as to any browser.
                compressed = mode in (EDGE, NGINX)
                result = wrk(port, path, args.connections, args.duration, compressed)
                samples[mode, name].append(result)
                if mode in (UNCACHED, CACHED):
                    settle(port, args.connections)
                print(
                    f"round {round_number}  {mode:10} {name:22} {result['rps']:8.0f} req/s  "
                    f"p99 {result['p99']:6.1f} ms",
                    flush=True,
                )
        staleness = check_staleness(edge_port, pages["drug page"], args.connections)
        print(
            f"{staleness['edits']} edits under load through Varnish: "
            f"{staleness['stale']} stale reads",
            flush=True,
        )

    floors = [result["rps"] for result in samples[FLOOR, runs[0][1]]]
    nginx_rates = [result["rps"] for result in samples[NGINX, SAVED_DRUG_PAGE]]
    rows = []
    for mode, name, _port, path in runs:
        references = floors_before[mode, name] or floors
        row = {"mode": mode, "page": name, "path": path} | summary(samples[mode, name], references)
        if mode == EDGE:
            row["of_nginx"] = shares(samples[mode, name], nginx_rates)
        rows.append(row)
    text = report(
        rows,
        queries,
        pages,
        staleness,
        floors_before=[rps for runs in floors_before.values() for rps in runs],
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


def typical_drug():
    """The drug whose page is measured: the middle published one."""
    from drugs.models import Drug

    published = Drug.objects.published().order_by("pk")
    return published[published.count() // 2]


def public_pages():
    """Every kind of public page, at a typical drug and the biggest listings."""
    from drugs.models import CancerType, Company, DrugClass

    drug = typical_drug()

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
    """SQL queries per page with the page cache off, as a reader without cookies sees it:
    (first request, the same again). The second finds this process's fragments cached."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    with override_settings(PAGE_CACHE_SECONDS=0, DEBUG=False):
        for name, path in pages.items():
            counted = []
            for _ in range(2):
                with CaptureQueriesContext(connection) as context:
                    response = client.get(path, headers={"host": HOST})
                if response.status_code != 200:
                    sys.exit(f"{path} answered {response.status_code}")
                counted.append(len(context.captured_queries))
            counts[name] = tuple(counted)
    return counts


def empty_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def redis_has_pages(url):
    import redis

    return any(redis.Redis.from_url(url).scan_iter(match="*page:*", count=1000))


def save_page(port, path, destination):
    """The page at `path` as the app serves it, written to `destination` for nginx."""
    status, body = get(port, path)
    if status != 200:
        sys.exit(f"{path} answered {status} on port {port}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(body)
    destination.with_name(destination.name + ".gz").write_bytes(gzip.compress(body))
    return destination


# Measuring


def wrk_command(port, path, connections, duration, compressed=False):
    return [
        *("wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s"),
        *(("-H", "Accept-Encoding: gzip") if compressed else ()),
        *("--latency", f"http://{HOST}:{port}{path}"),
    ]


def wrk(port, path, connections, duration, compressed=False):
    command = wrk_command(port, path, connections, duration, compressed)
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk(result.stdout)


def settle(port, connections):
    """Wait for the requests a run leaves behind. wrk stops, but each sync worker still answers
    what it had accepted (up to `connections` slow pages, two seconds of the home page): the
    next page's run would wait for them. As many requests as wrk had connections queue behind
    them; then a second for the last one still being answered."""
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(lambda _: get(port, "/healthz/"), range(connections)))
    time.sleep(1)


def read(port, path):
    """One GET through Varnish: (status, its X-Cache header, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": HOST})
        response = conn.getresponse()
        return response.status, response.getheader("X-Cache"), response.read()
    finally:
        conn.close()


def check_staleness(edge_port, path, connections, edits=STALENESS_EDITS):
    """While wrk loads the drug page at `path` through Varnish, edits that drug `edits` times
    in this process and reads its page through Varnish right after each save; a read that does
    not show the edit is stale. Each save commits at once (autocommit), and its commit starts a
    new page-cache generation and purges Varnish before save() returns, as an editor's save on
    an app server does. Afterwards the drug's dosage is restored (one more save and purge) and
    the revisions the edits recorded are deleted."""
    from django.test import override_settings

    drug = typical_drug()
    if drug.get_absolute_url() != path:
        sys.exit(f"The measured drug page is {path}, the drug edited {drug.get_absolute_url()}")
    original = drug.dosage
    revisions_before = set(drug.history.values_list("pk", flat=True))
    stale, reads = 0, Counter()
    load = subprocess.Popen(
        wrk_command(edge_port, path, connections, duration=600),  # stopped after the edits
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started = time.monotonic()
    try:
        time.sleep(1)  # under load before the first edit
        with override_settings(FRONTEND_PURGE_URLS=[f"http://{HOST}:{edge_port}/"]):
            try:
                for number in range(1, edits + 1):
                    marker = f"benchedit{number}x{uuid.uuid4().hex[:8]}"
                    drug.dosage = f"{original}\n\nBench edit {marker}."
                    drug.save()
                    status, x_cache, body = read(edge_port, path)
                    reads[f"{status} {x_cache}"] += 1
                    if status != 200 or marker.encode() not in body:
                        stale += 1
            finally:
                drug.dosage = original
                drug.save()
                drug.history.exclude(pk__in=revisions_before).delete()
    finally:
        seconds = time.monotonic() - started
        load.send_signal(signal.SIGINT)  # wrk stops and prints what it measured
        output = load.communicate(timeout=60)[0]
    return {
        "edits": edits,
        "stale": stale,
        "reads": dict(reads),
        "seconds": seconds,
        "load": parse_wrk(output),
    }


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


def shares(results, references):
    """Each round's request rate as a percentage of the reference's in the same round."""
    return [
        100 * result["rps"] / reference
        for result, reference in zip(results, references, strict=True)
    ]


def summary(results, floors):
    """The medians of one page's rounds; its share of the floor is taken round by round."""
    by_round = shares(results, floors)
    return {
        "rps": statistics.median(result["rps"] for result in results),
        "p50": statistics.median(result["p50"] for result in results),
        "p99": statistics.median(result["p99"] for result in results),
        "errors": sum(result["errors"] for result in results),
        "share": statistics.median(by_round),
        "shares": by_round,
    }


# Reporting


def targets(rows, queries, staleness=None):
    """Each goal as (goal, what was measured, met). `queries` maps a page to its queries on the
    first request and again; the first, with nothing cached, is the one held to the goal."""
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
                f"cached pages (no Varnish) ≥ {CACHED_PAGE_MIN_SHARE}% of floor",
                f"lowest {worst['share']:.0f}% ({worst['page']})",
                worst["share"] >= CACHED_PAGE_MIN_SHARE,
            )
        )
    if queries:
        most = max(queries, key=lambda name: queries[name][0])
        checks.append(
            (
                f"queries per public page ≤ {MAX_QUERIES_PER_PAGE}",
                f"most {queries[most][0]} ({most})",
                queries[most][0] <= MAX_QUERIES_PER_PAGE,
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
    edge = by_key.get((EDGE, "drug page"))
    if edge and "of_nginx" in edge:
        share = statistics.median(edge["of_nginx"])
        checks.append(
            (
                f"drug page through Varnish ≥ {EDGE_MIN_SHARE_OF_NGINX}% of nginx",
                f"{share:.0f}%",
                share >= EDGE_MIN_SHARE_OF_NGINX,
            )
        )
    if staleness:
        checks.append(
            (
                f"stale reads through Varnish after {staleness['edits']} edits under load "
                f"≤ {MAX_STALE_READS}",
                f"{staleness['stale']}",
                staleness["stale"] <= MAX_STALE_READS,
            )
        )
    return checks


def report(
    rows, queries, pages, staleness=None, *, floors_before=(), drugs, connections, duration, rounds
):
    lines = [
        f"# Benchmark, {date.today().isoformat()}",
        "",
        f"{drugs} drugs on PostgreSQL; gunicorn with 2 workers per server on {HOST}; wrk with "
        f"{connections} connections (keep-alive), {duration} s a run; {os.cpu_count()} cores. "
        "Floor: a bare Django view with no middleware and no database (tools/floor.py). "
        "Uncached: the app with its page cache off; cached: answered from the page cache in "
        "Redis, with no Varnish in the way; edge: Varnish (deploy/varnish/default.vcl) in front "
        "of the cached app; nginx: a copy of the drug page saved as a static file. Medians of "
        f"{rounds} round{'' if rounds == 1 else 's'}; each app page's share of the floor is "
        "taken against the floor measured just before it, and the edge's share of nginx "
        "against nginx in its own round.",
        "",
    ]
    if floors_before:
        lines += [
            f"The floor runs just before the app pages measured {min(floors_before):.0f}-"
            f"{max(floors_before):.0f} req/s (median {statistics.median(floors_before):.0f}).",
            "",
        ]
    lines += [
        "## Targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
        *(
            f"| {goal} | {measured} | {'yes' if met else '**no**'} |"
            for goal, measured, met in targets(rows, queries, staleness)
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
    for row in rows:
        if "of_nginx" in row:
            by_round = " / ".join(f"{share:.0f}%" for share in row["of_nginx"])
            lines += [
                "",
                f"The {row['page']} through Varnish: {statistics.median(row['of_nginx']):.0f}% "
                f"of nginx's requests a second serving its saved copy (by round: {by_round}; "
                f"target ≥ {EDGE_MIN_SHARE_OF_NGINX}%).",
            ]
    if staleness:
        load = staleness["load"]
        reads = ", ".join(f"{kind}: {count}" for kind, count in sorted(staleness["reads"].items()))
        lines += [
            "",
            "## Edits under load through Varnish",
            "",
            f"{staleness['edits']} edits of the drug (its dosage), each read through Varnish right "
            f"after its save, in {staleness['seconds']:.0f} s while wrk loaded the same page "
            f"through Varnish ({connections} connections, {load['rps']:.0f} req/s, "
            f"p99 {load['p99']:.1f} ms, {load['errors']} failed): "
            f"**{staleness['stale']} stale** (target ≤ {MAX_STALE_READS}). The reads after the "
            f"edits (status, X-Cache): {reads}.",
        ]
    lines += [
        "",
        f"## SQL queries per public page (page cache off, target ≤ {MAX_QUERIES_PER_PAGE})",
        "",
        "| page | path | queries | again (fragments cached) |",
        "| --- | --- | ---: | ---: |",
        *(
            f"| {name} | `{pages[name]}` | {first} | {again} |"
            for name, (first, again) in queries.items()
        ),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
