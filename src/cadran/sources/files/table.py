"""A rectangular block of cells read from a file, and how it goes into DuckDB.

A ``Table`` is what every reader of this package produces, whatever the container: a whole CSV,
one sheet of a workbook, or one block of a multi-table CSV (GA4 "Reports snapshot"). Cells are
text (``None`` when empty); interpreting headers and values is the importers' job.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from cadran.core.errors import DataError

Row = tuple[str | None, ...]


@dataclass(frozen=True)
class Table:
    """A rectangular block of cells: a whole CSV, one sheet of a workbook, or one table of a
    multi-table CSV (GA4 'Reports snapshot').

    ``rows[i]`` is row number ``first_row + i`` of the file (CSV: record number, counting every
    record including comment and blank lines; sheet: the sheet's row number). CSV rows are as
    parsed (ragged when the file is); sheet rows are trimmed of trailing empty cells, so an empty
    sheet row is ``()``.
    """

    path: Path
    sheet: str | None
    container: str
    encoding: str | None
    first_row: int
    rows: tuple[Row, ...]
    complete: bool
    comments: tuple[str, ...] = ()
    delimiter: str | None = None

    @property
    def where(self) -> str:
        """Where the table is, to start error messages: ``"file.xls, sheet 'Key Metrics'"``."""
        if self.sheet is None:
            return self.path.name
        if self.container == "csv":
            return f"{self.path.name}, {self.sheet}"
        return f"{self.path.name}, sheet '{self.sheet}'"

    def load(self, con: duckdb.DuckDBPyConnection, name: str, start_row: int, width: int) -> int:
        """Create (or replace) TEMP table `name` in DuckDB with VARCHAR columns c1..c<width> and
        `_row BIGINT` (the 1-based row number in the file/sheet, same numbering as first_row),
        holding every row from row number `start_row` on (start_row >= first_row; the rows
        before it are header/description rows the caller already interpreted). Rows shorter
        than width are padded with NULL; cells beyond width are ignored. Empty strings are NULL.
        Returns the number of rows loaded.

        Complete tables are loaded from `rows` via pyarrow. Incomplete (large) CSVs are read by
        DuckDB itself from `start_row` to the end of the file, which is the fast path. There,
        rows after the head are taken as DuckDB reads them: blank lines are skipped rather than
        ending the table (so `_row` of later rows is off by the number of blank lines skipped),
        and '#' lines are data. Raises DataError when DuckDB cannot read the file.
        """
        if start_row < self.first_row:
            raise ValueError(f"start_row {start_row} is before first_row {self.first_row}")
        if width < 1:
            raise ValueError(f"width must be at least 1, not {width}")
        if self.complete:
            return self._load_rows(con, name, start_row, width)
        return self._load_csv(con, name, start_row, width)

    def _load_rows(
        self, con: duckdb.DuckDBPyConnection, name: str, start_row: int, width: int
    ) -> int:
        body = self.rows[start_row - self.first_row :]
        columns = [
            pa.array([(row[i] or None) if i < len(row) else None for row in body], pa.string())
            for i in range(width)
        ]
        numbers = pa.array(range(start_row, start_row + len(body)), pa.int64())
        names = [f"c{i}" for i in range(1, width + 1)]
        data = pa.Table.from_arrays([*columns, numbers], names=[*names, "_row"])
        # A unique view name: the caller's connection may hold views of its own.
        view = f"_cadran_rows_{uuid.uuid4().hex}"
        con.register(view, data)
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {_ident(name)} AS SELECT * FROM {view}")
        finally:
            con.unregister(view)
        return len(body)

    def _load_csv(
        self, con: duckdb.DuckDBPyConnection, name: str, start_row: int, width: int
    ) -> int:
        names = [f"c{i}" for i in range(1, width + 1)]
        columns = ", ".join(f"'{column}': 'VARCHAR'" for column in names)
        # DuckDB's `skip` counts records as we do (quote-aware, blank lines included), so the
        # first row it returns is record `start_row`; the check below proves it on the head.
        # parallel=false: the parallel scanner refuses null_padding with quoted newlines (tweet
        # texts have them), and was measured no faster here: row_number() wants file order.
        # strict_mode=false: rows wider than `width` are cut instead of failing the load.
        source = (
            f"read_csv({_literal(str(self.path))}, auto_detect=false, header=false, "
            f"all_varchar=true, skip={start_row - 1}, delim={_literal(self.delimiter or ',')}, "
            f"quote='\"', escape='\"', null_padding=true, strict_mode=false, parallel=false, "
            f"encoding='utf-8', columns={{{columns}}})"
        )
        # NULLIF: make "" NULL whatever DuckDB decides for quoted empty fields.
        cells = ", ".join(f"NULLIF({column}, '') AS {column}" for column in names)
        sql = (
            f"CREATE OR REPLACE TEMP TABLE {_ident(name)} AS SELECT {cells}, "
            f"(row_number() OVER () + {start_row - 1})::BIGINT AS _row FROM {source}"
        )
        try:
            con.execute(sql)
            result = con.execute(f"SELECT count(*) FROM {_ident(name)}").fetchone()
            first = con.execute(
                f"SELECT * EXCLUDE (_row) FROM {_ident(name)} WHERE _row = {start_row}"
            ).fetchone()
        except duckdb.Error as error:
            raise DataError(
                f"{self.where}: cannot read the rows from row {start_row} on "
                f"({_first_line(error)}); expected {_EXPECTED_CSV}"
            ) from error
        self._check_alignment(start_row, width, first)
        return int(result[0]) if result else 0

    def _check_alignment(
        self, start_row: int, width: int, first: tuple[object, ...] | None
    ) -> None:
        """Refuse a load whose first row differs from row `start_row` of the head."""
        index = start_row - self.first_row
        if index >= len(self.rows):
            return
        row = self.rows[index]
        expected = tuple((row[i] or None) if i < len(row) else None for i in range(width))
        if first is None or tuple(first) != expected:
            raise DataError(
                f"{self.where}: row {start_row} reads differently with the fast CSV reader "
                f"than at the start of the file; expected {_EXPECTED_CSV}"
            )


_EXPECTED_CSV = "a well-formed UTF-8 CSV (quoted fields closed, one record per row)"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _first_line(error: duckdb.Error) -> str:
    """DuckDB's messages run over many lines of hints; the first (without the class) says it."""
    message = str(error).strip()
    line = message.splitlines()[0] if message else type(error).__name__
    line = re.sub(r"^[A-Za-z ]*Error: ", "", line)
    if "not utf-8 encoded" in message:
        # The line number alone hides the cause; the hint that names it comes much later.
        line += ": the text there is not valid UTF-8"
    return line
