"""A rectangular block of cells read from a file, and how it goes into DuckDB.

A ``Table`` is what every reader of this package produces, whatever the container: a whole CSV,
one sheet of a workbook, or one block of a multi-table CSV (GA4 "Reports snapshot"). Cells are
text (``None`` when empty); interpreting headers and values is the importers' job.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Collection
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

    def load(
        self,
        con: duckdb.DuckDBPyConnection,
        name: str,
        start_row: int,
        width: int,
        columns: Collection[int] | None = None,
    ) -> int:
        """Create (or replace) TEMP view `name` in DuckDB with VARCHAR columns c1..c<width> and
        `_row BIGINT` (the 1-based row number in the file/sheet, same numbering as first_row),
        holding every row from row number `start_row` on (start_row >= first_row; the rows
        before it are header/description rows the caller already interpreted). Rows shorter
        than width are padded with NULL; cells beyond width are ignored. Empty strings are NULL.
        With `columns` (1-based numbers), only those columns are kept: reading fewer cells is
        most of what makes a large file fast. Returns the number of rows loaded.

        The cells are held in TEMP table `<name>_cells`; `drop_loaded` removes both. Loading
        runs several statements and may retry one that fails, so it must not run inside a
        transaction (a failed statement would abort it), unless the file is known to read
        (:meth:`read_through` read it).

        Complete tables are loaded from `rows` via pyarrow. Incomplete (large) CSVs are read by
        DuckDB itself from `start_row` to the end of the file, which is the fast path. There,
        rows after the head are taken as DuckDB reads them: blank lines are skipped rather than
        ending the table (so `_row` of later rows is off by the number of blank lines skipped),
        and '#' lines are data. A large file that turns out not to be UTF-8 after its head is
        read whole in Python instead. Raises DataError when the file cannot be read.
        """
        if start_row < self.first_row:
            raise ValueError(f"start_row {start_row} is before first_row {self.first_row}")
        if width < 1:
            raise ValueError(f"width must be at least 1, not {width}")
        kept = sorted(set(columns)) if columns is not None else list(range(1, width + 1))
        if not kept or kept[0] < 1 or kept[-1] > width:
            raise ValueError(f"columns must be numbers from 1 to {width}, not {columns!r}")
        drop_loaded(con, name)
        if self.complete:
            count = self._load_rows(con, name, start_row, width, kept)
        else:
            count = self._load_csv(con, name, start_row, width, kept)
        # The cells table keeps the rows in order, so its rowid numbers them: no window needed.
        # Rows a transaction has not committed yet number from 2^55: count from the first.
        cells = _ident(name + CELLS)
        con.execute(
            f"CREATE TEMP VIEW {_ident(name)} AS SELECT *, "
            f"rowid - (SELECT min(rowid) FROM {cells}) + {start_row} AS _row FROM {cells}"
        )
        return count

    def read_through(
        self,
        con: duckdb.DuckDBPyConnection,
        name: str,
        start_row: int,
        width: int,
        columns: Collection[int],
        select: Callable[[str], str],
    ) -> int | None:
        """Create TEMP table ``name`` as ``select(cells)``, reading the cells straight from a
        large CSV (one pass, no copy of the cells); return its number of rows.

        ``cells`` is the SQL of a relation like the view of :meth:`load` (``c<i>`` for the
        ``columns`` kept, empty strings NULL), except that ``_row`` is NULL: the rows keep the
        file's order, so the table's rowid plus ``start_row`` numbers them. Must not run inside
        a transaction (the rowids would not start from 0, and a failed read would abort it).
        Returns None, leaving nothing behind, when this table cannot be read that way: a
        complete table, or a file DuckDB's parallel reader refuses (rows of other widths, text
        that is not UTF-8...); :meth:`load` reads those, and says what is wrong with them.
        """
        if self.complete:
            return None
        kept = sorted(set(columns))
        read = self._csv_cells(start_row, width, kept, parallel=True)
        cells = f"(SELECT *, CAST(NULL AS BIGINT) AS _row FROM ({read}))"
        try:
            first = con.execute(f"SELECT * EXCLUDE (_row) FROM {cells} LIMIT 1").fetchone()
            self._check_alignment(start_row, kept, first)
            con.execute(f"CREATE OR REPLACE TEMP TABLE {_ident(name)} AS {select(cells)}")
        except (duckdb.Error, DataError):
            con.execute(f"DROP TABLE IF EXISTS {_ident(name)}")
            return None
        result = con.execute(f"SELECT count(*) FROM {_ident(name)}").fetchone()
        return int(result[0]) if result else 0

    def _load_rows(
        self, con: duckdb.DuckDBPyConnection, name: str, start_row: int, width: int, kept: list[int]
    ) -> int:
        body = self.rows[start_row - self.first_row :]
        arrays = [
            pa.array(
                [(row[i - 1] or None) if i - 1 < len(row) else None for row in body], pa.string()
            )
            for i in kept
        ]
        data = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in kept])
        # A unique view name: the caller's connection may hold views of its own.
        view = f"_cadran_rows_{uuid.uuid4().hex}"
        con.register(view, data)
        try:
            con.execute(f"CREATE TEMP TABLE {_ident(name + CELLS)} AS SELECT * FROM {view}")
        finally:
            con.unregister(view)
        return len(body)

    def _load_csv(
        self, con: duckdb.DuckDBPyConnection, name: str, start_row: int, width: int, kept: list[int]
    ) -> int:
        cells = _ident(name + CELLS)
        try:
            try:
                self._read_csv(con, cells, start_row, width, kept, parallel=True)
            except duckdb.InvalidInputException as error:
                if _not_utf8(error):
                    raise
                # Rows of other widths: only the single-threaded reader pads them with NULLs.
                self._read_csv(con, cells, start_row, width, kept, parallel=False)
            result = con.execute(f"SELECT count(*) FROM {cells}").fetchone()
            first = con.execute(f"SELECT * FROM {cells} ORDER BY rowid LIMIT 1").fetchone()
        except duckdb.Error as error:
            con.execute(f"DROP TABLE IF EXISTS {cells}")
            if _not_utf8(error):
                return self._load_decoded(con, name, start_row, width, kept)
            raise DataError(
                f"{self.where}: cannot read the rows from row {start_row} on "
                f"({_first_line(error)}); expected {_EXPECTED_CSV}"
            ) from error
        self._check_alignment(start_row, kept, first)
        return int(result[0]) if result else 0

    def _read_csv(
        self,
        con: duckdb.DuckDBPyConnection,
        cells: str,
        start_row: int,
        width: int,
        kept: list[int],
        *,
        parallel: bool,
    ) -> None:
        read = self._csv_cells(start_row, width, kept, parallel=parallel)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {cells} AS {read}")

    def _csv_cells(self, start_row: int, width: int, kept: list[int], *, parallel: bool) -> str:
        """SQL reading this CSV's columns ``kept`` (``c<i>``, text) from ``start_row`` on."""
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(1, width + 1))
        # DuckDB's `skip` counts records as we do (quote-aware, blank lines included), so the
        # first row it returns is record `start_row`; the alignment check proves it on the head.
        # The parallel reader keeps the file's order but refuses rows of another width (and
        # null_padding with quoted newlines, which tweet texts have): those need the serial one.
        # strict_mode=false: rows wider than `width` are cut instead of failing the load.
        source = (
            f"read_csv({_literal(str(self.path))}, auto_detect=false, header=false, "
            f"all_varchar=true, skip={start_row - 1}, delim={_literal(self.delimiter or ',')}, "
            f"quote='\"', escape='\"', null_padding={str(not parallel).lower()}, "
            f"strict_mode=false, parallel={str(parallel).lower()}, encoding='utf-8', "
            f"columns={{{columns}}})"
        )
        # NULLIF: make "" NULL whatever DuckDB decides for quoted empty fields.
        selected = ", ".join(f"NULLIF(c{i}, '') AS c{i}" for i in kept)
        return f"SELECT {selected} FROM {source}"

    def _load_decoded(
        self, con: duckdb.DuckDBPyConnection, name: str, start_row: int, width: int, kept: list[int]
    ) -> int:
        """The file is not UTF-8 after its head: read it whole in Python, as a small file is."""
        from cadran.sources.files.text import read_whole  # text builds on this module

        whole = read_whole(self.path)[-1]
        if whole.first_row != self.first_row or whole.rows[: len(self.rows)] != self.rows:
            raise DataError(
                f"{self.where}: the file is not in one encoding (its first rows are UTF-8, "
                f"later ones are not); expected {_EXPECTED_CSV}"
            )
        return whole._load_rows(con, name, start_row, width, kept)

    def _check_alignment(
        self, start_row: int, kept: list[int], first: tuple[object, ...] | None
    ) -> None:
        """Refuse a load whose first row differs from row `start_row` of the head."""
        index = start_row - self.first_row
        if index >= len(self.rows):
            return
        row = self.rows[index]
        expected = tuple((row[i - 1] or None) if i - 1 < len(row) else None for i in kept)
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


CELLS = "_cells"  # suffix of the table holding a loaded table's cells


def drop_loaded(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Remove what `Table.load` created under `name`, if anything."""
    con.execute(f"DROP VIEW IF EXISTS {_ident(name)}")
    con.execute(f"DROP TABLE IF EXISTS {_ident(name + CELLS)}")


def _not_utf8(error: duckdb.Error) -> bool:
    return "not utf-8 encoded" in str(error).lower()


def _first_line(error: duckdb.Error) -> str:
    """DuckDB's messages run over many lines of hints; the first (without the class) says it."""
    message = str(error).strip()
    line = message.splitlines()[0] if message else type(error).__name__
    line = re.sub(r"^[A-Za-z ]*Error: ", "", line)
    if "not utf-8 encoded" in message:
        # The line number alone hides the cause; the hint that names it comes much later.
        line += ": the text there is not valid UTF-8"
    return line
