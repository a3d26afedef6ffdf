"""Reporting periods (kỳ báo cáo) and their windows: Nghị định 09/2019/NĐ-CP Điều 12 or calendar."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

WINDOWS = ("nd09", "calendar")
_PERIOD = re.compile(r"([0-9]{4})(?:-(H[12]|Q[1-4]|9M|[0-9]{2}))?\Z")


class PeriodError(ValueError):
    """A period label or window that does not exist."""


@dataclass(frozen=True)
class Period:
    """A window of effective time, inclusive of both days, with the label it was asked by."""

    label: str
    window: str
    start: date
    end: date

    @property
    def year(self) -> int:
        """The year the label names."""
        return int(self.label[:4])

    def previous(self) -> Period:
        """The same window one year earlier ("cùng kỳ năm trước")."""
        label = f"{self.year - 1:04d}{self.label[4:]}"
        return parse_period(label, self.window, earliest=self.year - 1)

    def contains(self, day: date) -> bool:
        """Whether a Vietnam day falls in the window."""
        return self.start <= day <= self.end

    def months(self) -> list[str]:
        """The reporting months (YYYY-MM) the period contains: its label's, whatever the window."""
        first, last = _month_span(self.label[5:] or None)
        return [f"{self.year:04d}-{m:02d}" for m in range(first, last + 1)]

    def as_json(self) -> dict[str, str]:
        """The report's `period` object."""
        return {
            "label": self.label,
            "window": self.window,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
        }


# The reporting months each part of a label spans (a month label spans itself).
_SPANS = {
    None: (1, 12),
    "H1": (1, 6),
    "H2": (7, 12),
    "9M": (1, 9),
    "Q1": (1, 3),
    "Q2": (4, 6),
    "Q3": (7, 9),
    "Q4": (10, 12),
}


def _month_span(part: str | None) -> tuple[int, int]:
    if part in _SPANS:
        return _SPANS[part]
    return int(part), int(part)  # type: ignore[arg-type]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _nd09_month_start(year: int, month: int) -> date:
    """The 15th of the month before: Nghị định 09/2019 Điều 12 khoản 1."""
    return date(year - 1, 12, 15) if month == 1 else date(year, month - 1, 15)


def parse_period(label: str, window: str = "nd09", earliest: int = 1900) -> Period:
    """Read `2020`, `2021-H1`, `2021-Q3`, `2021-9M` or `2021-03` in a window (years from
    `earliest`: 1900 for what a user asks, lower for the comparisons of those)."""
    if window not in WINDOWS:
        raise PeriodError(f"cửa sổ kỳ báo cáo không hợp lệ: {window!r} (nd09 hoặc calendar)")
    match = _PERIOD.match(label or "")
    if not match:
        raise PeriodError(
            f"kỳ báo cáo không hợp lệ: {label!r} (2020, 2021-H1, 2021-Q3, 2021-9M, 2021-03)"
        )
    year, part = int(match.group(1)), match.group(2)
    if not max(earliest, 2) <= year <= 9999:  # the window must be real dates
        raise PeriodError(f"năm của kỳ báo cáo không hợp lệ: {label!r} (từ {earliest})")
    nd09 = window == "nd09"
    if part is None:
        start, end = (
            (date(year - 1, 12, 15), date(year, 12, 14))
            if nd09
            else (
                date(year, 1, 1),
                date(year, 12, 31),
            )
        )
        return Period(label, window, start, end)
    first, last = _month_span(part)
    if not 1 <= first <= 12:
        raise PeriodError(f"tháng không hợp lệ trong kỳ báo cáo: {label!r}")
    if nd09:
        return Period(label, window, _nd09_month_start(year, first), date(year, last, 14))
    return Period(label, window, date(year, first, 1), _month_end(year, last))
