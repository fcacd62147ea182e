"""Costs that grow with data (issue 16): each figure is a ratio to its own small case, or to a
floor, measured in the same run — never a fixed number of seconds.

A benchmark, not a timed test: it prints figures (Markdown with ``--markdown FILE``) and never
fails on speed. Run one part or all of them (all take a few minutes on 2 CPUs):

    .venv/bin/python benchmarks/scale.py projects      # projects list at 10 / 1,000 / 5,000 (PostgreSQL)
    .venv/bin/python benchmarks/scale.py history       # history page at 10 / 1,000 revisions (PostgreSQL)
    .venv/bin/python benchmarks/scale.py diagram       # 5 / 50 / 300 elements: `generate` CPU, step page size
    .venv/bin/python benchmarks/scale.py audit         # audit page and CSV export at 2,000 / 200,000 events
    .venv/bin/python benchmarks/scale.py steps         # the seven step pages, one client, against a Flask floor
    .venv/bin/python benchmarks/scale.py cold-start    # `sbd-tool levels` against Python importing yaml, pydantic, docx
    .venv/bin/python benchmarks/scale.py memory        # one worker's RSS: typical pages, 200k-event CSV, big .docx
    .venv/bin/python benchmarks/scale.py all --markdown /tmp/scale.md

The web parts run the app in this process under Flask's test client (no HTTP server), signed in,
on a throwaway PostgreSQL cluster (tests/pgserver.py) except the diagram page (SQLite file).
Projects and revisions are made with the app's own ``create_project`` so they are stored the way
a user's would be. Queries per page are counted on the engine.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.* when run as a script

from tests.pgserver import throwaway_postgres  # noqa: E402

PYTHON = sys.executable
SBD = str(Path(PYTHON).with_name("sbd-tool"))  # the console script of this Python's environment
# Child processes import sbd_tool from this checkout (whichever one the environment installed).
CHILD_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
LINES: list[str] = []


def say(line: str = "") -> None:
    print(line, flush=True)
    LINES.append(line)


def median_of(runs: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def example(name: str = "citizen-portal") -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))


ALL_STEPS = {s: True for s in ("purpose", "features", "diagram", "questions", "conditions", "decisions", "output")}


# --- the app under the test client ----------------------------------------------------------


@contextlib.contextmanager
def web_app(database_url: str) -> Iterator[Any]:
    from sbd_tool.storage.db import make_engine, upgrade
    from sbd_tool.web import create_app
    from tests.accounts import TEST_HASH_METHOD

    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        }
    )
    try:
        yield app
    finally:
        app.extensions["sbd"]["engine"].dispose()


class QueryCounter:
    def __init__(self, app: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        event.listen(app.extensions["sbd"]["engine"], "before_cursor_execute", self._one)

    def _one(self, *_args: Any) -> None:
        self.count += 1


def signed_in(app: Any, username: str, role: str = "officer", org: str | None = "ベンチ省") -> Any:
    from tests.accounts import add_user, login

    add_user(app, username, role, org)
    client = app.test_client()
    login(client, username)
    return client


def make_projects(app: Any, username: str, count: int, answers: dict[str, Any], prefix: str = "案件") -> list[int]:
    """``count`` projects made the app's way (``create_project``: project row and first revision)."""
    from sqlalchemy import select

    from sbd_tool.storage.models import User
    from sbd_tool.web import store

    ids: list[int] = []
    done = 0
    while done < count:
        with app.test_request_context("/"):
            session = store.db()
            who = session.scalar(select(User).where(User.username == username))
            for _ in range(min(250, count - done)):
                data = copy.deepcopy(answers)
                data["project"]["name"] = f"{prefix}{done + 1:05d} {data['project'].get('name', '')}"[:200]
                ids.append(store.create_project(data, who, dict(ALL_STEPS)).id)
                done += 1
            session.commit()
            session.close()
    return ids


