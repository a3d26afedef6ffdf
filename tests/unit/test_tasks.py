"""The Task aggregate: statuses, corrections, voids (no I/O)."""

import pytest

from domain.errors import RecordVoidedError, StatusChangeError, UnknownFactError
from domain.programmes import Task
from domain.statuses import ALLOWED, STATUSES, first_forbidden


def common(at="2020-02-04", **extra):
    base = {"actor": "clerk", "reason": None, "ref": None, "known_since": None, "at": at}
    return {**base, **extra}


def new_task():
    return Task.add(
        "ha-tinh",
        "2020",
        11,
        line_digest="l1",
        data={"title": "Thanh tra", "unit": "VP"},
        **common(),
    )


def progress(task, status, at, digest):
    return task.report_progress(status, line_digest=digest, data={"status": status}, **common(at))


def test_fact_ids_name_the_record_and_the_place_in_it():
    task = new_task()
    assert task.target == "task:2020/11"
    assert progress(task, "in_progress", "2020-05-01", "l2") == "task:2020/11#2"


def test_each_status_is_stored_as_its_own_past_tense_event():
    task = new_task()
    progress(task, "deferral_proposed", "2020-11-01", "l2")
    progress(task, "deferred", "2020-12-01", "l3")
    names = [type(e).__name__ for e in task.collect_events()]
    assert names == ["Added", "DeferralProposed", "Deferred"]


def test_statuses_are_checked_in_effective_time_order_not_entry_order():
    task = new_task()
    progress(task, "deferred", "2020-12-01", "l2")
    progress(task, "deferral_proposed", "2020-11-01", "l3")
    task.check_statuses()  # proposed on 1/11, deferred on 1/12: allowed


def test_nothing_leaves_completed_without_a_correction():
    task = new_task()
    progress(task, "completed", "2020-12-08", "l2")
    bad = progress(task, "deferral_proposed", "2020-12-09", "l3")
    with pytest.raises(StatusChangeError) as caught:
        task.check_statuses()
    assert caught.value.fact_id == bad
    assert caught.value.message == (
        "nhiệm vụ số 11 (chương trình 2020) “Thanh tra”: không được chuyển trạng thái từ "
        "“hoàn thành” (mục ngày 08/12/2020) sang “đề xuất điều chỉnh sang năm sau” "
        "(mục ngày 09/12/2020)"
    )


def test_an_entry_dated_before_a_later_one_names_the_later_entry_in_words():
    task = new_task()
    progress(task, "in_progress", "2020-12-11", "l2")
    progress(task, "completed", "2020-12-01", "l3")
    with pytest.raises(StatusChangeError) as caught:
        task.check_statuses()
    assert caught.value.message == (
        "nhiệm vụ số 11 (chương trình 2020) “Thanh tra”: không ghi được “hoàn thành” ngày "
        "01/12/2020 vì đã có mục “đang triển khai” ngày 11/12/2020, muộn hơn; không được "
        "chuyển từ “hoàn thành” sang “đang triển khai”"
    )
    assert "task:" not in caught.value.message and "completed" not in caught.value.message


def test_a_correction_of_the_status_makes_a_later_change_allowed():
    task = new_task()
    done = progress(task, "completed", "2020-12-08", "l2")
    task.correct(done, {"status": "in_progress"}, line_digest="c1", **_why())
    progress(task, "deferral_proposed", "2020-12-09", "l3")
    task.check_statuses()
    assert task.latest_fact().current()["status"] == "deferral_proposed"


def _why():
    return {"actor": "clerk", "reason": "nhập nhầm", "ref": None, "known_since": None}


def test_corrections_compose_in_knowledge_order():
    task = new_task()
    fact = progress(task, "in_progress", "2020-05-01", "l2")
    task.correct(
        fact, {"at": "2020-05-03"}, line_digest="c1", **{**_why(), "known_since": "2021-02-01"}
    )
    task.correct(
        fact, {"at": "2020-05-02"}, line_digest="c2", **{**_why(), "known_since": "2021-01-01"}
    )
    # known 1/2 wins over known 1/1 although it was stored first
    assert task.facts[fact].current()["at"] == "2020-05-03"


def test_a_voided_record_takes_no_correction_and_no_fact():
    task = new_task()
    task.void(None, line_digest="v1", **_why())
    with pytest.raises(RecordVoidedError):
        task.correct("task:2020/11#1", {"title": "x"}, line_digest="c1", **_why())
    with pytest.raises(RecordVoidedError):
        progress(task, "completed", "2020-12-01", "l2")


def test_a_correction_of_an_unknown_fact_is_refused():
    with pytest.raises(UnknownFactError):
        new_task().correct("task:2020/11#9", {"title": "x"}, line_digest="c1", **_why())


def test_the_latest_fact_is_the_latest_progress_or_the_added_fact():
    task = new_task()
    assert task.latest_fact().fact_id == "task:2020/11#1"
    progress(task, "completed", "2020-12-08", "l2")
    progress(task, "in_progress", "2020-06-01", "l3")
    assert task.latest_fact().fact_id == "task:2020/11#2"


def test_identical_lines_are_known():
    task = new_task()
    assert task.knows_line("l1") and not task.knows_line("l2")


def test_transition_table_matches_the_contract():
    final = {"completed", "deferred", "not_carried_out", "cancelled"}
    assert all(not ALLOWED[s] for s in final)
    assert ALLOWED["deferral_proposed"] == {
        "deferred",
        "in_progress",
        "completed",
        "not_carried_out",
    }
    assert "deferred" not in ALLOWED["in_progress"] and "deferred" not in ALLOWED["unreported"]
    assert first_forbidden(["in_progress", "completed"]) is None
    assert first_forbidden(["completed", "in_progress"]) == (1, "completed", "in_progress")
    assert set(STATUSES) == set(ALLOWED)
