"""Documents of reports: drafts, the issued DOCX/PDF kept forever, and reprints compared with them.

Issued documents are kept as files under `$NGOAIVU_DATA/documents/`, one per format, named by
their SHA-256 and filed by organisation, year and number:

    documents/ORG/YEAR/NUMBER/SHA256.docx    (NUMBER percent-encoded: 849%2FSNgV-VP)

Every document is made by the one engine (documents.render): a `document` report from its
draft, a report of a kind from the kind's standard body (documents.standard_document). A report of
a kind issued with renderer version 1 reprints through the frozen renderer of its day
(documents.frozen_v1), so its bytes stay the issued ones.

ReportIssued records the SHA-256s (`details["documents"]`: {"docx": "sha256:…", "pdf": "sha256:…",
"renderer": "ngoaivu-render 2; python-docx …; weasyprint …"}), so a kept file is checked against
the event store on every read and by `verify`. A file is written before ReportIssued is saved and
never overwritten: if the save then fails (the number was just taken), the file is an orphan that
nothing names, never a replacement of another issue's document. With NGOAIVU_CIPHER_KEY set, the
files are encrypted with the event store's cipher (suffix `.enc`); the SHA-256 is the plain
document's. `backup` carries the files as stored (format version 2) and `restore` puts them back.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from documents.official import Issue
from documents.render import RENDERER_VERSION, render_composed, renderer_id, renderer_of
from domain.issuance import IssuedReport
from projections.letterheads import organisation_for
from projections.reports import ReportRequest
from service.runtime import Runtime

KEPT_FORMATS = ("docx", "pdf")


class DocumentError(RuntimeError):
    """A kept document is missing or does not match its SHA-256."""


def sha256(data: bytes) -> str:
    """ "sha256:" and the hex SHA-256 of the bytes (the form of the content digest)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Archive:
    """The issued documents of one installation."""

    def __init__(self, rt: Runtime) -> None:
        self.root = rt.settings.data_dir / "documents"
        self.cipher = getattr(rt.app.mapper, "cipher", None)

    def path(self, org: str, year: int, number: str, fmt: str, digest: str) -> Path:
        """Where a document is kept."""
        name = f"{digest.removeprefix('sha256:')}.{fmt}" + (".enc" if self.cipher else "")
        return self.root / quote(org, safe="") / str(year) / quote(number, safe="") / name

    def put(self, org: str, year: int, number: str, fmt: str, data: bytes) -> str:
        """Keep the bytes (once; an existing file is left as it is); their SHA-256."""
        digest = sha256(data)
        path = self.path(org, year, number, fmt, digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        stored = self.cipher.encrypt(data) if self.cipher else data
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(stored)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, path)
        return digest

    def get(self, org: str, year: int, number: str, fmt: str, digest: str) -> bytes:
        """The kept bytes, checked against their SHA-256."""
        path = self.path(org, year, number, fmt, digest)
        if not path.is_file():
            raise DocumentError(f"không tìm thấy bản {fmt.upper()} đã ban hành: {path}")
        stored = path.read_bytes()
        try:
            data = self.cipher.decrypt(stored) if self.cipher else stored
        except ValueError:  # the cipher's tag does not match: the file was changed
            raise DocumentError(f"bản {fmt.upper()} đã ban hành bị thay đổi: {path}") from None
        if sha256(data) != digest:
            raise DocumentError(f"bản {fmt.upper()} đã ban hành bị thay đổi: {path}")
        return data


def rendered(
    rt: Runtime,
    request: ReportRequest,
    content: dict[str, Any],
    issue: Issue | None,
    fmt: str,
    renderer: int = RENDERER_VERSION,
) -> bytes:
    """A report's document in `fmt` by the renderer of version `renderer`: the engine, or for a
    report of a kind issued with version 1, the frozen renderer of its day."""
    if content["report"] == "document":
        from service.reporting.drafting import composed_document

        return composed_document(rt, request, content, issue, fmt, renderer)
    with rt.models.reading() as conn:
        organisation = organisation_for(conn, content, request.cut, issue)
    if renderer == 1:
        from documents import frozen_v1

        return frozen_v1.render(frozen_v1.compose(content, organisation, issue), fmt)
    from documents.standard_document import compose_report

    return render_composed(compose_report(content, organisation, issue, renderer), fmt, renderer)


def draft(rt: Runtime, request: ReportRequest, content: dict[str, Any], fmt: str) -> bytes:
    """An unissued report's document: blank number, the as-of day, no signer."""
    return rendered(rt, request, content, None, fmt)


