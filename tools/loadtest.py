"""`make loadtest`: the public site under load and through faults, on this machine only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest .venv/bin/python tools/loadtest.py

Not a test in the suite: it starts gunicorn on 127.0.0.1 against PostgreSQL (DATABASE_URL) and
drives it with 32 concurrent keep-alive connections, in three phases:

1. steady load (60 s): zero errors, zero 5xx;
2. PostgreSQL restarted in the middle: failures only as the styled 503, for a few seconds at
   most, and the site recovers on its own (health-checked persistent connections);
3. Redis stopped in the middle: pages still 200, served uncached. The Redis here is a private
   redis-server this script starts on another loopback port, never the machine's shared one.

It prints a summary (requests, outcomes by status, latency, recovery time) and exits non-zero
when a phase misses its goal. Every process it starts is stopped when it ends.
"""

import argparse
import http.client
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script
from tools.servers import (
    HOST,
    ROOT,
    collectstatic,
    gunicorn,
    port_is_free,
    prepare_catalogue,
    require_postgresql,
    server_env,
    setup_django,
)

STYLED_503_TEXT = b"Back in a moment"
SEARCH_WORDS = ["mab", "nib", "cancer", "pom", "lenal", "tinib", "zumab", "x", "ab", "cell"]
LOGS = ROOT / "var" / "loadtest"


@dataclass
class Outcome:
    started: float
    seconds: float
    status: str  # "200", "503", ... or the name of a connection error
    styled: bool = False


@dataclass
class PhaseResult:
    name: str
    duration: float
    outcomes: list = field(default_factory=list)
    fault_at: float | None = None
    notes: list = field(default_factory=list)
    passed: bool = True

    @property
    def by_status(self):
        return Counter(outcome.status for outcome in self.outcomes)

    @property
    def failures(self):
        return [o for o in self.outcomes if not o.status.isdigit() or int(o.status) >= 400]

    def latency(self, fraction):
        times = sorted(o.seconds for o in self.outcomes)
        return times[min(len(times) - 1, int(len(times) * fraction))] * 1000 if times else 0.0


class LoadClient:
    """Threads, each with its own keep-alive connection, requesting a random page in a loop."""

    def __init__(self, port, urls, connections):
        self.port, self.urls, self.connections = port, urls, connections

    def run(self, seconds, fault=None, fault_after=None):
        outcomes, stop = [], threading.Event()
        threads = [
            threading.Thread(target=self.worker, args=(outcomes, stop), daemon=True)
            for _ in range(self.connections)
        ]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        fault_at = None
        if fault is not None:
            time.sleep(fault_after)
            fault_at = time.monotonic()
            fault()
        time.sleep(max(0.0, seconds - (time.monotonic() - start)))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        return outcomes, fault_at

    def worker(self, outcomes, stop):
        conn = None
        rng = random.Random()
        while not stop.is_set():
            if conn is None:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            path = rng.choice(self.urls)
            if callable(path):
                path = path(rng)
            started = time.monotonic()
            try:
                conn.request("GET", path, headers={"Host": HOST, "Accept-Encoding": "gzip"})
                response = conn.getresponse()
                body = response.read()
                status = str(response.status)
                styled = response.status == 503 and STYLED_503_TEXT in body
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as error:
                status, styled = type(error).__name__, False
                conn.close()
                conn = None
            outcomes.append(Outcome(started, time.monotonic() - started, status, styled))
        if conn is not None:
            conn.close()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drugs", type=int, default=1000, help="Catalogue size.")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=60, help="Seconds of phase 1.")
    parser.add_argument("--fault-duration", type=int, default=30, help="Phases 2 and 3.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2-4).")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--spare-redis-port", type=int, default=6390)
    parser.add_argument(
        "--max-outage", type=float, default=10.0, help="Seconds of 503s allowed in phase 2."
    )
    parser.add_argument("--phases", default="1,2,3", help="Which phases to run, e.g. --phases 1,3.")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    phases = {int(p) for p in args.phases.split(",") if p.strip()}
    setup_django()
    require_postgresql("The load test")
    from django.db import connection

    from drugs.models import Drug

    prepare_catalogue(args.drugs)
    drug_count = Drug.objects.count()
    urls = url_mix()
    LOGS.mkdir(parents=True, exist_ok=True)
    # Only critical messages: the 503s of phase 2 would log a traceback each.
    env = server_env(LOGS / "static", REDIS_URL=args.redis_url, LOG_LEVEL="CRITICAL")
    collectstatic(env)
    connection.close()  # phase 2 restarts PostgreSQL under it; reconnect afterwards
    client = LoadClient(args.port, urls, args.connections)
    results = []
    if 1 in phases:
        results.append(steady(client, env, args))
    if 2 in phases:
        results.append(database_restart(client, env, args))
    if 3 in phases:
        results.append(redis_down(client, env, args))
    connection.close()
    lost = drug_count - Drug.objects.count()
    print(summary(results, lost))
    if lost or not all(result.passed for result in results):
        sys.exit("The load test failed; see the summary above.")


# Set-up


