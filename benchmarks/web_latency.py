"""Step-page latency of the wizard under concurrent clients, against a bare Flask "hello" floor.

A benchmark, not a timed test: it prints figures (and optionally writes them as Markdown for
docs/performance.md) but only fails on errors, never on speed.

    .venv/bin/python benchmarks/web_latency.py
    .venv/bin/python benchmarks/web_latency.py --clients 50 --workers 4 --requests 40 --markdown /tmp/result.md

What it does, all on this machine and in this one run:

1. starts a throwaway PostgreSQL cluster (tests/pgserver.py) and runs ``sbd-tool db upgrade`` on it;
2. starts the wizard with ``sbd-tool serve --workers N`` (gunicorn) and creates a project the way a
   user does: the projects page, then the "サンプルから作成" form (CSRF token and session cookie);
3. starts the bare Flask app ``benchmarks/hello_app.py`` with the very gunicorn command line that
   ``sbd-tool serve`` execs (captured, with only the app swapped), so both get the same server;
4. for each target: C client threads (one ``http.client`` connection each, reopened whenever the
   server closes it), a warm-up, then a fixed duration (or a fixed number of requests per client);
   the targets alternate for a few rounds, pooled, so passing load on the machine hits both alike.
   The wizard clients rotate through the project's seven step URLs, each client at its own offset,
   and send the session cookie a browsing user would have;
5. reports requests, errors (non-200 or exceptions), median / p90 / p99 latency, throughput and
   the ratio median(step) / median(hello); the aim is a ratio of at most 3 with no errors at 50
   clients. The exit status is 1 when there was any error, whether or not the aim is met.

The client threads share the machine (and one Python process) with the servers, so the figures are
for comparison within a run, not absolute capacity. Everything started is stopped, and the
database removed, on success, failure, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import math
import os
import platform
import re
import secrets
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from types import FrameType
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # for tests.pgserver when run as a script

from tests.pgserver import free_port, throwaway_postgres  # noqa: E402

HOST = "127.0.0.1"
WIZARD_APP = "sbd_tool.web.wsgi:app"
HELLO_APP = "hello_app:app"
AIM_RATIO = 3.0
AIM_CLIENTS = 50


# --- servers ---------------------------------------------------------------------------------


def serve_argv(port: int, workers: int, env: dict[str, str]) -> list[str]:
    """The gunicorn command line ``sbd-tool serve --workers N`` would exec, captured instead of run,
    in ``env`` (``serve`` opens the database first and refuses one that is not migrated)."""
    from sbd_tool import cli

    captured: list[str] = []

    class _Captured(Exception):
        pass

    def fake_execv(_path: str, args: list[str]) -> None:
        captured.extend(args)
        raise _Captured

    with mock.patch.object(os, "execv", fake_execv), mock.patch.dict(os.environ, env), contextlib.suppress(_Captured):
        assert cli.serve.callback is not None
        cli.serve.callback(host=HOST, port=port, workers=workers)
    if WIZARD_APP not in captured:
        raise RuntimeError(f"`sbd-tool serve --workers {workers}` did not exec gunicorn with {WIZARD_APP}")
    return captured


def server_description(argv: list[str]) -> str:
    """Worker count and class as gunicorn reads them from the command line (its defaults otherwise)."""

    def option(*names: str, default: str) -> str:
        for i, arg in enumerate(argv):
            for name in names:
                if arg == name and i + 1 < len(argv):
                    return argv[i + 1]
                if arg.startswith(f"{name}="):
                    return arg.split("=", 1)[1]
        return default

    import gunicorn

    workers = option("--workers", "-w", default="1")
    worker_class = option("--worker-class", "-k", default="sync")
    threads = option("--threads", default="1")
    return (
        f"gunicorn {gunicorn.__version__}, {workers} workers, worker class `{worker_class}`, {threads} thread(s) each"
    )


@contextlib.contextmanager
def running(name: str, argv: list[str], env: dict[str, str], log: Path, port: int) -> Iterator[None]:
    """Run a server in its own process group until the block ends; wait until it answers ``GET /``
    (with a page, or with the redirect to sign-in)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with status {proc.returncode}:\n{_tail(log)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer within 60 s:\n{_tail(log)}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection(HOST, port, timeout=5)
                try:
                    conn.request("GET", "/")
                    if conn.getresponse().status in (200, 302):  # the wizard sends visitors to sign in
                        break
                finally:
                    conn.close()
            time.sleep(0.2)
        yield
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Graceful stop of the gunicorn master, then SIGKILL whatever is left of its process group."""
    if proc.poll() is None:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(15)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- a user's way to a project ---------------------------------------------------------------


class Browser:
    """Just enough of a browser for the set-up: one connection, a cookie jar, no redirects followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", errors="replace")
            for header in resp.headers.get_all("Set-Cookie") or []:
                for morsel in SimpleCookie(header).values():
                    self.cookies[morsel.key] = morsel.value
            return resp.status, resp.headers.get("Location", ""), text
        finally:
            conn.close()


BENCH_USER, BENCH_PASSWORD = "bench-officer", secrets.token_urlsafe(16)


def add_officer(database_url: str) -> None:
    """An organisation and an officer to sign in as (the wizard is behind sign-in)."""
    from sqlalchemy.orm import Session
    from werkzeug.security import generate_password_hash

    from sbd_tool.storage.db import make_engine
    from sbd_tool.storage.models import Organisation, User

    engine = make_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with Session(engine) as session:
        org = Organisation(name="ベンチマーク省")
        session.add(org)
        session.flush()
        session.add(User(username=BENCH_USER, display_name="計測 職員", role="officer", organisation_id=org.id,
                         password_hash=generate_password_hash(BENCH_PASSWORD)))  # fmt: skip
        session.commit()
    engine.dispose()


def _token(page: str) -> str:
    token_input = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page)
    token = re.search(r'value="([^"]+)"', token_input.group(0)) if token_input else None
    if token is None:
        raise RuntimeError("no CSRF token on the page")
    return token.group(1)


