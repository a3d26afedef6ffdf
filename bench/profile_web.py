"""Where a kept page's CPU goes, in process: the WSGI callable called directly, no server.

    python bench/profile_web.py                      # CPU µs/request, kept pages and bare route
    python bench/profile_web.py --profile kept-kt    # cProfile of one target (top 40 by own time)
    python bench/profile_web.py --callgrind          # instructions/request under valgrind:
                                                     # repeatable on a loaded machine

The installation is bench_web.py's (the samples imported, an administrator); `--data DIR` keeps
it between runs (made when DIR does not exist). Each target is called `--requests` times after a
warm-up; the session cookie is the one the login form gave, as wrk sends it.

`--callgrind` runs this script again under `valgrind --tool=callgrind`, the projector worker
outside (`NGOAIVU_WORKER=external`: its polls follow the clock, not the requests): each target's
requests are counted alone, between two marks callgrind is told of (`os.getppid` zeroes the
counts, `os.getpgrp` writes them out; nothing else here calls either).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_web  # noqa: E402

FA = "/o/ha-tinh/reports?kind=foreign-affairs&period=2022&as_of=2022-12-31"
KT = "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"


def environ(path: str, cookie: str | None = None) -> dict[str, Any]:
    """A WSGI environ as gunicorn builds it for wrk's GET."""
    route, _, query = path.partition("?")
    env: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": bench_web.USER_AGENT,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if cookie:
        env["HTTP_COOKIE"] = f"ngoaivu_session={cookie}"
    return env


def caller(app: Any, path: str, cookie: str | None) -> Callable[[], bytes]:
    """One request through the WSGI callable, its body read as a server would."""
    base = environ(path, cookie)
    seen: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        seen.append(status)
        # As a browser: a session cookie sent again (its last-seen time, every 30 s) is the one
        # sent from then on.
        for name, value in headers:
            if name.lower() == "set-cookie" and value.startswith("ngoaivu_session="):
                base["HTTP_COOKIE"] = value.split(";", 1)[0]

    def call() -> bytes:
        seen.clear()
        env = dict(base)
        env["wsgi.input"] = io.BytesIO(b"")
        result = app(env, start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if not seen or not seen[0].startswith("200"):
            raise SystemExit(f"{path}: {seen}")
        return body

    return call


def login(app: Any) -> str:
    """The session cookie of the bench's administrator, through the login form."""
    # wrk's User-Agent: Flask-Login's session protection compares its digest with the login's
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = bench_web.USER_AGENT
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    # As urllib in bench_web.login: the redirect is followed, and the home page makes the
    # session's CSRF secret (a page is kept only for a session that has one).
    client.post(
        "/login",
        data={"username": "bench", "password": bench_web.PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=True,
    )
    cookie = client.get_cookie("ngoaivu_session")
    assert cookie is not None
    return cookie.value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="installation directory (kept between runs)")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--only", action="append", default=[], help="targets by name")
    parser.add_argument("--profile", help="cProfile this target instead of timing")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--callgrind", action="store_true", help="count instructions (valgrind)")
    parser.add_argument("--marked", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.callgrind:
        callgrind(args)
        return
    tmp = None
    data = args.data
    if data is None:
        tmp = tempfile.TemporaryDirectory(prefix="ngoaivu-profile-web-")
        data = Path(tmp.name) / "var"
    fresh = not data.exists()
    if fresh:
        env, _token = bench_web.install(data)
    else:
        env = {
            "NGOAIVU_DATA": str(data),
            "NGOAIVU_SECRET_KEY": "bench-web-secret",
            "NGOAIVU_COOKIE_SECURE": "0",
            "NGOAIVU_ACTOR": "bench",
        }
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    from web import create_app

    app = create_app()
    bare = bench_web.bare_app()
    # A cookie of the last 10 minutes is used again (its session is 30 minutes long): under
    # valgrind the login's password hash (argon2) would cost more than the requests measured.
    saved = data / "profile_web.cookie"
    if saved.exists() and time.time() - saved.stat().st_mtime < 600:
        cookie = saved.read_text().strip()
    else:
        cookie = login(app)
        saved.write_text(cookie)
    targets = {
        "bare": caller(bare.wsgi_app, "/bare", None),
        "kept-kt": caller(app.wsgi_app, KT, cookie),
        "kept-fa": caller(app.wsgi_app, FA, cookie),
        "dashboard": caller(app.wsgi_app, "/o/ha-tinh/?year=2022", cookie),
        # Built per request (known_by=now is never kept): the report's own reads and rendering.
        "built-kt": caller(app.wsgi_app, f"{KT}&known_by=now", cookie),
        "built-fa": caller(app.wsgi_app, f"{FA}&known_by=now", cookie),
    }
    chosen = {k: v for k, v in targets.items() if not args.only or k in args.only}
    for call in chosen.values():
        for _ in range(50):
            call()
    if args.profile:
        call = targets[args.profile]
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.requests):
            call()
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(60)
        return
    results: dict[str, float] = {}
    if args.marked:  # callgrind's first zeroing did not take: a first pair, thrown away
        print(f"CODE {Path(sys.modules['web'].__file__ or '?').parent}", flush=True)
        print("MARK _first", flush=True)
        os.getppid()
        os.getpgrp()
    for name, call in chosen.items():
        if args.marked:
            print(f"MARK {name}", flush=True)
            os.getppid()  # callgrind: zero the counts
        started = time.process_time()
        for _ in range(args.requests):
            call()
        results[name] = (time.process_time() - started) * 1e6 / args.requests
        if args.marked:
            os.getpgrp()  # callgrind: write the counts out
    if not args.quiet:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"# {args.requests} requests per target, load {load}")
        base = results.get("bare")
        for name, micro in results.items():
            ratio = f" (bare/this {base / micro:.0%})" if base else ""
            print(f"{name}: {micro:.1f} µs CPU/request{ratio}")
    runtime = app.extensions["ngoaivu"]
    close = getattr(runtime, "close", None)
    if close is not None:
        close()
    if tmp is not None:
        tmp.cleanup()


