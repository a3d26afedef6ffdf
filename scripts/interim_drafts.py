"""Write samples/005_seed_drafts.jsonl: the seed drafts of samples/drafts/seed_drafts.jsonl with
every figure whose key no report has yet (documents/planned.py) written "…" (a comparison of one
writes nothing), so `make samples` can import them and `report document` render them today.

    .venv/bin/python scripts/interim_drafts.py [OUT]

Each output body passes the import check against today's shapes (asserted). Once the planned keys
are real, the full drafts replace these: move samples/drafts/seed_drafts.jsonl to samples/ and
delete the output of this script.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from documents import check_body  # noqa: E402

# Words of the planned paths as the drafts write them (documents/planned.py).
PLANNED = (
    "adopted",
    "no_inferred",
    "status_on",
    "u.ref",
    "consular.documents",
    "ngo.",
    "remains",
    "by_partner",
    "support",
    "scholar",
    "missions",
    "abtc",
    "fdi",
    "foreign_workers",
    "foreigners",
    "illegal",
    "students",
    "invited",
    "own_request",
    "_plan",
    "projects.",
)


def interim(body: str) -> str:
    """The body with each planned figure a visible gap, and no test of a planned key."""
    body = re.sub(r"\{% if not t\.no_inferred %\}(.*?)\{% endif %\}", r"\1", body)
    body = re.sub(r"\{% set projects = [^%]*%\}", "", body)

    def figure(match: re.Match[str]) -> str:
        expr = match.group(0)
        if not any(word in expr for word in PLANNED):
            return expr
        return "" if ("compare" in expr or "wrap" in expr) else "…"

    # A spreadsheet cell keeps no trailing line end: the line round-trips through the template.
    return re.sub(r"\{\{.*?\}\}", figure, body).rstrip()


def main() -> None:
    """Write the interim drafts."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "samples" / "005_seed_drafts.jsonl"
    lines = []
    source = ROOT / "samples" / "drafts" / "seed_drafts.jsonl"
    for text in source.read_text(encoding="utf-8").splitlines():
        draft = json.loads(text)
        draft["body"] = interim(draft["body"])
        kinds = {name: spec["report"] for name, spec in draft["sources"].items()}
        problems = check_body(draft["body"], kinds)
        assert not problems, (draft["id"], [str(p) for p in problems])
        lines.append(json.dumps(draft, ensure_ascii=False, separators=(",", ":")))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
