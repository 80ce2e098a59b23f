"""`make loadtest`: the public site under load and through faults, on this machine only.

Not a test in the suite: it starts gunicorn on 127.0.0.1 against PostgreSQL (DATABASE_URL) and
drives it with 32 concurrent keep-alive connections, in three phases:

1. steady load (60 s): zero errors, zero 5xx;
2. PostgreSQL restarted in the middle: failures only as the styled 503, for a few seconds at
   most, and the site recovers on its own (health-checked persistent connections);
3. Redis stopped in the middle: pages still 200, served uncached. The Redis here is a private
   redis-server this command starts on another loopback port, never the machine's shared one.

It prints a summary (requests, outcomes by status, latency, recovery time) and exits non-zero
when a phase misses its goal. Every process it starts is stopped when it ends.
"""

import http.client
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from drugs.models import CancerType, Company, Drug, DrugClass

HOST = "127.0.0.1"
STYLED_503_TEXT = b"Back in a moment"
SEARCH_WORDS = ["mab", "nib", "cancer", "pom", "lenal", "tinib", "zumab", "x", "ab", "cell"]


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


class Command(BaseCommand):
    help = "Load and fault test against gunicorn on 127.0.0.1 (PostgreSQL, Redis). Not CI."

    def add_arguments(self, parser):
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
        parser.add_argument(
            "--phases", default="1,2,3", help="Which phases to run, e.g. --phases 1,3."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The load test runs on PostgreSQL: set DATABASE_URL=postgres://...")
        self.options = options
        self.port = options["port"]
        phases = {int(p) for p in options["phases"].split(",") if p.strip()}
        self.check_port_free(self.port)

        call_command("migrate", verbosity=0)
        missing = options["drugs"] - Drug.objects.count()
        if missing > 0:
            call_command("generate_drugs", count=missing, stdout=self.stdout)
        drug_count = Drug.objects.count()
        urls = self.url_mix()
        self.var = Path(settings.BASE_DIR, "var", "loadtest")
        self.var.mkdir(parents=True, exist_ok=True)
        env = self.server_env()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            env=env,
            check=True,
            timeout=300,
        )
        connection.close()  # phase 2 restarts PostgreSQL under it; reconnect afterwards
        client = LoadClient(self.port, urls, options["connections"])
        results = []
        if 1 in phases:
            results.append(self.steady(client, env))
        if 2 in phases:
            results.append(self.database_restart(client, env))
        if 3 in phases:
            results.append(self.redis_down(client, env))
        connection.close()
        lost = drug_count - Drug.objects.count()
        self.summary(results, lost)
        if lost or not all(result.passed for result in results):
            raise CommandError("The load test failed; see the summary above.")

    # Set-up

    def url_mix(self):
        """Public pages in rough proportion to readers' use; searches and pages vary so that
        many requests miss the page cache and reach PostgreSQL."""
        drugs = list(Drug.objects.published().values_list("slug", flat=True).order_by("?")[:200])
        classes = list(DrugClass.objects.values_list("slug", flat=True))
        cancer_types = list(CancerType.objects.values_list("slug", flat=True))
        companies = list(Company.objects.values_list("slug", flat=True)[:50])
        if not drugs or not classes:
            raise CommandError("No published drugs or classes to request.")

        def search(rng):
            return f"/search/?q={rng.choice(SEARCH_WORDS)}{rng.randint(0, 999)}"

        def listing(rng):
            kind, slugs = rng.choice(
                [("drug-class", classes), ("cancer-type", cancer_types or classes)]
            )
            if kind == "cancer-type" and not cancer_types:
                kind = "drug-class"
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

    def server_env(self):
        env = {
            **os.environ,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "loadtest-only-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(Path(settings.BASE_DIR, "var", "loadtest", "static")),
            "LOG_LEVEL": "CRITICAL",  # the 503s of phase 2 would log a traceback each
            "REDIS_URL": self.options["redis_url"],
        }
        env.pop("DJANGO_DEBUG", None)
        return env

    def check_port_free(self, port):
        try:
            socket.create_connection((HOST, port), 0.2).close()
        except OSError:
            return
        raise CommandError(f"Something already listens on {HOST}:{port}; pick --port.")

    def gunicorn(self, env, label):
        command = self

        class Server:
            def __enter__(self):
                log = (command.var / f"gunicorn-{label}.log").open("w")
                self.process = subprocess.Popen(
                    [
                        *(sys.executable, "-m", "gunicorn", "cancerhealth.wsgi"),
                        *("--bind", f"{HOST}:{command.port}"),
                        *("--workers", str(command.options["workers"])),
                        *("--worker-class", "gthread", "--threads", "4"),
                        *("--keep-alive", "5", "--log-level", "warning"),
                    ],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                log.close()
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    if self.process.poll() is not None:
                        raise CommandError(
                            f"gunicorn exited; see var/loadtest/gunicorn-{label}.log"
                        )
                    try:
                        socket.create_connection((HOST, command.port), 0.2).close()
                        return self
                    except OSError:
                        time.sleep(0.2)
                self.process.terminate()
                raise CommandError("gunicorn did not start within 30 s")

            def __exit__(self, *exc):
                self.process.terminate()
                try:
                    self.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()

        return Server()

    def warm_up(self, client):
        client.run(3)

    # Phases

    def steady(self, client, env):
        seconds = self.options["duration"]
        self.stdout.write(f"Phase 1: {seconds} s at {client.connections} connections ...")
        with self.gunicorn(env, "steady"):
            self.warm_up(client)
            outcomes, _ = client.run(seconds)
        result = PhaseResult("1. steady load", seconds, outcomes)
        result.passed = not result.failures and bool(outcomes)
        return result

    def database_restart(self, client, env):
        seconds = self.options["fault_duration"]
        clusters = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
        if not clusters or not shutil.which("pg_ctlcluster"):
            raise CommandError("Phase 2 needs a local PostgreSQL cluster (pg_ctlcluster).")
        version = clusters[-1]
        restart = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
        self.stdout.write(f"Phase 2: {seconds} s, PostgreSQL restarted after {seconds // 3} s ...")

        def fault():
            subprocess.run(restart, check=True, timeout=120, capture_output=True)

        with self.gunicorn(env, "db-restart"):
            self.warm_up(client)
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
        tail = [o for o in outcomes if o.started > fault_at + self.options["max_outage"]]
        result.passed = (
            not unstyled
            and outage <= self.options["max_outage"]
            and bool(tail)
            and not [o for o in tail if o.status != "200"]
        )
        if unstyled:
            result.notes.append(f"{len(unstyled)} failures were not the styled 503")
        self.recovery_seconds = recovered
        return result

    def redis_down(self, client, env):
        seconds = self.options["fault_duration"]
        port = self.options["spare_redis_port"]
        self.check_port_free(port)
        self.stdout.write(f"Phase 3: {seconds} s, a private Redis on :{port} stopped after 5 s ...")
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                HOST,
                "--save",
                "",
                "--daemonize",
                "yes",
            ],
            check=True,
            timeout=30,
            capture_output=True,
        )
        try:
            for _ in range(50):
                if self.redis_cli(port, "ping").stdout.strip() == "PONG":
                    break
                time.sleep(0.1)
            else:
                raise CommandError(f"redis-server on port {port} did not start")

            def fault():
                self.redis_cli(port, "shutdown", "nosave")

            with self.gunicorn({**env, "REDIS_URL": f"redis://{HOST}:{port}/0"}, "redis-down"):
                self.warm_up(client)
                outcomes, fault_at = client.run(seconds, fault=fault, fault_after=5)
        finally:
            self.redis_cli(port, "shutdown", "nosave")  # if it is still up
        result = PhaseResult("3. Redis down", seconds, outcomes, fault_at)
        after = [o for o in outcomes if o.started > fault_at + 0.5]
        result.notes.append(f"{len(after)} requests after Redis stopped")
        result.passed = not result.failures and bool(after)
        return result

    def redis_cli(self, port, *args):
        return subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(port), *args],
            capture_output=True,
            text=True,
            timeout=10,
        )

    # Report

    def summary(self, results, lost):
        self.stdout.write("\nLoad test summary")
        self.stdout.write("=================")
        for result in results:
            count = len(result.outcomes)
            statuses = ", ".join(f"{status}: {n}" for status, n in sorted(result.by_status.items()))
            verdict = "PASS" if result.passed else "FAIL"
            self.stdout.write(f"\n{result.name}  [{verdict}]")
            self.stdout.write(
                f"  requests: {count} in {result.duration} s ({count / result.duration:.0f}/s), "
                f"errors: {len(result.failures)}"
            )
            self.stdout.write(f"  by status: {statuses}")
            self.stdout.write(
                f"  latency: p50 {result.latency(0.5):.0f} ms, p95 {result.latency(0.95):.0f} ms, "
                f"max {result.latency(1.0):.0f} ms"
            )
            for note in result.notes:
                self.stdout.write(f"  {note}")
        self.stdout.write(f"\nDrugs lost: {lost}")
