"""`ngoaivu import`, `history` and `search`: writing facts and reading one record's story."""

from __future__ import annotations

import getpass
import json
import os
import sys

import click

from cli.common import BadInput, alarm, guarded, runtime, spooled
from service import queries
from service.importing.errors import ImportRejected


@click.command("import")
@click.argument("source", metavar="FILE.jsonl|-")
@click.option("--backfill", is_flag=True, help="Hồ sơ giấy: thiếu known_since thì lấy theo at.")
@click.option("--actor", default=None, help="Người nhập (mặc định: người dùng hệ điều hành).")
@click.option("--quiet", is_flag=True, help="Không in mã sự kiện của từng dòng.")
@guarded
def import_cmd(source: str, backfill: bool, actor: str | None, quiet: bool) -> None:
    """Nhập các sự kiện từ tệp JSON Lines: tất cả hoặc không gì cả."""
    who = actor or os.environ.get("NGOAIVU_ACTOR") or getpass.getuser()
    with spooled(source) as path, runtime() as rt:
        bar = None
        if sys.stderr.isatty():  # the lines are counted only for a bar someone will see
            with path.open("rb") as handle:  # a megabyte at a time, whatever a line's length
                total = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
            if total > 1000:
                bar = click.progressbar(length=total, label="Đang nhập", file=sys.stderr)
        done = [0]

        def progress(line: int) -> None:
            if bar is not None:
                bar.update(line - done[0])
                done[0] = line

        try:
            result = rt.commands.import_file(path, actor=who, backfill=backfill, progress=progress)
        except ImportRejected as rejected:
            for error in rejected.errors:
                click.echo(str(error), err=True)
            more = rejected.total - rejected.listed  # lines; a line may give several
            if more > 0:
                click.echo(f"… và {more} dòng lỗi khác", err=True)
            raise BadInput(f"tệp bị từ chối: {rejected.total} dòng lỗi; không lưu gì") from None
        finally:
            if bar is not None:
                bar.render_finish()
        halts = rt.projector.halts() if result.behind is None else {}
    stamp = result.recorded_at.isoformat(timespec="microseconds") if result.recorded_at else "-"
    position = f"@{result.position}" if result.position else "-"
    click.echo(
        f"added {result.added}, skipped {result.skipped}, recorded {stamp}, position {position}"
    )
    if not quiet:
        for line, fact_id in result.fact_ids:
            click.echo(f"  dòng {line}: {fact_id}")
    if result.behind is not None:
        click.echo(f"Cảnh báo: {result.behind}", err=True)
    alarm(halts.values())


@click.command("history")
@click.argument("org")
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@guarded
def history_cmd(org: str, target: str, fmt: str) -> None:
    """Toàn bộ lịch sử của một bản ghi (TARGET, ví dụ task:2020/11), theo thứ tự lưu."""
    with runtime() as rt:
        events = queries.record_history(rt, org, target)
        halt = rt.halt_of(org)
    if halt is not None:  # what the read model holds, up to the event it stopped at
        shown = f"Lịch sử dưới đây dừng trước @{halt.position}."
        click.echo(f"CẢNH BÁO: {halt.describe()} {shown}", err=True)
    if not events:
        raise BadInput(f"không có bản ghi {target!r} của tổ chức {org!r}")
    if fmt == "json":
        click.echo(json.dumps(events, ensure_ascii=False, indent=2))
        return
    for ev in events:
        click.echo(
            f"@{ev['position']} {ev['fact_id']} {ev['kind']}"
            + (f" → {ev['target_fact_id']}" if ev["target_fact_id"] else "")
        )
        click.echo(
            f"    hiệu lực: {ev['at'] or '-'} | biết từ: {ev['known']}"
            + (" (khai báo)" if ev["known_since"] else " (lúc ghi)")
            + f" | ghi lúc: {ev['recorded_at']}"
        )
        click.echo(
            f"    người: {ev['actor']} | lý do: {ev['reason'] or '-'} | văn bản: {ev['ref'] or '-'}"
        )
        click.echo(f"    nội dung: {json.dumps(ev['data'], ensure_ascii=False, sort_keys=True)}")


@click.command("search")
@click.argument("org")
@click.argument("text")
@guarded
def search_cmd(org: str, text: str) -> None:
    """Tìm bản ghi theo nội dung, không phân biệt hoa thường và dấu."""
    with runtime() as rt:
        found = queries.search(rt, org, text)
        halt = rt.halt_of(org)
    if halt is not None:
        click.echo(f"CẢNH BÁO: {halt.describe()} Kết quả dừng trước @{halt.position}.", err=True)
    click.echo(json.dumps(found, ensure_ascii=False, indent=2))
