"""What an import reports when it stores nothing: rejected lines (every field at fault in
each), or a write conflict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.errors import DomainError

# (field at fault or None for the whole line, why): one of a line's problems.
Problem = tuple[str | None, str]


@dataclass(frozen=True)
class LineError:
    """One rejected line: its number, the key at fault and why."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"dòng {self.line}" + (f", trường {self.field!r}" if self.field else "")
        return f"{where}: {self.message}"


class FieldErrors(DomainError):
    """A line that breaks a rule in several fields at once (a correction's `set`): each named,
    the first as the DomainError's own field and message."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0][1], problems[0][0])
        self.problems = problems


def field_errors(messages: Any, path: str = "") -> list[Problem]:
    """Every field at fault in marshmallow's messages, in its order, by its full path
    (`recipient.name`, `items.2.title`; None for the whole line), each with its messages
    joined by "; " (one problem per field: the CLI prints one message per field)."""
    if isinstance(messages, dict) and messages:
        out: list[Problem] = []
        for key, inner in messages.items():
            if isinstance(inner, dict) and inner and inner.keys() <= {"key", "value"}:
                # a mapping's entry (marshmallow Dict): its key, its value, or both at fault
                if "key" in inner:
                    said = [m for _name, m in field_errors(inner["key"])]
                    out.append((path or None, "; ".join(f"khóa {key!r}: {m}" for m in said)))
                if "value" not in inner:
                    continue
                inner = inner["value"]
            name = path if key == "_schema" else (f"{path}.{key}" if path else str(key))
            out.extend(field_errors(inner, name))
        return out
    if isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        return [(path or None, "; ".join(messages))]
    if isinstance(messages, list) and messages:
        return [problem for item in messages for problem in field_errors(item, path)]
    return [(path or None, str(messages))]


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
