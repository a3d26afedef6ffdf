"""Synthetic key-task history for the benchmarks: departments × programme years × tasks, as JSONL.

Each department-year has a programme, ~25 tasks, their progress (statuses that obey the rules)
and ~10 % corrections (a status or reason found wrong, with a `known_since` after the year's
reports). Import with `ngoaivu import --backfill`. Deterministic for a given seed.

    python bench/gen_history.py -o /tmp/history.jsonl                 # 34 × 20, ~53,000 facts
    python bench/gen_history.py --facts 20000 -o /tmp/20k.jsonl       # whole department-years
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from typing import Any, TextIO

# Thirty-four provinces (the count after the 2025 merger): one Sở Ngoại vụ each.
ORGS = (
    "ha-noi",
    "hue",
    "lai-chau",
    "dien-bien",
    "son-la",
    "lang-son",
    "quang-ninh",
    "thanh-hoa",
    "nghe-an",
    "ha-tinh",
    "cao-bang",
    "tuyen-quang",
    "lao-cai",
    "thai-nguyen",
    "phu-tho",
    "bac-ninh",
    "hung-yen",
    "hai-phong",
    "ninh-binh",
    "quang-tri",
    "da-nang",
    "quang-ngai",
    "gia-lai",
    "khanh-hoa",
    "lam-dong",
    "dak-lak",
    "ho-chi-minh",
    "dong-nai",
    "tay-ninh",
    "can-tho",
    "vinh-long",
    "dong-thap",
    "ca-mau",
    "an-giang",
)
UNITS = (
    "Văn phòng - Thanh tra",
    "Hợp tác quốc tế",
    "Lãnh sự - Biên giới",
    "Người Việt Nam ở nước ngoài",
)
TOPICS = (
    "Tổ chức đoàn công tác xúc tiến đầu tư tại Hàn Quốc",
    "Ký kết thỏa thuận hợp tác hữu nghị với tỉnh kết nghĩa",
    "Hội nghị tổng kết công tác đối ngoại và biên giới",
    "Đón đoàn Đại sứ Nhật Bản thăm và làm việc",
    "Thanh tra công tác đối ngoại tại các huyện",
    "Gặp mặt kiều bào nhân dịp Tết cổ truyền",
    "Tập huấn nghiệp vụ lễ tân đối ngoại cho cán bộ",
    "Rà soát các thỏa thuận quốc tế đã ký kết",
)
# Progress paths (statuses in effective-time order) and how often each occurs.
PATHS = (
    ((), 7),
    (("in_progress",), 15),
    (("in_progress", "completed"), 45),
    (("completed",), 10),
    (("in_progress", "not_carried_out"), 10),
    (("in_progress", "deferral_proposed", "deferred"), 8),
    (("cancelled",), 5),
)


def _line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def _day(rng: random.Random, year: int, first_month: int, last_month: int) -> str:
    return f"{year}-{rng.randint(first_month, last_month):02d}-{rng.randint(1, 28):02d}"


def department_year(rng: random.Random, org: str, year: int, tasks: int, fix: float) -> list[str]:
    """One department's programme of one year: adoption, tasks, progress, corrections."""
    prog = str(year)
    ref = f"{rng.randint(10, 99)}/SNgV-VP"
    out = [
        _line(
            kind="programme.adopted",
            org=org,
            at=f"{year}-02-04",
            programme=prog,
            title=f"Chương trình công tác trọng tâm năm {year} của Sở Ngoại vụ",
            ref=ref,
        )
    ]
    paths, weights = zip(*PATHS, strict=True)
    count = rng.randint(tasks - 3, tasks + 3)
    progress: list[str] = []
    fixes: list[str] = []
    for no in range(1, count + 1):
        out.append(
            _line(
                kind="task.added",
                org=org,
                at=f"{year}-02-04",
                programme=prog,
                no=no,
                title=f"{rng.choice(TOPICS)} ({no}/{year})",
                unit=rng.choice(UNITS),
                ref=ref,
            )
        )
        path = rng.choices(paths, weights)[0]
        days = sorted(_day(rng, year, 3 + 3 * i, 5 + 3 * i) for i in range(len(path)))
        for status, day in zip(path, days, strict=True):
            progress.append(
                _line(kind="task.progressed", org=org, at=day, programme=prog, no=no, status=status)
            )
        if path and rng.random() < fix:
            last = path[-1]
            swap = {"completed": "not_carried_out", "not_carried_out": "completed"}
            change: dict[str, Any] = {"reason": "Bổ sung lý do theo hồ sơ lưu"}
            if last in swap and len(path) <= 2 and rng.random() < 0.5:
                change = {"status": swap[last]}
            fixes.append(
                _line(
                    kind="record.corrected",
                    org=org,
                    known_since=f"{year}-12-{rng.randint(15, 28):02d}",
                    target=f"task:{prog}/{no}",
                    set=change,
                    reason="Đính chính theo báo cáo rà soát cuối năm",
                )
            )
    return out + progress + fixes


def history(
    orgs: int, years: int, first_year: int, tasks: int, fix: float, seed: int
) -> Iterator[tuple[str, list[str]]]:
    """(org, lines) per department-year, department by department; registration first."""
    rng = random.Random(seed)
    for org in ORGS[:orgs]:
        yield (
            org,
            [
                _line(
                    kind="org.registered",
                    org=org,
                    at=f"{first_year - 1}-01-01",
                    name=f"Sở Ngoại vụ {org}",
                    place=org,
                )
            ],
        )
        for year in range(first_year, first_year + years):
            yield org, department_year(rng, org, year, tasks, fix)


def write(
    out: TextIO,
    *,
    orgs: int = 34,
    years: int = 20,
    first_year: int = 2006,
    tasks: int = 25,
    corrections: float = 0.10,
    seed: int = 1,
    facts: int = 0,
) -> int:
    """Write the history (up to about `facts` facts, in whole department-years); the line count."""
    written = 0
    for _org, lines in history(orgs, years, first_year, tasks, corrections, seed):
        if facts and written >= facts and lines[0].startswith('{"kind":"programme'):
            break
        out.write("\n".join(lines) + "\n")
        written += len(lines)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command line: write the synthetic history to a file or stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=34)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--first-year", type=int, default=2006)
    parser.add_argument("--tasks", type=int, default=25)
    parser.add_argument("--corrections", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--facts", type=int, default=0, help="stop after about this many facts")
    parser.add_argument("-o", "--output", default="-")
    args = vars(parser.parse_args(argv))
    output = args.pop("output")
    if output == "-":
        count = write(sys.stdout, **args)
    else:
        with open(output, "w", encoding="utf-8") as handle:
            count = write(handle, **args)
    print(f"{count} facts", file=sys.stderr)


if __name__ == "__main__":
    main()
