"""The `backup`, `restore` and `migrate` commands: the installation copied, checked and moved."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.common import BadInput, guarded
from service.backups.backup import BackupError, BackupRefused, Copied
from service.config import Settings


def _refused(exc: BackupRefused) -> None:
    """A chain or a document that does not hold: named, exit 1, nothing stored."""
    click.echo(f"Lỗi: bị từ chối, không lưu gì: {exc}", err=True)
    sys.exit(1)


def _report(what: str, copied: Copied) -> None:
    if copied.completed:
        click.echo(
            f"{what}: tệp này đã được khôi phục vào cài đặt này (đến @{copied.head}); "
            "đã hoàn tất và kiểm tra lại"
        )
    else:
        click.echo(
            f"{what}: {copied.events} events, {copied.links} chain links, "
            f"{copied.documents} documents, head @{copied.head}"
        )
    if copied.issued or copied.anchors:
        click.echo(
            f"issued reports checked against the backup's chain: {copied.issued}; "
            f"anchors checked: {copied.anchors}"
        )
    for warning in copied.warnings:
        click.echo(f"CẢNH BÁO: {warning}")
    check = copied.check
    if check is None:
        if copied.chain_head:
            click.echo(f"chain head: sha256:{copied.chain_head}")
        return
    click.echo(f"chain head: sha256:{check.head}")
    if check.broken is not None:
        click.echo(f"HỎNG tại vị trí @{check.broken.position}: {check.broken.message}")
        sys.exit(1)
    if check.unchained:
        click.echo(f"HỎNG: {check.unchained} sự kiện chưa có trong chuỗi")
        sys.exit(1)
    if check.legacy:
        click.echo("HỎNG: chuỗi không khóa chưa nâng cấp (`ngoaivu chain upgrade`)")
        sys.exit(1)
    click.echo("read models rebuilt; chain intact")


@click.command("backup")
@click.argument("file", metavar="FILE")
@guarded
def backup_cmd(file: str) -> None:
    """Sao lưu kho sự kiện và chuỗi băm vào FILE (gzip JSON Lines, nhất quán khi đang ghi)."""
    from service.backups.backup import write_backup

    try:
        copied = write_backup(Settings.from_env(), Path(file))
    except BackupRefused as exc:
        _refused(exc)
    except BackupError as exc:
        raise BadInput(str(exc)) from exc
    _report(f"backup {file}", copied)


@click.command("restore")
@click.argument("file", metavar="FILE")
@click.option(
    "--anchors",
    "anchors_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Tệp các mốc '@VỊ_TRÍ sha256:…': bản sao lưu phải chứa đúng các đầu chuỗi đó.",
)
@guarded
def restore_cmd(file: str, anchors_file: str | None) -> None:
    """Khôi phục FILE vào một cài đặt trống (kiểm tra khóa, chuỗi, văn bản, mốc), rồi dựng
    lại các bảng đọc."""
    from service.backups.restore import restore
    from service.integrity.anchors import AnchorError, read_anchors

    try:
        anchors = read_anchors(Path(anchors_file)) if anchors_file else {}
    except AnchorError as exc:
        raise BadInput(str(exc)) from exc
    try:
        copied = restore(Settings.from_env(), Path(file), anchors)
    except BackupRefused as exc:
        _refused(exc)
    except BackupError as exc:
        raise BadInput(str(exc)) from exc
    _report(f"restored {file}", copied)


@click.command("migrate")
@click.option(
    "--to", "to_url", required=True, metavar="postgresql://…", help="CSDL PostgreSQL trống."
)
@guarded
def migrate_cmd(to_url: str) -> None:
    """Chuyển toàn bộ cài đặt sang PostgreSQL: giữ nguyên vị trí, nội dung và chuỗi băm."""
    from service.backups.migrate import migrate

    try:
        copied = migrate(Settings.from_env(), to_url)
    except BackupRefused as exc:
        _refused(exc)
    except BackupError as exc:
        raise BadInput(str(exc)) from exc
    _report("migrated", copied)
    click.echo(f"dùng từ nay: DATABASE_URL={to_url}")
