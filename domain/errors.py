"""Errors the domain raises when a command breaks one of the office's rules."""

from __future__ import annotations


class DomainError(Exception):
    """A command that the rules forbid; `field` names the key at fault when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class RecordVoidedError(DomainError):
    """A voided record (bản ghi đã hủy) takes no new fact and no correction."""


class UnknownFactError(DomainError):
    """A correction or void names a fact the record does not have."""


class StatusChangeError(DomainError):
    """A task status change the vocabulary does not allow."""

    def __init__(self, message: str, fact_id: str) -> None:
        super().__init__(message, "status")
        self.fact_id = fact_id


class ConflictingContentError(DomainError):
    """An id already used with other content."""
