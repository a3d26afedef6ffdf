"""`ngoaivu report`, `issue` and `reprint`: reports under the three cut-offs, issued and
reprinted with their own."""

from __future__ import annotations

import getpass
import os
import sys

import click

from cli.common import OUTPUT, REPORT_FORMATS, YEAR, guarded, report_options, runtime, write_output
from domain.canonical import canonical_bytes
from service.reporting.requests import make_request, run_report


@click.command("report")
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
            from service.reporting.documents import draft

            write_output(draft(rt, request, content, fmt), output)
            return
    write_output(canonical_bytes(content) + b"\n", output)


@click.command("issue")
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
    from domain.issuance import recipients_of
    from service.reporting.documents import issue_output
    from service.reporting.issuing import Signature

    who = actor or os.environ.get("NGOAIVU_ACTOR") or getpass.getuser()
    sig = Signature(
        number,
        signed_on,
        signer,
        signer_title,
        signing_form,
        recipients_of(recipients),
    )
    with runtime() as rt:
        content, details = rt.commands.issue(
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


@click.command("reprint")
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
    from service.reporting.documents import DocumentError, reprint_output
    from service.reporting.issuing import find_issued, reprint

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
