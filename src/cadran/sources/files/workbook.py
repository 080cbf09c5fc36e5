"""Workbooks: BIFF8 .xls (xlrd), .xlsx (openpyxl) and Excel 2003 XML "SpreadsheetML" (defusedxml).

Each sheet becomes one ``Table`` whose cells are text, written the same way whatever the
container so importers see one format: integral numbers without ".0" (``43922``), other numbers
as Python's shortest repr (``0.09090909361839294``), typed dates as ISO (``2020-04-01``, or
``2020-06-29T12:45:27`` when there is a time of day), pure times as ``12:30:00``, booleans as
``true``/``false``; empty and error cells are ``None``. Sheet rows keep their true numbers:
leading empty rows stay (as ``()``), trailing empty rows and trailing empty cells are dropped.

Workbooks come from users, so sizes are bounded: files over ``MAX_WORKBOOK_BYTES``, sheets over
``MAX_SHEET_CELLS`` cells and zip archives that inflate beyond ``MAX_UNZIPPED_BYTES`` are refused,
and XML is parsed with defusedxml so entity expansion ("billion laughs") is refused too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
import openpyxl
import xlrd
from defusedxml import DefusedXmlException
from openpyxl.utils.exceptions import InvalidFileException

from cadran.core.errors import DataError
from cadran.sources.files.table import Row, Table

MAX_WORKBOOK_BYTES = 100_000_000
MAX_SHEET_CELLS = 20_000_000
MAX_UNZIPPED_BYTES = 1_000_000_000  # an .xlsx inflating beyond this is a zip bomb, not an export
EXPECTED_WORKBOOK = "an Excel workbook (.xls, .xlsx or Excel 2003 XML) as exported"

_MAX_ROWS, _MAX_COLUMNS = 1_048_576, 16_384  # Excel's own limits
_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_INTEGER = re.compile(r"[+-]?\d+")
# Warnings openpyxl gives about workbook features it drops; none of them concern cell values.
_OPENPYXL_WARNINGS = (
    r"Workbook contains no default style",
    r".* extension is not supported and will be removed",
    r"Cannot parse header or footer",
    r".* image format is not supported",
)


def check_size(path: Path, size: int) -> None:
    """Refuse a workbook file too large to be a platform export."""
    if size > MAX_WORKBOOK_BYTES:
        raise DataError(
            f"{path.name}: workbook of {size:,} bytes is larger than the "
            f"{MAX_WORKBOOK_BYTES:,} bytes accepted; expected {EXPECTED_WORKBOOK}"
        )


def number_text(value: float) -> str:
    """``43922.0`` → ``"43922"``; other floats as their shortest exact repr."""
    if value.is_integer():
        return str(int(value))
    return repr(value)


def datetime_text(value: dt.datetime) -> str:
    """ISO date at midnight, else ISO date and time to the second (rounded: Excel's fractions
    of a day land a few microseconds off the second)."""
    value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    if value.time() == dt.time(0):
        return value.date().isoformat()
    return value.replace(tzinfo=None).isoformat(timespec="seconds")


def cell_text(value: object) -> str | None:
    """The text of a Python cell value as openpyxl gives it."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime):  # before date: datetime is a date
        return datetime_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0, tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, dt.timedelta):
        return _duration_text(value)
    return str(value)


