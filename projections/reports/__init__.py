"""Report builders: each kind's content as data, versioned by format, with its digest."""

from __future__ import annotations

from projections.reports.assigned_tasks import build_assigned_tasks, build_assigned_tasks_fold
from projections.reports.common import Builder, ReportRequest, build
from projections.reports.document import build_document, build_document_v1
from projections.reports.emulation import (
    build_award_irregular,
    build_award_irregular_fold,
    build_award_register,
    build_award_register_fold,
    build_emulation,
    build_emulation_fold,
)
from projections.reports.foreign_affairs import build_foreign_affairs, build_foreign_affairs_fold
from projections.reports.foreign_affairs_v2 import (
    build_foreign_affairs_v2,
    build_foreign_affairs_v2_fold,
)
from projections.reports.key_tasks import build_key_tasks, build_key_tasks_fold
from projections.reports.tasks_v2 import (
    build_assigned_tasks_v2,
    build_assigned_tasks_v2_fold,
    build_key_tasks_v2,
    build_key_tasks_v2_fold,
)

# Every format ever issued stays here so old issues reprint with their own builder.
BUILDERS: dict[str, dict[int, Builder]] = {
    "key-tasks": {1: build_key_tasks, 2: build_key_tasks_v2},
    "assigned-tasks": {1: build_assigned_tasks, 2: build_assigned_tasks_v2},
    "foreign-affairs": {1: build_foreign_affairs, 2: build_foreign_affairs_v2},
    "emulation": {1: build_emulation},
    "award-register": {1: build_award_register},
    "award-irregular": {1: build_award_irregular},
}
# The same kinds by the fold of the visible facts: the oracle the versions are tested against.
FOLD_BUILDERS: dict[str, dict[int, Builder]] = {
    **BUILDERS,
    "key-tasks": {1: build_key_tasks_fold, 2: build_key_tasks_v2_fold},
    "assigned-tasks": {1: build_assigned_tasks_fold, 2: build_assigned_tasks_v2_fold},
    "foreign-affairs": {1: build_foreign_affairs_fold, 2: build_foreign_affairs_v2_fold},
    "emulation": {1: build_emulation_fold},
    "award-register": {1: build_award_register_fold},
    "award-irregular": {1: build_award_irregular_fold},
}
CURRENT_FORMAT = {kind: max(versions) for kind, versions in BUILDERS.items()}
# Composed documents (a draft over sources of the kinds above): built from a draft, not a period.
# Format 2: a body line starting and ending with a tag keeps its line end (issue 14).
DOCUMENT_BUILDERS: dict[str, dict[int, Builder]] = {
    "document": {1: build_document_v1, 2: build_document}
}
ALL_BUILDERS = {**BUILDERS, **DOCUMENT_BUILDERS}

__all__ = ["ALL_BUILDERS", "BUILDERS", "CURRENT_FORMAT", "FOLD_BUILDERS", "ReportRequest", "build"]
