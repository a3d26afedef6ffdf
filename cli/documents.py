"""The command line of composed documents: `report document` and `issue document` (the `report`
and `issue` commands given `--draft`), and `draft new`."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from typing import Any

import click

from cli.common import BadInput, guarded, runtime, write_output
from domain.canonical import canonical_bytes

DRAFT_OPTION = click.Option(
    ["--draft"], default=None, help="Mã dự thảo (với KIND document), ví dụ seed-003."
)
# Options of `report`/`issue` that a document takes from its draft instead.
NOT_FOR_DOCUMENTS = ("period", "programme")


def _report_document(
    org: str,
    draft: str | None,
    as_of: str | None,
    known_by: str | None,
    recorded_by: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """`report document`: the draft's version recorded by T, its sources built under (D, K, T)."""
    from service.reporting.documents import draft as draft_bytes
    from service.reporting.drafting import document_request, run_document

    with runtime() as rt:
        request = document_request(
            rt, org, draft or "", as_of=as_of, known_by=known_by, recorded_by=recorded_by
        )
        content = run_document(rt, request)
        if fmt != "json":
            write_output(draft_bytes(rt, request, content, fmt), output)
            return
    write_output(canonical_bytes(content) + b"\n", output)


def _issue_document(kwargs: dict[str, Any]) -> None:
    """`issue document`: ReportIssued pins the draft's version; DOCX and PDF are kept."""
    from domain.issuance import recipients_of
    from service.reporting.documents import issue_output
    from service.reporting.drafting import issue_document
    from service.reporting.issuing import Signature

    who = kwargs["actor"] or os.environ.get("NGOAIVU_ACTOR") or getpass.getuser()
    recipients = recipients_of(kwargs["recipients"])
    sig = Signature(
        kwargs["number"],
        kwargs["signed_on"],
        kwargs["signer"],
        kwargs["signer_title"],
        kwargs["signing_form"],
        recipients,
    )
    org, fmt, output = kwargs["org"], kwargs["fmt"], kwargs["output"]
    with runtime() as rt:
        _request, content, details = issue_document(
            rt,
            org,
            kwargs["draft"] or "",
            sig,
            actor=who,
            as_of=kwargs["as_of"],
            known_by=kwargs["known_by"],
            recorded_by=kwargs["recorded_by"],
        )
        if fmt != "json":
            write_output(issue_output(rt, org, sig.number, sig.signed_on, fmt), output)
    if fmt == "json":
        write_output(canonical_bytes(content) + b"\n", output)
    click.echo(
        f"issued {sig.number} ({org}, {sig.signed_on[:4]}): {content['digest']}, draft "
        f"{details['draft_version']}, recorded_by {details['recorded_label']} pinned "
        f"@{details['recorded_pos']}, chain head @{details['chain_position']} "
        f"{details['chain_head']}",
        err=True,
    )
    if details.get("views_behind"):
        click.echo(f"Cảnh báo: {details['views_behind']}", err=True)


def _with_draft(command: click.Command, document: Callable[[dict[str, Any]], None]) -> None:
    """Give a report command `--draft`, `--period` optional: KIND `document` goes to
    `document(options)`, every other kind to the command as it was (its period then required)."""
    for param in command.params:
        if param.name == "period":
            param.required = False
    command.params.append(DRAFT_OPTION)
    original = command.callback
    assert original is not None

    def callback(**kwargs: Any) -> Any:
        draft = kwargs.pop("draft")
        if kwargs["kind"] == "document":
            given = [f"--{n}" for n in NOT_FOR_DOCUMENTS if kwargs.get(n) is not None]
            if given:
                raise BadInput(f"{', '.join(given)}: văn bản lấy kỳ và nguồn từ dự thảo (--draft)")
            if not draft:
                raise BadInput("--draft: cần mã dự thảo với KIND document")
            return guarded(document)({**kwargs, "draft": draft})
        if draft is not None:
            raise BadInput("--draft: chỉ dùng với KIND document")
        if kwargs.get("period") is None:
            raise BadInput("--period: bắt buộc (ví dụ 2020, 2021-H1)")
        return original(**kwargs)

    command.callback = callback


def _draft_new(
    org: str,
    kind: str,
    period: str,
    draft_id: str | None,
    programme: str | None,
    window: str,
    at: str | None,
) -> None:
    """Print the `document.drafted` line of a kind's standard draft, to edit and import."""
    from documents.standard import standard_draft
    from domain.periods import PeriodError, parse_period
    from service.reporting.requests import plain, require_org, vn_today

    for option, value in (("--org", org), ("--id", draft_id), ("--programme", programme)):
        if value is not None:
            plain(option, value)
    try:
        parse_period(period, window)
    except PeriodError as exc:
        raise BadInput(f"--period: {exc}") from exc
    with runtime() as rt:  # a draft of a department not registered could never be imported
        rt.ready()
        rt.require_level(org)
        require_org(rt, org)
    line = standard_draft(
        kind,
        org,
        period,
        at or vn_today().isoformat(),
        id=draft_id,
        programme=programme,
        window=window,
    )
    click.echo(json.dumps(line, ensure_ascii=False, separators=(",", ":")))


def register(main: click.Group) -> None:
    """Add `report document`, `issue document` and `draft new` to the `ngoaivu` group."""
    from documents.standard import STANDARDS

    @main.group("draft")
    def draft_group() -> None:
        """Dự thảo văn bản (document.drafted)."""

    @draft_group.command("diff")
    @click.argument("org")
    @click.argument("draft_id", metavar="ID")
    @click.option("--from", "old", type=int, default=None, help="Phiên bản cũ (mặc định: áp chót).")
    @click.option("--to", "new", type=int, default=None, help="Phiên bản mới (mặc định: cuối).")
    @guarded
    def draft_diff_cmd(org: str, draft_id: str, old: int | None, new: int | None) -> None:
        """So sánh hai phiên bản của dự thảo ID (mặc định: hai phiên bản cuối)."""
        from service.reporting.drafting import diff_versions, draft_versions

        with runtime() as rt:
            count = len(draft_versions(rt, org, draft_id))
            if count == 1 and old is None and new is None:  # not "the same": nothing to compare
                raise BadInput(
                    f"ID: dự thảo {draft_id!r} mới có một phiên bản: chưa có gì để so sánh"
                )
            text = diff_versions(rt, org, draft_id, old, new)
        click.echo(text or "Hai phiên bản giống nhau.")

    @draft_group.command("new")
    @click.option("--org", required=True, help="Mã tổ chức, ví dụ ha-tinh.")
    @click.option("--kind", required=True, type=click.Choice(list(STANDARDS)))
    @click.option("--period", required=True, help="2020, 2021-H1, 2021-Q3, 2021-9M, 2021-03")
    @click.option("--id", "draft_id", default=None, help="Mã dự thảo (mặc định KIND-PERIOD).")
    @click.option("--programme", default=None, help="Chương trình của nguồn số liệu.")
    @click.option("--window", type=click.Choice(["nd09", "calendar"]), default="nd09")
    @click.option("--at", default=None, help="Ngày của dự thảo (mặc định hôm nay).")
    @guarded
    def draft_new_cmd(**options: Any) -> None:
        """In dòng document.drafted của dự thảo mẫu của KIND, để sửa rồi nhập (import)."""
        _draft_new(**options)

    _with_draft(
        main.commands["report"],
        lambda o: _report_document(
            o["org"], o["draft"], o["as_of"], o["known_by"], o["recorded_by"], o["fmt"], o["output"]
        ),
    )
    _with_draft(main.commands["issue"], _issue_document)
