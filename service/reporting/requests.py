"""Report requests from the user's options: period, the three cut-offs and their written forms."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from domain.periods import PeriodError, parse_period
from domain.times import (
    VN,
    Cutoff,
    TimeFormatError,
    parse_date,
    parse_instant,
    to_us,
    vn_day,
    vn_iso,
)
from projections.halts import require_level
from projections.lineage import merged_into
from projections.projector import NAME as PROJECTION
from projections.reports import ALL_BUILDERS, BUILDERS, ReportRequest, build
from projections.tables import facts, halts, tracking
from projections.visibility import Cutoffs
from service.limits import bad_character
from service.runtime import Runtime


class ReportInputError(ValueError):
    """A report option that cannot be used; `field` names it (`known_by`, not a command-line
    flag: the CLI and the web each say it their own way)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def vn_today() -> date:
    """Today in Vietnam."""
    return datetime.now(VN).date()


def _day(option: str, text: str) -> date:
    try:
        day = parse_date(text)
    except TimeFormatError as exc:
        raise ReportInputError(option, str(exc)) from exc
    if day >= date.max:  # "by the end of D" is the start of D + 1
        raise ReportInputError(option, f"ngày ngoài phạm vi: {text!r}")
    return day


def _instant(option: str, text: str) -> datetime:
    try:
        moment = parse_instant(text)
        day = vn_day(to_us(moment))
    except TimeFormatError as exc:
        raise ReportInputError(option, str(exc)) from exc
    except (OverflowError, ValueError):
        day = date.min
    if not date.min < day < date.max:
        raise ReportInputError(option, f"thời điểm ngoài phạm vi: {text!r}")
    return moment


def knowledge_cutoff(text: str | None, as_of: date) -> tuple[Cutoff, str]:
    """`--known-by`: a day, an instant or `now`; by default the as-of day."""
    if text is None:
        return Cutoff.end_of_day(as_of), as_of.isoformat()
    if text == "now":
        now = datetime.now(UTC)
        return Cutoff.at_instant(now), vn_iso(to_us(now))
    if "T" in text:
        moment = _instant("known_by", text)
        return Cutoff.at_instant(moment), vn_iso(to_us(moment))
    day = _day("known_by", text)
    return Cutoff.end_of_day(day), day.isoformat()


def recorded_cutoff(text: str | None, head: int) -> tuple[int | None, Cutoff | None, str]:
    """`--recorded-by`: `@N` (a position) or an instant; by default everything stored.

    A position past the last stored one (`head`) is refused: the events written there later
    would change the answer, so a report read at @N would not be the one reprinted at @N (an
    issue pinned there would be "broken" by the next import)."""
    if text is None:
        return head, None, f"@{head}"
    if text.startswith("@"):
        # str.isdigit() holds for "²" (int() refuses it); 19 digits keep int() within its limit
        if not re.fullmatch(r"[0-9]{1,19}", text[1:]) or int(text[1:]) >= 2**63:
            raise ReportInputError("recorded_by", f"vị trí không hợp lệ: {text!r} (ví dụ @120)")
        pos = int(text[1:])
        if pos > head:
            raise ReportInputError(
                "recorded_by", f"vị trí @{pos} vượt quá vị trí cuối của kho (@{head})"
            )
        return pos, None, f"@{pos}"
    moment = _instant("recorded_by", text)
    return None, Cutoff.at_instant(moment), vn_iso(to_us(moment))


def make_request(
    runtime: Runtime,
    kind: str,
    org: str,
    period: str,
    *,
    window: str = "nd09",
    programme: str | None = None,
    as_of: str | None = None,
    known_by: str | None = None,
    recorded_by: str | None = None,
    format: int | None = None,
    check_programme: bool = True,
) -> ReportRequest:
    """Check the options and turn them into a report request.

    `check_programme`: a `--programme` must have been adopted (a typo must not give an empty
    report); an issued report's own programme is not checked again (`diff`)."""
    plain("org", org)
    if programme is not None:
        plain("programme", programme)
    if kind not in BUILDERS:
        raise ReportInputError("kind", f"loại báo cáo không có: {kind!r} ({', '.join(BUILDERS)})")
    try:
        the_period = parse_period(period, window)
    except PeriodError as exc:
        raise ReportInputError("period", str(exc)) from exc
    if format is not None and format not in BUILDERS[kind]:
        raise ReportInputError("format", f"không có phiên bản định dạng {format} của {kind}")
    runtime.ready()
    head = require_department(runtime, org)
    if programme is not None and check_programme:
        require_programme(runtime, org, programme)
    cut, known_label, recorded_label = cutoffs(runtime, as_of, known_by, recorded_by, head)
    return ReportRequest(
        kind=kind,
        org=org,
        period=the_period,
        cut=cut,
        known_label=known_label,
        recorded_label=recorded_label,
        programme=programme,
        format=format,
    )


