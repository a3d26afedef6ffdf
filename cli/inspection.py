"""Inspection commands: `diff` (what today's knowledge changes in an issued report) and
`audit export` (every event of a department, streamed, with its chain link)."""

from __future__ import annotations

import functools
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO

import click

from cli.common import OUTPUT, YEAR, BadInput, guarded, runtime
from domain.times import TimeFormatError, parse_date


def _day(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except TimeFormatError as exc:
        raise BadInput(f"{option}: {exc}") from exc


@click.command("diff")
@click.argument("org")
@click.argument("number")
@YEAR
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@guarded
def diff_cmd(org: str, number: str, year: int | None, fmt: str) -> None:
    """So văn bản đã ban hành với hiểu biết hôm nay: số liệu nào đổi, do sự kiện nào."""
    from service.reporting.diffing import diff_issued, render_text

    with runtime() as rt:
        result = diff_issued(rt, org, number, year)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for line in render_text(result):
        click.echo(line)


@click.group("audit")
def audit_group() -> None:
    """Trích xuất phục vụ thanh tra, kiểm toán."""


@audit_group.command("export")
@click.option("--org", required=True, help="Mã tổ chức, ví dụ ha-tinh.")
@click.option("--from", "start", default=None, help="Từ ngày ghi (YYYY-MM-DD).")
@click.option("--to", "end", default=None, help="Đến hết ngày ghi (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv")
@OUTPUT
@click.option(
    "--spreadsheet-safe",
    "safe",
    is_flag=True,
    help="CSV: thêm dấu ' trước ô bắt đầu bằng = + - @ tab CR "
    "(bảng tính mở tệp không chạy công thức).",
)
@guarded
def audit_export_cmd(
    org: str, start: str | None, end: str | None, fmt: str, output: str | None, safe: bool
) -> None:
    """Mọi sự kiện của một tổ chức: ba mốc thời gian, người, lý do, văn bản, mắt xích chuỗi."""
    from service.reporting.audit import events_of, write_csv, write_jsonl
    from service.reporting.requests import require_org

    first, last = _day("--from", start), _day("--to", end)
    if first and last and first > last:
        raise BadInput("--from: ngày bắt đầu sau ngày kết thúc")
    if safe and fmt != "csv":
        raise BadInput("--spreadsheet-safe: chỉ dùng với --format csv")
    writer = functools.partial(write_csv, safe=safe) if fmt == "csv" else write_jsonl
    with runtime() as rt:
        rt.catch_up()
        rt.require_level(org)  # an audit trail with events missing is refused, not written
        require_org(rt, org)
        events = events_of(rt, org, first, last)
        if output is None:
            count = _to_stdout(lambda out: writer(events, out))
        else:
            count = _to_file(Path(output), lambda out: writer(events, out))
        position, head = rt.chain.head()
    click.echo(f"exported {count} events of {org}; chain head @{position} sha256:{head}", err=True)


def _to_stdout(write: Callable[[IO[str]], int]) -> int:
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        return write(out)
    finally:
        out.flush()
        out.detach()


def _to_file(path: Path, write: Callable[[IO[str]], int]) -> int:
    """Written beside the target and renamed at the end: no half file under the name asked."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise BadInput(f"-o: không có thư mục {str(folder)!r}")
    handle, temp = tempfile.mkstemp(prefix=".ngoaivu-audit-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            count = write(out)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return count
