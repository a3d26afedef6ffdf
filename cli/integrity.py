"""The integrity commands: `verify [--anchors]`, `anchor`, `alarm [acknowledge]`, `chain upgrade`
and `chain rotate-key`."""

from __future__ import annotations

import getpass
import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from cli.common import BadInput, guarded, runtime
from service.integrity.anchors import AnchorError, anchor_problems, read_anchors
from service.runtime import Runtime

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
log = logging.getLogger(__name__)


def _acknowledged(check_acknowledged: list[tuple[int, str]]) -> list[str]:
    """One line per acknowledgement (its positions and note)."""
    import json

    groups: dict[str, list[int]] = {}
    for position, note in check_acknowledged:
        groups.setdefault(note, []).append(position)
    lines = []
    for note, positions in groups.items():
        try:
            said = json.loads(note)
            who = f"{said.get('acknowledged_by')}, {said.get('at')}: {said.get('reason')}"
        except ValueError:
            who = note
        where = f"@{positions[0]}" + (f"–@{positions[-1]}" if len(positions) > 1 else "")
        lines.append(f"ghi ngoài ứng dụng đã xác nhận: {where} ({len(positions)} sự kiện; {who})")
    return lines


def _verify(rt: Runtime, anchors: dict[int, str]) -> tuple[list[str], int, int]:
    """Check the chain, the anchors and every issued report; (lines, exit code, documents)."""
    from service.integrity.chain import dumps_heads
    from service.reporting.documents import kept_problems
    from service.reporting.issuing import all_issued, reprint

    check = rt.chain.verify(watch=set(anchors))
    if check.broken is not None:
        return [f"HỎNG tại vị trí @{check.broken.position}: {check.broken.message}"], 1, 0
    if check.unchained:
        rt.alarms.check()  # the same outside write raises the installation's alarm
        return (
            [
                f"HỎNG tại vị trí @{check.first_unchained}: {check.unchained} sự kiện không có "
                "mắt xích (ghi ngoài ứng dụng)"
            ],
            1,
            0,
        )
    problems = anchor_problems(anchors, check.anchors, check.position)
    bad = [f"HỎNG tại vị trí @{p}: mốc không khớp: {m}" for p, m in problems]
    if check.legacy:
        bad.append(
            "HỎNG: chuỗi băm của phiên bản trước không có khóa, chưa nâng cấp (ai ghi được vào "
            "cơ sở dữ liệu cũng làm lại được): chạy `ngoaivu chain upgrade`"
        )
    documents = 0
    reports = []
    halts = {}
    if not rt.sealed:  # encrypted and no key: the chain alone is checked
        rt.projector.catch_up(until=check.position)
        reports = all_issued(rt)
        halts = rt.projector.halts()
    for record in reports:
        d = record.details
        if rt.chain.link_at(d["chain_position"]) not in (d["chain_head"], None) or (
            d["chain_position"] == 0 and d["chain_head"] != "0" * 64
        ):
            bad.append(f"{record.number} ({record.year}): đầu chuỗi ghi khi ban hành không khớp")
            continue
        _content, matches = reprint(rt, record)
        if not matches:
            bad.append(f"{record.number} ({record.year}): digest không khớp")
        checked, kept = kept_problems(rt, record)  # the DOCX/PDF kept at issue
        documents += checked
        bad += kept
    lines = [
        f"events: {check.events}",
        f"chain head: sha256:{check.head}",
        f"department heads: {dumps_heads(check.heads)}",
        f"anchors checked: {len(anchors)}",
        f"issued reports checked: {len(reports)}",
        f"issued documents checked: {documents}",
        *_acknowledged(check.acknowledged),
    ]
    for halt in halts.values():  # the store is whole; a department's views are behind it
        lines.append(
            f"CẢNH BÁO: {halt.describe()} Báo cáo đã ban hành của "
            f"{'mọi tổ chức' if halt.org == '*' else halt.org} ghi từ @{halt.position} "
            "chưa được kiểm tra."
        )
    if rt.sealed:
        lines.append("(kho mã hóa, không có NGOAIVU_CIPHER_KEY: báo cáo đã ban hành chưa kiểm tra)")
    if bad:
        return lines + [line if line.startswith("HỎNG") else f"HỎNG: {line}" for line in bad], 1, 0
    return [*lines, "intact"], 0, documents


@click.command("verify")
@click.option(
    "--anchors",
    "anchors_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Tệp các mốc '@VỊ_TRÍ sha256:…' ghi ở nơi khác (giấy, văn bản đã ban hành).",
)
@guarded
def verify_cmd(anchors_file: str | None) -> None:
    """Tính lại chuỗi băm, mọi báo cáo và bản DOCX/PDF đã ban hành; mã 1 và chỗ sai đầu tiên."""
    try:
        anchors = read_anchors(Path(anchors_file)) if anchors_file else {}
    except AnchorError as exc:
        raise BadInput(str(exc)) from exc
    with runtime() as rt:
        lines, code, _documents = _verify(rt, anchors)
    if code:
        log.warning("verify: failed: %s", next(x for x in lines if x.startswith("HỎNG")))
    else:
        log.info("verify: intact (%s)", lines[0])
    for line in lines:
        click.echo(line)
    if code:
        sys.exit(code)


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
