"""The award catalogue applied to a proposal or grant: the first rule it breaks, with its source."""

from __future__ import annotations

from typing import Any

from domain.times import Moment


def first_violation(ws: Any, org: str, terms: dict[str, Any]) -> tuple[str, str] | None:
    """The first catalogue rule the terms break on their date: (message, field), or None."""
    from domain import award_rules

    day = Moment.parse(terms["at"]).day
    violations = award_rules.check(day, terms["form"], terms["grantor"], terms["recipient"]["type"])
    if not violations:
        return None
    first = violations[0]
    message = f"{first.message} [quy tắc {first.rule}; căn cứ: {first.source}]"
    return message, first.field or "form"
