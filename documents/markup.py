"""The markup of rendered draft bodies, parsed into the block model the renderers lay out.

A blank line separates paragraphs; lines that follow one another join with a space. `#`, `##`,
`###` open a heading of that level; `- ` and `+ ` open a dash (or plus) paragraph; `**bold**` and
`*italic*` inside a paragraph; `[^id]` refers to a footnote defined by a line `[^id]: text` (its
next lines, indented, continue it); lines starting with `|` make a table, its second line the
rule `|---|---|` (`:---:` centres a column, `---:` aligns it right). A backslash makes the next
character literal (`\\*`, `\\|`, `\\#`).

Over 300 lines as one module: one grammar, its block model and its parser read together; split,
neither half can be checked against the rules above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#+)\s+(.*)$")
_FOOTDEF = re.compile(r"^\[\^([\w-]+)\]:\s?(.*)$")
_RULE_CELL = re.compile(r"^\s*(:?)-{3,}(:?)\s*$")
_MARKERS = ("- ", "+ ")


class MarkupError(ValueError):
    """Text that does not parse as the markup; `line` is the rendered text's line (from 1)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"dòng {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class NoteRef:
    """A footnote reference: the footnote's number, in order of first reference."""

    number: int


Inline = Span | NoteRef


@dataclass(frozen=True)
class Heading:
    """A heading of level 1 to 3."""

    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `marker` is "-" or "+" for a dash or plus paragraph, None otherwise."""

    inlines: tuple[Inline, ...]
    marker: str | None = None


@dataclass(frozen=True)
class Table:
    """A table: the header's cells, the rows' cells, each column's alignment."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    align: tuple[str, ...]


@dataclass(frozen=True)
class Footnote:
    """A footnote's number and paragraphs."""

    number: int
    paragraphs: tuple[Paragraph, ...]


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    """The blocks of a body and its footnotes, numbered in order of first reference."""

    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...] = ()


@dataclass
class _Notes:
    """Footnote definitions and the numbers given as references are met."""

    texts: dict[str, tuple[int, list[tuple[int, str]]]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)

    def number(self, key: str, line: int) -> int:
        if key not in self.texts:
            raise MarkupError(line, f"chú thích [^{key}] chưa được định nghĩa ([^{key}]: …)")
        return self.numbers.setdefault(key, len(self.numbers) + 1)


def parse(text: str) -> Document:
    """The block model of a rendered body; MarkupError names the line of the first problem."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    notes = _Notes()
    body = _split_footnotes(lines, notes)
    blocks = _blocks(body, notes, allow=True)
    texts = {key: _blocks(lines, notes, allow=False) for key, (_n, lines) in notes.texts.items()}
    unused = [k for k in notes.texts if k not in notes.numbers]
    if unused:
        raise MarkupError(notes.texts[unused[0]][0], f"chú thích [^{unused[0]}] không được dẫn")
    footnotes = [
        Footnote(number, tuple(p for p in texts[key] if isinstance(p, Paragraph)))
        for key, number in sorted(notes.numbers.items(), key=lambda kv: kv[1])
    ]
    return Document(tuple(blocks), tuple(footnotes))


def _split_footnotes(lines: list[str], notes: _Notes) -> list[tuple[int, str]]:
    """The body's lines (numbered) without the footnote definitions, which go to `notes`."""
    body: list[tuple[int, str]] = []
    current: list[tuple[int, str]] | None = None
    for number, line in enumerate(lines, start=1):
        found = _FOOTDEF.match(line)
        if found:
            key = found.group(1)
            if key in notes.texts:
                raise MarkupError(number, f"chú thích [^{key}] được định nghĩa hai lần")
            current = [(number, found.group(2))]
            notes.texts[key] = (number, current)
            body.append((number, ""))  # a definition ends the paragraph before it
        elif current is not None and (line.startswith(("  ", "\t")) or not line.strip()):
            current.append((number, line.strip()))
        else:
            current = None
            body.append((number, line))
    return body


def _blocks(lines: list[tuple[int, str]], notes: _Notes, allow: bool) -> list[Block]:
    """Blocks from numbered lines; in a footnote (`allow` false) only paragraphs."""
    blocks: list[Block] = []
    para: list[tuple[int, str]] = []
    marker: str | None = None
    table: list[tuple[int, str]] = []

    def flush() -> None:
        nonlocal para, marker, table
        if para:
            first = para[0][0]
            joined = " ".join(t.strip() for _n, t in para)
            blocks.append(Paragraph(_inlines(joined, first, notes, refs=allow), marker))
        if table:
            blocks.append(_table(table, notes))
        para, marker, table = [], None, []

    for number, line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        heading = _HEADING.match(stripped)
        if stripped.startswith("|") and allow:
            if para:
                flush()
            table.append((number, stripped))
            continue
        if table:
            flush()
        if heading and allow:
            level = len(heading.group(1))
            if level > 3:
                raise MarkupError(number, "chỉ có ba cấp tiêu đề: #, ##, ###")
            flush()
            blocks.append(Heading(level, _inlines(heading.group(2), number, notes, refs=True)))
            continue
        if stripped.startswith(_MARKERS):
            flush()
            marker = stripped[0]
            para = [(number, stripped[2:])]
            continue
        para.append((number, stripped))
    flush()
    return blocks


