"""What the benchmark and the load test share: Django set-up, the catalogue, gunicorn; and the
servers the benchmark puts beside it, Varnish and nginx."""

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def setup_django():
    """The ORM in this process, with the project's settings. Debug is on unless the caller says
    otherwise: it needs no SECRET_KEY, and the servers started below get production settings."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cancerhealth.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


def require_postgresql(tool):
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(f"{tool} runs on PostgreSQL: set DATABASE_URL=postgres://...")


def prepare_catalogue(drugs):
    """Migrates the database and tops it up to `drugs` drugs with `manage.py generate_drugs`."""
    from django.core.management import call_command

    from drugs.models import Drug

    call_command("migrate", verbosity=0)
    missing = drugs - Drug.objects.count()
    if missing > 0:
        call_command("generate_drugs", count=missing)


def server_env(static_root, **extra):
    """The environment of a production-like app server on loopback: debug off, plain HTTP."""
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "tools-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": os.environ.get("SITE_URL", f"http://{HOST}"),  # required with debug off
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("DJANGO_DEBUG", None)
    return env


def collectstatic(env):
    """Debug off serves the hashed files collectstatic writes; the servers need them."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=300,
    )


def port_is_free(port):
    try:
        socket.create_connection((HOST, port), 0.2).close()
    except OSError:
        return True
    return False


def get(port, path):
    """One GET on loopback: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": HOST})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def gunicorn(port, env, *, workers=2, options=(), log_path=None, ready_path="/healthz/"):
    """gunicorn serving cancerhealth.wsgi (the settings module comes from `env`) on
    127.0.0.1:`port`, ready once `ready_path` answers 200; stopped on leaving the block.
    Its output goes to `log_path` if given, else to this process's."""
    if not port_is_free(port):
        sys.exit(f"Something already listens on {HOST}:{port}; pick another --port.")
    log = open(log_path, "w") if log_path else None  # noqa: SIM115 (the child keeps it)
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "cancerhealth.wsgi"),
            *("--bind", f"{HOST}:{port}", "--workers", str(workers), "--log-level", "warning"),
            *options,
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )
    if log:
        log.close()
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                sys.exit(f"gunicorn on port {port} exited with status {process.returncode}")
            try:
                if get(port, ready_path)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"gunicorn on port {port} did not answer {ready_path} within 60 s")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


VCL = ROOT / "deploy" / "varnish" / "default.vcl"


def varnish_vcl(backend_port, path):
    """deploy/varnish/default.vcl with its backend on 127.0.0.1:`backend_port`, written to
    `path` (the shipped file's backend is the default app port, 8000)."""
    text = VCL.read_text()
    if '.port = "8000";' not in text:
        raise RuntimeError(f"{VCL} no longer names its backend port as expected")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace('.port = "8000";', f'.port = "{backend_port}";'))
    return path


@contextlib.contextmanager
def varnish(port, backend_port, workdir, memory="256m"):
    """varnishd with the project's VCL on 127.0.0.1:`port` in front of 127.0.0.1:`backend_port`,
    its state in `workdir`; stopped on leaving the block."""
    workdir = Path(workdir)
    if not port_is_free(port):
        raise RuntimeError(f"Something already listens on {HOST}:{port}")
    vcl = varnish_vcl(backend_port, workdir / "default.vcl")
    command = [
        *("varnishd", "-F", "-a", f"{HOST}:{port}", "-f", str(vcl)),
        *("-s", f"malloc,{memory}", "-n", str(workdir / "state")),
    ]
    with listening(command, port, "varnishd", log_path=workdir / "varnishd.log") as process:
        yield process


NGINX_CONF = """\
# Written by tools/servers.py for `make bench`: static files from {root}, nothing else.
worker_processes 2;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;
    keepalive_requests 1000000;  # keep-alive connections stay open for a whole run
    gzip_static on;  # the saved page's .gz copy for clients that take gzip, as Varnish does
    types {{
        text/html html;
    }}
    default_type application/octet-stream;
    client_body_temp_path {workdir}/temp/body;
    proxy_temp_path {workdir}/temp/proxy;
    fastcgi_temp_path {workdir}/temp/fastcgi;
    uwsgi_temp_path {workdir}/temp/uwsgi;
    scgi_temp_path {workdir}/temp/scgi;
    server {{
        listen {host}:{port};
        root {root};
    }}
}}
"""


@contextlib.contextmanager
def nginx(port, root_dir, workdir):
    """nginx (2 workers, keep-alive, no access log) serving the files under `root_dir` on
    127.0.0.1:`port`, its configuration, pid file, error log and temporary files in `workdir`;
    stopped on leaving the block. Its workers may run as another user: `root_dir` must be
    readable by all, e.g. under var/, not /tmp/pytest-*."""
    workdir, root_dir = Path(workdir).resolve(), Path(root_dir).resolve()
    if not shutil.which("nginx"):
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    if not port_is_free(port):
        raise RuntimeError(f"Something already listens on {HOST}:{port}")
    (workdir / "temp").mkdir(parents=True, exist_ok=True)
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(host=HOST, port=port, root=root_dir, workdir=workdir))
    command = [
        *("nginx", "-g", "daemon off;", "-c", str(conf)),
        *("-p", str(workdir), "-e", str(workdir / "error.log")),
    ]
    with listening(command, port, "nginx", log_path=workdir / "error.log") as process:
        yield process


@contextlib.contextmanager
def listening(command, port, name, log_path):
    """`command` running until the block ends, once it listens on 127.0.0.1:`port`; its
    output (or its own log) in `log_path`, quoted if it exits early."""
    with open(log_path, "a") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while port_is_free(port):
            if process.poll() is not None:
                tail = Path(log_path).read_text()[-2000:]
                raise RuntimeError(f"{name} exited with status {process.returncode}: {tail}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not listen on {HOST}:{port} within 30 s")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()  # nginx: fast shutdown; varnishd: stops its child too
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
