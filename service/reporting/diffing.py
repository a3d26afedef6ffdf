"""What today's knowledge changes in an issued report, figure by figure, and which events cause it.

The issued report is regenerated with its own cut-offs (as `reprint` does) and again with the same
as-of day D and period but with everything known and recorded today. The two JSON trees are walked
side by side: every figure that differs is listed with its path (`summary.completed`,
`tasks[no=3].status`).

The events that could explain a difference are those the report read today but could not see when
it was issued: recorded after the issue's pinned position (or its recorded-by instant), or known
after its knowledge cut-off. They are found without knowing the report kind: the report is built
through a connection that notes every `rm_facts` row it reads. Each candidate is then tried by
counterfactual: today's report is built again with that record's (then that event's) late rows
hidden; the figures that change back are the ones it causes. This works for every report kind,
including kinds added later.

Over 300 lines as one module: the comparison of two report trees, the counterfactual search of
the events behind each change and their phrasing are one answer to one question.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from projections.queries import fact_entry
from projections.reports import FOLD_BUILDERS, ReportRequest, build
from projections.reports.document import build_document, build_document_v1
from projections.visibility import Cutoffs
from service.reporting.issuing import find_issued, request_of
from service.reporting.requests import make_request
from service.runtime import Runtime

# Keys that differ by construction between the issued and today's versions (shown in the header).
SKIPPED = frozenset({"digest", "known_by", "recorded_by"})
# The fold's builders, every kind: the counterfactual hides fact rows, which the task versions
# (the report builders' own table) do not show; the fold gives the same digests (property test).
DIFF_BUILDERS: dict[str, Any] = {
    **FOLD_BUILDERS,
    "document": {
        1: lambda conn, request: build_document_v1(conn, request, FOLD_BUILDERS),
        2: lambda conn, request: build_document(conn, request, FOLD_BUILDERS),
    },
}
# Above this many counterfactual builds, causes are listed without attribution.
MAX_RUNS = 200

_MISSING = object()
Step = str | int | tuple[tuple[str, Any], ...]


class _Lens:
    """A connection that notes the `rm_facts` rows a report reads, and can hide some of them."""

    def __init__(self, conn: Connection, hidden: frozenset[int] = frozenset()) -> None:
        self._conn = conn
        self.hidden = hidden
        self.read: dict[int, Any] = {}

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        result = self._conn.execute(statement, *args, **kwargs)
        if not result.returns_rows:
            return result
        keys = set(result.keys())
        if not {"pos", "fact_id", "known_us"} <= keys:  # not rows of rm_facts
            return result
        frozen = result.freeze()
        rows = [row for row in frozen.data if row.pos not in self.hidden]
        for row in rows:
            self.read[row.pos] = row
        frozen.data = rows
        return frozen()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _build(conn: Connection, request: ReportRequest, hidden: frozenset[int] = frozenset()) -> Any:
    lens = _Lens(conn, hidden)
    content = build(lens, request, DIFF_BUILDERS)  # type: ignore[arg-type]
    return content, lens.read


# ---------------------------------------------------------------- walking two JSON trees


def _identity(items: list[Any]) -> list[tuple[tuple[str, Any], ...]] | None:
    """How list items are told apart: by `id`, by (`programme`,) `no`, by `target`; else None."""
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for keys in (("id",), ("programme", "no"), ("no",), ("target",), ("metric",)):
        if all(all(k in item for k in keys) for item in items):
            ids = [tuple((k, item[k]) for k in keys) for item in items]
            if len(set(map(_hashable, ids))) == len(ids):
                return ids
    return None


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _keyed(items: list[Any]) -> dict[Any, tuple[Step, Any]]:
    ids = _identity(items)
    if ids is None:
        return {i: (i, item) for i, item in enumerate(items)}
    return {_hashable(ident): (ident, item) for ident, item in zip(ids, items, strict=True)}


def _keyed_pair(before: list[Any], after: list[Any]) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """Both lists keyed the same way (by identity only when both lists allow it)."""
    ids_b, ids_a = _identity(before), _identity(after)
    same = (
        ids_b is not None
        and ids_a is not None
        and [k for k, _ in ids_b[0]] == [k for k, _ in ids_a[0]]
    )
    if (ids_b is None and before) or (ids_a is None and after) or (before and after and not same):
        return (
            {i: (i, item) for i, item in enumerate(before)},
            {i: (i, item) for i, item in enumerate(after)},
        )
    return _keyed(before), _keyed(after)


@dataclass
class Change:
    """One figure that differs: where, before (issued) and after (today), and its causes."""

    path: tuple[Step, ...]
    before: Any
    after: Any
    causes: list[int] = field(default_factory=list)
    joint: bool = False

    @property
    def label(self) -> str:
        return render_path(self.path)


def render_path(path: Iterable[Step]) -> str:
    """`tasks[no=3].status`, `summary.completed`, `outbound.by_funding.unknown`."""
    out = ""
    for step in path:
        if isinstance(step, str):
            out += ("." if out else "") + step
        elif isinstance(step, int):
            out += f"[{step}]"
        else:
            out += "[" + ",".join(f"{k}={v}" for k, v in step) + "]"
    return out


def compare(before: Any, after: Any, path: tuple[Step, ...] = ()) -> list[Change]:
    """Every leaf (or list item) that differs between two report trees."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[Change] = []
        for key in sorted(set(before) | set(after)):
            # The cut-offs differ by construction, at the top and in a document's sources.
            top = not path or (len(path) == 2 and path[0] == "sources")
            if top and key in SKIPPED:
                continue
            b, a = before.get(key, _MISSING), after.get(key, _MISSING)
            if b is _MISSING or a is _MISSING:
                changes.append(Change((*path, key), _plain(b), _plain(a)))
            else:
                changes.extend(compare(b, a, (*path, key)))
        return changes
    if isinstance(before, list) and isinstance(after, list):
        if not any(isinstance(x, dict | list) for x in [*before, *after]):
            return [] if before == after else [Change(path, before, after)]
        kb, ka = _keyed_pair(before, after)
        changes = []
        for key in [*kb, *(k for k in ka if k not in kb)]:
            if key not in ka:
                step, item = kb[key]
                changes.append(Change((*path, step), item, None))
            elif key not in kb:
                step, item = ka[key]
                changes.append(Change((*path, step), None, item))
            else:
                changes.extend(compare(kb[key][1], ka[key][1], (*path, kb[key][0])))
        return changes
    if before == after and type(before) is type(after):
        return []
    return [Change(path, before, after)]