def create_project(port: int, sample: str) -> tuple[list[str], str]:
    """Sign in, create a project from a sample through the projects page; return its step paths and the cookie."""
    from sbd_tool.content import load_catalogue

    browser = Browser(port)
    _, _, login_page = browser.request("GET", "/login")
    form = {"username": BENCH_USER, "password": BENCH_PASSWORD, "csrf_token": _token(login_page)}
    status, _, _ = browser.request("POST", "/login", form)
    if status != 302:
        raise RuntimeError(f"signing in answered {status}")
    status, _, page = browser.request("GET", "/")
    if status != 200:
        raise RuntimeError(f"GET / answered {status}")
    actions = re.findall(r'action="(/projects/sample/[^"]+)"', page)
    action = next((a for a in actions if a.rsplit("/", 1)[-1] == sample), None)
    if action is None:
        raise RuntimeError(f"no 'create from sample' form for {sample!r} on the projects page (found {actions})")
    token_input = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page)
    token = re.search(r'value="([^"]+)"', token_input.group(0)) if token_input else None
    if token is None:
        raise RuntimeError("no CSRF token on the projects page")
    status, location, _ = browser.request("POST", action, {"csrf_token": token.group(1)})
    found = re.search(r"/projects/(\d+)/steps/", location)
    if status != 302 or found is None:
        raise RuntimeError(f"creating from the sample answered {status} (Location {location!r})")
    project_id = int(found.group(1))
    # Follow the redirect once, as a browser does: it shows (and drops) the flash message.
    browser.request("GET", urllib.parse.urlsplit(location).path)
    paths = [f"/projects/{project_id}/steps/{s.id}" for s in load_catalogue().steps.steps]
    for path in paths:
        status, _, _ = browser.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status} before the benchmark started")
    return paths, browser.cookie_header()