def callgrind(args: argparse.Namespace) -> None:
    """This script under callgrind; instructions per request of each target, and the ratio."""
    if args.data is None or not args.data.exists():
        raise SystemExit("--callgrind needs --data DIR of an installation (run once without)")
    with tempfile.TemporaryDirectory(prefix="ngoaivu-callgrind-") as tmp:
        out = Path(tmp) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            "--zero-before=os_getppid",
            "--dump-before=os_getpgrp",
            sys.executable,
            str(Path(__file__).resolve()),
            "--data",
            str(args.data),
            "--requests",
            str(args.requests),
            "--marked",
            "--quiet",
            *(f"--only={name}" for name in args.only),
        ]
        env = {**os.environ, "NGOAIVU_WORKER": "external"}
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"valgrind failed:\n{done.stderr[-3000:]}")
        names = re.findall(r"^MARK (\S+)$", done.stdout, re.M)
        dumps = sorted(Path(tmp).glob("callgrind.out.*"), key=lambda p: int(p.suffix[1:]))
        counts: dict[str, float] = {}
        for name, dump in zip(names, dumps, strict=False):
            if name == "_first":
                continue
            total = re.search(r"^(?:summary|totals): (\d+)", dump.read_text(), re.M)
            assert total, dump
            counts[name] = int(total.group(1)) / args.requests
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    code = re.search(r"^CODE (.*)$", done.stdout, re.M)
    print(f"# callgrind, {args.requests} requests per target, load {load}")
    print(f"# code: {code.group(1) if code else '?'}")
    base = counts.get("bare")
    for name, count in counts.items():
        ratio = f" (bare/this {base / count:.0%})" if base else ""
        print(f"{name}: {count:,.0f} instructions/request{ratio}")


if __name__ == "__main__":
    main()