def issued_document(
    rt: Runtime,
    request: ReportRequest,
    content: dict[str, Any],
    issue: Issue,
    fmt: str,
    renderer: int = RENDERER_VERSION,
) -> bytes:
    """An issued report's document, rendered now by the renderer it was issued with."""
    return rendered(rt, request, content, issue, fmt, renderer)


def keeper(
    rt: Runtime,
) -> Callable[[ReportRequest, dict[str, Any], dict[str, Any], str], dict[str, Any]]:
    """The `documents` hook of `issue_report`: render DOCX and PDF, keep them, and return
    their SHA-256s and the renderer for ReportIssued."""
    archive = Archive(rt)

    def keep(
        request: ReportRequest, content: dict[str, Any], details: dict[str, Any], number: str
    ) -> dict[str, Any]:
        issue = Issue.from_details(number, details)
        kept: dict[str, Any] = {"renderer": renderer_id()}
        for fmt in KEPT_FORMATS:
            data = issued_document(rt, request, content, issue, fmt)
            kept[fmt] = archive.put(request.org, issue.signed_on.year, number, fmt, data)
        return kept

    return keep


def reprinted(
    rt: Runtime, record: IssuedReport, request: ReportRequest, content: dict[str, Any], fmt: str
) -> tuple[bytes, bool | None, str]:
    """The document rendered again from the reprinted content; whether its bytes equal the
    issued ones (None: none kept for this format), and a message saying so."""
    issue = Issue.from_details(record.number, record.details)
    renderer = renderer_of((record.details.get("documents") or {}).get("renderer"))
    data = issued_document(rt, request, content, issue, fmt, renderer)
    kept = (record.details.get("documents") or {}).get(fmt)
    if not kept:
        return data, None, f"không lưu bản {fmt.upper()} khi ban hành: không so sánh được"
    got = sha256(data)
    if got == kept:
        return data, True, f"{fmt.upper()} khớp bản đã ban hành: {kept}"
    recorded = (record.details.get("documents") or {}).get("renderer", "?")
    return (
        data,
        False,
        f"{fmt.upper()} khác bản đã ban hành: ban hành {kept} ({recorded}), in lại {got} "
        f"({renderer_id(renderer)}); bản gốc: reprint --original",
    )


def original(rt: Runtime, record: IssuedReport, fmt: str) -> bytes:
    """The issued document's own bytes, as kept at issue."""
    kept = (record.details.get("documents") or {}).get(fmt)
    if not kept:
        raise DocumentError(f"văn bản {record.number} không lưu bản {fmt.upper()} khi ban hành")
    return Archive(rt).get(record.org, record.year, record.number, fmt, kept)


def kept_problems(rt: Runtime, record: IssuedReport) -> tuple[int, list[str]]:
    """The DOCX/PDF kept at an issue re-hashed: how many were checked, and what is wrong with
    them (a missing file, or bytes that are not those whose SHA-256 the event holds)."""
    checked, problems = 0, []
    for fmt, digest in (record.details.get("documents") or {}).items():
        if fmt not in KEPT_FORMATS or not digest:
            continue
        checked += 1
        try:
            original(rt, record, fmt)
        except DocumentError as exc:
            problems.append(f"{record.number} ({record.year}): {exc}")
    return checked, problems


def issue_output(rt: Runtime, org: str, number: str, signed_on: str, fmt: str) -> bytes:
    """What `issue --format` writes: the DOCX/PDF just kept, or the HTML of the issue."""
    from domain.times import parse_date
    from service.reporting.issuing import find_issued, reprint, request_of

    record = find_issued(rt, org, number, parse_date(signed_on).year)
    if fmt in KEPT_FORMATS:
        return original(rt, record, fmt)
    content, _matches = reprint(rt, record)
    return reprinted(rt, record, request_of(record), content, fmt)[0]


def reprint_output(
    rt: Runtime, record: IssuedReport, content: dict[str, Any], fmt: str, kept: bool
) -> tuple[bytes, str]:
    """What `reprint --format` writes and says: the document rendered again and whether it
    equals the issued bytes, or (`--original`) the kept bytes themselves."""
    from service.reporting.issuing import request_of

    if kept and fmt in KEPT_FORMATS:
        digest = (record.details.get("documents") or {}).get(fmt)
        return original(rt, record, fmt), f"bản {fmt.upper()} lưu khi ban hành: {digest}"
    data, _same, message = reprinted(rt, record, request_of(record), content, fmt)
    return data, message