def page(client: Any, url: str) -> tuple[int, bytes]:
    response = client.get(url)
    return response.status_code, response.data


# --- projects list ---------------------------------------------------------------------------


def bench_projects(sizes: list[int], runs: int) -> None:
    say("## Projects list (GET /), officer of one organisation, PostgreSQL")
    say()
    say("| Projects | Median (ms) | Ratio to smallest | HTML (KB) | Queries |")
    say("|---:|---:|---:|---:|---:|")
    answers = example()
    with throwaway_postgres() as url, web_app(url) as app:
        client = signed_in(app, "bench-officer")
        counter = QueryCounter(app)
        made, base = 0, None
        for size in sorted(sizes):
            make_projects(app, "bench-officer", size - made, answers)
            made = size
            analyze(app)  # as autovacuum would after a bulk load: the planner sees the real row counts
            status, body = page(client, "/")
            assert status == 200, status
            before = counter.count
            page(client, "/")
            queries = counter.count - before
            elapsed = median_of(runs, lambda: page(client, "/"))
            base = base or elapsed
            say(f"| {size:,} | {ms(elapsed)} | {elapsed / base:.2f}× | {len(body) / 1024:,.0f} | {queries} |")
        say()
        say(f"The plan PostgreSQL chose for the list query at {made:,} projects (`EXPLAIN`):")
        say()
        for line in explain_list(app, client):
            say(f"    {line}")
        found = client.get("/?q=案件00042").data.decode()
        say()
        say(f"Search for one name at {made:,} projects: {'found' if '案件00042' in found else 'not found'}, "
            f"{ms(median_of(runs, lambda: page(client, '/?q=案件00042')))} ms.")  # fmt: skip
    say()


def analyze(app: Any) -> None:
    with app.extensions["sbd"]["engine"].begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def explain_list(app: Any, client: Any) -> list[str]:
    """PostgreSQL's plan for the projects list's page query, as the app sent it (statement and
    parameters caught on the engine while ``GET /`` runs)."""
    from sqlalchemy import event

    engine = app.extensions["sbd"]["engine"]
    caught: list[tuple[str, Any]] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if "ORDER BY project.updated_at DESC" in statement:
            caught.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", catch)
    try:
        page(client, "/")
    finally:
        event.remove(engine, "before_cursor_execute", catch)
    statement, parameters = caught[0]
    with engine.connect() as connection:
        return [row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters)]


# --- history ---------------------------------------------------------------------------------


def bench_history(sizes: list[int], runs: int) -> None:
    from sqlalchemy import select

    from sbd_tool.storage.models import Project, Revision

    say("## History page (GET /projects/<id>/history), PostgreSQL")
    say()
    say("| Revisions | Median (ms) | Ratio to smallest | HTML (KB) | Queries |")
    say("|---:|---:|---:|---:|---:|")
    answers = example()
    with throwaway_postgres() as url, web_app(url) as app:
        client = signed_in(app, "bench-officer")
        counter = QueryCounter(app)
        (pid,) = make_projects(app, "bench-officer", 1, answers)
        have, base = 1, None
        for size in sorted(sizes):
            with app.extensions["sbd"]["sessions"]() as session:
                project = session.get(Project, pid)
                assert project is not None
                first = session.scalar(select(Revision).where(Revision.project_id == pid, Revision.number == 1))
                assert first is not None
                for number in range(have + 1, size + 1):
                    session.add(Revision(project_id=pid, number=number, answers=answers, visited=ALL_STEPS,
                                         step="questions", content_version=first.content_version,
                                         author_id=first.author_id))  # fmt: skip
                project.version = size
                session.commit()
            have = size
            status, body = page(client, f"/projects/{pid}/history")
            assert status == 200, status
            before = counter.count
            page(client, f"/projects/{pid}/history")
            queries = counter.count - before
            elapsed = median_of(runs, lambda: page(client, f"/projects/{pid}/history"))
            base = base or elapsed
            say(f"| {size:,} | {ms(elapsed)} | {elapsed / base:.2f}× | {len(body) / 1024:,.0f} | {queries} |")
    say()