def cutoffs(
    runtime: Runtime,
    as_of: str | None,
    known_by: str | None,
    recorded_by: str | None,
    head: int | None = None,
) -> tuple[Cutoffs, str, str]:
    """The three cut-offs of the options (D default today, K default the end of D, T default
    everything recorded): (cut-offs, knowledge label, recorded label). `head`: the read
    models' position if just read (else read here)."""
    day = _day("as_of", as_of) if as_of else vn_today()
    known, known_label = knowledge_cutoff(known_by, day)
    if head is None:
        head = runtime.projector.position()
    pos, recorded, recorded_label = recorded_cutoff(recorded_by, head)
    return Cutoffs(day, known, pos, recorded), known_label, recorded_label


def plain(option: str, text: str) -> None:
    """An option naming a department, programme or number: one line, no control character."""
    problem = bad_character(text, single_line=True)
    if problem is not None:
        raise ReportInputError(option, problem)


def require_org(runtime: Runtime, org: str) -> None:
    """A report, issue or reprint needs a registered organisation."""
    plain("org", org)
    with runtime.models.reading() as conn:
        _registered(conn, org)


def require_department(runtime: Runtime, org: str) -> int | None:
    """The department's read model not halted (ReadModelHalted), then its registration
    (ReportInputError); the read models' position seen by the same look (None: not read).

    A report asks all three every time: in one statement outside any transaction (one round
    trip where a read transaction and the position made seven on PostgreSQL) while no
    department is halted; when one is (an incident), the whole check in one read, merged
    departments and all."""
    plain("org", org)
    mark = runtime.models.mark
    if mark is not None:
        sql = (
            f"SELECT (SELECT 1 FROM {halts.name} LIMIT 1), "
            f"(SELECT pos FROM {facts.name} WHERE org = {mark} AND kind = {mark} LIMIT 1), "
            f"(SELECT position FROM {tracking.name} WHERE name = {mark})"
        )
        params = (org, "org.registered", PROJECTION)
        ((halted, registered, position),) = runtime.models.look(sql, params)
        if halted is None:
            if registered is None:
                raise _unregistered(org)
            return int(position or 0)
    with runtime.models.reading() as conn:
        require_level(conn, org)  # first: a halted read model may lack the registration too
        _registered(conn, org)
    return None


# Built once (every report asks; SQLAlchemy keys a statement built anew at each execution).
_REGISTERED = (
    select(facts.c.pos)
    .where(facts.c.org == bindparam("org"), facts.c.kind == "org.registered")
    .limit(1)
)


def _registered(conn: Connection, org: str) -> None:
    found = conn.execute(_REGISTERED, {"org": org}).first()
    if found is None:
        raise _unregistered(org)


def _unregistered(org: str) -> ReportInputError:
    return ReportInputError("org", f"tổ chức {org!r} chưa được đăng ký")


def require_programme(runtime: Runtime, org: str, programme: str) -> None:
    """A `--programme` adopted by the organisation or by one merged into it (at any time)."""
    with runtime.models.reading() as conn:
        orgs = [org, *merged_into(conn, org)]
        found = conn.execute(
            select(facts.c.pos).where(
                facts.c.org.in_(orgs),
                facts.c.kind == "programme.adopted",
                facts.c.target == f"programme:{programme}",
            )
        ).first()
    if found is None:
        raise ReportInputError(
            "programme", f"tổ chức {org!r} không có chương trình {programme[:80]!r}"
        )


def run_report(runtime: Runtime, request: ReportRequest) -> dict[str, Any]:
    """The report's content and digest, read in one snapshot of the read models."""
    with runtime.models.reading() as conn:
        return build(conn, request, ALL_BUILDERS)
