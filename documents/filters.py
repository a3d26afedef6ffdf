"""The filters of draft bodies: figures in the written forms of the seeds (04, 2.139, 63%,
gần 1,6 triệu USD, ngày 8/9/2020, "tăng 06 hội thảo so với cùng kỳ năm 2021").

Over 300 lines as one module: the filter table the sandbox exposes is one namespace, each
filter a short function over the written forms of `documents.official.vietnamese`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date as Date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from documents.labels import LABELS, PHRASES

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
UNITS = {"nghìn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000}
DATE_STYLES = ("short", "long", "month")
PADS = ("nd30", "none", "full", "day")
WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
_MARKUP_CHARS = re.compile(r"([\\*|\[\]])")
_LINE_START = re.compile(r"^(#|- |\+ )")


class FilterError(ValueError):
    """A value a filter cannot write (the message is for the draft's author)."""


class NotRecordedError(FilterError):
    """A figure that is null: not recorded, or no complete earlier window to compare with."""


class MarkupText(str):
    """Text that is markup already (a table, a note's own lines): not escaped when printed."""


def _int(value: Any, what: str) -> int:
    if value is None:
        raise NotRecordedError(f"{what}: giá trị chưa được ghi nhận (null); bọc bằng {{% if %}}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise FilterError(f"{what}: cần một số nguyên, không phải {value!r}")
    return value


def number(value: Any) -> str:
    """An integer with `.` between thousands: 6 → 6, 2139 → 2.139."""
    n = _int(value, "number")
    return ("-" if n < 0 else "") + f"{abs(n):,}".replace(",", ".")


def count(value: Any, pad: bool = True) -> str:
    """A count as the seeds write it: 1–9 with a leading zero (04), others as `number` (275,
    2.139); `pad=false` writes 6."""
    n = _int(value, "count")
    return f"{n:02d}" if pad and 0 < n < 10 else number(n)


def words(value: Any) -> str:
    """A small count in words (hai đợt); above ten, the number."""
    n = _int(value, "words")
    return WORDS[n] if 0 <= n < len(WORDS) else number(n)


def roman(value: Any) -> str:
    """A section number in Roman numerals (1 → I, 4 → IV), for headings numbered by what the
    document holds ("# {{ (2 + dg)|roman }}. KIẾN NGHỊ")."""
    n = _int(value, "roman")
    if not 0 < n <= len(ROMAN):
        raise FilterError(f"roman: chỉ từ 1 đến {len(ROMAN)}, không phải {n}")
    return ROMAN[n - 1]


def percent(value: Any) -> str:
    """An integer percent as the seeds write it: 63 → 63%."""
    return f"{_int(value, 'percent')}%"


def _decimal(value: Decimal) -> str:
    """A decimal with `.` between thousands and `,` before the decimals, no trailing zeros."""
    whole, _, frac = f"{value.normalize():f}".partition(".")
    return number(int(whole)) + (f",{frac}" if frac else "")


def money(
    value: Any,
    round: int | None = None,
    unit: str | None = None,
    currency: str = "USD",
    approx: str | None = None,
) -> str:
    """An amount: exact (905.000 USD), or rounded half up to a step with the word that keeps it
    true: "gần" when the rounded figure is above the amount, "trên" when below (gần 950.000 USD;
    trên 900.000 USD); `unit` writes it in nghìn/triệu/tỷ (gần 1,6 triệu USD); `approx` replaces
    both words with one (khoảng)."""
    amount = _int(value, "money")
    shown = amount
    if round is not None:
        step = _int(round, "money(round=…)")
        if step <= 0:
            raise FilterError("money: round phải lớn hơn 0")
        shown = int((Decimal(amount) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step
    if unit is not None and unit not in UNITS:
        raise FilterError(f"money: đơn vị {unit!r} không có (dùng: {', '.join(UNITS)})")
    text = f"{_decimal(Decimal(shown) / UNITS[unit])} {unit}" if unit else number(shown)
    word = ""
    if shown != amount:
        word = approx or ("gần" if shown > amount else "trên")
    return f"{word} {text} {currency}".strip()


def _day(value: Any) -> Date:
    if value is None:
        raise NotRecordedError("date: ngày chưa được ghi nhận (null)")
    if isinstance(value, Date):
        return value
    try:
        return Date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise FilterError(f"date: {value!r} không phải một ngày YYYY-MM-DD") from exc


def date(value: Any, style: str = "short", pad: str = "nd30") -> str:
    """A date: short 04/02/2020 (Nghị định 30/2020: a leading zero for days below 10 and months
    1–2; `pad="none"` 8/9/2020, `pad="full"` 08/09/2020, `pad="day"` 02/2/2021), long "ngày 11
    tháng 12 năm 2020", month 12/2020."""
    d = _day(value)
    if style not in DATE_STYLES or pad not in PADS:
        raise FilterError(f"date: kiểu {style!r}/{pad!r} không có")
    day = f"{d.day:02d}" if pad in ("full", "nd30", "day") else str(d.day)
    month = f"{d.month:02d}" if pad == "full" or (pad == "nd30" and d.month < 3) else str(d.month)
    if style == "long":
        return f"ngày {day} tháng {month} năm {d.year}"
    if style == "month":
        return f"{month}/{d.year}"
    return f"{day}/{month}/{d.year}"


def _label(value: Any) -> str:
    if isinstance(value, Mapping) and "label" in value:
        return str(value["label"])
    if isinstance(value, str) and re.match(r"^\d{4}(-(H[12]|Q[1-4]|9M|\d{2}))?$", value):
        return value
    raise FilterError(f"cần một kỳ báo cáo (fa.period hoặc nhãn như 2021-H1), không phải {value!r}")


def year(value: Any) -> int:
    """The year of a period (its label's), a period label or a date: 2021-H1 → 2021."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and len(value) == 10:
        return _day(value).year
    return int(_label(value)[:4])


def _shifted(label: str, shift: int) -> str:
    """The label `shift` periods of the same length later (earlier when negative)."""
    text, _, part = label.partition("-")
    y = int(text)
    if not part:
        return str(y + shift)
    if part == "9M":
        return f"{y + shift}-9M"
    per, index = (2 if part[0] == "H" else 4, int(part[1:])) if part[0] in "HQ" else (12, int(part))
    y, index = divmod(y * per + index - 1 + shift, per)
    return f"{y}-{part[0]}{index + 1}" if part[0] in "HQ" else f"{y}-{index + 1:02d}"


def period(value: Any, shift: int = 0) -> str:
    """A period in words: năm 2022, 6 tháng đầu năm 2021, quý III năm 2021, 9 tháng đầu năm 2021,
    tháng 3/2021; `shift=1` the next one (tháng 4/2021), `shift=-1` the one before."""
    label = _shifted(_label(value), _int(shift, "period(shift=…)"))
    y, _, part = label.partition("-")
    if not part:
        return f"năm {y}"
    if part in ("H1", "H2"):
        return f"6 tháng {'đầu' if part == 'H1' else 'cuối'} năm {y}"
    if part == "9M":
        return f"9 tháng đầu năm {y}"
    if part.startswith("Q"):
        return f"quý {ROMAN[int(part[1:]) - 1]} năm {y}"
    return f"tháng {int(part)}/{y}"


def _since(period_value: Any, cung_ky: bool) -> str:
    if period_value is None:
        return "cùng kỳ" if cung_ky else "kỳ trước"
    earlier = year(period_value) - 1
    return f"cùng kỳ năm {earlier}" if cung_ky else f"năm {earlier}"


def compare(
    value: Any,
    previous: Any,
    unit: str | Sequence[str] | None = None,
    period: Any = None,
    cung_ky: bool = True,
    pad: bool = True,
    percent: bool = False,
) -> str:
    """The comparison phrase: "tăng 06 hội thảo so với cùng kỳ năm 2021", "giảm 47 đoàn/272 lượt
    so với năm 2019" (lists compare pairwise), "bằng cùng kỳ năm 2020", "tăng 35% so với …"
    (`percent`); NOTHING when previous is null (no complete earlier window), or, for a percent,
    zero."""
    pairs = _pairs(value, previous, unit)
    if pairs is None:
        return ""
    since = _since(period, cung_ky)
    if percent:
        parts = [_percent_part(v, p) for v, p, _u in pairs]
        if any(part is None for part in parts):
            return ""
        changes = [(word, f"{n}%") for word, n in parts]  # type: ignore[misc]
    else:
        changes = [_count_part(v, p, u, pad) for v, p, u in pairs]
    if all(word == "bằng" for word, _ in changes):
        return f"bằng {since}"
    words_ = {word for word, _ in changes}
    if len(words_) == 1:
        word = words_.pop()
        return f"{word} {'/'.join(text for _, text in changes)} so với {since}"
    parts_text = [
        f"{word} {text}" if word != "bằng" else f"bằng số {text}".strip() for word, text in changes
    ]
    return f"{', '.join(parts_text)} so với {since}"


def _pairs(value: Any, previous: Any, unit: Any) -> list[tuple[int, int, str]] | None:
    many = isinstance(value, list | tuple)
    values = list(value) if many else [value]
    if previous is None:
        return None
    befores = list(previous) if isinstance(previous, list | tuple) else [previous]
    units = list(unit) if isinstance(unit, list | tuple) else [unit] * len(values)
    if not (len(values) == len(befores) == len(units)):
        raise FilterError("compare: số giá trị, số giá trị kỳ trước và số đơn vị phải bằng nhau")
    if any(b is None for b in befores):
        return None
    return [
        (_int(v, "compare"), _int(b, "compare"), u or "")
        for v, b, u in zip(values, befores, units, strict=True)
    ]


def _count_part(value: int, previous: int, unit: str, pad: bool) -> tuple[str, str]:
    diff = value - previous
    word = "bằng" if diff == 0 else ("tăng" if diff > 0 else "giảm")
    return word, f"{count(abs(diff), pad)} {unit}".strip() if diff else unit


def _percent_part(value: int, previous: int) -> tuple[str, int] | None:
    if previous <= 0:
        return None
    diff = Decimal(value - previous) * 100 / Decimal(previous)
    n = int(abs(diff).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return ("bằng" if n == 0 else "tăng" if diff > 0 else "giảm"), n


def since(value: Any, cung_ky: bool = True) -> str:
    """What a comparison is made against: "so với cùng kỳ năm 2021" for the period 2022 (the
    earlier window cut at the same day), "so với năm 2021" with `cung_ky=false` (a whole earlier
    year, only for a report whose `previous` is that whole window)."""
    return f"so với {_since(value, cung_ky)}"


def breakdown(
    value: Any, family: str, unit: str = "", sep: str = ", ", last: str | None = None
) -> str:
    """A breakdown (`by_funding`, `by_approval`, `agreements.by_level`) as the seeds write it:
    each non-zero count with its unit and its phrase, in the family's order, `unknown` left out:
    "19 đoàn sử dụng ngân sách Nhà nước, 10 đoàn tự túc kinh phí"; `last` joins the last two
    ("03 thỏa thuận nhân danh cấp tỉnh và 11 thỏa thuận …"); nothing when every count is 0."""
    if not isinstance(value, Mapping):
        raise FilterError("breakdown: cần một bảng đếm như fa.outbound.by_funding")
    if family not in PHRASES:
        raise FilterError(f"breakdown: nhóm {family!r} không có (dùng: {', '.join(PHRASES)})")
    parts = [
        " ".join(p for p in (count(value[code]), unit, phrase) if p)
        for code, phrase in PHRASES[family].items()
        if value.get(code)
    ]
    if last is not None and len(parts) > 1:
        return sep.join(parts[:-1]) + last + parts[-1]
    return sep.join(parts)


def grouped(rows: Any, *keys: str) -> list[dict[str, Any]]:
    """A list cut into groups of items alike in every key path, in the order of each group's
    first item: [{"first": item, "items": [items]}]. For one line per grantor and award
    ("UBND tỉnh tặng Bằng khen cho 03 cá nhân (…)"): the grantor is named once per line."""
    if not isinstance(rows, list | tuple):
        raise FilterError("grouped: cần một danh sách")
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(_path(row, k) for k in keys)
        groups.setdefault(key, {"first": row, "items": []})["items"].append(row)
    return list(groups.values())


def _path(item: Any, path: str) -> Any:
    value = item
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def wrap(text: Any, before: str = "", after: str = "") -> str:
    """`before` + text + `after` when the text is not empty, else nothing: " (" and ")" around a
    comparison that may be left out."""
    if text is None or text == "":
        return ""
    return f"{before}{text}{after}"


def label(value: Any, family: str) -> str:
    """A code in words, by family: status completed → hoàn thành, form bang_khen → Bằng khen."""
    if value is None:
        raise NotRecordedError("label: mã chưa được ghi nhận (null)")
    if family not in LABELS:
        raise FilterError(f"label: nhóm mã {family!r} không có")
    if value not in LABELS[family]:
        raise FilterError(f"label: mã {value!r} không có trong nhóm {family!r}")
    return LABELS[family][value]


def lowerfirst(value: Any) -> str:
    """The first letter in lower case inside a sentence, unless the word is an acronym (UBND)."""
    text = _text(value, "lowerfirst")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def upperfirst(value: Any) -> str:
    """The first letter in upper case (a sentence's start)."""
    text = _text(value, "upperfirst")
    return text[:1].upper() + text[1:]


def _text(value: Any, what: str) -> str:
    if value is None:
        raise NotRecordedError(f"{what}: giá trị chưa được ghi nhận (null)")
    return str(value)


def escape(text: str) -> str:
    """A value made literal in the markup: its markup characters escaped, its lines joined, so a
    title can never open a heading, a table, a footnote or bold text."""
    flat = " ".join(text.split("\n")) if "\n" in text else text
    flat = _MARKUP_CHARS.sub(r"\\\1", flat)
    return _LINE_START.sub(r"\\\1", flat)


def markup(value: Any) -> MarkupText:
    """Text kept as markup when printed (a note written with its own `- ` lines)."""
    return MarkupText(_text(value, "markup"))


def _cell(item: Any, spec: str) -> str:
    path, _, family = spec.partition("|")
    value = _path(item, path)
    if value is None:
        return ""
    if family:
        return escape(label(value, family))
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    return escape(str(value))


def table(rows: Any, *columns: str) -> MarkupText:
    """A list as a table block: each column "path" or "path|family" (a code in words), with
    ":Header" (table("no:Số TT", "title:Nhiệm vụ", "status|status:Kết quả"))."""
    if not isinstance(rows, list | tuple):
        raise FilterError("table: cần một danh sách")
    specs = [c.rpartition(":")[0] or c for c in columns]
    heads = [c.rpartition(":")[2] for c in columns]
    lines = ["| " + " | ".join(escape(h) for h in heads) + " |"]
    lines.append("|" + "|".join("---" for _ in heads) + "|")
    lines += ["| " + " | ".join(_cell(row, s) for s in specs) + " |" for row in rows]
    return MarkupText("\n".join(lines))


FILTERS: dict[str, Callable[..., Any]] = {
    "count": count,
    "number": number,
    "words": words,
    "percent": percent,
    "roman": roman,
    "money": money,
    "date": date,
    "year": year,
    "period": period,
    "compare": compare,
    "since": since,
    "breakdown": breakdown,
    "grouped": grouped,
    "wrap": wrap,
    "label": label,
    "lowerfirst": lowerfirst,
    "upperfirst": upperfirst,
    "markup": markup,
    "table": table,
}
