"""`ngoaivu projections rebuild | catch-up | resume | run`: the read models built from the store."""

from __future__ import annotations

import signal
import sys
from typing import Any

import click

from cli.common import FAILURE, BadInput, alarm, guarded, runtime


@click.group("projections")
def projections_group() -> None:
    """Các bảng đọc (read models) dựng từ kho sự kiện."""


@projections_group.command("rebuild")
@guarded
def rebuild_cmd() -> None:
    """Dựng lại mọi bảng đọc từ đầu, theo lô."""
    with runtime() as rt:
        head = rt.app.head()
        show = sys.stderr.isatty()
        with click.progressbar(
            length=head or 1, label="Đang dựng lại", file=sys.stderr, hidden=not show
        ) as bar:
            last = [0]

            def progress(position: int, _head: int) -> None:
                bar.update(position - last[0])
                last[0] = position

            applied = rt.projector.rebuild(progress)
        halts = rt.projector.halts()
    click.echo(f"rebuilt: {applied} events applied, position @{head}")
    alarm(halts.values())


@projections_group.command("catch-up")
@guarded
def catch_up_cmd() -> None:
    """Áp dụng các sự kiện mới vào bảng đọc."""
    with runtime() as rt:
        applied = rt.catch_up()
        halts = rt.projector.halts()
    click.echo(f"applied {applied} events")
    alarm(halts.values())


@projections_group.command("resume")
@click.option("--org", default=None, help="Chỉ tổ chức này (mặc định: mọi bảng đọc đã dừng).")
@guarded
def resume_cmd(org: str | None) -> None:
    """Chiếu tiếp các sự kiện mà bảng đọc đã dừng lại (sau khi nâng cấp); mã 3 nếu vẫn dừng."""
    with runtime() as rt:
        rt.catch_up()
        outcome = rt.projector.resume(org)
        rt.catch_up()
    if not outcome:
        if org is not None:
            raise BadInput(f"--org: bảng đọc của {org!r} không dừng")
        click.echo("không có bảng đọc nào đang dừng")
        return
    still = []
    for halt, now in outcome:
        who = "mọi tổ chức" if halt.org == "*" else halt.org
        if now is None:
            click.echo(f"{who}: đã chiếu tiếp từ @{halt.position}")
        else:
            still.append(now)
    if still:
        alarm(still)
        sys.exit(FAILURE)


@projections_group.command("run")
@click.option(
    "--poll",
    type=click.FloatRange(0.01, 60),
    default=0.05,
    show_default=True,
    help="SQLite: số giây giữa hai lần xem kho có sự kiện mới (PostgreSQL: LISTEN/NOTIFY).",
)
@guarded
def run_cmd(poll: float) -> None:
    """Giữ bảng đọc luôn theo kịp kho sự kiện (chạy đến khi nhận SIGTERM hoặc Ctrl+C)."""
    from service.worker import ProjectorWorker

    with runtime() as rt:
        worker = ProjectorWorker(rt, poll=poll)

        def stop(_signum: int, _frame: Any) -> None:
            worker.stop(timeout=0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        how = "LISTEN/NOTIFY" if rt.settings.is_postgres else f"xem kho mỗi {poll:g} s"
        click.echo(f"bộ chiếu chạy ({how}); vị trí @{rt.projector.position()}", err=True)
        worker.run()
        click.echo(f"bộ chiếu dừng tại @{rt.projector.position()}", err=True)
