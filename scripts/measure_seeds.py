"""Measure how much of each seed the seed drafts reproduce, word for word, in order.

Loads every samples/*.jsonl into a temporary store (`ngoaivu import --backfill`), builds each
draft's sources with `ngoaivu report KIND … --as-of D --format json`, feeds the figures the records
cannot give yet (scripts/seed_figures.json, the keys of documents/planned.py) as they will be once
the missing kinds exist, renders each draft of samples/005_seed_drafts.jsonl with the documents
engine and compares its words with the seed's body (documents/wordshare.py). The seeds' texts are
../shared/seeds/ beside the checkout, or --seeds DIR, or $NGOAIVU_SEEDS.

    .venv/bin/python scripts/measure_seeds.py [--seeds DIR] [--without-planned] [--missing N]
        [--show ID] [--json]
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from documents import render_document  # noqa: E402
from documents.planned import PLANNED  # noqa: E402
from documents.wordshare import document_text, lcs_length, seed_body, words  # noqa: E402

AS_OF = {
    "seed-000": "2020-12-11",
    "seed-001": "2021-03-14",
    "seed-002": "2021-06-14",
    "seed-003": "2022-11-24",
    "seed-004": "2020-11-20",
}
DRAFTS = ROOT / "samples" / "005_seed_drafts.jsonl"
NGOAIVU = str(Path(sys.executable).with_name("ngoaivu"))


def run(env: dict[str, str], *args: str) -> str:
    """One `ngoaivu` command; its stdout, or the reason it failed."""
    done = subprocess.run([NGOAIVU, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ngoaivu {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def load_store(data: Path) -> dict[str, str]:
    """A temporary store with every sample file, as `make samples` loads them."""
    env = {**os.environ, "NGOAIVU_DATA": str(data), "NGOAIVU_ACTOR": "measure"}
    env.pop("DATABASE_URL", None)
    for path in sorted((ROOT / "samples").glob("*.jsonl")):
        run(env, "import", "--backfill", "--quiet", str(path))
    return env


def source_json(env: dict[str, str], draft: dict[str, Any], spec: dict[str, Any]) -> dict:
    """One source's report JSON for the draft's period (or the source's own, a planned key)."""
    args = ["report", spec["report"], "--org", draft["org"]]
    args += ["--period", spec.get("period", draft["period"]), "--as-of", AS_OF[draft["id"]]]
    for key in ("programme", "window"):
        if key in spec:
            args += [f"--{key}", spec[key]]
    report = json.loads(run(env, *args, "--format", "json"))
    report.pop("digest", None)
    return report


def overlay(target: Any, extra: Any) -> Any:
    """`extra` merged into `target`: objects key by key; a list by items, `"*"` (every item)
    or `"no=N"` (the items whose `no` is N), in the order given."""
    if isinstance(target, list) and isinstance(extra, dict):
        for selector, values in extra.items():
            key, _, wanted = selector.partition("=")
            for item in target:
                if selector == "*" or str(item.get(key)) == wanted:
                    overlay(item, copy.deepcopy(values))
        return target
    if isinstance(target, dict) and isinstance(extra, dict):
        for key, value in extra.items():
            target[key] = overlay(target[key], value) if key in target else value
        return target
    return extra


def blanked(value: Any) -> Any:
    """A planned figure replaced by a value no seed word matches: what the documents lose while
    the missing kinds do not exist (numbers 987654321, texts without words, dates 29/7/1901)."""
    if isinstance(value, dict):
        return {k: blanked(v) for k, v in value.items()}
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return 987654321
    if isinstance(value, str):
        return "1901-07-29" if len(value) == 10 and value[4] == "-" else "…"
    return value


def without_previous(report: Any) -> Any:
    """Every `previous` made null: the foreign-affairs report of format 2 before any
    `period.closed` or `figures.reported` line makes an earlier window complete."""
    if isinstance(report, dict):
        return {k: None if k == "previous" else without_previous(v) for k, v in report.items()}
    if isinstance(report, list):
        return [without_previous(v) for v in report]
    return report


def measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Each draft's share of its seed's words, with the words it misses."""
    seeds = {p.name[:3]: p for p in Path(args.seeds).glob("*.txt")}
    figures = json.loads((ROOT / "scripts" / "seed_figures.json").read_text(encoding="utf-8"))
    drafts = [
        json.loads(line) for line in DRAFTS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    results = []
    with tempfile.TemporaryDirectory(prefix="ngoaivu-measure-") as tmp:
        env = load_store(Path(tmp) / "var")
        for draft in drafts:
            sources = {n: source_json(env, draft, s) for n, s in draft["sources"].items()}
            for name, extra in figures.get(draft["id"], {}).items():
                extra = blanked(extra) if args.without_planned else copy.deepcopy(extra)
                overlay(sources[name], extra)
            if args.no_previous:
                sources = {n: without_previous(r) for n, r in sources.items()}
            planned = PLANNED
            doc = render_document(draft["body"], sources, planned)
            text = document_text(draft["type"], draft["title"], draft.get("addressees", []), doc)
            seed_words = words(seed_body(seeds[draft["id"][-3:]].read_text(encoding="utf-8")))
            if args.show == draft["id"]:
                print(text)
            doc_words = words(text)
            matcher = difflib.SequenceMatcher(None, seed_words, doc_words, autojunk=False)
            missing = [
                " ".join(seed_words[i1:i2])
                for tag, i1, i2, _j1, _j2 in matcher.get_opcodes()
                if tag in ("delete", "replace")
            ]
            common = lcs_length(seed_words, doc_words)
            results.append(
                {
                    "draft": draft["id"],
                    "seed_words": len(seed_words),
                    "common": common,
                    "share": round(100 * common / len(seed_words), 1),
                    "missing": missing,
                }
            )
    return results


def main() -> None:
    """Print the table (or JSON) of shares."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seeds", default=os.environ.get("NGOAIVU_SEEDS", ROOT.parent / "shared" / "seeds")
    )
    parser.add_argument(
        "--without-planned",
        action="store_true",
        help="planned figures fed as values no seed word matches (what today's records give)",
    )
    parser.add_argument(
        "--no-previous",
        action="store_true",
        help="every previous null (no earlier window closed yet): comparisons write nothing",
    )
    parser.add_argument("--missing", type=int, default=0, help="show N missed passages per seed")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", metavar="ID", help="print that draft's rendered text")
    args = parser.parse_args()
    results = measure(args)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    print(f"{'draft':<10} {'seed words':>10} {'in order':>9} {'share':>7}")
    for r in results:
        print(f"{r['draft']:<10} {r['seed_words']:>10} {r['common']:>9} {r['share']:>6}%")
        for passage in r["missing"][: args.missing]:
            print(f"    − {passage}")


if __name__ == "__main__":
    main()
