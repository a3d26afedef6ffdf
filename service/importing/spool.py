"""The first pass of an import: every line read and validated once, set aside on disk by rank.

A large file is split at a line boundary and its second half is validated by a forked child
process while this one does the first (validation is most of an import's CPU time, and the
machine has more than one core). The child writes into unnamed temporary files this process
created before forking, so nothing is left on disk if either process is killed.

Over 300 lines as one module: reading lines under the size limit, the by-rank spools (on disk
and in memory), the rejections and the forked second half are one first pass, shared by the
CLI's files and the gateway's uploads and commands.
"""

from __future__ import annotations

import heapq
import multiprocessing
import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from service.importing.errors import ImportRejected, LineError, Problem
from service.limits import MAX_LINE_BYTES

# Files smaller than this are read by one process (a fork costs more than it saves).
SPLIT_BYTES = 1 << 20

Item = tuple[int, dict[str, Any], str]  # (line number, validated command, line digest)
# parse(text, backfill) → (command, digest, rank), or BadLine
Parse = Callable[[Any, bool], tuple[dict[str, Any], str, int]]


class BadLine(Exception):
    """A line that cannot be read or validated: the first field at fault (None: the line) and
    why, and in `problems` every field at fault with its messages (the first among them)."""

    def __init__(
        self,
        field: str | None,
        message: str,
        messages: Any = None,
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.messages = messages  # the schema's messages for every field, when it was asked
        self.problems = problems or [(field, message)]


class LongLine:
    """A line over MAX_LINE_BYTES, read past without being kept: only its size is known."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        self.size = size


def read_lines(
    path: Path, start: int = 0, stop: int | None = None, first: int = 1
) -> Iterator[tuple[int, str | LongLine | None]]:
    """Numbered lines of a file as text (see `read_stream`); `start` and `stop` are byte offsets
    at line boundaries, `first` is the number of the line at `start`."""
    with path.open("rb") as handle:
        handle.seek(start)
        yield from read_stream(handle, start, stop, first)


def read_stream(
    handle: Any, start: int = 0, stop: int | None = None, first: int = 1
) -> Iterator[tuple[int, str | LongLine | None]]:
    """Numbered lines as text (None when not UTF-8, LongLine when over MAX_LINE_BYTES), a
    leading BOM dropped, blanks skipped, read from `handle` (anything with `readline(size)`)
    which stands at byte offset `start`.

    No more than MAX_LINE_BYTES of a line is ever held in memory.
    """
    cap = MAX_LINE_BYTES + 1  # a line of MAX_LINE_BYTES and its newline
    readline = handle.readline
    offset = start
    number = first - 1
    while True:
        if stop is not None and offset >= stop:
            return
        raw = readline(cap)
        if not raw:
            return
        number += 1
        if len(raw) == cap and raw[-1:] != b"\n":  # cut at the limit: the line goes on
            rest, ended = skip_line(handle)
            offset += len(raw) + rest
            yield number, LongLine(len(raw) + rest - ended)
            continue
        offset += len(raw)
        if offset == len(raw) and raw.startswith(b"\xef\xbb\xbf"):  # the file's first line
            raw = raw[3:]
        try:
            text = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            yield number, None
            continue
        if text:
            yield number, text


class ChunkStream:
    """Chunks of bytes (a request body read a megabyte at a time, a workbook's lines) read a
    line at a time, as `read_stream` reads a file."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = iter(chunks)
        self.buffer = b""
        self.start = 0

    def readline(self, size: int = -1) -> bytes:
        """The next line with its newline, at most `size` bytes of it (b"" at the end)."""
        while True:
            end = self.buffer.find(b"\n", self.start)
            held = len(self.buffer) - self.start
            if end >= 0 and (size < 0 or end - self.start < size):
                line = self.buffer[self.start : end + 1]
                self.start = end + 1
                return line
            if 0 <= size <= held:
                line = self.buffer[self.start : self.start + size]
                self.start += size
                return line
            chunk = next(self.chunks, None)
            if chunk is None:
                line = self.buffer[self.start :]
                self.buffer, self.start = b"", 0
                return line
            self.buffer = self.buffer[self.start :] + chunk
            self.start = 0


def skip_line(handle: IO[bytes]) -> tuple[int, bool]:
    """Read to the end of the current line, a megabyte at a time: the bytes read, and whether
    they end with a newline (else the file ended)."""
    skipped = 0
    while True:
        part = handle.readline(1 << 20)
        skipped += len(part)
        if not part:
            return skipped, False
        if part[-1:] == b"\n":
            return skipped, True


class Spool:
    """Validated lines set aside by rank in unnamed temporary files (pickled)."""

    def __init__(self, ranks: list[int]) -> None:
        self.files: dict[int, IO[bytes]] = {
            rank: tempfile.TemporaryFile(prefix="ngoaivu-import-")  # noqa: SIM115
            for rank in ranks
        }

    def put(self, rank: int, item: Item) -> None:
        """Keep one validated line for its rank's turn."""
        pickle.dump(item, self.files[rank], protocol=pickle.HIGHEST_PROTOCOL)

    def flush(self) -> None:
        """Hand the written lines to the files (a forked writer's last step)."""
        for handle in self.files.values():
            handle.flush()

    def read(self, rank: int) -> Iterator[Item]:
        """The lines of one rank, in file order."""
        handle = self.files[rank]
        handle.seek(0)
        while True:
            try:
                # A fresh unpickler per item: each item was dumped with its own memo, and a
                # shared unpickler would resolve later memo references to earlier items' objects.
                yield pickle.load(handle)
            except EOFError:
                return

    def close(self) -> None:
        """Drop the spooled lines (the files are unnamed: closing deletes them)."""
        for handle in self.files.values():
            handle.close()


class MemorySpool:
    """Commands already validated (a form's, the API's), held by rank in memory: a command
    handed to the importer as an object, with no file between."""

    def __init__(self, ranks: list[int]) -> None:
        self.items: dict[int, list[Item]] = {rank: [] for rank in ranks}

    def put(self, rank: int, item: Item) -> None:
        """Keep one validated command for its rank's turn."""
        self.items[rank].append(item)

    def read(self, rank: int) -> Iterator[Item]:
        """The commands of one rank, in the order given."""
        yield from self.items[rank]

    def close(self) -> None:
        """Drop the commands."""
        self.items.clear()


class Rejections:
    """Rejected lines: the `keep` first by line number kept, each with every field at fault,
    the rest only counted."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.total = 0
        # A max-heap by line (negated): (-line, -order, the line's errors, one per field).
        self._kept: list[tuple[int, int, tuple[LineError, ...]]] = []

    def add(self, line: int, field: str | None, message: str) -> None:
        """Note one rejected line, at fault in one field (or as a whole)."""
        self.add_line(line, [(field, message)])

    def add_line(self, line: int, problems: list[Problem]) -> None:
        """Note one rejected line with every field at fault (one rejected line whatever their
        number: `keep` and `total` count lines)."""
        self.total += 1
        errors = tuple(LineError(line, field, message) for field, message in problems)
        item = (-line, -self.total, errors)
        if len(self._kept) < self.keep:
            heapq.heappush(self._kept, item)
        elif item > self._kept[0]:
            heapq.heapreplace(self._kept, item)

    def copy(self) -> Rejections:
        """Another collection holding the same rejections."""
        other = Rejections(self.keep)
        other.total = self.total
        other._kept = list(self._kept)
        return other

    def groups(self) -> list[tuple[LineError, ...]]:
        """The kept lines' errors in line order (in the order of finding), a tuple per line."""
        return [errors for *_, errors in sorted(self._kept, key=lambda k: (-k[0], -k[1]))]

    def merge(self, groups: list[tuple[LineError, ...]], total: int) -> None:
        """Take in the rejections of another part of the file (its `groups()` and `total`)."""
        for errors in groups:
            self.add_line(errors[0].line, [(e.field, e.message) for e in errors])
        self.total += total - len(groups)

    def first(self) -> list[LineError]:
        """The kept errors in line order (in the order of finding within a line)."""
        return [error for errors in self.groups() for error in errors]

    def rejected(self) -> ImportRejected:
        """The refusal of the file: the kept lines' errors, the count of rejected lines."""
        return ImportRejected(self.first(), self.total, len(self._kept))


class SpooledFile:
    """A file's validated lines by rank (one spool per part) and its rejected lines."""

    def __init__(self, ranks: list[int], keep: int) -> None:
        self.ranks = ranks
        self.parts: list[Spool | MemorySpool] = []
        self.errors = Rejections(keep)

    def read(self, rank: int) -> Iterator[Item]:
        """The lines of one rank in file order, across the parts."""
        for part in self.parts:
            yield from part.read(rank)

    def close(self) -> None:
        """Delete the spooled lines."""
        for part in self.parts:
            part.close()


def spool_file(
    path: Path, parse: Parse, backfill: bool, ranks: list[int], keep: int
) -> SpooledFile:
    """Validate every line of the file into a SpooledFile (its caller closes it)."""
    spooled = SpooledFile(ranks, keep)
    try:
        split = _split_point(path)
        first = Spool(ranks)
        spooled.parts.append(first)
        if split is None:
            _parse_into(first, spooled.errors, path, parse, backfill, 0, None, 1)
            return spooled
        start, line = split
        second = Spool(ranks)
        spooled.parts.append(second)
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(
            target=_child,
            args=(send, second, path, parse, backfill, start, line, keep),
            daemon=True,
        )
        child.start()
        send.close()
        try:
            _parse_into(first, spooled.errors, path, parse, backfill, 0, start, 1)
            try:
                outcome = receive.recv()
            except EOFError:
                raise RuntimeError(
                    f"tiến trình kiểm tra nửa sau của tệp đã dừng (mã {child.exitcode})"
                ) from None
        finally:
            receive.close()
            child.join()
        if outcome[0] == "failed":
            raise RuntimeError(f"kiểm tra nửa sau của tệp thất bại: {outcome[1]}")
        _ok, groups, total = outcome
        spooled.errors.merge(groups, total)
        return spooled
    except BaseException:
        spooled.close()
        raise


# vet(line number, text) → a refusal of the line before it is validated (a web user's
# permissions), or None.
Vet = Callable[[int, str], LineError | None]


def spool_stream(
    handle: Any,
    parse: Parse,
    backfill: bool,
    ranks: list[int],
    keep: int,
    vet: Vet | None = None,
) -> tuple[SpooledFile, Rejections]:
    """Validate every line of a stream (one process) into a SpooledFile, and the lines `vet`
    refused; the caller closes the SpooledFile."""
    spooled = SpooledFile(ranks, keep)
    denied = Rejections(keep)
    try:
        spool = Spool(ranks)
        spooled.parts.append(spool)
        for number, text in read_stream(handle):
            if vet is not None and isinstance(text, str):
                refusal = vet(number, text)
                if refusal is not None:
                    denied.add(refusal.line, refusal.field, refusal.message)
            try:
                cmd, digest, rank = parse(text, backfill)
            except BadLine as bad:
                spooled.errors.add_line(number, bad.problems)
                continue
            spool.put(rank, (number, cmd, digest))
        return spooled, denied
    except BaseException:
        spooled.close()
        raise


def _split_point(path: Path) -> tuple[int, int] | None:
    """Where the second half starts (byte offset, line number), or None for one part."""
    size = path.stat().st_size
    if size < SPLIT_BYTES or (os.cpu_count() or 1) < 2:
        return None
    if threading.active_count() > 1:  # a fork copies only this thread: the others' locks stay
        return None  # held forever in the child (a threaded web server): read in one process
    with path.open("rb") as handle:
        handle.seek(size // 2)
        skip_line(handle)  # to the end of the line the middle falls in
        start = handle.tell()
        if start >= size:
            return None
        handle.seek(0)
        lines, remaining = 0, start
        while remaining:
            block = handle.read(min(remaining, 1 << 20))
            lines += block.count(b"\n")
            remaining -= len(block)
    return start, lines + 1


def _parse_into(
    spool: Spool,
    errors: Rejections,
    path: Path,
    parse: Parse,
    backfill: bool,
    start: int,
    stop: int | None,
    first: int,
) -> None:
    for number, text in read_lines(path, start, stop, first):
        try:
            cmd, digest, rank = parse(text, backfill)
        except BadLine as bad:
            errors.add_line(number, bad.problems)
            continue
        spool.put(rank, (number, cmd, digest))


def _child(
    send: Any,
    spool: Spool,
    path: Path,
    parse: Parse,
    backfill: bool,
    start: int,
    first: int,
    keep: int,
) -> None:
    """The forked child: validate the second half into `spool`, send back its rejections."""
    try:
        errors = Rejections(keep)
        _parse_into(spool, errors, path, parse, backfill, start, None, first)
        spool.flush()
        send.send(("ok", errors.groups(), errors.total))
    except BaseException as exc:  # reported to the parent, which raises it as a system error
        send.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()
