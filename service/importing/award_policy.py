"""The award catalogue applied to a proposal or grant: the first rule it breaks, with its source."""

from __future__ import annotations

from typing import Any

from domain.times import Moment


def history_of(ws: Any, org: str, terms: dict[str, Any]) -> list[tuple[str, Any]] | None:
    """A registered recipient's granted awards, stored and in the same file; None if unknown.

    Only a recipient named by `person` or `unit` id has a history: a name alone could be two
    people, so prerequisites are then not checked (the register lists such awards).
    """
    recipient = terms["recipient"]
    key = "person" if recipient.get("person") else "unit" if recipient.get("unit") else None
    if key is None or ws.awards_of is None:
        return None
    found = list(ws.awards_of(org, key, recipient[key]))
    found += ws.granted_in_file(org, key, recipient[key], other_than=terms.get("id"))
    return found


def first_violation(ws: Any, org: str, terms: dict[str, Any]) -> tuple[str, str] | None:
    """The first catalogue rule the terms break on their date: (message, field), or None."""
    from domain import award_rules

    day = Moment.parse(terms["at"]).day
    violations = award_rules.check(
        day,
        terms["form"],
        terms["grantor"],
        terms["recipient"]["type"],
        history_of(ws, org, terms),
        for_year=terms.get("for_year"),
        category=terms.get("category"),
    )
    if not violations:
        return None
    first = violations[0]
    message = f"{first.message} [quy tắc {first.rule}; căn cứ: {first.source}]"
    return message, first.field or "form"
