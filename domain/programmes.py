"""Key-task programmes (Chương trình nhiệm vụ trọng tâm) and their numbered tasks (nhiệm vụ)."""

from __future__ import annotations

from typing import Any

from domain.errors import StatusChangeError
from domain.records import FactView, Record
from domain.statuses import (
    CANCELLED,
    COMPLETED,
    DEFERRAL_PROPOSED,
    DEFERRED,
    IN_PROGRESS,
    LABELS_VI,
    NOT_CARRIED_OUT,
    first_forbidden,
)


def task_target(programme: str, no: int) -> str:
    """The target of a task: `task:2020/11`."""
    return f"task:{programme}/{no}"


class Programme(Record):
    """The annual programme of key tasks, adopted by a document (e.g. 53/SNgV-VP)."""

    record_kind = "programme"

    class Adopted(Record.Opened):
        """The programme was adopted."""

    @classmethod
    def adopt(cls, org: str, programme: str, **fields: Any) -> Programme:
        """Adopt a programme."""
        target = f"programme:{programme}"
        return cls.open(org, target, cls.Adopted, kind="programme.adopted", **fields)  # type: ignore[return-value]


class Task(Record):
    """A numbered task of a programme, owned by a unit, possibly assigned by the UBND tỉnh."""

    record_kind = "task"

    class Added(Record.Opened):
        """The task was added to its programme.

        Version 2: `data` always holds `source` (the import fills the default `programme`).
        A version-1 event stored without it is read as if it had the default.
        """

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """A version-1 state as version 2: `source` defaults to `programme`."""
            state["data"].setdefault("source", "programme")

    class Progressed(Record.Fact):
        """Progress was reported on the task; the subclass says what happened."""

    class Started(Progressed):
        """The task is in progress (đang triển khai)."""

    class Completed(Progressed):
        """The task was completed (hoàn thành)."""

    class DeferralProposed(Progressed):
        """Deferral to next year was proposed (đề xuất điều chỉnh sang năm sau)."""

    class Deferred(Progressed):
        """The task was deferred to next year (điều chỉnh sang năm sau)."""

    class NotCarriedOut(Progressed):
        """The task could not be carried out (không thực hiện được)."""

    class Cancelled(Progressed):
        """The task was cancelled (hủy bỏ)."""

    @classmethod
    def add(cls, org: str, programme: str, no: int, **fields: Any) -> Task:
        """Add a task to a programme."""
        target = task_target(programme, no)
        return cls.open(org, target, cls.Added, kind="task.added", **fields)  # type: ignore[return-value]

    def report_progress(self, status: str, **fields: Any) -> str:
        """Record progress with its status; the sequence is checked by `check_statuses`."""
        return self.add_fact(_EVENT_BY_STATUS[status], kind="task.progressed", **fields)

    def progress(self) -> list[FactView]:
        """The progress facts not voided, in effective-time order."""
        return [f for f in self.live_facts() if f.kind == "task.progressed"]

    def latest_fact(self) -> FactView:
        """A task's latest progress, or its `task.added` when it has none (CONTRACT point 4)."""
        progress = self.progress()
        return progress[-1] if progress else self.opening()

    def check_sequence(self) -> None:
        """A task's lifecycle is its status vocabulary."""
        self.check_statuses()

    def check_statuses(self) -> None:
        """Raise when the statuses, in effective-time order and as corrected, break the rules."""
        progress = self.progress()
        bad = first_forbidden(f.current()["status"] for f in progress)
        if bad is not None:
            index, _old, _new = bad
            earlier, later = progress[index - 1], progress[index]
            raise StatusChangeError(self._refusal(earlier, later), later.fact_id)

    def _refusal(self, earlier: FactView, later: FactView) -> str:
        """The refused change in words: the task by number and title, the statuses by their
        labels, and the entry it clashes with by its date (the entry just made is the newest)."""
        programme, _, no = self.target.partition(":")[2].partition("/")
        title = self.opening().current().get("title") or ""
        task = f"nhiệm vụ số {no} (chương trình {programme}) “{title}”"
        (old, old_on), (new, new_on) = _said(earlier), _said(later)
        if earlier.version > later.version:  # the entry made now is dated before another one
            return (
                f"{task}: không ghi được “{old}” ngày {old_on} vì đã có mục “{new}” ngày "
                f"{new_on}, muộn hơn; không được chuyển từ “{old}” sang “{new}”"
            )
        return (
            f"{task}: không được chuyển trạng thái từ “{old}” (mục ngày {old_on}) "
            f"sang “{new}” (mục ngày {new_on})"
        )


def _said(fact: FactView) -> tuple[str, str]:
    """A progress fact's status label and its day, dd/mm/yyyy."""
    moment = fact.moment()
    day = moment.day.strftime("%d/%m/%Y") if moment else "?"
    return LABELS_VI[fact.current()["status"]], day


# Each status has its own past-tense event, named for what happened in the office.
_EVENT_BY_STATUS: dict[str, type[Record.Fact]] = {
    IN_PROGRESS: Task.Started,
    COMPLETED: Task.Completed,
    DEFERRAL_PROPOSED: Task.DeferralProposed,
    DEFERRED: Task.Deferred,
    NOT_CARRIED_OUT: Task.NotCarriedOut,
    CANCELLED: Task.Cancelled,
}
