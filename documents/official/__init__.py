"""The administrative document of Nghị định 30/2020/NĐ-CP as data and its page: the `Document`
model (documents.official.document), the Vietnamese written forms (vietnamese), the page, fonts
and DOCX/PDF plumbing (html, docx, pdf) that every renderer shares, the `Issue` ReportIssued adds
and the small footer line of the digest.

The documents themselves are made by the one engine (documents.render); the renderer of version 1
is kept, frozen, in documents.frozen_v1 for the reports issued with it. A change here changes the
bytes of both: reprints of issued documents must stay byte-identical (tests/fixtures/format1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from documents.official.document import Document, Organisation
from documents.official.vietnamese import day_month


@dataclass(frozen=True)
class Issue:
    """What ReportIssued adds to the content: number, day, signer, recipients, chain head."""

    number: str
    signed_on: date
    signer: str | None = None
    signer_title: str | None = None
    signing_form: str | None = None
    recipients: tuple[str, ...] = ()
    chain_position: int | None = None
    chain_head: str | None = None

    @classmethod
    def from_details(cls, number: str, details: dict[str, Any]) -> Issue:
        """From ReportIssued's `details`."""
        return cls(
            number=number,
            signed_on=date.fromisoformat(details["signed_on"]),
            signer=details.get("signer"),
            signer_title=details.get("signer_title"),
            signing_form=details.get("signing_form"),
            recipients=tuple(details.get("recipients") or ()),
            chain_position=details.get("chain_position"),
            chain_head=details.get("chain_head"),
        )


def _footer(content: dict[str, Any], issue: Issue | None) -> tuple[str, ...]:
    digest = content.get("digest", "")
    if issue is None:
        return (
            f"Dự thảo, chưa ban hành. Nội dung: {digest}",
            f"Số liệu đến ngày {day_month(date.fromisoformat(content['as_of']))}, "
            f"dữ liệu ghi đến {content.get('recorded_by', '')}",
        )
    head = issue.chain_head or ""
    position = f"@{issue.chain_position} " if issue.chain_position is not None else ""
    return (f"Nội dung: {digest}", f"Chuỗi băm khi ban hành: {position}sha256:{head}")


__all__ = ["Document", "Issue", "Organisation", "_footer"]
