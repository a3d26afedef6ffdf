"""The `ngoaivu` command line (click): import, report, history, search, projections."""

from __future__ import annotations

import functools
import getpass
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from domain.canonical import canonical_bytes
from projections.halts import Halt, ReadModelHalted
from projections.queries import find, history
from service.alarm import InstallationAlarm
from service.config import CipherKeyError, ConfigError
from service.import_errors import ImportConflict, ImportRejected
from service.keyring import KeyringError
from service.reporting import ReportInputError, make_request, run_report
from service.runtime import Runtime

BAD_INPUT = 2
FAILURE = 3


class BadInput(click.ClickException):
    """Bad input: the message names the line, option or field; exit 2."""

    exit_code = BAD_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn known errors into messages and exit codes; never show a traceback to a user."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (ReportInputError, ConfigError) as exc:
            raise BadInput(str(exc)) from exc
        except (CipherKeyError, ImportConflict, InstallationAlarm, KeyringError) as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            sys.exit(FAILURE)
        except ReadModelHalted as exc:  # not the user's input: the department's views stopped
            click.echo(f"Lỗi: {exc}", err=True)
            sys.exit(FAILURE)
        except Exception as exc:  # the last resort: a message, not a traceback
            click.echo(f"Lỗi hệ thống ({type(exc).__name__}): {exc}", err=True)
            sys.exit(FAILURE)

    return wrapper


@contextmanager
def runtime() -> Iterator[Runtime]:
    """The records of this installation, configured from the environment."""
    rt = Runtime()
    try:
        yield rt
    finally:
        rt.close()


@click.group()
def main() -> None:
    """Hồ sơ Sở Ngoại vụ: mọi thay đổi là một sự kiện không thể sửa xóa."""


@contextmanager
def spooled(source: str) -> Iterator[Path]:
    """A path to read twice: the file itself, or stdin copied to a temporary file."""
    if source != "-":
        path = Path(source)
        if not path.is_file():
            raise BadInput(f"không tìm thấy tệp {source!r}")
        yield path
        return
    with tempfile.NamedTemporaryFile(prefix="ngoaivu-import-", suffix=".jsonl") as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool, length=1 << 20)
        spool.flush()
        yield Path(spool.name)


@main.command("import")
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
            result = rt.import_file(path, actor=who, backfill=backfill, progress=progress)
        except ImportRejected as rejected:
            for error in rejected.errors:
                click.echo(str(error), err=True)
            more = rejected.total - len(rejected.errors)
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


def alarm(halts: Iterable[Halt]) -> None:
    """Each halted read model, on stderr (the command itself did its work)."""
    for halt in halts:
        click.echo(f"CẢNH BÁO: {halt.describe()}", err=True)


# JSON is the report's content; html, docx and pdf the document (Nghị định 30/2020).
REPORT_FORMATS = ["json", "html", "docx", "pdf"]


def report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every report command shares (CONTRACT: report, issue)."""
    options = [
        click.option("--org", required=True, help="Mã tổ chức, ví dụ ha-tinh."),
        click.option("--period", required=True, help="2020, 2021-H1, 2021-Q3, 2021-9M, 2021-03"),
        click.option("--programme", default=None, help="Chương trình (mặc định: năm của kỳ)."),
        click.option("--window", type=click.Choice(["nd09", "calendar"]), default="nd09"),
        click.option("--as-of", "as_of", default=None, help="Ngày D (YYYY-MM-DD)."),
        click.option("--known-by", "known_by", default=None, help="Ngày, thời điểm hoặc now."),
        click.option("--recorded-by", "recorded_by", default=None, help="@N hoặc thời điểm."),
        click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="json"),
        OUTPUT,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def output_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """`-o FILE`: its folder must exist (checked before any work is done)."""
    if value is not None:
        folder = Path(value).resolve().parent
        if not folder.is_dir():
            raise BadInput(f"-o: không có thư mục {str(folder)!r}")
        if Path(value).is_dir():
            raise BadInput(f"-o: {value!r} là một thư mục, cần tên tệp")
    return value


class YearParam(click.ParamType):
    """A year of four digits at most (1–9999), refused with the option named."""

    name = "YEAR"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit() and 1 <= len(text) <= 4 and int(text) >= 1):
            raise BadInput(f"--year: năm không hợp lệ {text[:40]!r} (từ 1 đến 9999, ví dụ 2020)")
        return int(text)


OUTPUT = click.option(
    "-o", "output", type=click.Path(dir_okay=False), default=None, callback=output_option
)
YEAR = click.option("--year", type=YearParam(), default=None, help="Năm, khi số dùng nhiều năm.")


def write_output(data: bytes, output: str | None) -> None:
    """To the file of `-o`, or to stdout."""
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise BadInput(f"-o: không ghi được {output!r}: {exc.strerror or exc}") from None
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


@main.command("report")
@click.argument("kind")
@report_options
@guarded
def report_cmd(
    kind: str,
    org: str,
    period: str,
    programme: str | None,
    window: str,
    as_of: str | None,
    known_by: str | None,
    recorded_by: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Lập báo cáo KIND (key-tasks, assigned-tasks) theo kỳ và các mốc thời gian."""
    with runtime() as rt:
        request = make_request(
            rt,
            kind,
            org,
            period,
            window=window,
            programme=programme,
            as_of=as_of,
            known_by=known_by,
            recorded_by=recorded_by,
        )
        content = run_report(rt, request)
        if fmt != "json":
            from service.documents import draft

            write_output(draft(rt, request, content, fmt), output)
            return
    write_output(canonical_bytes(content) + b"\n", output)


