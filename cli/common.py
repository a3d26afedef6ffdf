"""What every `ngoaivu` command shares: exit codes, error messages (field names as flags), the
runtime, `-o`, `--year` and the report options."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from projections.halts import Halt, ReadModelHalted
from service import logs
from service.config import CipherKeyError, ConfigError
from service.importing.errors import ImportConflict
from service.integrity.alarm import InstallationAlarm
from service.integrity.keyring import KeyringError
from service.reporting.requests import ReportInputError
from service.runtime import Runtime

BAD_INPUT = 2
FAILURE = 3
log = logging.getLogger(__name__)


class BadInput(click.ClickException):
    """Bad input: the message names the line, option or field; exit 2."""

    exit_code = BAD_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


# Fields the service names whose command-line form is not `--field-name` when the command has no
# option of that name: the report kind and the number of `reprint`/`diff` are arguments; `format`
# is the report's format version (no flag).
ARGUMENTS = {"kind": "KIND", "number": "NUMBER", "format": "format"}


def flag(field: str) -> str:
    """How the command line names a field of the service's errors: the running command's option
    of that name (`number` → `--number` for `issue`), else the argument, else `--field-name`."""
    if field.startswith("-"):  # already a flag (code from before fields): said as it is
        return field
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        for param in ctx.command.params:
            if isinstance(param, click.Option) and param.name == field:
                return max(param.opts, key=len)
    return ARGUMENTS.get(field, "--" + field.replace("_", "-"))


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn known errors into messages and exit codes; never show a traceback to a user."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except ReportInputError as exc:
            raise BadInput(f"{flag(exc.field)}: {exc.message}") from exc
        except ConfigError as exc:
            raise BadInput(str(exc)) from exc
        except (CipherKeyError, ImportConflict, InstallationAlarm, KeyringError) as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            sys.exit(FAILURE)
        except ReadModelHalted as exc:  # not the user's input: the department's views stopped
            click.echo(f"Lỗi: {exc}", err=True)
            sys.exit(FAILURE)
        except BrokenPipeError:  # the reader went away (`| head`): nothing to tell anyone
            # Python's advice: point stdout at devnull so the flush at exit raises nothing.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:  # the last resort: a message here, the traceback in the log
            log.exception("ngoaivu %s failed", func.__name__)
            where = logs.log_path(Path(os.environ.get("NGOAIVU_DATA") or "./var"))
            click.echo(
                f"Lỗi hệ thống ({type(exc).__name__}): {exc}"
                + (f" (chi tiết trong nhật ký {where})" if where else ""),
                err=True,
            )
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