def _plain(value: Any) -> Any:
    return None if value is _MISSING else value


def lookup(tree: Any, path: tuple[Step, ...]) -> Any:
    """The value at a path (as `compare` names it), or a marker when it is not there."""
    node = tree
    for step in path:
        if isinstance(node, dict) and isinstance(step, str):
            node = node.get(step, _MISSING)
        elif isinstance(node, list) and isinstance(step, int):
            node = node[step] if step < len(node) else _MISSING
        elif isinstance(node, list) and isinstance(step, tuple):
            node = next(
                (
                    item
                    for item in node
                    if isinstance(item, dict) and all(item.get(k, _MISSING) == v for k, v in step)
                ),
                _MISSING,
            )
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


# ---------------------------------------------------------------- the late events


def _visible_then(row: Any, cut: Cutoffs) -> bool:
    if row.known_us >= cut.known.below_us:
        return False
    if cut.recorded_pos is not None and row.pos > cut.recorded_pos:
        return False
    return not (cut.recorded is not None and row.recorded_us >= cut.recorded.below_us)


def _why(row: Any, cut: Cutoffs) -> str:
    reasons = []
    if cut.recorded_pos is not None and row.pos > cut.recorded_pos:
        reasons.append(f"ghi sau khi ban hành (sau vị trí @{cut.recorded_pos})")
    if cut.recorded is not None and row.recorded_us >= cut.recorded.below_us:
        reasons.append(f"ghi sau mốc recorded-by {cut.recorded.label}")
    if row.known_us >= cut.known.below_us:
        reasons.append(f"biết sau mốc known-by {cut.known.label}")
    return "; ".join(reasons)


def _nature(row: Any, cut: Cutoffs) -> str:
    if row.kind == "record.corrected":
        return "đính chính"
    if row.kind == "record.voided":
        return "hủy"
    if row.known_us < cut.known.below_us:
        return "hồ sơ nhập bổ sung (đã biết từ trước, ghi sau)"
    return "sự kiện mới biết"