@main.command("history")
@click.argument("org")
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@guarded
def history_cmd(org: str, target: str, fmt: str) -> None:
    """Toàn bộ lịch sử của một bản ghi (TARGET, ví dụ task:2020/11), theo thứ tự lưu."""
    with runtime() as rt:
        rt.catch_up()
        with rt.models.reading() as conn:
            events = history(conn, org, target)
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


@main.command("search")
@click.argument("org")
@click.argument("text")
@guarded
def search_cmd(org: str, text: str) -> None:
    """Tìm bản ghi theo nội dung, không phân biệt hoa thường và dấu."""
    with runtime() as rt:
        rt.catch_up()
        with rt.models.reading() as conn:
            found = find(conn, org, text)
        halt = rt.halt_of(org)
    if halt is not None:
        click.echo(f"CẢNH BÁO: {halt.describe()} Kết quả dừng trước @{halt.position}.", err=True)
    click.echo(json.dumps(found, ensure_ascii=False, indent=2))


@main.group("projections")
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


@main.command("issue")
@click.argument("kind")
@report_options
@click.option("--number", required=True, help="Số và ký hiệu, ví dụ 849/SNgV-VP.")
@click.option("--signed-on", "signed_on", required=True, help="Ngày ký (YYYY-MM-DD).")
@click.option("--signer", required=True, help="Họ tên người ký.")
@click.option(
    "--signer-title", "signer_title", default=None, help="Chức vụ, ví dụ CHÁNH VĂN PHÒNG."
)
@click.option("--signing-form", "signing_form", default=None, help="TL. / KT. / TM. / TUQ. / Q. …")
@click.option("--recipients", default="", help="Nơi nhận, phân cách bằng dấu ;")
@click.option("--actor", default=None, help="Người ban hành (mặc định: người dùng hệ điều hành).")
@guarded
def issue_cmd(
    kind: str,
    org: str,
    period: str,
    programme: str | None,
    window: str,
    as_of: str | None,
    known_by: str | None,
    recorded_by: str | None,
    fmt: str,
    output: str | None,
    number: str,
    signed_on: str,
    signer: str,
    signer_title: str | None,
    signing_form: str | None,
    recipients: str,
    actor: str | None,
) -> None:
    """Lập và ban hành báo cáo KIND với số, ngày ký và người ký (ReportIssued)."""
    from service.documents import issue_output, keeper
    from service.issuing import Signature, issue_report

    who = actor or os.environ.get("NGOAIVU_ACTOR") or getpass.getuser()
    sig = Signature(
        number,
        signed_on,
        signer,
        signer_title,
        signing_form,
        tuple(r.strip() for r in recipients.split(";") if r.strip()),
    )
    with runtime() as rt:
        content, details = issue_report(
            rt,
            kind,
            org,
            period,
            sig,
            actor=who,
            window=window,
            programme=programme,
            as_of=as_of,
            known_by=known_by,
            recorded_by=recorded_by,
            documents=keeper(rt),
        )
        if fmt != "json":
            write_output(issue_output(rt, org, number, signed_on, fmt), output)
    if fmt == "json":
        write_output(canonical_bytes(content) + b"\n", output)
    click.echo(
        f"issued {number} ({org}, {signed_on[:4]}): {content['digest']}, "
        f"recorded_by {details['recorded_label']} pinned @{details['recorded_pos']}, "
        f"chain head @{details['chain_position']} {details['chain_head']}",
        err=True,
    )
    if details.get("views_behind"):
        click.echo(f"Cảnh báo: {details['views_behind']}", err=True)


@main.command("reprint")
@click.argument("org")
@click.argument("number")
@YEAR
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="json")
@click.option("--original", "kept", is_flag=True, help="DOCX/PDF: bản lưu khi ban hành.")
@OUTPUT
@guarded
def reprint_cmd(
    org: str, number: str, year: int | None, fmt: str, kept: bool, output: str | None
) -> None:
    """In lại văn bản đã ban hành với đúng các mốc của nó; mã 0 chỉ khi digest khớp."""
    from service.documents import DocumentError, reprint_output
    from service.issuing import find_issued, reprint

    with runtime() as rt:
        record = find_issued(rt, org, number, year)
        content, matches = reprint(rt, record)
        if fmt != "json":
            try:
                data, message = reprint_output(rt, record, content, fmt, kept)
            except DocumentError as exc:  # the kept copy is missing or not the issued bytes
                click.echo(f"KHÔNG KIỂM CHỨNG ĐƯỢC: {exc}", err=True)
                sys.exit(1)
            write_output(data, output)
            click.echo(message, err=True)
    if fmt == "json":
        write_output(canonical_bytes(content) + b"\n", output)
    issued_digest = record.details["digest"]
    if matches:
        click.echo(f"khớp: {issued_digest}", err=True)
        return
    click.echo(f"KHÔNG KHỚP: đã ban hành {issued_digest}, in lại {content['digest']}", err=True)
    sys.exit(1)


from service.cli_backup import register as _register_backup  # noqa: E402

_register_backup(main)

from service.cli_integrity import register as _register_integrity  # noqa: E402

_register_integrity(main)

from service.cli_awards import register as _register_awards  # noqa: E402

_register_awards(main)

from service.cli_web import register as _register_web  # noqa: E402

_register_web(main)

from service.cli_chain import register as _register_chain  # noqa: E402

_register_chain(main)

from service.cli_documents import register as _register_documents  # noqa: E402

_register_documents(main)
