"""What an import reports when it stores nothing: rejected lines, or a write conflict."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LineError:
    """One rejected line: its number, the key at fault and why."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"dòng {self.line}" + (f", trường {self.field!r}" if self.field else "")
        return f"{where}: {self.message}"


class ImportConflict(Exception):
    """Other processes kept writing the same records: nothing of the file was stored."""

    def __init__(self, attempts: int) -> None:
        super().__init__(
            f"xung đột ghi đồng thời: tiến trình khác đang ghi cùng các hồ sơ này, đã thử "
            f"{attempts} lần; không lưu gì từ tệp này. Hãy chạy lại lệnh nhập sau ít phút."
        )
        self.attempts = attempts


class ImportRejected(Exception):
    """The file breaks a rule: nothing was stored.

    `errors` are the first rejected lines' errors, one per field at fault (a line may give
    several); `total` counts rejected lines, `listed` those of them `errors` shows, so "and N
    more" is `total - listed` whatever the number of fields per line.
    """

    def __init__(self, errors: list[LineError], total: int, listed: int | None = None) -> None:
        super().__init__(f"{total} dòng bị từ chối")
        self.errors = errors
        self.total = total
        self.listed = len({e.line for e in errors}) if listed is None else listed
