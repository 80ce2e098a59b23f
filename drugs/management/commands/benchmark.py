"""`make bench`: request rates of the public pages under gunicorn, against the framework's floor.

Not a test: it measures this machine. Needs PostgreSQL (DATABASE_URL), Redis for the warm runs
(REDIS_URL, default redis://127.0.0.1:6379/14) and wrk on PATH. Every server it starts listens
on 127.0.0.1 and is stopped when it ends.
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from drugs.models import Drug, DrugClass

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class Command(BaseCommand):
    help = "Benchmark the public pages with wrk against gunicorn (2 workers), cold and warm."

    def add_arguments(self, parser):
        parser.add_argument("--drugs", type=int, default=10_000)
        parser.add_argument("--duration", type=int, default=8, help="Seconds per wrk run.")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--output", default="var/bench/results.md")
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="Measure every page this many times, each against the floor measured in the "
            "same round; the report gives medians (a machine's speed drifts within minutes).",
        )

    def handle(self, *args, drugs, duration, connections, port, output, rounds, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
        if subprocess.run(["which", "wrk"], capture_output=True).returncode:
            raise CommandError("wrk is not installed (apt-get install wrk).")
        self.port, self.duration = port, duration

        call_command("migrate", verbosity=0)
        missing = drugs - Drug.objects.count()
        if missing > 0:
            call_command("generate_drugs", count=missing, stdout=self.stdout)
        call_command("render_markdown", stdout=self.stdout)  # a deploy step (make serve)
        with connection.cursor() as cursor:
            # What autovacuum would do in time after generating or re-rendering: the trigram
            # indexes' pending lists and the visibility map decide search and A-Z speed.
            cursor.execute("VACUUM ANALYZE")
        drug = Drug.objects.published().order_by("pk")[len(Drug.objects.all()) // 2 :].first()
        drug_class = DrugClass.objects.with_published_counts().order_by("-published_drug_count")[0]
        search_term = drug.generic_name[:-2]  # a prefix, like a reader still typing
        pages = {
            "floor (constant view)": "/healthz/",
            "drug page": drug.get_absolute_url(),
            "class page": drug_class.get_absolute_url(),
            "A-Z page": "/drugs/?letter=B",
            "search": f"/search/?q={search_term}",
            "home page": "/",
        }
        queries = self.count_queries(pages)
        static_root = Path(settings.BASE_DIR, "var", "bench-static")
        env = self.server_env(static_root)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env=env, check=True
        )

        runs = [(name, path, connections) for name, path in pages.items()]
        runs.append(("search, 1 connection", pages["search"], 1))
        rows = []
        for mode, mode_env in [
            ("cold", {"PAGE_CACHE_SECONDS": "0"}),
            ("warm", {"REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")}),
        ]:
            with self.gunicorn({**env, **mode_env}):
                for path in pages.values():
                    self.wrk(path, 1, 2)  # warm up (and fill the cache)
                samples = {name: [] for name, _path, _connections in runs}
                for round_number in range(1, rounds + 1):
                    for name, path, run_connections in runs:
                        result = self.wrk(path, run_connections, duration)
                        samples[name].append(result)
                        self.stdout.write(
                            f"{mode:5} round {round_number} {name:22} {result['rps']:8.0f} req/s"
                        )
                floors = [result["rps"] for result in samples["floor (constant view)"]]
                for name, path, _connections in runs:
                    rows.append({"mode": mode, "page": name, "path": path})
                    rows[-1] |= self.summary(samples[name], floors)

        report = self.report(rows, queries, drugs, connections, rounds)
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(report)
        self.stdout.write("\n" + report)
        self.stdout.write(f"Written to {output}")

    def count_queries(self, pages):
        client = Client()
        counts = {}
        with self.settings_override():
            for name, path in pages.items():
                with CaptureQueriesContext(connection) as context:
                    response = client.get(path, headers={"host": "127.0.0.1"})
                assert response.status_code == 200, (path, response.status_code)
                counts[name] = len(context.captured_queries)
        return counts

    def settings_override(self):
        from django.test import override_settings

        return override_settings(PAGE_CACHE_SECONDS=0, DEBUG=False)

    def server_env(self, static_root):
        env = {
            **os.environ,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(static_root),
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DJANGO_DEBUG", None)
        env.pop("REDIS_URL", None)
        return env

    def gunicorn(self, env):
        command = self

        class Server:
            def __enter__(self):
                self.process = subprocess.Popen(
                    [
                        *(sys.executable, "-m", "gunicorn", "cancerhealth.wsgi"),
                        *("--bind", f"127.0.0.1:{command.port}", "--workers", "2"),
                        *("--log-level", "warning"),
                    ],
                    env=env,
                )
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        socket.create_connection(("127.0.0.1", command.port), 0.2).close()
                        return self
                    except OSError:
                        time.sleep(0.2)
                raise CommandError("gunicorn did not start")

            def __exit__(self, *exc):
                self.process.terminate()
                self.process.wait(timeout=15)

        return Server()

    def wrk(self, path, connections, duration):
        url = f"http://127.0.0.1:{self.port}{path}"
        threads = min(2, connections)
        result = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
            capture_output=True,
            text=True,
            check=True,
        )
        out = result.stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        latency = {
            pct: float(value) * UNITS[unit]
            for pct, value, unit in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s)\b", out)
        }
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return {
            "rps": rps,
            "p50": latency.get("50"),
            "p99": latency.get("99"),
            "errors": int(errors.group(1)) if errors else 0,
        }

    @staticmethod
    def summary(results, floors):
        """The medians of one page's rounds; its share of the floor is taken round by round."""
        ratios = [
            100 * result["rps"] / floor for result, floor in zip(results, floors, strict=True)
        ]
        return {
            "rps": statistics.median(result["rps"] for result in results),
            "p50": statistics.median(result["p50"] for result in results),
            "p99": statistics.median(result["p99"] for result in results),
            "errors": sum(result["errors"] for result in results),
            "ratio": statistics.median(ratios),
            "ratio_range": (min(ratios), max(ratios)),
        }

    def report(self, rows, queries, drugs, connections, rounds):
        lines = [
            f"Benchmark: {drugs} drugs on PostgreSQL, gunicorn with 2 workers on 127.0.0.1, "
            f"wrk with {connections} connections ({self.duration} s a run) unless noted.",
            f"Machine: {os.cpu_count()} cores. Cold = page cache off; warm = Redis page cache.",
            f"Medians of {rounds} rounds; each round measures the floor, then every page, so a "
            "page's share of the floor compares runs a minute apart at most.",
            "",
            "| mode | page | req/s | p50 ms | p99 ms | queries | % of floor | range | non-2xx |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in rows:
            name = row["page"].removesuffix(", 1 connection")
            query_count = queries.get(name, "")
            if row["mode"] == "warm" and query_count != "":
                query_count = 0
            low, high = row["ratio_range"]
            lines.append(
                f"| {row['mode']} | {row['page']} | {row['rps']:.0f} | {row['p50']:.1f} | "
                f"{row['p99']:.1f} | {query_count} | {row['ratio']:.0f}% | "
                f"{low:.0f}-{high:.0f}% | {row['errors']} |"
            )
        return "\n".join([*lines, ""])