def event_info(row: Any, cut: Cutoffs) -> dict[str, Any]:
    """An event that causes a difference: its place, fact id, three times, who, why."""
    return fact_entry(row) | {
        "nature": _nature(row, cut),
        "org": row.org,
        "target": row.target,
        "why": _why(row, cut),
    }


# ---------------------------------------------------------------- attribution


def _reverted(
    conn: Connection, request: ReportRequest, hidden: frozenset[int], now: Any, open_: list[Change]
) -> list[Change]:
    """The changes that hiding these rows takes back (the figure differs from today's)."""
    content, _read = _build(conn, request, hidden)
    return [c for c in open_ if lookup(content, c.path) != lookup(now, c.path)]


def attribute(
    conn: Connection, request: ReportRequest, now: Any, changes: list[Change], late: list[Any]
) -> bool:
    """Give each change the late events that cause it; False when there were too many to try."""
    if not changes or not late:
        return True
    by_target: dict[tuple[str, str], list[int]] = {}
    for row in late:
        by_target.setdefault((row.org, row.target), []).append(row.pos)
    runs = len(by_target) + sum(len(p) for p in by_target.values() if len(p) > 1)
    if runs > MAX_RUNS:
        everything = [row.pos for row in late]
        for change in changes:
            change.causes, change.joint = list(everything), True
        return False
    explained: dict[int, set[int]] = {}  # change index -> positions
    for positions in by_target.values():
        group = _reverted(conn, request, frozenset(positions), now, changes)
        if not group:
            continue
        if len(positions) == 1:
            for change in group:
                explained.setdefault(id(change), set()).update(positions)
            continue
        alone: dict[int, set[int]] = {}
        for pos in positions:
            for change in _reverted(conn, request, frozenset([pos]), now, group):
                alone.setdefault(id(change), set()).add(pos)
        for change in group:
            found = alone.get(id(change))
            if found:
                explained.setdefault(id(change), set()).update(found)
            else:  # only the record's late events together explain it
                explained.setdefault(id(change), set()).update(positions)
                change.joint = True
    unexplained = [c for c in changes if id(c) not in explained]
    if unexplained:  # several records together: name them all
        together = _reverted(conn, request, frozenset(r.pos for r in late), now, unexplained)
        for change in together:
            explained[id(change)] = {r.pos for r in late}
            change.joint = True
    for change in changes:
        change.causes = sorted(explained.get(id(change), ()))
    return True


# ---------------------------------------------------------------- the command's work


def today_request(rt: Runtime, issued_request: ReportRequest) -> ReportRequest:
    """The same report (kind, period, D, format) with everything known and recorded today; a
    document keeps its draft's issued version, its own format and its sources' (the same
    words, rendered by the same rules)."""
    if issued_request.kind == "document":
        from service.reporting.drafting import document_request

        request = document_request(
            rt,
            issued_request.org,
            issued_request.draft or "",
            as_of=issued_request.cut.as_of.isoformat(),
            known_by="now",
            version=issued_request.draft_version,
        )
        return replace(
            request, format=issued_request.format, source_formats=issued_request.source_formats
        )
    return make_request(
        rt,
        issued_request.kind,
        issued_request.org,
        issued_request.period.label,
        window=issued_request.period.window,
        programme=issued_request.programme,
        as_of=issued_request.cut.as_of.isoformat(),
        known_by="now",
        format=issued_request.format,
        check_programme=False,
    )


def diff_issued(rt: Runtime, org: str, number: str, year: int | None) -> dict[str, Any]:
    """What today's knowledge changes in an issued report, and the events that cause it."""
    record = find_issued(rt, org, number, year)
    issued_request = request_of(record)
    cut = issued_request.cut
    now_request = today_request(rt, issued_request)
    with rt.models.reading() as conn:
        then, _ = _build(conn, issued_request)
        now, read = _build(conn, now_request)
        late = late_rows(read, cut)
        changes = compare(then, now)
        complete = attribute(conn, now_request, now, changes, late)
    events = {row.pos: event_info(row, cut) for row in late}
    return {
        "org": record.org,
        "number": record.number,
        "year": record.year,
        "report": issued_request.kind,
        "period": then["period"],
        "as_of": then["as_of"],
        "format": then["format"],
        "issued": {
            "digest": record.details["digest"],
            "reprint_digest": then["digest"],
            "reprint_matches": then["digest"] == record.details["digest"],
            "known_by": then["known_by"],
            "recorded_by": then["recorded_by"],
            "pinned_position": record.details["recorded_pos"],
            "signed_on": record.details.get("signed_on"),
        },
        "today": {
            "digest": now["digest"],
            "known_by": now["known_by"],
            "recorded_by": now["recorded_by"],
        },
        "changes": [
            {
                "path": change.label,
                "before": change.before,
                "after": change.after,
                "causes": [events[pos] for pos in change.causes],
                "joint": change.joint,
                **_phrases(change),
            }
            for change in changes
        ],
        "late_events": [events[row.pos] for row in late],
        "attributed": complete,
    }


