"""The audit export (trích xuất kiểm toán): every event of one department, streamed.

Rows come from the read model `rm_facts` (the three times, actor, reason, document) merged by
position with the hash chain `ngoaivu_chain` (the department's link). Both are read with
server-side cursors in position order and merged on the fly, so memory stays bounded whatever
the number of events. Events that are not facts of a record (an issued report's ReportIssued)
have a chain link but no `rm_facts` row: they are read from the event store itself.

`--from`/`--to` select by the day (Vietnam) each event was recorded in the store.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import IO, Any

from sqlalchemy import select

from domain.issuance import IssuedReport
from domain.times import day_start_us, to_us, vn_iso
from projections.queries import fact_entry
from projections.tables import facts
from service.integrity.chain import links
from service.runtime import Runtime

PAGE = 2000
COLUMNS = (
    "position",
    "org",
    "target",
    "fact_id",
    "kind",
    "target_fact_id",
    "at",
    "known_since",
    "known",
    "recorded_at",
    "actor",
    "reason",
    "ref",
    "data",
    "org_hash",
    "global_hash",
)


def _fact(row: Any, link: Any) -> dict[str, Any]:
    return (
        {"position": row.pos, "org": row.org, "target": row.target}
        | fact_entry(row)
        | {
            "recorded_us": row.recorded_us,
            "org_hash": link.org_hash if link is not None else None,
            "global_hash": link.global_hash if link is not None else None,
        }
    )


def _plain(value: Any) -> Any:
    """Event attributes as JSON values (ids and instants as text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _other(rt: Runtime, link: Any) -> dict[str, Any]:
    """An event with a chain link but no fact row (ReportIssued…), read from the store."""
    found = rt.app.recorder.select_notifications(
        start=link.position, limit=1, inclusive_of_start=True
    )
    ev: Any = rt.app.mapper.to_domain_event(found[0]) if found else None
    recorded_us = to_us(ev.timestamp) if ev is not None else None
    attributes = dict(vars(ev)) if ev is not None else {}
    details = ev.details if isinstance(ev, IssuedReport.ReportIssued) else None
    if details is not None:  # its terms as one dict, as version 1 stored them
        target = f"issued:{attributes.get('year')}/{attributes['number']}"
        kind, actor, ref = "report.issued", details.get("actor"), attributes["number"]
        data = details
    else:
        target = str(attributes.get("target") or "")
        kind = str(attributes.get("kind") or (type(ev).__qualname__ if ev is not None else "?"))
        actor, ref = attributes.get("actor"), attributes.get("ref")
        skip = {"originator_id", "originator_version", "timestamp", "org", "target", "kind"}
        data = {k: v for k, v in attributes.items() if k not in skip}
    return {
        "position": link.position,
        "org": link.org,
        "target": target,
        "fact_id": target,
        "kind": kind,
        "target_fact_id": None,
        "at": None,
        "known_since": None,
        "known": vn_iso(recorded_us) if recorded_us is not None else None,
        "recorded_at": vn_iso(recorded_us) if recorded_us is not None else None,
        "recorded_us": recorded_us,
        "actor": actor,
        "reason": attributes.get("reason"),
        "ref": ref,
        "data": _plain(data),
        "org_hash": link.org_hash,
        "global_hash": link.global_hash,
    }


def events_of(
    rt: Runtime, org: str, start: date | None = None, end: date | None = None
) -> Iterator[dict[str, Any]]:
    """Every event of a department in store order, recorded within the days given (inclusive)."""
    rt.catch_up()
    head = rt.chain.head()[0]
    low = day_start_us(start) if start else None
    high = day_start_us(end + timedelta(days=1)) if end else None

    def wanted(event: dict[str, Any]) -> bool:
        us = event["recorded_us"]
        if us is None:
            return low is None and high is None
        return (low is None or us >= low) and (high is None or us < high)

    chain_query = (
        select(links)
        .where(links.c.org == org, links.c.position <= head)
        .order_by(links.c.position)
        .execution_options(yield_per=PAGE)
    )
    facts_query = (
        select(facts)
        .where(facts.c.org == org, facts.c.pos <= head)
        .order_by(facts.c.pos)
        .execution_options(yield_per=PAGE)
    )
    with rt.chain.engine.connect() as chain_conn, rt.models.reading() as conn:
        chained = iter(chain_conn.execute(chain_query))
        rows = iter(conn.execute(facts_query))
        link, row = next(chained, None), next(rows, None)
        while link is not None or row is not None:
            if row is not None and (link is None or row.pos < link.position):
                event = _fact(row, None)  # a fact with no chain link: shown with empty hashes
                row = next(rows, None)
            elif row is not None and link is not None and row.pos == link.position:
                event = _fact(row, link)
                row, link = next(rows, None), next(chained, None)
            else:
                assert link is not None
                event = _other(rt, link)
                link = next(chained, None)
            if wanted(event):
                yield event


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# What a spreadsheet reads as the start of a formula when it opens a CSV file (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell that a spreadsheet shows as text: an apostrophe before a formula's first sign."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_csv(events: Iterator[dict[str, Any]], out: IO[str], safe: bool = False) -> int:
    """RFC 4180 CSV (CRLF, fields quoted when needed) after a UTF-8 BOM; how many rows.

    Cells are as stored unless `safe`: then a cell beginning like a formula gets an apostrophe
    in front (`spreadsheet_safe`), so that opening the file runs nothing."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    count = 0
    for event in events:
        cells = [_cell(event[c]) for c in COLUMNS]
        writer.writerow([spreadsheet_safe(c) for c in cells] if safe else cells)
        count += 1
    return count


def write_jsonl(events: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """One JSON object per line (UTF-8, no BOM); how many lines."""
    count = 0
    for event in events:
        out.write(json.dumps({c: event[c] for c in COLUMNS}, ensure_ascii=False) + "\n")
        count += 1
    return count
