"""Issued reports (văn bản đã ban hành): number, signer and the cut-offs that pin the content."""

from __future__ import annotations

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import DomainError

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:ngoaivu-records:issued")
# Số và ký hiệu: a number, then the code (849/SNgV-VP, 39/2020/QĐ-UBND).
# Digits, a slash, then no space, control character or lone surrogate (a CLI argument that is
# not UTF-8 arrives with surrogates).
_NUMBER = re.compile("[0-9]{1,6}/[^\\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+\\Z")
SIGNING_FORMS = ("TL.", "KT.", "TM.", "TUQ.", "Q.")


def issued_id(org: str, year: int, number: str) -> UUID:
    """One aggregate per department, year and number: a second issue of a number conflicts."""
    return uuid5(_NAMESPACE, f"{org}\x1f{year}\x1f{number}")


def check_number(number: str) -> None:
    """Nghị định 30/2020 Điều 15: a number and a code, e.g. 849/SNgV-VP."""
    if not _NUMBER.match(number):
        raise DomainError(f"số và ký hiệu không hợp lệ: {number!r} (ví dụ 849/SNgV-VP)", "number")


def check_signing_form(form: str | None) -> None:
    """TL., KT., TM., TUQ. or Q. before the title of the one signed for."""
    if form and not form.startswith(SIGNING_FORMS):
        raise DomainError(
            f"thể thức ký không hợp lệ: {form!r} (bắt đầu bằng {', '.join(SIGNING_FORMS)})",
            "signing_form",
        )


class IssuedReport(Aggregate):
    """A report issued with a number, signed, and pinned to the records it could see."""

    class ReportIssued(Aggregate.Created):
        """The report was issued: its content digest, cut-offs, format and the chain head."""

        org: str
        year: int
        number: str
        details: dict[str, Any]

    def __init__(self, org: str, year: int, number: str, details: dict[str, Any]) -> None:
        self.org = org
        self.year = year
        self.number = number
        self.details = details

    @classmethod
    def issue(
        cls, org: str, year: int, number: str, details: dict[str, Any], **fields: Any
    ) -> IssuedReport:
        """Issue a report under a number unique to the department and the year."""
        check_number(number)
        check_signing_form(details.get("signing_form"))
        return cls._create(
            cls.ReportIssued,
            id=issued_id(org, year, number),
            org=org,
            year=year,
            number=number,
            details=details,
            **fields,
        )
