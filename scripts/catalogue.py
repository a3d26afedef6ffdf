"""Extract the web's messages, merge them into the English catalogue, compile it; list what is
left untranslated (`--fill FILE.json` adds translations {msgid: msgstr} first)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parents[1] / "web"
PO = WEB / "translations/en/LC_MESSAGES/messages.po"


def main(argv: list[str]) -> int:
    """Extract, update, fill, compile; exit 1 when a message has no English."""
    pot = WEB / "translations/messages.pot"
    bin_dir = Path(sys.executable).parent
    pybabel = str(bin_dir / "pybabel")
    subprocess.run(
        [
            pybabel,
            "-q",
            "extract",
            "-F",
            str(WEB / "babel.cfg"),
            "-k",
            "N_",
            "-o",
            str(pot),
            "--omit-header",
            WEB.name,
        ],
        check=True,
        # Relative source paths: the catalogue must not change with the checkout's folder.
        cwd=WEB.parent,
    )
    subprocess.run(
        [
            pybabel,
            "-q",
            "update",
            "-i",
            str(pot),
            "-d",
            str(WEB / "translations"),
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        ],
        check=True,
    )
    fill = json.loads(Path(argv[argv.index("--fill") + 1]).read_text()) if "--fill" in argv else {}
    with PO.open("rb") as f:
        catalog = read_po(f)
    catalog.fuzzy = False  # a fuzzy header stops `pybabel compile` (silently, with -q)
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key and key in fill:
            found = fill[key]  # a list: the English forms of a plural message
            message.string = tuple(found) if isinstance(found, list) else found
    with PO.open("wb") as f:
        write_po(f, catalog, width=100)
    subprocess.run(
        [pybabel, "compile", "-d", str(WEB / "translations"), "--statistics"], check=True
    )
    missing = [m.id for m in catalog if m.id and not all(_strings(m.string))]
    print(json.dumps(missing, ensure_ascii=False, indent=1))
    return 1 if missing else 0


def _strings(string: str | tuple[str, ...]) -> tuple[str, ...]:
    """A message's translations: one, or one per plural form."""
    return string if isinstance(string, tuple) else (string,)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
