"""The award catalogue (danh mục hình thức khen thưởng) as law in force by date, and its checker.

The catalogue is data (``award_catalogue.json`` next to this module, one version per period of
law; sources and method in ``AWARD_CATALOGUE.md``). A new decree is a new version in the JSON, not
a code change. ``check`` is a plain function over plain data: it says which rules of the version in
force on a date an award (proposal or grant) breaks, each with the legal article that sets it.

Over 300 lines as one module: the catalogue's loading, its validation and `check` share the
version model and its private readers; the law is data, this is its one interpreter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

RECIPIENT_TYPES = ("individual", "collective")
RECIPIENT_LABELS = {"individual": "cá nhân", "collective": "tập thể"}

# Rules a Violation can name (stable codes; the message is Vietnamese, for people).
RULES = (
    "no_catalogue",
    "unknown_form",
    "unknown_grantor",
    "grantor_ceased",
    "grantor_not_allowed",
    "unknown_recipient_type",
    "recipient_type_not_allowed",
    "unknown_category",
    "prerequisite_missing",
)


@dataclass(frozen=True)
class Violation:
    """A catalogue rule an award breaks: stable code, Vietnamese message, the article cited."""

    rule: str
    message: str
    source: str
    field: str | None = None  # the award key at fault: form, grantor, recipient, category


def _vn(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@cache
def _packaged() -> dict[str, Any]:
    text = resources.files("domain").joinpath("award_catalogue.json").read_text("utf-8")
    return json.loads(text)


def load_catalogue(path: str | Path | None = None) -> dict[str, Any]:
    """The catalogue: the packaged JSON (cached; do not mutate it), or the JSON file at `path`."""
    if path is None:
        return _packaged()
    return json.loads(Path(path).read_text("utf-8"))


def _bounds(version: Mapping[str, Any]) -> tuple[date, date | None]:
    end = version.get("to")
    return date.fromisoformat(version["from"]), date.fromisoformat(end) if end else None


def version_on(on: date, catalogue: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """The catalogue version in force on day `on` (inclusive bounds), or None before the first."""
    for version in (catalogue or load_catalogue())["versions"]:
        start, end = _bounds(version)
        if start <= on and (end is None or on <= end):
            return version
    return None


def _period(version: Mapping[str, Any]) -> str:
    start, end = _bounds(version)
    return f"{version['id']} (áp dụng từ {_vn(start)}{f' đến {_vn(end)}' if end else ''})"


def allowed_grantors(on: date, form: str, catalogue: Mapping[str, Any] | None = None) -> list[str]:
    """The grantor codes that may decide `form` on day `on` (empty when unknown)."""
    version = version_on(on, catalogue)
    spec = version["forms"].get(form) if version else None
    return [grant["grantor"] for grant in spec["grants"]] if spec else []


def _sources(items: Iterable[Mapping[str, Any]]) -> str:
    seen: list[str] = []
    for item in items:
        for part in item["source"].split("; "):
            if part not in seen:
                seen.append(part)
    return "; ".join(seen)


def _history_years(history: Iterable[Any], form: str) -> set[int]:
    """Years of the earlier awards of `form`: items are (form, year | date) or mappings."""
    years: set[int] = set()
    for item in history:
        if isinstance(item, Mapping):
            code = item.get("form")
            when = item.get("for_year")
            if when is None:
                when = item.get("on", item.get("date"))
        else:
            code, when = item
        if code != form or when is None:
            continue
        if isinstance(when, date):
            years.add(when.year)
        elif isinstance(when, str):
            years.add(int(when[:4]))
        else:
            years.add(int(when))
    return years


def _longest_run(years: set[int]) -> int:
    best = 0
    for year in years:
        if year - 1 not in years:
            run = 1
            while year + run in years:
                run += 1
            best = max(best, run)
    return best


def _prerequisite_violation(
    version: Mapping[str, Any], label: str, rule: Mapping[str, Any], year: int, history: list[Any]
) -> Violation | None:
    required = rule["requires"]
    required_label = version["forms"][required]["label"]
    years = {y for y in _history_years(history, required) if y <= year}
    if rule.get("same_year"):
        if year in years:
            return None
        message = (
            f"{label} năm {year} đòi hỏi danh hiệu “{required_label}” cùng năm {year}; "
            f"lịch sử khen thưởng không có (danh mục {version['id']})."
        )
    else:
        times = int(rule.get("times", 1))
        have = _longest_run(years) if rule.get("consecutive") else len(years)
        if have >= times:
            return None
        shown = ", ".join(str(y) for y in sorted(years)) or "không có"
        how = " liên tục" if rule.get("consecutive") else ""
        message = (
            f"{label} năm {year} đòi hỏi {times:02d} lần{how} đạt “{required_label}” "
            f"đến năm {year}; "
            f"lịch sử khen thưởng ghi nhận các năm: {shown} (danh mục {version['id']})."
        )
    return Violation("prerequisite_missing", message, rule["source"], "form")


def check(
    on: date,
    form: str,
    grantor: str,
    recipient_type: str,
    history: Iterable[Any] | None = None,
    *,
    for_year: int | None = None,
    category: str | None = None,
    catalogue: Mapping[str, Any] | None = None,
) -> list[Violation]:
    """The rules of the catalogue in force on `on` that this award breaks (empty: allowed).

    `on` is the award's date (the decision date of a grant, the date of a proposal). `history` is
    the recipient's earlier granted awards as (form, for_year or decision date) pairs or mappings
    with `form` and `for_year`/`on`; None means unknown, and then prerequisites are not checked
    (pass [] when the recipient is known to have none). Prerequisites are counted up to `for_year`
    (default: the year of `on`). `category`, when given, must be a category of the version.
    """
    version = version_on(on, catalogue)
    if version is None:
        first = min((catalogue or load_catalogue())["versions"], key=lambda v: v["from"])
        return [
            Violation(
                "no_catalogue",
                f"Không có danh mục hình thức khen thưởng cho ngày {_vn(on)}; "
                f"danh mục bắt đầu từ {_vn(date.fromisoformat(first['from']))}.",
                "; ".join(first["law"]),
                "form",
            )
        ]
    laws = "; ".join(version["law"])
    where = _period(version)
    found: list[Violation] = []
    spec = version["forms"].get(form)
    if spec is None:
        found.append(
            Violation(
                "unknown_form",
                f"Hình thức khen thưởng “{form}” không có trong danh mục {where}.",
                laws,
                "form",
            )
        )
    who = version["grantors"].get(grantor)
    if who is None:
        found.append(
            Violation(
                "unknown_grantor",
                f"Cấp quyết định khen thưởng “{grantor}” không có trong danh mục {where}.",
                laws,
                "grantor",
            )
        )
    elif (ceased := who.get("ceased")) and on >= date.fromisoformat(ceased["from"]):
        found.append(
            Violation(
                "grantor_ceased",
                f"{who['label']} không còn thẩm quyền quyết định khen thưởng từ ngày "
                f"{_vn(date.fromisoformat(ceased['from']))}; ngày {_vn(on)} thuộc danh mục {where}."
                + (f" {ceased['note']}" if ceased.get("note") else ""),
                ceased["source"],
                "grantor",
            )
        )
    elif spec is not None and grantor not in {g["grantor"] for g in spec["grants"]}:
        allowed = ", ".join(version["grantors"][g["grantor"]]["label"] for g in spec["grants"])
        found.append(
            Violation(
                "grantor_not_allowed",
                f"{spec['label']} không thuộc thẩm quyền quyết định của {who['label']} "
                f"theo danh mục {where}; cấp có thẩm quyền: {allowed}.",
                _sources(spec["grants"]),
                "grantor",
            )
        )
    if recipient_type not in RECIPIENT_TYPES:
        found.append(
            Violation(
                "unknown_recipient_type",
                f"Loại người nhận “{recipient_type}” không hợp lệ (cá nhân: individual, "
                "tập thể: collective).",
                laws,
                "recipient",
            )
        )
    elif spec is not None and recipient_type not in spec["recipients"]["types"]:
        allowed = ", ".join(RECIPIENT_LABELS[t] for t in spec["recipients"]["types"])
        found.append(
            Violation(
                "recipient_type_not_allowed",
                f"{spec['label']} chỉ tặng cho {allowed}, không tặng cho "
                f"{RECIPIENT_LABELS[recipient_type]} (danh mục {where}).",
                spec["recipients"]["source"],
                "recipient",
            )
        )
    if category is not None and category not in {c["code"] for c in version["categories"]}:
        found.append(
            Violation(
                "unknown_category",
                f"Loại hình khen thưởng “{category}” không có trong danh mục {where}.",
                laws,
                "category",
            )
        )
    if spec is not None and history is not None:
        earlier = list(history)
        year = for_year if for_year is not None else on.year
        for rule in spec.get("prerequisites", []):
            if rule.get("recipient", recipient_type) != recipient_type:
                continue
            violation = _prerequisite_violation(version, spec["label"], rule, year, earlier)
            if violation is not None:
                found.append(violation)
    return found


def validate_catalogue(catalogue: Mapping[str, Any]) -> list[str]:
    """Problems in a catalogue's shape: every rule cited, codes known, versions contiguous."""
    problems: list[str] = []
    previous_end: date | None = None
    for index, version in enumerate(catalogue["versions"]):
        vid = version.get("id", f"#{index}")
        start, end = _bounds(version)
        if end is not None and end < start:
            problems.append(f"{vid}: 'to' before 'from'")
        if index and (previous_end is None or (start - previous_end).days != 1):
            problems.append(f"{vid}: does not start the day after the previous version ends")
        previous_end = end
        if not version.get("law"):
            problems.append(f"{vid}: no law cited")
        grantors = version["grantors"]
        categories = version.get("categories", [])
        for category in categories:
            if not category.get("source") or not category.get("label"):
                problems.append(f"{vid}: category {category.get('code')} without label or source")
        for code, who in grantors.items():
            if not who.get("label"):
                problems.append(f"{vid}: grantor {code} without label")
            ceased = who.get("ceased")
            if ceased and not (ceased.get("from") and ceased.get("source")):
                problems.append(f"{vid}: grantor {code} ceased without date or source")
        for code, spec in version["forms"].items():
            if spec.get("kind") not in ("commendation", "emulation_title") or not spec.get("label"):
                problems.append(f"{vid}: form {code} without kind or label")
            recipients = spec.get("recipients", {})
            if not recipients.get("source") or not set(recipients.get("types", [])) <= set(
                RECIPIENT_TYPES
            ):
                problems.append(f"{vid}: form {code} recipients without source or with bad types")
            for grant in spec.get("grants", []):
                if grant.get("grantor") not in grantors:
                    problems.append(f"{vid}: form {code} granted by unknown {grant.get('grantor')}")
                elif grantors[grant["grantor"]].get("ceased"):
                    problems.append(f"{vid}: form {code} granted by ceased {grant['grantor']}")
                if not grant.get("source"):
                    problems.append(f"{vid}: form {code} grant by {grant.get('grantor')} uncited")
            for rule in spec.get("prerequisites", []):
                if rule.get("requires") not in version["forms"] or not rule.get("source"):
                    problems.append(f"{vid}: form {code} prerequisite unknown or uncited")
    return problems
