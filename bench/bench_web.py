"""Web throughput and latency (issue 7): report page and dashboard under 20 connections.

    python bench/bench_web.py                       # 10 s per target, 2 gunicorn workers
    python bench/bench_web.py --duration 20 --workers 4

gunicorn (`pip install -e '.[bench]'`) serves the application pinned to core 0 (`taskset -c 0`);
Debian's wrk (installed with apt-get when missing and root) runs on core 1 (`taskset -c 1`) with
20 connections over the loopback. The installation is fresh: the samples (seeds 000–004) imported
with `--backfill` into SQLite, an administrator logged in through the login form (its session
cookie goes to wrk) and an API token. Targets, in one run:

- a bare Flask route (`bare_app()` below: returns a short text), served the same way: the ceiling;
- the report page `/o/ha-tinh/reports?kind=foreign-affairs&period=2022&as_of=2022-12-31` (HTML,
  session cookie) and the key-task report page of seed 000;
- the dashboard `/o/ha-tinh/?year=2022` (session cookie);
- the report as JSON through the API (bearer token);
- issue 15's pages: the search page (columns, filters), the history landing (recently changed
  records) and the task progress form (its task picker).

The floors: p95 under 150 ms and at least 25 % of the bare route's requests/s (issue 7); the
two report pages at least 50 % (issue 16). p95 comes from wrk's latency histogram (`--latency`,
read through a Lua `done` hook, which also counts every answer that is not 200: a redirect to
the login page would otherwise look fast).

`--built` measures instead the report pages built on every request (issue 16): one page of each
report kind with `known_by=now`, which is never kept (the instant moves), so each request
builds the report and renders it. Floor: p95 under 150 ms under the same 20 connections (their
share of the bare route is printed, with no floor).

    python bench/bench_web.py --built --rounds 1 --duration 5
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
NGOAIVU = BIN / "ngoaivu"
USER_AGENT = "ngoaivu-bench"
PASSWORD = "mat-khau-do-hieu-nang"
P95_CEILING_MS = 150.0
RATIO_FLOOR = 0.25  # issue 7: every page
REPORT_FLOOR = 0.50  # issue 16: the kept report pages
# Issue 16: a page of each report kind built per request (`known_by=now` is never kept).
BUILT = [
    ("key-tasks", "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"),
    (
        "assigned-tasks",
        "/o/gia-lai/reports?kind=assigned-tasks&period=2020&programme=UBND-2020&as_of=2020-12-31",
    ),
    ("foreign-affairs", "/o/ha-tinh/reports?kind=foreign-affairs&period=2022&as_of=2022-12-31"),
    (
        "emulation",
        "/o/ha-tinh/reports?kind=emulation&period=2020&window=calendar&as_of=2020-12-31",
    ),
    ("award-register", "/o/ha-tinh/reports?kind=award-register&period=2020&as_of=2020-12-31"),
    (
        "award-irregular",
        "/o/ha-tinh/reports?kind=award-irregular&period=2020&window=calendar&as_of=2020-12-31",
    ),
]
LUA = r"""
local statuses = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + t:get("bad") end
  io.write(string.format("BENCH p50=%d p95=%d p99=%d requests=%d seconds=%f non200=%d errors=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.requests,
    summary.duration / 1e6, bad_total,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout))
