"""Anchors (mốc): chain heads noted outside the installation, checked by `verify` and `restore`.

An anchor is a line `@POSITION sha256:HEAD` (the form `ngoaivu anchor` prints and every issued
document carries in its footer, "Chuỗi băm khi ban hành: @P sha256:…"; the value is the keyed
link, HMAC-SHA256, under the historical prefix). Blank lines and lines starting with `#` are
skipped; `hmac-sha256:` or no prefix are read too.
"""

from __future__ import annotations

import re
from pathlib import Path

_LINE = re.compile(r"@(\d+)\s+(?:(?:hmac-)?sha256:)?([0-9a-fA-F]{64})\Z")


class AnchorError(ValueError):
    """An anchors file that cannot be read (bad input: the line is named)."""


def parse_anchors(text: str, source: str = "--anchors") -> dict[int, str]:
    """Position → head (lower-case hex); AnchorError names the first bad line."""
    found: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise AnchorError(
                f"{source}, dòng {number}: cần dạng '@VỊ_TRÍ sha256:<64 chữ số hex>', "
                f"không phải {line[:40]!r}"
            )
        position, head = int(match.group(1)), match.group(2).lower()
        if position < 1:
            raise AnchorError(f"{source}, dòng {number}: vị trí phải từ @1")
        if found.get(position, head) != head:
            raise AnchorError(f"{source}, dòng {number}: hai mốc khác nhau cho @{position}")
        found[position] = head
    return found


def read_anchors(path: Path) -> dict[int, str]:
    """The anchors of a file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorError(f"--anchors: không đọc được {str(path)!r}: {exc}") from exc
    return parse_anchors(text, f"--anchors {path.name}")


def anchor_problems(
    anchors: dict[int, str], found: dict[int, str | None], last: int
) -> list[tuple[int, str]]:
    """(position, message) for each anchor the chain does not hold; `found` maps each anchor's
    position to the link there (None: no event there), `last` is the chain's last position."""
    problems = []
    for position in sorted(anchors):
        head = found.get(position)
        if position > last:
            problems.append((position, f"chuỗi chỉ đến @{last}, trước mốc này: sự kiện bị cắt?"))
        elif head is None:
            problems.append((position, "không có sự kiện ở vị trí của mốc"))
        elif head != anchors[position]:
            problems.append(
                (position, f"đầu chuỗi {head[:16]}… khác mốc đã ghi {anchors[position][:16]}…")
            )
    return problems
