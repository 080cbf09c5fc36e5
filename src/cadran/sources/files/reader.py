"""One entry point for every export file: find what the file is by its content, then read it.

Extensions lie: Facebook's "Excel" export is XML saved as ``.xls``, Excel "CSV" may be UTF-16,
a renamed .xlsx is still a zip. So the container is decided from the first bytes.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from cadran.core.errors import DataError
from cadran.sources.files import text, workbook
from cadran.sources.files.table import Table

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEETML_NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"

_HEAD_BYTES = 65_536
EXPECTED_ANY = "a CSV export or an Excel workbook (.xls, .xlsx or Excel 2003 XML)"

# Files people pick by mistake, recognised to say what they are rather than "not a CSV".
_OTHER_FORMATS = (
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x05\x06", "an empty zip archive"),
)


def read_tables(path: Path, *, head_limit: int = 200, large_bytes: int = 8_000_000) -> list[Table]:
    """Every table in the file. Text files larger than large_bytes (and UTF-8, with or without BOM)
    give incomplete tables holding the first head_limit records; others are read completely.
    Raises DataError naming the file and what was expected for anything unreadable.

    The container comes from the content, not the extension: OLE2 → .xls (xlrd), zip → .xlsx
    (openpyxl), XML in the SpreadsheetML namespace → Excel 2003 XML, anything else → CSV text.
    An empty file is a DataError ("empty file"), never zero tables.
    """
    if head_limit < 1:
        raise ValueError(f"head_limit must be at least 1, not {head_limit}")
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
    except FileNotFoundError as error:
        raise DataError(f"{path.name}: no such file; expected {EXPECTED_ANY}") from error
    except IsADirectoryError as error:
        raise DataError(f"{path.name}: a folder, not a file; expected {EXPECTED_ANY}") from error
    except OSError as error:
        raise DataError(
            f"{path.name}: cannot be opened ({error.strerror or error}); expected {EXPECTED_ANY}"
        ) from error
    if not head.strip() or head.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE):
        raise DataError(f"{path.name}: empty file; expected {EXPECTED_ANY}")
    container = detect_container(head, path.name)
    try:
        if container == "csv":
            return text.read_text(path, size, head_limit=head_limit, large_bytes=large_bytes)
        workbook.check_size(path, size)
        if container == "xls":
            return workbook.read_xls(path, path.read_bytes())
        if container == "xlsx":
            return workbook.read_xlsx(path)
        return workbook.read_spreadsheetml(path)
    except MemoryError as error:
        raise DataError(
            f"{path.name}: too large to read in the memory available; expected {EXPECTED_ANY}"
        ) from error


def detect_container(head: bytes, name: str) -> str:
    """ "xls", "xlsx", "spreadsheetml" or "csv" from the first bytes of a file.

    Raises DataError for formats that are recognisably not tables (PDF, images, gzip, HTML,
    XML other than SpreadsheetML) rather than letting them be parsed as CSV.
    """
    if head.startswith(OLE2_MAGIC):
        return "xls"
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    for magic, what in _OTHER_FORMATS:
        if head.startswith(magic):
            raise DataError(f"{name}: {what}; expected {EXPECTED_ANY}")
    start = _markup_start(head)
    if start.startswith(("<?xml", "<workbook", "<ss:workbook")):
        if SPREADSHEETML_NAMESPACE in _decoded(head):
            return "spreadsheetml"
        raise DataError(
            f"{name}: an XML document that is not an Excel 2003 XML spreadsheet; "
            f"expected {EXPECTED_ANY}"
        )
    if start.startswith(("<!doctype html", "<html", "<table")):
        raise DataError(
            f"{name}: a web page (HTML), not a spreadsheet; expected {EXPECTED_ANY} "
            f"(open it in Excel and save it as .xlsx or CSV)"
        )
    return "csv"


def _decoded(head: bytes) -> str:
    """The head as text, for looking at markup: a BOM decides UTF-16, else UTF-8 leniently."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _markup_start(head: bytes) -> str:
    """The first characters after a BOM and whitespace, lower-cased."""
    return _decoded(head[:4096]).lstrip("\ufeff \t\r\n").lower()[:20]