# --- diagram ---------------------------------------------------------------------------------


def diagram_answers(elements: int) -> dict[str, Any]:
    """The citizen portal with ``elements`` elements spread over its three zones, and one flow
    from each element to the portal server (so about as many flows as elements)."""
    data = example()
    info = [i["name"] for t in data["project"]["tasks"] for i in t["information"]]
    diagram = data["diagram"]
    diagram["elements"] = diagram["elements"][:1]
    diagram["flows"] = []
    kinds = ("subject", "terminal", "server", "datastore", "external")
    for n in range(2, elements + 1):
        zone = ("Z1", "Z2", "Z3")[n % 3]
        label = f"要素{n}（端末・利用者）"
        diagram["elements"].append({"id": f"E{n}", "kind": kinds[n % 5], "label": label, "zone": zone})
        diagram["flows"].append(
            {"id": f"F{n - 1}", "from": f"E{n}", "to": "E1", "information": info[n % len(info)], "means": "internet"}
        )
    return data


def child_cost(argv: list[str]) -> tuple[float, float, int]:
    """CPU seconds (user + system), wall seconds and peak RSS (KB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=CHILD_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{argv} failed: {proc.stderr.read().decode() if proc.stderr else status}")
    if proc.stderr:
        proc.stderr.close()
    proc.returncode = 0
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss


def bench_diagram(sizes: list[int], runs: int) -> None:
    from sbd_tool.answers.read import load_answers
    from sbd_tool.content import load_catalogue
    from sbd_tool.diagram import draw as diagram_draw
    from sbd_tool.document import build_document, render_docx
    from sbd_tool.engine.rules import evaluate

    say("## Diagram size")
    say()
    say("`sbd-tool generate … -o spec.docx` and `sbd-tool matrix … -o matrix.xlsx` as child processes "
        f"(median of {runs}; CPU = user + system); the document build in process; the step 3 page.")  # fmt: skip
    say()
    say("| Elements | generate CPU (ms) | ratio | generate peak RSS (MB) | matrix CPU (ms) | ratio | "
        "build+render, uncached (ms) | ratio | step page (KB) | ratio | step page (ms) | ratio |")  # fmt: skip
    say("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    catalogue = load_catalogue(ROOT)
    base: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="sbd-bench-") as tmp, web_app(f"sqlite:///{tmp}/bench.sqlite3") as app:
        client = signed_in(app, "bench-officer")
        for size in sizes:
            data = diagram_answers(size)
            source = Path(tmp) / f"diagram-{size}.yaml"
            source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            gen = [child_cost([SBD, "generate", str(source), "-o", f"{tmp}/out-{size}.docx"]) for _ in range(runs)]
            mat = [child_cost([SBD, "matrix", str(source), "-o", f"{tmp}/out-{size}.xlsx"]) for _ in range(runs)]
            answers = load_answers(source, catalogue)

            def build(answers: Any = answers) -> bytes:
                getattr(diagram_draw, "_cache", {}).clear()  # the first drawing, not the cached one
                evaluation = evaluate(catalogue, answers)
                return render_docx(build_document(catalogue, answers, evaluation, dt.date(2026, 11, 30)))

            in_process = median_of(runs, build)
            (pid,) = make_projects(app, "bench-officer", 1, data, prefix=f"図{size}-")
            url = f"/projects/{pid}/steps/diagram"
            status, body = page(client, url)
            assert status == 200, (status, body[:500])
            page_time = median_of(runs, lambda url=url: page(client, url))
            row = {
                "gen": statistics.median(c for c, _w, _m in gen),
                "mat": statistics.median(c for c, _w, _m in mat),
                "build": in_process,
                "size": len(body) / 1024,
                "page": page_time,
            }
            base = base or row
            rss = max(m for _c, _w, m in gen) / 1024

            ratio = {key: f"{row[key] / base[key]:.2f}×" for key in row}
            say(f"| {size} | {ms(row['gen'])} | {ratio['gen']} | {rss:,.0f} | {ms(row['mat'])} | {ratio['mat']} | "
                f"{ms(row['build'])} | {ratio['build']} | {row['size']:,.0f} | {ratio['size']} | "
                f"{ms(row['page'])} | {ratio['page']} |")  # fmt: skip
    say()


# --- audit log -------------------------------------------------------------------------------


def seed_audit(url: str, count: int, start: int) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_event (at, user_id, username, action, project_id, detail, address) "
                "SELECT now() - make_interval(secs => i), 1 + i % 50, 'user' || (i % 50), "
                "(ARRAY['login','revision','export','project_create'])[1 + i % 4], 1 + i % 500, "
                'CAST(\'{"name": "=案件", "revision": 3}\' AS json), \'192.0.2.\' || (i % 200) '
                "FROM generate_series(CAST(:start AS integer), CAST(:end AS integer)) AS i"
            ),
            {"start": start, "end": start + count - 1},
        )
    engine.dispose()


def max_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bench_audit(sizes: list[int], runs: int) -> None:
    say("## Audit log, PostgreSQL")
    say()
    say("| Events | page 1 (ms) | ratio | by user (ms) | ratio | CSV first byte (ms) | ratio | CSV all (ms) | "
        "CSV (MB) | worker memory growth during the CSV (MB) |")  # fmt: skip
    say("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with throwaway_postgres() as url, web_app(url) as app:
        client = signed_in(app, "bench-admin", role="admin", org=None)
        have, base = 0, None
        for size in sorted(sizes):
            seed_audit(url, size - have, have + 1)
            have = size
            page(client, "/admin/audit")  # warm
            first = median_of(runs, lambda: page(client, "/admin/audit"))
            by_user = median_of(runs, lambda: page(client, "/admin/audit?user=user7"))

            def export() -> tuple[float, float, int]:
                start = time.perf_counter()
                response = client.get("/admin/audit.csv", buffered=False)
                chunks = iter(response.response)
                size = len(next(chunks))
                first_byte = time.perf_counter() - start
                for chunk in chunks:
                    size += len(chunk)
                response.close()
                return first_byte, time.perf_counter() - start, size

            rss_before = max_rss_kb()
            results = [export() for _ in range(max(1, runs // 2))]
            growth = (max_rss_kb() - rss_before) / 1024
            first_byte = statistics.median(r[0] for r in results)
            total = statistics.median(r[1] for r in results)
            row = (first, by_user, first_byte)
            base = base or row
            say(f"| {size:,} | {ms(first)} | {first / base[0]:.2f}× | {ms(by_user)} | {by_user / base[1]:.2f}× | "
                f"{ms(first_byte)} | {first_byte / base[2]:.2f}× | {ms(total)} | {results[0][2] / 1e6:,.1f} | "
                f"{growth:,.0f} |")  # fmt: skip
    say()
    say(
        "Memory growth: the rise of this process's peak RSS over the exports of that size "
        "(0 when an earlier peak was higher)."
    )
    say()


# --- the request path ------------------------------------------------------------------------


def bench_steps(runs: int) -> None:
    """One client, in process: each step page of the sample project, against a bare Flask "hello"
    served by the same test client, and the queries each page runs."""
    from flask import Flask

    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "hello")
    hello_client = hello.test_client()
    floor = median_of(runs * 20, lambda: hello_client.get("/"))
    say("## Step pages, one client in process (SQLite)")
    say()
    say(f"Floor: a bare Flask app answering `GET /` through the same test client, {ms(floor)} ms.")
    say()
    say("| Step | Median (ms) | ÷ floor | Queries |")
    say("|---|---:|---:|---:|")
    steps = ("purpose", "features", "diagram", "questions", "conditions", "decisions", "output")
    with tempfile.TemporaryDirectory(prefix="sbd-bench-") as tmp, web_app(f"sqlite:///{tmp}/bench.sqlite3") as app:
        client = signed_in(app, "bench-officer")
        counter = QueryCounter(app)
        (pid,) = make_projects(app, "bench-officer", 1, example())
        medians = []
        for step in steps:
            url = f"/projects/{pid}/steps/{step}"
            assert page(client, url)[0] == 200
            before = counter.count
            page(client, url)
            queries = counter.count - before
            elapsed = median_of(runs * 4, lambda url=url: page(client, url))
            medians.append(elapsed)
            say(f"| {step} | {ms(elapsed)} | {elapsed / floor:.1f}× | {queries} |")
        overall = statistics.median(medians)
        say(f"| **median of the steps** | {ms(overall)} | {overall / floor:.1f}× | |")
    say()


# --- cold start ------------------------------------------------------------------------------


def bench_cold_start(runs: int) -> None:
    say("## Cold start")
    say()
    env = dict(CHILD_ENV)
    example_file = str(ROOT / "examples" / "citizen-portal.yaml")
    commands = {
        "floor: `python -c 'import yaml, pydantic, docx'`": [PYTHON, "-c", "import yaml, pydantic, docx"],
        "floor with a model: `… from pydantic import BaseModel`": [
            PYTHON,
            "-c",
            "import yaml, pydantic, docx; from pydantic import BaseModel",
        ],  # fmt: skip
        "`sbd-tool levels examples/citizen-portal.yaml`": [SBD, "levels", example_file],
        "`sbd-tool --help`": [SBD, "--help"],
    }
    probe = (
        "import time; t0 = time.perf_counter(); import sbd_tool.main; t1 = time.perf_counter(); "
        "from sbd_tool.content import load_catalogue; load_catalogue(); t2 = time.perf_counter(); "
        "load_catalogue(); t3 = time.perf_counter(); print(t1 - t0, t2 - t1, t3 - t2)"
    )
    # An installed package has its bytecode; a checkout run with PYTHONDONTWRITEBYTECODE has none,
    # and compiling every module on every start would be measured as start-up time.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "sbd_tool")], check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="sbd-cold-") as neutral:  # not the checkout: sys.path as installed
        say(f"Median of {runs} runs each, alternating; wall time and CPU (user + system) of the child.")
        say()
        say("| Command | wall (ms) | CPU (ms) | wall ÷ floor | CPU ÷ floor |")
        say("|---|---:|---:|---:|---:|")
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                start = time.perf_counter()
                proc = subprocess.Popen(argv, cwd=neutral, env=env, stdout=subprocess.DEVNULL)
                _pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = status
                results[name].append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime))
        floor = results[next(iter(commands))]
        floor_wall = statistics.median(w for w, _c in floor)
        floor_cpu = statistics.median(c for _w, c in floor)
        for name, values in results.items():
            wall = statistics.median(w for w, _c in values)
            cpu = statistics.median(c for _w, c in values)
            say(f"| {name} | {ms(wall)} | {ms(cpu)} | {wall / floor_wall:.2f}× | {cpu / floor_cpu:.2f}× |")
        found = []
        for _ in range(runs):
            out = subprocess.run(
                [PYTHON, "-c", probe], cwd=neutral, env=env, capture_output=True, text=True, check=True
            )
            found.append([float(x) for x in out.stdout.split()])
    imports, first, again = (statistics.median(f[i] for f in found) for i in range(3))
    say()
    say(f"In a fresh process (median of {runs}): importing `sbd_tool.main` {ms(imports)} ms, the first "
        f"`load_catalogue()` {ms(first)} ms, a second one (same content: cached) {ms(again)} ms.")  # fmt: skip
    say()


# --- worker memory ---------------------------------------------------------------------------


def rss_mb() -> float:
    """This process's resident memory now (not its peak), in MB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def trimmed_rss_mb() -> float:
    """RSS after a full collection and glibc's ``malloc_trim``: what the worker still holds, as
    against memory freed but kept by the allocator (fragmentation)."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_mb()


def bench_memory(events: int, elements: int) -> None:
    """One worker's memory (this process serves through the test client as a worker would): at
    start, after typical pages, after the data-heavy requests, and after those again (a cache
    without bound would keep growing)."""
    import tracemalloc

    say(f"## Worker memory (PostgreSQL, {events:,} audit events, a {elements}-element diagram)")
    say()
    say("| After | RSS (MB) | after gc + malloc_trim (MB) |")
    say("|---|---:|---:|")

    def row(label: str) -> None:
        say(f"| {label} | {rss_mb():,.0f} | {trimmed_rss_mb():,.0f} |")

    steps = ("purpose", "features", "diagram", "questions", "conditions", "decisions", "output")
    with throwaway_postgres() as url, web_app(url) as app:
        officer = signed_in(app, "bench-officer")
        admin = signed_in(app, "bench-admin", role="admin", org=None)
        (sample,) = make_projects(app, "bench-officer", 1, example())
        (large,) = make_projects(app, "bench-officer", 1, diagram_answers(elements), prefix="図")
        seed_audit(url, events, 1)
        page(officer, "/")
        row("start (app made, signed in, one page)")
        for _ in range(20):
            page(officer, "/")
            for step in steps:
                assert page(officer, f"/projects/{sample}/steps/{step}")[0] == 200
            page(officer, f"/projects/{sample}/spec.docx")
        row("20 rounds of the seven step pages, the list and the sample's .docx")
        tracemalloc.start()
        for round_ in (1, 2, 3):
            response = admin.get("/admin/audit.csv", buffered=False)
            size = sum(len(chunk) for chunk in response.response)
            response.close()
            row(f"audit CSV export ({size / 1e6:,.0f} MB), round {round_}")
            status, body = page(officer, f"/projects/{large}/spec.docx")
            assert status == 200, status
            page(officer, f"/projects/{large}/steps/diagram")
            row(f"{elements}-element diagram: .docx ({len(body) / 1e6:,.1f} MB) and step 3, round {round_}")
        held = tracemalloc.take_snapshot().statistics("filename")[:5]
        tracemalloc.stop()
    say()
    say("What Python still held at the end (tracemalloc, by file, since the heavy requests began):")
    say()
    for stat in held:
        where = stat.traceback[0].filename.replace(str(ROOT), ".")
        say(f"- {stat.size / 2**20:,.1f} MB in {stat.count:,} blocks: `{where}`")
    say()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "part", choices=("projects", "history", "diagram", "audit", "steps", "cold-start", "memory", "all")
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--projects", default="10,1000,5000")
    parser.add_argument("--revisions", default="10,1000")
    parser.add_argument("--elements", default="5,50,300")
    parser.add_argument("--events", default="2000,200000")
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    numbers = lambda text: [int(x) for x in text.split(",")]  # noqa: E731
    load = os.getloadavg()[0]
    say(f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {load:.1f} before the run.")  # fmt: skip
    say()
    if args.part in ("projects", "all"):
        bench_projects(numbers(args.projects), args.runs)
    if args.part in ("history", "all"):
        bench_history(numbers(args.revisions), args.runs)
    if args.part in ("diagram", "all"):
        bench_diagram(numbers(args.elements), args.runs)
    if args.part in ("audit", "all"):
        bench_audit(numbers(args.events), args.runs)
    if args.part in ("steps", "all"):
        bench_steps(args.runs)
    if args.part in ("memory", "all"):
        bench_memory(max(numbers(args.events)), max(numbers(args.elements)))
    if args.part in ("cold-start", "all"):
        bench_cold_start(max(args.runs, 10))
    if args.markdown:
        args.markdown.write_text("\n".join(LINES) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