def _cells(row: str) -> list[str]:
    """A table row's cells, split on the `|` not escaped."""
    inner = row[1:-1] if row.endswith("|") and not row.endswith("\\|") else row[1:]
    cells, current, escaped = [], "", False
    for ch in inner:
        if escaped:
            current += "\\" + ch
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += ch
    cells.append(current.strip())
    return cells


def _table(rows: list[tuple[int, str]], notes: _Notes) -> Table:
    if len(rows) < 2:
        raise MarkupError(rows[0][0], "bảng cần một dòng tiêu đề và dòng kẻ |---|---| sau nó")
    header = _cells(rows[0][1])
    rule = _cells(rows[1][1])
    if len(rule) != len(header) or not all(_RULE_CELL.match(c) for c in rule):
        raise MarkupError(rows[1][0], "dòng thứ hai của bảng phải là dòng kẻ |---|---| đủ cột")
    align = tuple(_alignment(c) for c in rule)
    body = []
    for number, row in rows[2:]:
        cells = _cells(row)
        if len(cells) != len(header):
            raise MarkupError(number, f"hàng có {len(cells)} ô, bảng có {len(header)} cột")
        body.append(tuple(_inlines(c, number, notes, refs=True) for c in cells))
    heads = tuple(_inlines(c, rows[0][0], notes, refs=True) for c in header)
    return Table(heads, tuple(body), align)


def _alignment(cell: str) -> str:
    found = _RULE_CELL.match(cell)
    assert found is not None
    left, right = bool(found.group(1)), bool(found.group(2))
    return "center" if left and right else "right" if right else "left"


def _inlines(text: str, line: int, notes: _Notes, refs: bool) -> tuple[Inline, ...]:
    """Runs of text with their emphasis, and footnote references."""
    out: list[Inline] = []
    buf: list[str] = []
    bold = italic = False
    i = 0

    def emit() -> None:
        if buf:
            text_ = "".join(buf)
            last = out[-1] if out else None
            if isinstance(last, Span) and (last.bold, last.italic) == (bold, italic):
                out[-1] = Span(last.text + text_, bold, italic)
            else:
                out.append(Span(text_, bold, italic))
            buf.clear()

    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i):
            emit()
            bold = not bold
            i += 2
            continue
        if ch == "*":
            emit()
            italic = not italic
            i += 1
            continue
        found = re.match(r"\[\^([\w-]+)\]", text[i:])
        if found:
            if not refs:
                raise MarkupError(line, "không dẫn chú thích bên trong một chú thích")
            emit()
            out.append(NoteRef(notes.number(found.group(1), line)))
            i += found.end()
            continue
        buf.append(ch)
        i += 1
    emit()
    if bold or italic:
        mark = "**" if bold else "*"
        raise MarkupError(line, f"{mark} mở mà chưa đóng (viết \\* cho một dấu * thường)")
    return tuple(out)


def _runs_text(inlines: tuple[Inline, ...]) -> str:
    return "".join(i.text for i in inlines if isinstance(i, Span))


def plain_text(doc: Document) -> str:
    """The words of a document in reading order, each footnote right after the block that first
    refers to it (as the seeds' text files place them): for search and word counts."""
    by_number = {f.number: f for f in doc.footnotes}
    placed: set[int] = set()
    out: list[str] = []
    for block in doc.blocks:
        refs: list[int] = []
        if isinstance(block, Table):
            cells = [*block.header, *(c for row in block.rows for c in row)]
            out.append(" | ".join(_runs_text(c) for c in cells))
            refs = [i.number for c in cells for i in c if isinstance(i, NoteRef)]
        else:
            prefix = f"{block.marker} " if isinstance(block, Paragraph) and block.marker else ""
            out.append(prefix + _runs_text(block.inlines))
            refs = [i.number for i in block.inlines if isinstance(i, NoteRef)]
        for number in refs:
            if number not in placed:
                placed.add(number)
                note = by_number[number]
                out.extend(
                    (f"{p.marker} " if p.marker else "") + _runs_text(p.inlines)
                    for p in note.paragraphs
                )
    return "\n\n".join(out)
