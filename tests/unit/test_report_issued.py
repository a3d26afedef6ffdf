"""ReportIssued at version 2: declared terms, nothing changed after it is made, and the stored
form of version 1 (one `details` dict with the actor added by aliasing) read as version 2."""

from __future__ import annotations

import copy
from typing import Any

from domain.issuance import DRAFT_TERMS, TERMS, IssuedReport

TERMS_V1: dict[str, Any] = {
    "kind": "foreign-affairs",
    "period": "2021-03",
    "window": "nd09",
    "programme": None,
    "as_of": "2021-03-14",
    "known_label": "2021-03-14",
    "known_below_us": 1615741200000000,
    "recorded_label": None,
    "recorded_pos": 41,
    "recorded_below_us": None,
    "format": 1,
    "digest": "sha256:960e",
    "chain_position": 41,
    "chain_head": "ab12",
    "signed_on": "2021-03-14",
    "signer": "Nguyễn Văn An",
    "signer_title": None,
    "signing_form": None,
    "recipients": ["UBND tỉnh"],
    "documents": {"docx": "sha256:1", "pdf": "sha256:2", "renderer": "r1"},
    "actor": "clerk",
}


def issued(**changes: Any) -> IssuedReport:
    return IssuedReport.issue("ha-tinh", 2021, "01/BC-SNgV", **(copy.deepcopy(TERMS_V1) | changes))


def test_the_event_declares_each_term_and_gives_version_1s_dict() -> None:
    record = issued()
    (event,) = record.collect_events()
    assert type(event).class_version == 2
    assert "details" not in vars(event)
    assert all(name in vars(event) for name in (*TERMS, *DRAFT_TERMS))
    assert event.details == record.details == TERMS_V1
    assert list(record.details) == list(TERMS_V1)  # version 1's order (the audit export's)


def test_the_record_cannot_be_changed_through_its_details() -> None:
    record = issued()
    record.details["actor"] = "someone else"
    record.details["documents"]["pdf"] = "sha256:0"
    assert record.actor == "clerk" and record.details["documents"]["pdf"] == "sha256:2"


def test_a_document_issue_names_its_draft_first() -> None:
    draft = {"draft": "seed-000", "draft_version": "fact:x#1", "source_formats": {"fa": 2}}
    record = issued(kind="document", **draft)
    assert list(record.details)[:3] == list(DRAFT_TERMS)
    assert record.details == draft | TERMS_V1 | {"kind": "document"}


def test_version_1s_stored_state_is_upcast_term_by_term() -> None:
    state = {"org": "ha-tinh", "year": 2021, "number": "01/BC-SNgV"}
    state["details"] = copy.deepcopy(TERMS_V1)
    IssuedReport.ReportIssued.upcast_v1_v2(state)
    assert "details" not in state
    assert {k: state[k] for k in TERMS} == TERMS_V1
    assert all(state[k] is None for k in DRAFT_TERMS)


def test_terms_version_1_did_not_say_take_the_readers_defaults() -> None:
    said = {k: v for k, v in TERMS_V1.items() if k not in ("signer_title", "recipients")}
    state: dict[str, Any] = {"org": "ha-tinh", "year": 2021, "number": "1/X", "details": said}
    IssuedReport.ReportIssued.upcast_v1_v2(state)
    assert state["signer_title"] is None and state["recipients"] == []
