"""Vietnam days and the instants facts happen, are known and are cut off (thời gian)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class TimeFormatError(ValueError):
    """A date or instant that cannot be read."""


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (exact, no floats)."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(us: int) -> datetime:
    """The aware UTC datetime of a microsecond count."""
    return _EPOCH + timedelta(microseconds=us)


def day_start_us(day: date) -> int:
    """00:00 of a Vietnam day, in microseconds."""
    return to_us(datetime(day.year, day.month, day.day, tzinfo=VN))


def vn_day(us: int) -> date:
    """The Vietnam day an instant falls on."""
    return from_us(us).astimezone(VN).date()


def vn_iso(us: int) -> str:
    """An instant written in +07:00 with microseconds (CONTRACT fine point 2)."""
    return from_us(us).astimezone(VN).isoformat(timespec="microseconds")


def parse_date(text: str) -> date:
    """A calendar date written YYYY-MM-DD."""
    if not isinstance(text, str) or not _DATE.match(text):
        raise TimeFormatError(f"không phải ngày dạng YYYY-MM-DD: {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise TimeFormatError(f"ngày không tồn tại: {text!r}") from exc


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant that states its offset."""
    if not isinstance(text, str) or "T" not in text:
        raise TimeFormatError(f"không phải thời điểm ISO 8601: {text!r}")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise TimeFormatError(f"không phải thời điểm ISO 8601: {text!r}") from exc
    if moment.tzinfo is None:
        raise TimeFormatError(f"thời điểm thiếu múi giờ: {text!r}")
    return moment


@dataclass(frozen=True, order=True)
class Moment:
    """When a fact happened or became known: a whole Vietnam day or an exact instant.

    Ordered as CONTRACT fine point 1 says: by instant, a date-only moment before an
    instant at the same microsecond (a day stands for its 00:00).
    """

    us: int
    precise: bool

    @classmethod
    def parse(cls, text: str) -> Moment:
        """Read a date (a whole day) or an instant with offset."""
        return _parse_moment(text)

    @property
    def day(self) -> date:
        """The Vietnam day of this moment."""
        return vn_day(self.us)


def canonical_moment(text: str) -> str:
    """The stored spelling of a date or instant (dates as given, instants in ISO form)."""
    if _DATE.match(text):
        return parse_date(text).isoformat()
    return parse_instant(text).isoformat()


@dataclass(frozen=True)
class Cutoff:
    """An exclusive upper bound on an instant axis, from a day's end or an exact instant."""

    below_us: int
    label: str

    @classmethod
    def end_of_day(cls, day: date) -> Cutoff:
        """The end of a Vietnam day: D 24:00 +07:00."""
        return cls(day_start_us(day + timedelta(days=1)), day.isoformat())

    @classmethod
    def at_instant(cls, moment: datetime) -> Cutoff:
        """Everything at or before an instant."""
        us = to_us(moment)
        return cls(us + 1, vn_iso(us))

    def admits(self, us: int) -> bool:
        """Whether an instant falls within the cut-off."""
        return us < self.below_us


@lru_cache(maxsize=65_536)
def _parse_moment(text: str) -> Moment:
    # Reports read the same few thousand dates over and over: parse each spelling once.
    if isinstance(text, str) and _DATE.match(text):
        return Moment(day_start_us(parse_date(text)), False)
    return Moment(to_us(parse_instant(text)), True)
