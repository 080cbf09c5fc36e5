"""Text files: encoding detection, delimiter sniffing and CSV parsing into tables.

Platform exports come in every flavour of "CSV": UTF-8 with or without a byte-order mark,
UTF-16 (Facebook audience exports), Windows-1252 (files re-saved by Excel on Windows), comma,
semicolon or tab separated, CRLF or LF, quoted fields holding newlines and doubled quotes. GA4
downloads add ``#`` comment lines and, in the "Reports snapshot", several tables separated by
blank lines. Everything here turns such a file into ``Table`` objects of text cells.

Records are numbered from 1 in file order, counting every record: comment lines, blank lines and
data records (a quoted field spanning several lines is one record). This is the numbering DuckDB's
``skip`` uses, so the fast path of ``Table.load`` agrees with it, and it is the row number a
spreadsheet program shows for the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from cadran.core.errors import DataError
from cadran.sources.files.table import Row, Table

EXPECTED_TEXT = "a CSV export (comma-, semicolon- or tab-separated text)"

DELIMITERS = (",", ";", "\t")  # in order of preference when the counts tie

_SAMPLE_CHARS = 65_536  # text looked at to choose the delimiter
_SNIFF_LINES = 50
_CHUNK = 1 << 20
# A quoted field (doubled quotes inside), matched possessively so a stray quote cannot make the
# sniffer backtrack over the whole sample.
_QUOTED = re.compile(r'"(?:[^"]++|"")*+"')

# A record: a tuple of cells, the text of a '#' comment line, or None for a blank line.
Record = Row | str | None


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """cp1252 leaves five bytes undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): read them as latin-1."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


_FALLBACK = "cadran.files.latin1"
codecs.register_error(_FALLBACK, _latin1_fallback)


def read_text(path: Path, size: int, *, head_limit: int, large_bytes: int) -> list[Table]:
    """Every table of the text file at `path` (`size` bytes long).

    A file larger than `large_bytes` whose head is UTF-8 is only parsed until its last table
    holds `head_limit` rows; that table is then incomplete and `Table.load` reads the rest with
    DuckDB, which checks the rest is UTF-8 as it reads (and falls back to `read_whole` if not).
    Other files are decoded and parsed completely.
    """
    if size > large_bytes:
        encoding = _utf8_head_encoding(path)
        if encoding is not None:
            try:
                with path.open(encoding=encoding, newline="") as stream:
                    delimiter = sniff_delimiter(stream.read(_SAMPLE_CHARS))
                with path.open(encoding=encoding, newline="") as stream:
                    return _tables(path, encoding, delimiter, stream, head_limit)
            except UnicodeDecodeError:
                pass  # not UTF-8 within the head after all: read the file whole
    return read_whole(path)


def read_whole(path: Path) -> list[Table]:
    """Every table of the text file at `path`, decoded and parsed completely."""
    text, encoding = decode_text(path.read_bytes(), path.name)
    delimiter = sniff_delimiter(text[:_SAMPLE_CHARS])
    return _tables(path, encoding, delimiter, io.StringIO(text, newline=""), None)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """The text of a file's bytes and the encoding used: a BOM decides first, then strict UTF-8,
    then Windows-1252 (latin-1 for the bytes cp1252 leaves undefined)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise DataError(
                f"{name}: starts with a UTF-16 byte-order mark but is not valid UTF-16 "
                f"(byte {error.start}); expected {EXPECTED_TEXT}"
            ) from error
    _refuse_binary(data, name)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise DataError(
                f"{name}: starts with a UTF-8 byte-order mark but is not valid UTF-8 "
                f"(byte {error.start}); expected {EXPECTED_TEXT} in one encoding"
            ) from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors=_FALLBACK), "cp1252"


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV among `,` `;` and tab, from the start of its text.

    Delimiters are counted outside quoted fields, on data lines (not '#' comments or blank
    lines); the one found the same number of times on the most lines wins, comma on ties. A file
    without any of them (one column) gets a comma.
    """
    if len(sample) >= _SAMPLE_CHARS:
        sample = sample[: sample.rfind("\n") + 1] or sample  # the last line may be cut short
    unquoted = _QUOTED.sub("", sample)
    lines = [line for line in unquoted.splitlines() if line.strip() and line[0] != "#"]
    lines = lines[:_SNIFF_LINES]
    best, best_score = ",", (0, 0)
    for candidate in DELIMITERS:
        counts = [line.count(candidate) for line in lines]
        found = [count for count in counts if count]
        if not found:
            continue
        usual = Counter(found).most_common(1)[0][0]
        score = (counts.count(usual), usual)
        if score > best_score:
            best, best_score = candidate, score
    return best


