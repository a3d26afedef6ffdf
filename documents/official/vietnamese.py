"""Vietnamese numbers, money, percents, dates and period names as official documents write them.

Numbers group thousands with `.` and write decimals with `,` (2.139; 1,6). Counts below ten take a
leading zero, as the seeds write them (04 đoàn, 09 vụ việc). A percent is separated from its number
by a no-break space (63 %). Dates in the place-and-date line follow Nghị định 30/2020 Phụ lục I:
a leading zero for days below 10 and for months 1 and 2 ("ngày 05 tháng 01 năm 2021",
"ngày 11 tháng 12 năm 2020"); dates in the text are dd/mm/yyyy.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def number(value: int) -> str:
    """An integer with `.` between thousands: 2139 → 2.139, -1500 → -1.500."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def count(value: int) -> str:
    """A count as the seeds write it: 1–9 with a leading zero (04), others grouped (2.139)."""
    if 0 < value < 10:
        return f"{value:02d}"
    return number(value)


def decimal(value: Decimal, places: int) -> str:
    """A decimal rounded half up, `,` before the decimals: 1.6 → 1,6."""
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{rounded:f}".partition(".")
    text = number(int(whole))
    if whole.startswith("-") and text == "0":  # -0,4
        text = "-0"
    return f"{text},{frac}" if frac else text


def percent(value: int) -> str:
    """An integer percent: 63 → "63 %" (no-break space)."""
    return f"{value}{NBSP}%"


def usd(amount: int) -> str:
    """US dollars: exact below a million (948.500 USD); in millions to one decimal above it,
    with "gần"/"trên" when the rounded figure is above/below the exact one (gần 1,6 triệu USD)."""
    if abs(amount) < 1_000_000:
        return f"{number(amount)} USD"
    millions = Decimal(amount) / Decimal(1_000_000)
    rounded = millions.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{decimal(millions, 1)} triệu USD"
    if rounded > millions:
        return f"gần {text}"
    if rounded < millions:
        return f"trên {text}"
    return text


def day_month(d: date) -> str:
    """dd/mm/yyyy, the form of dates in the text: 08/12/2020."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def iso_day(text: str | None) -> str:
    """An ISO date (or instant) written dd/mm/yyyy; empty for None."""
    if not text:
        return ""
    return day_month(date.fromisoformat(text[:10]))


def place_and_date(place: str, d: date) -> str:
    """The place-and-date line: "Hà Tĩnh, ngày 11 tháng 12 năm 2020" (NĐ 30/2020 leading zeros)."""
    day = f"{d.day:02d}" if d.day < 10 else str(d.day)
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


def period_phrase(label: str) -> str:
    """A report period in words: 2020 → năm 2020, 2021-03 → tháng 3/2021, 2021-H1 → 6 tháng đầu
    năm 2021, 2021-Q3 → quý III năm 2021, 2021-9M → 9 tháng đầu năm 2021."""
    year, _, part = label.partition("-")
    if not part:
        return f"năm {year}"
    if part == "H1":
        return f"6 tháng đầu năm {year}"
    if part == "H2":
        return f"6 tháng cuối năm {year}"
    if part == "9M":
        return f"9 tháng đầu năm {year}"
    if part.startswith("Q"):
        return f"quý {ROMAN[int(part[1:]) - 1]} năm {year}"
    return f"tháng {int(part)}/{year}"


def next_period_phrase(label: str) -> str:
    """The period that follows, for "kế hoạch kỳ tới": 2021-03 → tháng 4/2021, 2021-H1 → 6 tháng
    cuối năm 2021, 2020 → năm 2021, 2021-Q4 → quý I năm 2022, 2021-9M → quý IV năm 2021."""
    return period_phrase(next_label(label))


def next_label(label: str) -> str:
    """The label of the period that follows (the rest of the year after 9 months: its Q4)."""
    text, _, part = label.partition("-")
    year = int(text)
    if not part:
        return str(year + 1)
    if part == "H1":
        return f"{year}-H2"
    if part == "H2":
        return f"{year + 1}-H1"
    if part == "9M":
        return f"{year}-Q4"
    if part.startswith("Q"):
        q = int(part[1:])
        return f"{year + 1}-Q1" if q == 4 else f"{year}-Q{q + 1}"
    month = int(part)
    return f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"


def compared_with(label: str) -> str:
    """The comparison's words: a year is compared "so với năm 2019", a shorter period "so với
    cùng kỳ năm 2020" (the same window one year earlier)."""
    year, _, part = label.partition("-")
    previous = int(year) - 1
    return f"so với năm {previous}" if not part else f"so với cùng kỳ năm {previous}"


def change(current: int, previous: int, unit: str = "") -> str:
    """ "tăng 07 hội thảo" / "giảm 05 hội thảo" / "bằng" for an absolute difference."""
    diff = current - previous
    if diff == 0:
        return "bằng"
    word = "tăng" if diff > 0 else "giảm"
    return f"{word} {count(abs(diff))}{' ' + unit if unit else ''}"


def pair_change(current: tuple[int, int], previous: tuple[int, int], units: tuple[str, str]) -> str:
    """Two differences written as the seeds do: "giảm 47 đoàn/272 lượt", "tăng 2 đoàn, giảm 10
    lượt" when they go opposite ways, "bằng" when both are equal."""
    d0, d1 = current[0] - previous[0], current[1] - previous[1]
    if d0 == 0 and d1 == 0:
        return "bằng"
    if d0 != 0 and d1 != 0 and (d0 > 0) == (d1 > 0):
        word = "tăng" if d0 > 0 else "giảm"
        return f"{word} {count(abs(d0))} {units[0]}/{count(abs(d1))} {units[1]}"
    first = change(current[0], previous[0], units[0])
    second = change(current[1], previous[1], units[1])
    if first == "bằng":
        first = f"bằng số {units[0]}"
    if second == "bằng":
        second = f"bằng số {units[1]}"
    return f"{first}, {second}"


def percent_change(current: int, previous: int) -> str | None:
    """ "tăng 35 %" against the previous value, rounded half up; None when there is none."""
    if previous <= 0:
        return None
    diff = Decimal(current - previous) * 100 / Decimal(previous)
    value = int(abs(diff).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if value == 0:
        return "bằng"
    return f"{'tăng' if diff > 0 else 'giảm'} {percent(value)}"


def lower_first(text: str) -> str:
    """The first letter in lower case inside a sentence, unless the word is an acronym (UBND)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    """The first letter in upper case (a sentence's start)."""
    return text[:1].upper() + text[1:]


def clause(text: str | None) -> str:
    """Free text made a clause: stripped, without its final full stop or semicolon."""
    return (text or "").strip().rstrip(".;,: ").strip()


def sentence(text: str) -> str:
    """A sentence: first letter in upper case and one final full stop."""
    body = clause(text)
    return upper_first(body) + "." if body else ""


def numbers_list(values: list[int]) -> str:
    """1, 2, 5, 6 — a list of task numbers."""
    return ", ".join(str(v) for v in values)