end
"""


def bare_app():  # type: ignore[no-untyped-def]
    """The ceiling: a Flask route that returns a short text, nothing else."""
    from flask import Flask

    app = Flask("bare")

    @app.route("/bare")
    def bare() -> str:
        return "ok"

    return app


def ensure_tools() -> None:
    """wrk (Debian package, installed when missing and root), taskset, gunicorn."""
    if shutil.which("wrk") is None:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            print("installing wrk (apt-get install -y wrk)", file=sys.stderr)
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            done = subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, capture_output=True)
            if done.returncode != 0:
                subprocess.run(["apt-get", "update"], env=env, capture_output=True)
                subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, check=True)
        else:
            raise SystemExit("wrk is missing: apt-get install wrk (as root)")
    if shutil.which("taskset") is None:
        raise SystemExit("taskset is missing (util-linux)")
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        raise SystemExit("gunicorn is missing: pip install -e '.[bench]'") from None
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("needs two cores: the server on core 0, wrk on core 1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_ngoaivu(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [str(NGOAIVU), *args], env=env, input=stdin, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"ngoaivu {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def install(data: Path) -> tuple[dict[str, str], str]:
    """A fresh installation with the samples and an administrator; (environment, API token)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        NGOAIVU_DATA=str(data),
        NGOAIVU_SECRET_KEY="bench-web-secret",
        NGOAIVU_COOKIE_SECURE="0",  # plain HTTP on the loopback
        NGOAIVU_ACTOR="bench",
    )
    for sample in sorted((ROOT / "samples").glob("*.jsonl")):
        run_ngoaivu(env, "import", "--backfill", "--quiet", str(sample))
    run_ngoaivu(
        env,
        *("user", "add", "bench", "--org", "ha-tinh", "--org", "gia-lai", "--role", "admin"),
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    token = run_ngoaivu(env, "user", "token", "bench").strip().split()[-1]
    return env, token


class Server:
    """gunicorn pinned to core 0."""

    def __init__(self, target: str, env: dict[str, str], workers: int, chdir: Path) -> None:
        self.port = free_port()
        self.command = [
            "taskset",
            "-c",
            "0",
            str(BIN / "gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(chdir),
            "--log-level",
            "warning",
            target,
        ]
        self.proc = subprocess.Popen(self.command, env=env)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start: {' '.join(self.command)}") from None
                time.sleep(0.2)

    def cpu(self) -> float:
        """CPU seconds (user + system) used so far by the master and its workers."""
        pids = [self.proc.pid]
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            pids += [int(p) for p in children.split()]
        except OSError:
            pass
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def login(base: str) -> str:
    """Log in through the form as a browser would; the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    form = {"username": "bench", "password": PASSWORD, "csrf_token": token.group(1)}
    opener.open(base + "/login", urllib.parse.urlencode(form).encode()).read()
    cookie = next((c.value for c in jar if c.name == "ngoaivu_session"), None)
    if cookie is None:
        raise SystemExit("login failed: no session cookie")
    return cookie


def check(url: str, headers: dict[str, str], must: str) -> None:
    """One request as wrk will send it: 200 and the expected text."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request) as response:
        body = response.read().decode()
        if response.status != 200 or must not in body:
            raise SystemExit(f"{url}: {response.status}, {must!r} not in the answer")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise SystemExit(f"redirected: {args[-1]} (not logged in?)")


def wrk(
    url: str, headers: dict[str, str], duration: int, script: Path, server: Server | None = None
) -> dict[str, float]:
    """One wrk run; with `server`, also the server's CPU milliseconds per request."""
    cpu = server.cpu() if server else 0.0
    command = ["taskset", "-c", "1", "wrk", "-t2", "-c20", f"-d{duration}s", "--latency"]
    for name, value in {"User-Agent": USER_AGENT, **headers}.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(script), url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    found = re.search(r"^BENCH (.*)$", done.stdout, re.M)
    if not found:
        raise SystemExit(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    values = dict(pair.split("=") for pair in found.group(1).split())
    out = {k: float(v) for k, v in values.items()}
    out["rps"] = out["requests"] / out["seconds"]
    if server:
        out["cpu_ms"] = (server.cpu() - cpu) * 1000 / max(out["requests"], 1)
    return out


def _chosen(name: str, only: list[str]) -> bool:
    return not only or any(words in name for words in only)


def floor_of(name: str, built: bool) -> float:
    """The share of the bare route a target must reach (none for pages built per request)."""
    if built:
        return 0.0
    return REPORT_FLOOR if name.startswith("report page") else RATIO_FLOOR


def shown(command: list[str]) -> str:
    return " ".join(c if re.match(r"^[\w@%+=:,./-]+$", c) else repr(c) for c in command)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (sync)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every target")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORDS",
        help="measure only the targets whose name holds these words (repeatable)",
    )
    parser.add_argument(
        "--built",
        action="store_true",
        help="report pages of every kind built per request (known_by=now) instead",
    )
    args = parser.parse_args()
    ensure_tools()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"# {os.cpu_count()} cores, Python {platform.python_version()}, load {load}")
    with tempfile.TemporaryDirectory(prefix="ngoaivu-bench-web-") as tmp:
        script = Path(tmp) / "count.lua"
        script.write_text(LUA)
        started = time.perf_counter()
        env, token = install(Path(tmp) / "var")
        print(f"# installation with the samples: {time.perf_counter() - started:.1f} s")
        bare_env = {**env, "PYTHONPATH": str(HERE)}
        bare = Server("bench_web:bare_app()", bare_env, args.workers, HERE)
        app = Server("web:create_app()", env, args.workers, ROOT)
        commands = [shown(bare.command), shown(app.command)]
        try:
            # A browser keeps the cookie the server sends back (every 30 s of activity, with the
            # session's last-seen time); wrk cannot, so each measurement logs in afresh.
            cookie = {"Cookie": f"ngoaivu_session={login(app.base)}"}
            bearer = {"Authorization": f"Bearer {token}"}
            fa = "/o/ha-tinh/reports?kind=foreign-affairs&period=2022&as_of=2022-12-31"
            kt = "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"
            dash = "/o/ha-tinh/?year=2022"
            api = "/api/v1/orgs/ha-tinh/reports/foreign-affairs?period=2022&as_of=2022-12-31"
            # Pages of issue 15: search with columns, the history landing, a form with pickers.
            search = "/o/ha-tinh/search?q=hoi+nghi"
            recent = "/o/ha-tinh/history"
            form = "/o/ha-tinh/entry/task-progress"
            built = [
                (f"built per request ({kind})", app, path + "&known_by=now", cookie, "sha256:")
                for kind, path in BUILT
            ]
            kept = [
                ("report page (foreign-affairs 2022)", app, fa, cookie, "sha256:"),
                ("report page (key-tasks 2020)", app, kt, cookie, "sha256:"),
                ("dashboard 2022", app, dash, cookie, "Tổng quan năm 2022"),
                ("API report JSON (token)", app, api, bearer, '"digest":"sha256:'),
                ("search page (issue 15)", app, search, cookie, "kết quả"),
                ("history landing (issue 15)", app, recent, cookie, "thay đổi gần đây"),
                ("task progress form (issue 15)", app, form, cookie, "Cập nhật tiến độ"),
            ]
            pages = [t for t in (built if args.built else kept) if _chosen(t[0], args.only)]
            targets = [("bare Flask route", bare, "/bare", {}, "ok"), *pages]
            for _name, server, path, headers, must in targets:
                check(server.base + path, headers, must)
                wrk(server.base + path, headers, 2, script)  # warm-up: each worker's caches
            # Rounds of bare, page, bare, page…: each page is compared with the bare route
            # measured just before and after it (the machine's other load changes over time).
            rounds: dict[str, list[dict[str, float]]] = {name: [] for name, *_ in targets}
            ratios: dict[str, list[float]] = {name: [] for name, *_ in targets[1:]}
            _bare_name, _bare, bare_path, *_rest = targets[0]

            def bare_run() -> dict[str, float]:
                result = wrk(bare.base + bare_path, {}, args.duration, script, bare)
                rounds[targets[0][0]].append(result)
                return result

            for number in range(1, args.rounds + 1):
                before = bare_run()
                for name, server, path, headers, _must in targets[1:]:
                    if "Cookie" in headers:
                        headers["Cookie"] = f"ngoaivu_session={login(app.base)}"
                    result = wrk(server.base + path, headers, args.duration, script, server)
                    after = bare_run()
                    rounds[name].append(result)
                    ratios[name].append(result["rps"] / ((before["rps"] + after["rps"]) / 2))
                    print(
                        f"round {number}: {name}: {result['rps']:.0f} req/s "
                        f"(bare {before['rps']:.0f} / {after['rps']:.0f}), "
                        f"p95 {result['p95'] / 1000:.1f} ms, {result['cpu_ms']:.2f} ms CPU/request "
                        f"(bare {after['cpu_ms']:.2f}), non-200 {result['non200']:.0f}",
                        flush=True,
                    )
                    before = after
        finally:
            app.stop()
            bare.stop()

    print()
    print(
        f"| target | req/s (median of {args.rounds}) | share of the bare route (median) "
        "| CPU ms/request (share) | p50 ms | p95 ms (median; worst) | p99 ms | non-200 "
        "| floors | verdict |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    failed = False
    bare_cpu = statistics.median(r["cpu_ms"] for r in rounds[targets[0][0]])
    for name, runs in rounds.items():
        rps = statistics.median(r["rps"] for r in runs)
        cpu = statistics.median(r["cpu_ms"] for r in runs)
        p50 = statistics.median(r["p50"] for r in runs) / 1000
        p95 = statistics.median(r["p95"] for r in runs) / 1000
        worst = max(r["p95"] for r in runs) / 1000
        p99 = statistics.median(r["p99"] for r in runs) / 1000
        bad = sum(r["non200"] + r["errors"] for r in runs)
        if name in ratios:
            share = statistics.median(ratios[name])
            floor = (
                0.0
                if args.built
                else REPORT_FLOOR
                if name.startswith("report page")
                else RATIO_FLOOR
            )
            ok = p95 < P95_CEILING_MS and share >= floor and bad == 0
            failed = failed or not ok
            verdict, shown_share = ("PASS" if ok else "FAIL"), f"{share:.0%}"
            floors = f"p95 < {P95_CEILING_MS:.0f} ms" + (f", ≥ {floor:.0%}" if floor else "")
        else:
            verdict, shown_share, floors = "", "100%", ""
        print(
            f"| {name} | {rps:,.0f} | {shown_share} | {cpu:.2f} ({bare_cpu / cpu:.0%}) "
            f"| {p50:.1f} | {p95:.1f}; {worst:.1f} | {p99:.1f} | {bad:.0f} | {floors} "
            f"| {verdict} |"
        )
    print()
    print("servers:")
    for command in commands:
        print(f"    {command}")
    print(
        f"load:    taskset -c 1 wrk -t2 -c20 -d{args.duration}s --latency "
        "-H 'User-Agent: ngoaivu-bench' [-H 'Cookie: …' | -H 'Authorization: Bearer …'] "
        "-s count.lua URL"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