def iter_records(lines: Iterable[str], delimiter: str) -> Iterator[Record]:
    """The records of CSV text given as lines with their line endings (``newline=""``).

    A line starting with '#' is a comment when it opens the file or follows a blank or comment
    line (GA4 puts its comments there); after a data record it is data, so a row whose first
    cell is an unquoted hashtag is not lost. A blank line is a record of its own.
    """
    source = _Lines(lines)
    reader = csv.reader(source, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    comments_allowed = True
    while (line := source.peek()) is not None:
        if not line.strip("\r\n"):
            next(source)
            comments_allowed = True
            yield None
        elif comments_allowed and line.startswith("#"):
            next(source)
            yield line.rstrip("\r\n")[1:].strip()
        else:
            comments_allowed = False
            yield tuple(cell or None for cell in next(reader))


class _Lines:
    """An iterator of lines that can look at the next line without consuming it.

    The csv reader pulls exactly the lines of one record and no more, so peeking between
    records tells whether the next record is a comment or blank line before csv parses it.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._next: str | None = None

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._next is not None:
            line, self._next = self._next, None
            return line
        return next(self._lines)

    def peek(self) -> str | None:
        if self._next is None:
            self._next = next(self._lines, None)
        return self._next


def _tables(
    path: Path, encoding: str, delimiter: str, lines: Iterable[str], head_limit: int | None
) -> list[Table]:
    """Group the records into tables: comment lines, then rows up to a blank line.

    With a `head_limit`, parsing stops once a table would exceed `head_limit` rows; that table
    is marked incomplete.
    """
    blocks: list[tuple[tuple[str, ...], int, list[Row]]] = []
    pending: list[str] = []
    current: list[Row] | None = None
    truncated = False
    number = 0
    records = iter_records(lines, delimiter)
    try:
        for number, record in enumerate(records, start=1):
            if record is None or isinstance(record, str):
                current = None
                if isinstance(record, str):
                    pending.append(record)
            elif current is None:
                current = [record]
                blocks.append((tuple(pending), number, current))
                pending = []
            elif head_limit is not None and len(current) >= head_limit:
                truncated = True
                break
            else:
                current.append(record)
    except csv.Error as error:
        raise DataError(
            f"{path.name}: record {number + 1} cannot be read as CSV ({error}); "
            f"expected {EXPECTED_TEXT}"
        ) from error
    if not blocks:
        what = "only comment lines, no table" if pending else "empty file"
        raise DataError(f"{path.name}: {what}; expected {EXPECTED_TEXT} with at least one row")
    several = len(blocks) > 1
    return [
        Table(
            path=path,
            sheet=f"table {index}" if several else None,
            container="csv",
            encoding=encoding,
            first_row=first_row,
            rows=tuple(rows),
            complete=not (truncated and index == len(blocks)),
            comments=comments,
            delimiter=delimiter,
        )
        for index, (comments, first_row, rows) in enumerate(blocks, start=1)
    ]


def _utf8_head_encoding(path: Path) -> str | None:
    """ "utf-8-sig" or "utf-8" when the file's first megabyte is UTF-8, else None.

    Only the head is decoded here (DuckDB checks the rest as it reads it, much faster than
    Python would), but the whole file is searched for NUL bytes, which only binary files hold.
    """
    with path.open("rb") as stream:
        head = stream.read(_CHUNK)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return None
        chunk = head
        while chunk:
            _refuse_binary(chunk, path.name)
            chunk = stream.read(_CHUNK * 8)
    try:
        # final=False: the megabyte may end inside a character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"


def _refuse_binary(data: bytes, name: str) -> None:
    """NUL bytes never occur in 8-bit or UTF-8 text: the file is binary (or BOM-less UTF-16)."""
    if b"\x00" not in data:
        return
    sample = data[:4096]
    odd, even = sample[1::2], sample[0::2]
    # ASCII text in UTF-16 puts a NUL in every other byte.
    utf16 = len(sample) >= 4 and max(odd.count(0), even.count(0)) >= 0.8 * len(odd)
    hint = ", like UTF-16 text without a byte-order mark" if utf16 else ""
    raise DataError(
        f"{name}: binary file, not a CSV (it contains NUL bytes{hint}); expected {EXPECTED_TEXT}"
        f" in UTF-8, UTF-16 with a byte-order mark or Windows-1252"
    )