def url_mix():
    """Public pages in rough proportion to readers' use; searches and pages vary so that
    many requests miss the page cache and reach PostgreSQL."""
    from drugs.models import CancerType, Company, Drug, DrugClass

    drugs = list(Drug.objects.published().values_list("slug", flat=True).order_by("?")[:200])
    classes = list(DrugClass.objects.values_list("slug", flat=True))
    cancer_types = list(CancerType.objects.values_list("slug", flat=True))
    companies = list(Company.objects.values_list("slug", flat=True)[:50])
    if not drugs or not classes:
        sys.exit("No published drugs or classes to request.")

    def search(rng):
        return f"/search/?q={rng.choice(SEARCH_WORDS)}{rng.randint(0, 999)}"

    def listing(rng):
        kind, slugs = rng.choice([("drug-class", classes), ("cancer-type", cancer_types)])
        if not slugs:
            kind, slugs = "drug-class", classes
        return f"/{kind}/{rng.choice(slugs)}/?page={rng.randint(1, 3)}"

    def az(rng):
        return f"/drugs/?letter={rng.choice('ABCDEFGHIJKLMNOPRSTVXZ')}"

    return [
        *(f"/drug/{slug}/" for slug in drugs),
        *(f"/drug-class/{slug}/" for slug in classes),
        *(f"/cancer-type/{slug}/" for slug in cancer_types),
        *(f"/company/{slug}/" for slug in companies),
        *["/"] * 20,
        *["/drug-classes/", "/cancer-types/", "/assistance/", "/feed/", "/sitemap.xml"],
        "/robots.txt",
        *[search] * 40,
        *[listing] * 30,
        *[az] * 20,
    ]


def app_server(env, args, label):
    """The app under gunicorn with threads, logging to var/loadtest/gunicorn-<label>.log."""
    options = ("--worker-class", "gthread", "--threads", "4", "--keep-alive", "5")
    log_path = LOGS / f"gunicorn-{label}.log"
    return gunicorn(args.port, env, workers=args.workers, options=options, log_path=log_path)


def warm_up(client):
    client.run(3)


# Phases


def steady(client, env, args):
    print(f"Phase 1: {args.duration} s at {client.connections} connections ...", flush=True)
    with app_server(env, args, "steady"):
        warm_up(client)
        outcomes, _ = client.run(args.duration)
    result = PhaseResult("1. steady load", args.duration, outcomes)
    result.passed = not result.failures and bool(outcomes)
    return result


def database_restart(client, env, args):
    seconds = args.fault_duration
    clusters = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
    if not clusters or not shutil.which("pg_ctlcluster"):
        sys.exit("Phase 2 needs a local PostgreSQL cluster (pg_ctlcluster).")
    restart = ["pg_ctlcluster", "--skip-systemctl-redirect", clusters[-1], "main", "restart"]
    print(f"Phase 2: {seconds} s, PostgreSQL restarted after {seconds // 3} s ...", flush=True)

    def fault():
        subprocess.run(restart, check=True, timeout=120, capture_output=True)

    with app_server(env, args, "db-restart"):
        warm_up(client)
        outcomes, fault_at = client.run(seconds, fault=fault, fault_after=seconds // 3)
    result = PhaseResult("2. PostgreSQL restart", seconds, outcomes, fault_at)
    failures = result.failures
    unstyled = [o for o in failures if not o.styled]
    outage = 0.0
    if failures:
        first = min(o.started for o in failures)
        last = max(o.started + o.seconds for o in failures)
        outage = last - first
        result.notes.append(
            f"failed requests between {first - fault_at:+.1f} s and {last - fault_at:+.1f} s "
            f"after the restart began: outage {outage:.1f} s"
        )
        recovered = last - fault_at
    else:
        recovered = 0.0
        result.notes.append("no request failed (cached pages carried the restart)")
    result.notes.append(f"recovery time: {recovered:.1f} s after the restart began")
    tail = [o for o in outcomes if o.started > fault_at + args.max_outage]
    result.passed = (
        not unstyled
        and outage <= args.max_outage
        and bool(tail)
        and not [o for o in tail if o.status != "200"]
    )
    if unstyled:
        result.notes.append(f"{len(unstyled)} failures were not the styled 503")
    return result


def redis_down(client, env, args):
    seconds, port = args.fault_duration, args.spare_redis_port
    if not port_is_free(port):
        sys.exit(f"Something already listens on {HOST}:{port}; pick --spare-redis-port.")
    print(f"Phase 3: {seconds} s, a private Redis on :{port} stopped after 5 s ...", flush=True)
    subprocess.run(
        ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--daemonize", "yes"],
        check=True,
        timeout=30,
        capture_output=True,
    )
    try:
        for _ in range(50):
            if redis_cli(port, "ping").stdout.strip() == "PONG":
                break
            time.sleep(0.1)
        else:
            sys.exit(f"redis-server on port {port} did not start")

        def fault():
            redis_cli(port, "shutdown", "nosave")

        with app_server({**env, "REDIS_URL": f"redis://{HOST}:{port}/0"}, args, "redis-down"):
            warm_up(client)
            outcomes, fault_at = client.run(seconds, fault=fault, fault_after=5)
    finally:
        redis_cli(port, "shutdown", "nosave")  # if it is still up
    result = PhaseResult("3. Redis down", seconds, outcomes, fault_at)
    after = [o for o in outcomes if o.started > fault_at + 0.5]
    result.notes.append(f"{len(after)} requests after Redis stopped")
    result.passed = not result.failures and bool(after)
    return result


def redis_cli(port, *args):
    return subprocess.run(
        ["redis-cli", "-h", HOST, "-p", str(port), *args],
        capture_output=True,
        text=True,
        timeout=10,
    )


# Report


def summary(results, lost):
    lines = ["", "Load test summary", "================="]
    for result in results:
        count = len(result.outcomes)
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(result.by_status.items()))
        verdict = "PASS" if result.passed else "FAIL"
        lines += [
            "",
            f"{result.name}  [{verdict}]",
            f"  requests: {count} in {result.duration} s ({count / result.duration:.0f}/s), "
            f"errors: {len(result.failures)}",
            f"  by status: {statuses}",
            f"  latency: p50 {result.latency(0.5):.0f} ms, p95 {result.latency(0.95):.0f} ms, "
            f"max {result.latency(1.0):.0f} ms",
            *(f"  {note}" for note in result.notes),
        ]
    lines += ["", f"Drugs lost: {lost}"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
