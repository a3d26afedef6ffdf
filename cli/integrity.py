"""The integrity commands: `verify [--anchors] [--read-models]`, `anchor`, `alarm
[acknowledge]`, `chain upgrade` and `chain rotate-key`."""

from __future__ import annotations

import getpass
import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from cli.common import FAILURE, BadInput, guarded, runtime
from service.integrity.anchors import AnchorError, read_anchors
from service.integrity.verification import verify_installation

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
log = logging.getLogger(__name__)


@click.command("verify")
@click.option(
    "--anchors",
    "anchors_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Tệp các mốc '@VỊ_TRÍ sha256:…' ghi ở nơi khác (giấy, văn bản đã ban hành).",
)
@click.option(
    "--read-models",
    "read_models",
    is_flag=True,
    help="Dựng lại bảng đọc ở chỗ tạm từ kho sự kiện và so từng bảng với bảng đọc đang dùng.",
)
@guarded
def verify_cmd(anchors_file: str | None, read_models: bool) -> None:
    """Tính lại chuỗi băm, mọi báo cáo và bản DOCX/PDF đã ban hành (--read-models: so cả bảng
    đọc với bản dựng lại từ sự kiện); mã 1 và chỗ sai đầu tiên."""
    try:
        anchors = read_anchors(Path(anchors_file)) if anchors_file else {}
    except AnchorError as exc:
        raise BadInput(str(exc)) from exc
    with runtime() as rt:
        found = verify_installation(rt, anchors, read_models=read_models)
    if found.moving:  # not a failed check: none could be made
        click.echo(f"Lỗi: {found.moving}", err=True)
        sys.exit(FAILURE)
    if found.intact:
        log.info("verify: intact, %d events, head sha256:%s", found.check.events, found.check.head)
    else:
        log.warning("verify: failed: %s", found.problems[0])
    for line in found.lines():
        click.echo(line)
    if not found.intact:
        sys.exit(1)


@click.command("anchor")
@guarded
def anchor_cmd() -> None:
    """In đầu chuỗi hôm nay dạng '@VỊ_TRÍ sha256:…' để văn phòng lưu trên giấy."""
    with runtime() as rt:
        position, head = rt.chain.head()
    now = datetime.now(VIETNAM).strftime("%d/%m/%Y %H:%M")
    click.echo(f"# ngoaivu anchor {now} (giờ Việt Nam)")
    click.echo(f"@{position} sha256:{head}")


@click.group("alarm", invoke_without_command=True)
@click.pass_context
@guarded
def alarm_group(ctx: click.Context) -> None:
    """Trạng thái báo động: sự kiện ghi ngoài ứng dụng (mã 1 khi đang báo động)."""
    if ctx.invoked_subcommand is not None:
        return
    with runtime() as rt:
        rt.alarms.check()
        history = rt.alarms.history()
    active = [a for a in history if a.acknowledged_at is None]
    if not history:
        click.echo("không có báo động")
        return
    for alarm in history:
        click.echo(alarm.text())
        if alarm.acknowledged_at:
            click.echo(
                f"    đã xác nhận {alarm.acknowledged_at} bởi {alarm.acknowledged_by}: "
                f"{alarm.reason}"
            )
    if active:
        click.echo(
            "Đang báo động: mọi thao tác ghi bị dừng. Xử lý: khôi phục bản sao lưu vào một "
            "cài đặt mới (`ngoaivu restore`), hoặc xác nhận các sự kiện ghi ngoài ứng dụng "
            "(`ngoaivu alarm acknowledge --reason …`)."
        )
        sys.exit(1)


@alarm_group.command("acknowledge")
@click.option("--reason", required=True, help="Vì sao chấp nhận các sự kiện ghi ngoài.")
@click.option("--by", "by", default=None, help="Người xác nhận (mặc định: người dùng OS).")
@guarded
def acknowledge_cmd(reason: str, by: str | None) -> None:
    """Xác nhận sự kiện ghi ngoài ứng dụng: nối vào chuỗi kèm ghi chú, mở lại việc ghi."""
    if not reason.strip():
        raise BadInput("--reason: cần lý do")
    who = by or os.environ.get("NGOAIVU_ACTOR") or getpass.getuser()
    with runtime() as rt:
        rt.alarms.check()
        if rt.alarms.active() is None:
            click.echo("không có báo động nào đang mở")
            return
        count, first, last = rt.alarms.acknowledge(who, reason.strip())
        rt.catch_up()
    if count:
        click.echo(
            f"đã xác nhận {count} sự kiện ghi ngoài ứng dụng @{first}–@{last} "
            f"({who}: {reason.strip()}); `verify` tiếp tục liệt kê chúng"
        )
    else:
        click.echo(f"đã đóng báo động ({who}: {reason.strip()})")


@click.group("chain")
def chain_group() -> None:
    """Khóa của chuỗi băm: nâng cấp chuỗi cũ, thay khóa."""


def _show(outcome: object) -> None:
    click.echo(outcome.message)  # type: ignore[attr-defined]
    variable = outcome.variable  # type: ignore[attr-defined]
    if variable:
        click.echo("NGOAIVU_CHAIN_KEY đang được dùng: đặt giá trị mới này cho mọi tiến trình:")
        click.echo(f"NGOAIVU_CHAIN_KEY={variable}")


@chain_group.command("upgrade")
@guarded
def upgrade_cmd() -> None:
    """Kiểm tra chuỗi không khóa của phiên bản trước và ghi mốc nâng cấp vào chùm khóa."""
    from service.integrity.chain_admin import upgrade

    with runtime() as rt:
        _show(upgrade(rt))


@chain_group.command("rotate-key")
@guarded
def rotate_cmd() -> None:
    """Tạo khóa mới ký từ vị trí tiếp theo; giữ khóa cũ để kiểm tra mắt xích cũ."""
    from service.integrity.chain_admin import rotate

    with runtime() as rt:
        _show(rotate(rt))