# --- load ------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    paths: list[str]
    latencies: list[tuple[int, float]] = field(default_factory=list)  # (path index, seconds) of 200 answers
    errors: Counter[str] = field(default_factory=Counter)
    warmup_errors: Counter[str] = field(default_factory=Counter)
    wall: float = 0.0

    def merge(self, other: Result) -> None:
        """Pool another round of the same target."""
        self.latencies.extend(other.latencies)
        self.errors.update(other.errors)
        self.warmup_errors.update(other.warmup_errors)
        self.wall += other.wall

    @property
    def seconds(self) -> list[float]:
        return sorted(s for _, s in self.latencies)

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000 if self.latencies else math.nan

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of the successful requests."""
        values = self.seconds
        if not values:
            return math.nan
        return values[max(0, math.ceil(p / 100 * len(values)) - 1)] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else math.nan

    def median_ms_by_path(self) -> list[tuple[str, float]]:
        out = []
        for i, path in enumerate(self.paths):
            values = [s for j, s in self.latencies if j == i]
            out.append((path, statistics.median(values) * 1000 if values else math.nan))
        return out


@dataclass(frozen=True)
class Plan:
    clients: int
    warmup: int  # unmeasured requests per client
    requests: int | None  # measured requests per client, or
    duration: float | None  # seconds of measurement per client
    timeout: float = 60.0  # per request


def run_load(name: str, port: int, paths: list[str], plan: Plan, cookie: str = "") -> Result:
    """``plan.clients`` threads, each with its own connection, rotating through ``paths`` from its own offset."""
    clients, warmup, requests, duration, timeout = plan.clients, plan.warmup, plan.requests, plan.duration, plan.timeout
    result = Result(name, paths)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)  # all clients finish warming up before the clock starts
    headers = {"Cookie": cookie} if cookie else {}

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        ok: list[tuple[int, float]] = []
        errors: Counter[str] = Counter()
        warm_errors: Counter[str] = Counter()
        turn = offset

        def one(errs: Counter[str], keep: bool) -> None:
            nonlocal turn
            index = turn % len(paths)
            turn += 1
            began = time.perf_counter()
            try:
                conn.request("GET", paths[index], headers=headers)
                resp = conn.getresponse()
                resp.read()  # with Connection: close, http.client reopens on the next request
            except Exception as exc:  # every failure is counted, none stops the run
                conn.close()
                errs[type(exc).__name__] += 1
                return
            elapsed = time.perf_counter() - began
            if resp.status != 200:
                errs[f"HTTP {resp.status}"] += 1
            elif keep:
                ok.append((index, elapsed))

        try:
            for _ in range(warmup):
                one(warm_errors, keep=False)
        finally:
            start.wait()
        if requests is not None:
            for _ in range(requests):
                one(errors, keep=True)
        else:
            deadline = time.perf_counter() + (duration or 0.0)
            while time.perf_counter() < deadline:
                one(errors, keep=True)
        conn.close()
        with lock:
            result.latencies.extend(ok)
            result.errors.update(errors)
            result.warmup_errors.update(warm_errors)

    threads = [threading.Thread(target=client, args=(i,), daemon=True, name=f"{name}-{i}") for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - began
    return result


# --- report ----------------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def postgres_version(url: str) -> str:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.exec_driver_sql("SHOW server_version").scalar())
    finally:
        engine.dispose()


def markdown(
    hello: Result, steps: Result, args: argparse.Namespace, server: str, pg_version: str, command: str, load: float
) -> str:
    ratio = steps.median_ms / hello.median_ms
    errors = sum(hello.errors.values()) + sum(steps.errors.values())
    warmup_errors = sum(hello.warmup_errors.values()) + sum(steps.warmup_errors.values())
    met = ratio <= AIM_RATIO and errors == warmup_errors == 0 and args.clients >= AIM_CLIENTS
    plan = f"{args.duration:g} s" if args.duration is not None else f"{args.requests} requests per client"
    rows = [
        "| Target | Requests | Errors | Median (ms) | p90 (ms) | p99 (ms) | Throughput (req/s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in (('Bare Flask "hello"', hello), ("Wizard step pages (7, rotating)", steps)):
        rows.append(
            f"| {label} | {r.requests} | {sum(r.errors.values())} | {r.median_ms:.1f} | {r.percentile_ms(90):.1f}"
            f" | {r.percentile_ms(99):.1f} | {r.throughput:.0f} |"
        )
    per_step = " · ".join(f"{p.rsplit('/', 1)[-1]} {ms:.1f}" for p, ms in steps.median_ms_by_path())
    lines = [
        f"Measured {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with",
        "",
        f"    {command}",
        "",
        f"- Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()},"
        f" Python {platform.python_version()}, PostgreSQL {pg_version}; load average {load:.2f} just before the run.",
        f"- Server (both targets): `sbd-tool serve --workers {args.workers}` → {server}.",
        f"- Load: {args.clients} concurrent clients on the same machine, {args.warmup} warm-up requests each,"
        f" then {plan} measured; {args.rounds} alternating round(s) per target, pooled.",
        "",
        *rows,
        "",
        f"Median per step page (ms): {per_step}.",
        "",
        f"**Ratio median(step) / median(hello): {ratio:.1f}×** — aim ≤ {AIM_RATIO:g}× with zero errors at"
        f" {AIM_CLIENTS} clients: **{'met' if met else 'not met'}**"
        f" ({errors} errors, {warmup_errors} in warm-up).",
    ]
    return "\n".join(lines) + "\n"


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=50, help="concurrent client threads (default 50)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, at least 2 (default 4)")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured requests per client first (default 10)")
    parser.add_argument(
        "--duration", type=float, default=15.0, help="seconds measured per target and round (default 15)"
    )
    parser.add_argument("--requests", type=int, help="measure this many requests per client instead of a duration")
    parser.add_argument("--rounds", type=int, default=2, help="alternating hello/step rounds, pooled (default 2)")
    parser.add_argument("--sample", default="citizen-portal", help="sample project to create (default citizen-portal)")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the result section to FILE")
    args = parser.parse_args(argv)
    if args.workers < 2:
        parser.error("--workers must be at least 2: with one, `sbd-tool serve` runs Flask's server, not gunicorn")
    if (
        args.rounds < 1
        or args.clients < 1
        or args.duration <= 0
        or (args.requests is not None and args.requests < 1)
        or args.warmup < 0
    ):
        parser.error("--rounds, --clients, --duration and --requests must be positive, --warmup not negative")
    if args.requests is not None:
        args.duration = None
    return args


def figure_options(argv: list[str] | None) -> list[str]:
    """The command-line options that shape the figures (``--markdown FILE`` does not)."""
    given = list(sys.argv[1:] if argv is None else argv)
    kept: list[str] = []
    while given:
        arg = given.pop(0)
        if arg == "--markdown":
            given = given[1:]
        elif not arg.startswith("--markdown="):
            kept.append(arg)
    return kept


def _sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signal.SIGTERM)  # unwind, so the servers and the database are cleaned up


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _sigterm)
    command = shlex.join([".venv/bin/python", "benchmarks/web_latency.py", *figure_options(argv)])
    load_before = os.getloadavg()[0]  # other work on the machine skews the figures: say how busy it was
    bin_dir = Path(sys.executable).parent
    plan = Plan(args.clients, args.warmup, args.requests, args.duration)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if load_before > 0.25 * (os.cpu_count() or 1):
        say(f"warning: the machine is busy (load average {load_before:.2f}); the figures will be skewed")
    with contextlib.ExitStack() as stack:
        say("starting PostgreSQL…")
        url = stack.enter_context(throwaway_postgres(max_connections=200))
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sbd-bench-")))
        env = {**os.environ, "DATABASE_URL": url, "SBD_SECRET_KEY": secrets.token_hex(32)}
        subprocess.run([str(bin_dir / "sbd-tool"), "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
        add_officer(url)

        wizard_port, hello_port = free_port(), free_port()
        hello_argv = serve_argv(hello_port, args.workers, env)
        hello_argv[hello_argv.index(WIZARD_APP) : hello_argv.index(WIZARD_APP) + 1] = [
            "--pythonpath",
            str(BENCH),
            HELLO_APP,
        ]
        wizard_cmd = [str(bin_dir / "sbd-tool"), "serve", "--host", HOST, "--port", str(wizard_port)]
        say(f"starting the wizard and the hello app ({args.workers} gunicorn workers each)…")
        stack.enter_context(
            running(
                "sbd-tool serve", [*wizard_cmd, "--workers", str(args.workers)], env, logs / "wizard.log", wizard_port
            )
        )
        stack.enter_context(running("hello app", hello_argv, env, logs / "hello.log", hello_port))
        paths, cookie = create_project(wizard_port, args.sample)

        # Alternate the targets, so a passing burst of other work on the machine hits both alike.
        hello, steps = Result("hello", ["/"]), Result("steps", paths)
        for round_ in range(1, args.rounds + 1):
            say(f'round {round_}/{args.rounds}: bare Flask "hello" with {args.clients} clients…')
            hello.merge(run_load("hello", hello_port, ["/"], plan))
            say(f"round {round_}/{args.rounds}: the wizard's {len(paths)} step pages with {args.clients} clients…")
            steps.merge(run_load("steps", wizard_port, paths, plan, cookie))

        section = markdown(
            hello, steps, args, server_description(hello_argv), postgres_version(url), command, load_before
        )
    print(section)
    if args.markdown:
        args.markdown.write_text(section, encoding="utf-8")
    for r in (hello, steps):
        if r.errors or r.warmup_errors:
            print(f"{r.name}: errors {dict(r.errors)}, in warm-up {dict(r.warmup_errors)}", file=sys.stderr)
    return 1 if any(r.errors or r.warmup_errors for r in (hello, steps)) else 0


if __name__ == "__main__":
    sys.exit(main())
