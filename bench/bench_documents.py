"""Rendering a composed document (issue 14): seed 003's draft against the standard document of the
same report (foreign-affairs 2022, Hà Tĩnh, as of 24/11/2022), in the same run and process.

Loads samples/*.jsonl into a temporary SQLite store (seed 003's interim draft included), then
times, N times each: the document's content (`report document` JSON: the draft read, its source
built, the body rendered), its HTML, and its PDF; and the standard report's content, HTML and PDF.
Prints p50 and p95 in milliseconds.

    .venv/bin/python bench/bench_documents.py [--runs 30] [--pdf-runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """p50 and p95 (ms) of `runs` calls after one warm-up."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def main() -> None:
    """Load the samples, time both documents, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pdf-runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ngoaivu-bench-docs-") as tmp:
        os.environ["NGOAIVU_DATA"] = str(Path(tmp) / "var")
        os.environ.pop("DATABASE_URL", None)
        ngoaivu = str(Path(sys.executable).with_name("ngoaivu"))
        for path in sorted((ROOT / "samples").glob("*.jsonl")):
            subprocess.run(
                [ngoaivu, "import", "--backfill", "--quiet", str(path)],
                check=True,
                capture_output=True,
            )
        from service.reporting.documents import draft
        from service.reporting.drafting import document_request, run_document
        from service.reporting.requests import make_request, run_report
        from service.runtime import Runtime

        rt = Runtime()
        doc_request = document_request(rt, "ha-tinh", "seed-003", as_of="2022-11-24")
        std_request = make_request(rt, "foreign-affairs", "ha-tinh", "2022", as_of="2022-11-24")
        doc = run_document(rt, doc_request)
        std = run_report(rt, std_request)
        rows = [
            ("seed 003 draft: content (JSON)", lambda: run_document(rt, doc_request), args.runs),
            ("standard: content (JSON)", lambda: run_report(rt, std_request), args.runs),
            ("seed 003 draft: HTML", lambda: draft(rt, doc_request, doc, "html"), args.runs),
            ("standard: HTML", lambda: draft(rt, std_request, std, "html"), args.runs),
            ("seed 003 draft: PDF", lambda: draft(rt, doc_request, doc, "pdf"), args.pdf_runs),
            ("standard: PDF", lambda: draft(rt, std_request, std, "pdf"), args.pdf_runs),
        ]
        print(f"{'what':<32} {'runs':>5} {'p50 ms':>9} {'p95 ms':>9}")
        for name, fn, runs in rows:
            p50, p95 = timed(fn, runs)
            print(f"{name:<32} {runs:>5} {p50:>9.1f} {p95:>9.1f}")
        pages = draft(rt, doc_request, doc, "pdf").count(b"/Type /Page\n")
        print(
            f"seed 003 PDF: {len(draft(rt, doc_request, doc, 'pdf'))} bytes; load {os.getloadavg()}"
        )
        del pages
        rt.close()


if __name__ == "__main__":
    main()
