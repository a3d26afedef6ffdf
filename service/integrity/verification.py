"""Verification (kiểm tra toàn vẹn), one for the command line and the web: the keyed chain, the
anchors noted elsewhere, every issued report reprinted and every kept DOCX/PDF re-hashed, and on
request the read models rebuilt apart and compared with the live ones."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from projections.halts import Halt
from service.integrity.anchors import anchor_problems
from service.integrity.chain import ChainCheck, dumps_heads
from service.integrity.read_models import ReadModelCheck, ReadModelsMoving, check_read_models
from service.runtime import Runtime


@dataclass
class Verification:
    """What `verify` found: the chain's check and every problem, each a line naming its place."""

    check: ChainCheck
    anchors: int = 0
    reports: int = 0
    documents: int = 0
    problems: list[str] = field(default_factory=list)
    halts: list[Halt] = field(default_factory=list)
    sealed: bool = False
    read_models: ReadModelCheck | None = None  # compared only on request
    # Why the read models could not be compared (they never stood still); the rest was checked.
    moving: str | None = None

    @property
    def intact(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report `ngoaivu verify` prints (its last line `intact`, or the problems)."""
        check = self.check
        if check.broken is not None or check.unchained:
            return list(self.problems)
        lines = [
            f"events: {check.events}",
            f"chain head: sha256:{check.head}",
            f"department heads: {dumps_heads(check.heads)}",
            f"anchors checked: {self.anchors}",
            f"issued reports checked: {self.reports}",
            f"issued documents checked: {self.documents}",
            *acknowledged(check.acknowledged),
        ]
        if self.read_models is not None:
            compared = self.read_models
            lines.append(
                f"read models checked: {compared.tables} tables at @{compared.position} "
                f"({'equal' if compared.equal else 'DIFFERENT'}, {compared.seconds:.1f} s)"
            )
        for halt in self.halts:  # the store is whole; a department's views are behind it
            lines.append(
                f"CẢNH BÁO: {halt.describe()} Báo cáo đã ban hành của "
                f"{'mọi tổ chức' if halt.org == '*' else halt.org} ghi từ @{halt.position} "
                "chưa được kiểm tra."
            )
        if self.sealed:
            lines.append(
                "(kho mã hóa, không có NGOAIVU_CIPHER_KEY: báo cáo đã ban hành chưa kiểm tra)"
            )
        if self.problems:
            return lines + [p if p.startswith("HỎNG") else f"HỎNG: {p}" for p in self.problems]
        return [*lines, "intact"]


def acknowledged(check_acknowledged: list[tuple[int, str]]) -> list[str]:
    """One line per acknowledgement of outside writes (its positions and note)."""
    groups: dict[str, list[int]] = {}
    for position, note in check_acknowledged:
        groups.setdefault(note, []).append(position)
    lines = []
    for note, positions in groups.items():
        try:
            said = json.loads(note)
            who = f"{said.get('acknowledged_by')}, {said.get('at')}: {said.get('reason')}"
        except ValueError:
            who = note
        where = f"@{positions[0]}" + (f"–@{positions[-1]}" if len(positions) > 1 else "")
        lines.append(f"ghi ngoài ứng dụng đã xác nhận: {where} ({len(positions)} sự kiện; {who})")
    return lines


def verify_installation(
    rt: Runtime,
    anchors: dict[int, str] | None = None,
    org: str | None = None,
    *,
    read_models: bool = False,
) -> Verification:
    """Check the chain, the anchors and the issued reports (of one department when `org` is
    given: the web's page), stopping at the first break of the chain itself; with `read_models`,
    compare the read models (that department's rows) with a copy rebuilt from the events."""
    from service.reporting.documents import kept_problems
    from service.reporting.issuing import issued_in_store, reprint

    anchors = anchors or {}
    check = rt.chain.verify(watch=set(anchors))
    found = Verification(check, anchors=len(anchors), sealed=rt.sealed)
    if check.broken is not None:
        found.problems.append(f"HỎNG tại vị trí @{check.broken.position}: {check.broken.message}")
        return found
    if check.unchained:
        rt.alarms.check()  # the same outside write raises the installation's alarm
        found.problems.append(
            f"HỎNG tại vị trí @{check.first_unchained}: {check.unchained} sự kiện không có "
            "mắt xích (ghi ngoài ứng dụng)"
        )
        return found
    for position, message in anchor_problems(anchors, check.anchors, check.position):
        found.problems.append(f"HỎNG tại vị trí @{position}: mốc không khớp: {message}")
    if check.legacy:
        found.problems.append(
            "HỎNG: chuỗi băm của phiên bản trước không có khóa, chưa nâng cấp (ai ghi được vào "
            "cơ sở dữ liệu cũng làm lại được): chạy `ngoaivu chain upgrade`"
        )
    if rt.sealed:  # encrypted and no key: the chain alone is checked
        return found
    rt.projector.catch_up(until=check.position)
    reports = issued_in_store(rt, org)
    found.reports = len(reports)
    found.halts = list(rt.projector.halts().values())
    for record in reports:
        d = record.details
        if rt.chain.link_at(d["chain_position"]) not in (d["chain_head"], None) or (
            d["chain_position"] == 0 and d["chain_head"] != "0" * 64
        ):
            found.problems.append(
                f"{record.number} ({record.year}): đầu chuỗi ghi khi ban hành không khớp"
            )
            continue
        _content, matches = reprint(rt, record)
        if not matches:
            found.problems.append(f"{record.number} ({record.year}): digest không khớp")
        checked, kept = kept_problems(rt, record)  # the DOCX/PDF kept at issue
        found.documents += checked
        found.problems += kept
    if read_models:
        try:
            found.read_models = check_read_models(rt, org)
        except ReadModelsMoving as exc:  # not a failed check: none could be made
            found.moving = str(exc)
        else:
            found.problems += found.read_models.problems()
    return found