def _phrases(change: Change) -> dict[str, Any]:
    """A document's text: the changed words inside their sentences ("49 đoàn → 50 đoàn")."""
    if change.path != ("text",) or not isinstance(change.before, str):
        return {}
    from documents.textdiff import changed_phrases

    return {"phrases": changed_phrases(change.before, change.after or "")}


def late_rows(read: dict[int, Any], cut: Cutoffs) -> list[Any]:
    """The rows read today that the issue could not see, less facts effective after D.

    A fact dated after D stays out of both versions unless a correction moves its date, so it is
    kept only when a correction read today names it.
    """
    corrected = {row.target_fact_id for row in read.values() if row.kind == "record.corrected"}
    return [
        row
        for _pos, row in sorted(read.items())
        # A document's draft is its pinned version, the same today: never a cause.
        if row.record_kind != "draft"
        and not _visible_then(row, cut)
        and (
            row.at_us is None
            or cut.effective.admits(row.at_us)
            or row.fact_id in corrected
            or row.kind in ("record.corrected", "record.voided")
        )
    ]


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def render_text(result: dict[str, Any]) -> Iterator[str]:
    """The diff as lines of text for a reader."""
    issued, today = result["issued"], result["today"]
    yield (
        f"Văn bản {result['number']} ({result['org']}, {result['year']}): {result['report']}, "
        f"kỳ {result['period']['label']}, tính đến {result['as_of']}, định dạng {result['format']}"
    )
    state = "khớp" if issued["reprint_matches"] else "KHÔNG KHỚP với digest đã ban hành"
    yield (
        f"  khi ban hành: known_by {issued['known_by']}, recorded_by {issued['recorded_by']} "
        f"(vị trí @{issued['pinned_position']}), {issued['digest']} (in lại: {state})"
    )
    yield (
        f"  hôm nay:      known_by {today['known_by']}, recorded_by {today['recorded_by']}, "
        f"{today['digest']}"
    )
    changes = result["changes"]
    if not changes:
        yield "Không có số liệu nào thay đổi."
    else:
        yield f"{len(changes)} số liệu thay đổi:"
    for change in changes:
        if "phrases" in change:  # a document's text: each changed figure inside its sentence
            yield f"  {change['path']}:"
            for phrase in change["phrases"]:
                yield f"    «{phrase['before']} → {phrase['after']}»: {phrase['sentence_after']}"
        else:
            yield f"  {change['path']}: {_value(change['before'])} → {_value(change['after'])}"
        if change["joint"] and change["causes"]:
            yield "    do các sự kiện sau cùng tác động:"
        elif not change["causes"]:
            yield "    không tìm thấy sự kiện gây ra (mã báo cáo hoặc dữ liệu đọc đã đổi?)"
        for ev in change["causes"]:
            yield (
                f"    ← @{ev['position']} {ev['fact_id']} {ev['kind']} ({ev['nature']})"
                + (f" → {ev['target_fact_id']}" if ev["target_fact_id"] else "")
            )
            yield (
                f"      người: {ev['actor']} | lý do: {ev['reason'] or '-'} | "
                f"văn bản: {ev['ref'] or '-'}"
            )
            yield (
                f"      hiệu lực: {ev['at'] or '-'} | biết từ: {ev['known']} | "
                f"ghi lúc: {ev['recorded_at']} | {ev['why']}"
            )
    if not result["attributed"]:
        yield f"(quá nhiều sự kiện để quy từng thay đổi; đã liệt kê tất cả: {MAX_RUNS}+ lần dựng)"
