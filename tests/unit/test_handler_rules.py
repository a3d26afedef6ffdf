"""The import's rules on an in-memory workspace (tests/builders.py): each command handler and
each record's lifecycle, with no database. The same rules through the CLI on both stores are the
end-to-end cases of tests/integration/test_import_rules.py."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from domain.errors import DomainError
from tests.builders import MemoryWorkspace, applied, line

BASE = (line("org.registered"), line("programme.adopted"))


def task(no: int, **keys: Any) -> dict[str, Any]:
    return line("task.added", no=no, **{"title": f"Nhiệm vụ {no}", **keys})


def progress(no: int, status: str, at: str) -> dict[str, Any]:
    return line("task.progressed", no=no, status=status, at=at)


def refused(*lines: dict[str, Any]) -> str:
    """The field of the first rule the lines break (handled in order, then the end checks)."""
    ws = MemoryWorkspace()
    try:
        for raw in lines:
            ws.apply(raw)
    except DomainError as exc:
        return exc.field or ""
    problems = ws.finish()
    assert problems, "every line was accepted"
    return problems[0][1]


def test_a_progress_needs_its_task() -> None:
    assert refused(*BASE, progress(7, "completed", "2020-05-01")) == "no"


def test_a_task_needs_its_programme() -> None:
    assert refused(line("org.registered"), task(1)) == "programme"


def test_every_fact_needs_a_registered_org() -> None:
    assert refused(line("programme.adopted")) == "org"


@pytest.mark.parametrize(
    ("into", "field"), [("ha-tinh", "into"), ("nghe-an", "into")], ids=["itself", "unregistered"]
)
def test_a_merger_needs_another_registered_successor(into: str, field: str) -> None:
    assert refused(line("org.registered"), line("org.merged", into=into)) == field


def test_nothing_leaves_completed() -> None:
    lines = (*BASE, task(1), progress(1, "completed", "2020-05-01"))
    assert refused(*lines, progress(1, "cancelled", "2020-06-01")) == "status"
    assert refused(*lines, progress(1, "deferral_proposed", "2020-07-01")) == "status"


def test_deferred_needs_a_proposal_first() -> None:
    assert refused(*BASE, task(2), progress(2, "deferred", "2020-07-01")) == "status"
    ws = applied(
        *BASE,
        task(2),
        progress(2, "deferral_proposed", "2020-06-01"),
        progress(2, "deferred", "2020-07-01"),
    )
    assert ws.get("ha-tinh", "task:CT-2020/2") is not None


def test_statuses_are_checked_in_effective_order_not_file_order() -> None:
    applied(
        *BASE,
        task(3),
        progress(3, "deferred", "2020-07-01"),
        progress(3, "deferral_proposed", "2020-06-01"),
    )


def test_a_correction_is_exempt_and_later_facts_follow_it() -> None:
    """Fine point 4: completed corrected to deferral_proposed; then deferred is allowed."""
    fix = line("record.corrected", target="task:CT-2020/3", set={"status": "deferral_proposed"})
    lines = (*BASE, task(3), progress(3, "completed", "2020-07-01"), fix)
    applied(*lines, progress(3, "deferred", "2020-08-01"))
    assert (
        refused(
            *BASE,
            task(3),
            progress(3, "completed", "2020-07-01"),
            progress(3, "deferred", "2020-08-01"),
        )
        == "status"
    )


def test_a_key_that_cannot_be_corrected_is_named() -> None:
    fix = line("record.corrected", target="task:CT-2020/1", set={"colour": "đỏ"})
    assert refused(*BASE, task(1), fix) == "set.colour"


def test_a_corrected_value_is_validated_as_the_kind_would() -> None:
    fix = line("record.corrected", target="task:CT-2020/1", set={"no": "một"})
    assert refused(*BASE, task(1), fix) == "set.no"


def test_a_voided_record_takes_no_progress_and_no_second_void() -> None:
    void = line("record.voided", target="task:CT-2020/1")
    assert refused(*BASE, task(1), void, progress(1, "completed", "2020-05-01")) == "no"
    assert refused(*BASE, task(1), void, void) == "target"


def test_an_id_used_with_other_content_conflicts() -> None:
    assert refused(*BASE, task(1), task(1, title="Khác")) == "no"


def test_a_disbursement_needs_its_commitment() -> None:
    assert refused(line("org.registered"), line("aid.disbursed")) == "id"


def test_a_bad_line_is_refused_before_any_handler() -> None:
    with pytest.raises(ValidationError) as caught:
        MemoryWorkspace().apply(line("delegation.recorded", people=-1))
    assert "people" in caught.value.normalized_messages()
