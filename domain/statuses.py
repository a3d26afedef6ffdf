"""The task status vocabulary (trạng thái nhiệm vụ) and the changes the office allows."""

from __future__ import annotations

from collections.abc import Iterable

UNREPORTED = "unreported"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
DEFERRAL_PROPOSED = "deferral_proposed"
DEFERRED = "deferred"
NOT_CARRIED_OUT = "not_carried_out"
CANCELLED = "cancelled"

STATUSES = (
    UNREPORTED,
    IN_PROGRESS,
    COMPLETED,
    DEFERRAL_PROPOSED,
    DEFERRED,
    NOT_CARRIED_OUT,
    CANCELLED,
)
REPORTABLE = STATUSES[1:]

LABELS_VI = {
    UNREPORTED: "chưa báo cáo",
    IN_PROGRESS: "đang triển khai",
    COMPLETED: "hoàn thành",
    DEFERRAL_PROPOSED: "đề xuất điều chỉnh sang năm sau",
    DEFERRED: "điều chỉnh sang năm sau",
    NOT_CARRIED_OUT: "không thực hiện được",
    CANCELLED: "hủy bỏ",
}

_OPEN_NEXT = frozenset({IN_PROGRESS, COMPLETED, DEFERRAL_PROPOSED, NOT_CARRIED_OUT, CANCELLED})
ALLOWED: dict[str, frozenset[str]] = {
    UNREPORTED: _OPEN_NEXT,
    IN_PROGRESS: _OPEN_NEXT,
    DEFERRAL_PROPOSED: frozenset({DEFERRED, IN_PROGRESS, COMPLETED, NOT_CARRIED_OUT}),
    COMPLETED: frozenset(),
    DEFERRED: frozenset(),
    NOT_CARRIED_OUT: frozenset(),
    CANCELLED: frozenset(),
}


def first_forbidden(statuses: Iterable[str]) -> tuple[int, str, str] | None:
    """The first change in a sequence the rules forbid: (index, from, to), or None."""
    current = UNREPORTED
    for index, status in enumerate(statuses):
        if status not in ALLOWED[current]:
            return index, current, status
        current = status
    return None
