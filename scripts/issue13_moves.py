"""One-shot rewrite for code written before issue 13's moves (a branch merged after them): old
module paths to the new rooms, and command-line flags in service errors to field names.

    python scripts/issue13_moves.py $(git ls-files '*.py' '*.md')

Prints each file it changed; run it again after each merge, then `ruff check --fix --select I`
(imports sort differently under their new names). `service/cli_*.py` modules that a branch added
are not rewritten: their commands move to a `cli/` module by hand (see cli/__init__.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

MOVED = {
    "importer": "importing.importer",
    "import_spool": "importing.spool",
    "import_scratch": "importing.scratch",
    "import_errors": "importing.errors",
    "paged_save": "importing.paged_save",
    "schemas": "importing.schemas",
    "fields": "importing.fields",
    "handlers": "importing.handlers",
    "award_policy": "importing.award_policy",
    "chain": "integrity.chain",
    "chain_admin": "integrity.chain_admin",
    "linker": "integrity.linker",
    "keyring": "integrity.keyring",
    "alarm": "integrity.alarm",
    "anchors": "integrity.anchors",
    "backup": "backups.backup",
    "backup_file": "backups.backup_file",
    "migrate": "backups.migrate",
    "restore_journal": "backups.restore_journal",
    "reporting": "reporting.requests",
    "issuing": "reporting.issuing",
    "documents": "reporting.documents",
    "diffing": "reporting.diffing",
    "audit": "reporting.audit",
    "drafting": "reporting.drafting",
}
_NAMES = "|".join(sorted(MOVED, key=len, reverse=True))
# `service.reporting.x` is already moved when x is a module of the room (one pass: no re-match).
_ROOMS = "requests|issuing|documents|diffing|audit|drafting"
_DOTTED = re.compile(rf"\bservice\.({_NAMES})\b(?!\.({_ROOMS})\b)")
_SLASHED = re.compile(rf"\bservice/({_NAMES})\.py\b")
_FROM = re.compile(rf"^(\s*)from service import ({_NAMES})\b", re.M)
_CLI_MAIN = re.compile(r"\bfrom service\.cli import main\b")
_CLI = re.compile(r"\bservice\.cli\b(?!_)")
_ACCOUNTS = re.compile(r"\bweb\.accounts\b")
# In the service and domain layers an error names a field (`known_by`), never a flag.
_FLAG = re.compile(r"\b(ReportInputError|plain|_day|_instant)\(\s*\"--([a-z][a-z-]*)\"")


def _from(match: re.Match[str]) -> str:
    room, _, module = MOVED[match[2]].rpartition(".")
    alias = "" if module == match[2] else f" as {match[2]}"
    return f"{match[1]}from service.{room} import {module}{alias}"


def rewrite(path: Path, text: str) -> str:
    """The file's text with the new paths (and field names in service/ and domain/)."""
    text = _DOTTED.sub(lambda m: "service." + MOVED[m[1]], text)
    text = _SLASHED.sub(lambda m: "service/" + MOVED[m[1]].replace(".", "/") + ".py", text)
    text = _FROM.sub(_from, text)
    text = _CLI_MAIN.sub("from cli import main", text)
    text = _CLI.sub("cli.common", text)
    text = _ACCOUNTS.sub("service.accounts", text)
    # The official documents' renderers left projections/ (documents/official); the letterhead
    # query stayed (projections/letterheads.py).
    text = text.replace(
        "from projections.render.document import organisation_on",
        "from projections.letterheads import organisation_on",
    )
    text = re.sub(r"\bprojections\.render\b", "documents.official", text)
    text = text.replace("projections/render/", "documents/official/")
    if path.parts and path.parts[0] in ("service", "domain"):
        text = _FLAG.sub(lambda m: f'{m[1]}("{m[2].replace("-", "_")}"', text)
    return text


def main(paths: list[str]) -> int:
    """Rewrite the files in place."""
    for name in paths:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        new = rewrite(path, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"changed {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