def read_xls(path: Path, data: bytes) -> list[Table]:
    """The sheets of a BIFF .xls workbook (xlrd decodes its text with the book's codepage)."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise _encrypted(path)
    try:
        # xlrd writes warnings about odd file sizes to its logfile: keep them off stdout.
        book = xlrd.open_workbook(
            file_contents=data, logfile=io.StringIO(), on_demand=True, ragged_rows=True
        )
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, *_CORRUPT) as error:
        if "encrypted" in str(error).lower():
            raise _encrypted(path) from error
        raise _unreadable(path, "Excel 97-2003 (.xls)", error) from error
    try:
        tables = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.nrows * sheet.ncols > MAX_SHEET_CELLS:
                raise _too_many_cells(path, sheet.name)
            rows = [
                _trim(
                    _xls_cell(kind, value, book.datemode)
                    for kind, value in zip(sheet.row_types(r), sheet.row_values(r), strict=True)
                )
                for r in range(sheet.nrows)
            ]
            tables.append(_sheet_table(path, sheet.name, "xls", rows))
            book.unload_sheet(index)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, *_CORRUPT) as error:
        raise _unreadable(path, "Excel 97-2003 (.xls)", error) from error
    finally:
        book.release_resources()
    return _at_least_one(path, tables)


def read_xlsx(path: Path) -> list[Table]:
    """The worksheets of an .xlsx workbook, streamed by openpyxl in read-only mode."""
    _check_archive(path)
    try:
        with warnings.catch_warnings():
            for message in _OPENPYXL_WARNINGS:
                warnings.filterwarnings("ignore", message=message, category=UserWarning)
            # A file object, not the path: openpyxl refuses paths not ending in .xlsx.
            with path.open("rb") as stream:
                book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
                try:
                    tables = [_xlsx_sheet(path, sheet) for sheet in book.worksheets]
                finally:
                    book.close()
    except (InvalidFileException, zipfile.BadZipFile, ParseError, *_CORRUPT) as error:
        raise _unreadable(path, "Excel (.xlsx)", error) from error
    return _at_least_one(path, tables)


def read_spreadsheetml(path: Path) -> list[Table]:
    """The worksheets of an Excel 2003 XML workbook (Facebook's "Excel" export).

    Parsed as a stream, rows cleared once read; ``ss:Index`` (sparse rows and cells) and
    ``ss:MergeAcross`` (the covered cells are None) are honoured, and a cell's text is all the
    text inside its Data element, which may hold HTML formatting.
    """
    tables: list[Table] = []
    try:
        with path.open("rb") as stream:
            _parse_spreadsheetml(path, stream, tables)
    except DefusedXmlException as error:
        raise DataError(
            f"{path.name}: the XML declares a DTD or entities ({type(error).__name__}), which "
            f"a spreadsheet never needs and which are refused; expected {EXPECTED_WORKBOOK}"
        ) from error
    except ParseError as error:
        raise _unreadable(path, "Excel 2003 XML", error) from error
    return _at_least_one(path, tables)


def _parse_spreadsheetml(path: Path, stream: io.BufferedReader, tables: list[Table]) -> None:
    name: str | None = None
    table: Element | None = None
    rows: list[Row] = []
    cells = 0
    events = safe_xml.iterparse(stream, events=("start", "end"), forbid_dtd=True)
    for event, element in events:
        tag = element.tag
        if event == "start":
            if tag == f"{_SS}Worksheet":
                name = element.get(f"{_SS}Name") or f"Sheet{len(tables) + 1}"
                rows, cells, table = [], 0, None
            elif tag == f"{_SS}Table" and name is not None:
                table = element
                declared = _count(element, "ExpandedRowCount") * _count(
                    element, "ExpandedColumnCount"
                )
                if declared > MAX_SHEET_CELLS:
                    raise _too_many_cells(path, name)
        elif tag == f"{_SS}Row" and name is not None:
            number = _position(path, name, element, len(rows) + 1, _MAX_ROWS, "row")
            rows.extend(() for _ in range(len(rows) + 1, number))
            row = _spreadsheetml_row(path, name, element)
            cells += len(row)
            if cells > MAX_SHEET_CELLS:
                raise _too_many_cells(path, name)
            rows.append(row)
            if table is not None:
                table.clear()  # rows already read: keep memory flat on large sheets
        elif tag == f"{_SS}Worksheet" and name is not None:
            tables.append(_sheet_table(path, name, "spreadsheetml", rows))
            name, table, rows = None, None, []
            element.clear()


def _spreadsheetml_row(path: Path, sheet: str, row: Element) -> Row:
    values: list[str | None] = []
    for cell in row.findall(f"{_SS}Cell"):
        number = _position(path, sheet, cell, len(values) + 1, _MAX_COLUMNS, "cell")
        values.extend(None for _ in range(len(values) + 1, number))
        values.append(_spreadsheetml_value(cell.find(f"{_SS}Data")))
        merged = min(_count(cell, "MergeAcross"), _MAX_COLUMNS)
        values.extend(None for _ in range(merged))
    return _trim(values)


def _spreadsheetml_value(data: Element | None) -> str | None:
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = data.get(f"{_SS}Type")
    if kind == "Number":
        if _INTEGER.fullmatch(text.strip()):
            return str(int(text))  # exact digits: an id may not survive a float
        try:
            return number_text(float(text))
        except ValueError:
            return text or None
    if kind == "DateTime":
        try:
            return datetime_text(dt.datetime.fromisoformat(text.strip()))
        except ValueError:
            return text or None
    if kind == "Boolean":
        return {"1": "true", "0": "false"}.get(text.strip(), text or None)
    if kind == "Error":
        return None
    return text or None


def _position(
    path: Path, sheet: str, element: Element, next_free: int, limit: int, what: str
) -> int:
    """The 1-based position of a row or cell: its ss:Index, else the next one."""
    index = element.get(f"{_SS}Index")
    if index is None:
        return next_free
    try:
        number = int(index)
    except ValueError:
        number = 0
    if not next_free <= number <= limit:
        raise DataError(
            f"{path.name}, sheet '{sheet}': {what} index {index!r} is out of order or out of "
            f"range; expected {EXPECTED_WORKBOOK}"
        )
    return number


def _count(element: Element, attribute: str) -> int:
    try:
        return max(int(element.get(f"{_SS}{attribute}") or 0), 0)
    except ValueError:
        return 0


def _xls_cell(kind: int, value: object, datemode: int) -> str | None:
    if kind == xlrd.XL_CELL_TEXT:
        return str(value) or None
    if kind == xlrd.XL_CELL_NUMBER and isinstance(value, float):
        return number_text(value)
    if kind == xlrd.XL_CELL_DATE and isinstance(value, float):
        if 0 <= value < 1:  # a time of day without a date
            return _duration_text(dt.timedelta(days=value)).zfill(8)
        try:
            return datetime_text(xlrd.xldate.xldate_as_datetime(value, datemode))
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return number_text(value)  # a date cell Excel itself could not show
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "true" if value else "false"
    return None  # empty, blank and error cells


def _xlsx_sheet(path: Path, sheet: Any) -> Table:
    name = str(sheet.title)
    declared = (sheet.max_row or 0) * (sheet.max_column or 0)
    if declared > MAX_SHEET_CELLS:
        raise _too_many_cells(path, name)
    # The <dimension> a writer declares can be wrong, and openpyxl would cut rows to it.
    sheet.reset_dimensions()
    rows: list[Row] = []
    cells = 0
    for row in sheet.iter_rows(min_row=1, min_col=1):
        cells += len(row)
        if cells > MAX_SHEET_CELLS:
            raise _too_many_cells(path, name)
        rows.append(_trim(None if cell.data_type == "e" else cell_text(cell.value) for cell in row))
    return _sheet_table(path, name, "xlsx", rows)


def _check_archive(path: Path) -> None:
    """Refuse zips that are not .xlsx workbooks, and zip bombs, before openpyxl opens them."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _unreadable(path, "Excel (.xlsx)", error) from error
    if b"opendocument.spreadsheet" in mimetype:
        what = "an OpenDocument spreadsheet (.ods)"
    elif "xl/workbook.bin" in names:
        what = "an Excel binary workbook (.xlsb)"
    elif "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
        what = ""
    else:
        what = "a zip archive that is not an Excel workbook"
    if what:
        raise DataError(
            f"{path.name}: {what}; expected {EXPECTED_WORKBOOK} (save it as .xlsx or CSV)"
        )
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise DataError(
            f"{path.name}: the workbook inflates to more than {MAX_UNZIPPED_BYTES:,} bytes; "
            f"expected {EXPECTED_WORKBOOK}"
        )


def _sheet_table(path: Path, name: str, container: str, rows: list[Row]) -> Table:
    while rows and not rows[-1]:
        rows.pop()
    return Table(
        path=path,
        sheet=name,
        container=container,
        encoding=None,
        first_row=1,
        rows=tuple(rows),
        complete=True,
    )


def _trim(cells: Iterable[str | None]) -> Row:
    row = list(cells)
    while row and row[-1] is None:
        row.pop()
    return tuple(row)


def _duration_text(value: dt.timedelta) -> str:
    seconds = round(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


def _at_least_one(path: Path, tables: list[Table]) -> list[Table]:
    if not tables:
        raise DataError(f"{path.name}: workbook without any sheet; expected {EXPECTED_WORKBOOK}")
    return tables


# What corrupt workbook bytes make xlrd and openpyxl raise, besides their own errors.
_CORRUPT = (ValueError, KeyError, IndexError, TypeError, EOFError, OSError, AssertionError)


def _unreadable(path: Path, kind: str, error: BaseException) -> DataError:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return DataError(
        f"{path.name}: cannot be read as an {kind} workbook ({reason}); "
        f"expected {EXPECTED_WORKBOOK}"
    )


def _too_many_cells(path: Path, sheet: str) -> DataError:
    return DataError(
        f"{path.name}, sheet '{sheet}': more than {MAX_SHEET_CELLS:,} cells; expected "
        f"{EXPECTED_WORKBOOK} (split it, or export it as CSV)"
    )


def _encrypted(path: Path) -> DataError:
    return DataError(
        f"{path.name}: the workbook is password-protected (encrypted); expected "
        f"{EXPECTED_WORKBOOK} without a password"
    )
