"""read_tables: container detection by content, errors, and loading tables into DuckDB."""

from __future__ import annotations

import codecs
from pathlib import Path

import duckdb
import openpyxl
import pytest

from cadran.core.errors import DataError
from cadran.sources.files import Table, drop_loaded, read_tables
from cadran.sources.files.reader import detect_container

# --- containers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "container"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "xls"),
        (b"PK\x03\x04\x14\x00", "xlsx"),
        (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
         "spreadsheetml"),
        (b'\xef\xbb\xbf  \r\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
         "spreadsheetml"),
        ('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
         .encode("utf-16"), "spreadsheetml"),
        (b"Date,Views\n", "csv"),
        (b"<no>,markup\n", "csv"),
    ],
)  # fmt: skip
def test_detect_container(head: bytes, container: str) -> None:
    assert detect_container(head, "f") == container


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"%PDF-1.7\n", "a PDF document"),
        (b"\x1f\x8b\x08\x00", "a gzip-compressed file"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b'<?xml version="1.0"?><rss version="2.0"></rss>', "an XML document that is not an Excel"),
        (b"<!DOCTYPE html><html><table><tr><td>1</td></tr></table>", "a web page"),
        (b"  <table><tr><td>1</td></tr></table>", "a web page"),
    ],
)
def test_not_tables_are_named(tmp_path: Path, head: bytes, message: str) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(head)
    with pytest.raises(DataError, match=rf"^export\.xls: {message}.*; expected"):
        read_tables(path)


def test_extension_does_not_matter(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", 1])
    disguised = tmp_path / "report.csv"
    book.save(disguised)
    assert [(t.container, t.rows) for t in read_tables(disguised)] == [("xlsx", (("a", "1"),))]
    text = tmp_path / "report.xlsx"
    text.write_text("a;b\n1;2\n")
    assert [(t.container, t.delimiter) for t in read_tables(text)] == [("csv", ";")]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"^nope\.csv: no such file; expected"):
        read_tables(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="a folder, not a file"):
        read_tables(tmp_path)


def test_head_limit_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="head_limit"):
        read_tables(tmp_path / "x.csv", head_limit=0)


# --- load, complete tables ------------------------------------------------------------------


def fetch(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[object, ...]]:
    return con.execute(f'SELECT * FROM "{name}" ORDER BY _row').fetchall()


def test_load_pads_cuts_and_numbers_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("# note\nh1,h2,h3\ndescription,,\n1,2\n3,4,5,6\n,,\n")
    (table,) = read_tables(path)
    con = duckdb.connect()
    assert table.load(con, "incoming", start_row=4, width=3) == 3
    assert fetch(con, "incoming") == [
        ("1", "2", None, 4),
        ("3", "4", "5", 5),
        (None, None, None, 6),
    ]
    columns = con.execute("DESCRIBE incoming").fetchall()
    assert [(c[0], c[1]) for c in columns] == [
        ("c1", "VARCHAR"),
        ("c2", "VARCHAR"),
        ("c3", "VARCHAR"),
        ("_row", "BIGINT"),
    ]
    # Loading again replaces the table; an odd name is quoted.
    assert table.load(con, "incoming", start_row=6, width=1) == 1
    assert fetch(con, "incoming") == [(None, 6)]
    assert table.load(con, 'we"ird name', start_row=2, width=2) == 5
    assert fetch(con, 'we""ird name')[0] == ("h1", "h2", 2)


def test_load_is_temporary_and_dropped_whole(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("a\n1\n")
    (table,) = read_tables(path)
    con = duckdb.connect()
    table.load(con, "incoming", start_row=2, width=1)
    tables = con.execute("SELECT table_name, temporary FROM duckdb_tables()").fetchall()
    assert tables == [("incoming_cells", True)]
    views = con.execute("SELECT view_name, temporary FROM duckdb_views() WHERE NOT internal")
    assert views.fetchall() == [("incoming", True)]
    table.load(con, "incoming", start_row=2, width=1)  # loading again replaces it
    assert fetch(con, "incoming") == [("1", 2)]
    drop_loaded(con, "incoming")
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone() == (0,)


def test_load_keeps_only_the_columns_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("a,b,c,d\n1,2,3,4\n5,6\n")
    (table,) = read_tables(path)
    con = duckdb.connect()
    assert table.load(con, "t", start_row=2, width=4, columns=[4, 2]) == 2
    assert con.execute("SELECT * FROM t ORDER BY _row").fetchall() == [
        ("2", "4", 2),
        ("6", None, 3),
    ]
    with pytest.raises(ValueError, match="columns must be numbers from 1 to 4"):
        table.load(con, "t", start_row=2, width=4, columns=[5])
    with pytest.raises(ValueError, match="columns must be numbers from 1 to 4"):
        table.load(con, "t", start_row=2, width=4, columns=[])


def test_load_rejects_rows_before_the_table(tmp_path: Path) -> None:
    table = Table(Path("x.csv"), None, "csv", "utf-8", 3, (("a",),), complete=True)
    with pytest.raises(ValueError, match="before first_row"):
        table.load(duckdb.connect(), "t", start_row=2, width=1)
    with pytest.raises(ValueError, match="width"):
        table.load(duckdb.connect(), "t", start_row=3, width=0)


def test_load_past_the_end_loads_nothing() -> None:
    table = Table(Path("x.csv"), None, "csv", "utf-8", 1, (("a",),), complete=True)
    con = duckdb.connect()
    assert table.load(con, "t", start_row=5, width=2) == 0
    assert fetch(con, "t") == []


def test_where() -> None:
    def table(sheet: str | None, container: str) -> Table:
        return Table(Path("/data/f.x"), sheet, container, None, 1, (), complete=True)

    assert table(None, "csv").where == "f.x"
    assert table("table 3", "csv").where == "f.x, table 3"
    assert table("Key Metrics", "xls").where == "f.x, sheet 'Key Metrics'"


# --- load, large CSVs through DuckDB --------------------------------------------------------


def tweets(count: int) -> str:
    """A tweet export: quoted text with newlines, doubled quotes, delimiters, ragged rows."""
    lines = ["Tweet id,Tweet text,impressions,promoted impressions"]
    for n in range(1, count + 1):
        text = f'"tweet {n}'
        if n % 7 == 0:
            text += "\nsecond line, with comma"
        if n % 11 == 0:
            text += '\n\nsaid ""hi"" ; ok'
        text += '"'
        if n % 13 == 0:
            lines.append(f"{n},{text}")  # ragged: short row
        elif n % 17 == 0:
            lines.append(f"{n},{text},{n * 3}.0,-,extra,cells")  # ragged: long row
        elif n % 5 == 0:
            lines.append(f'{n},{text},"",-')  # quoted empty string
        else:
            lines.append(f"{n},{text},{n * 3}.0,-")
    return "\n".join(lines) + "\n"


def both_ways(path: Path, start: int, width: int) -> tuple[list[tuple[object, ...]], ...]:
    """The rows loaded from the complete (Python) read and the incomplete (DuckDB) read."""
    (whole,) = read_tables(path)
    (head,) = read_tables(path, head_limit=5, large_bytes=10)
    assert whole.complete
    assert not head.complete
    assert head.rows == whole.rows[:5]
    assert (head.encoding, head.first_row, head.comments) == (
        whole.encoding,
        whole.first_row,
        whole.comments,
    )
    con = duckdb.connect()
    count_whole = whole.load(con, "whole", start_row=start, width=width)
    count_head = head.load(con, "head", start_row=start, width=width)
    assert count_whole == count_head
    return fetch(con, "whole"), fetch(con, "head")


@pytest.mark.parametrize(
    ("prefix", "newline"),
    [(b"", "\n"), (codecs.BOM_UTF8, "\n"), (codecs.BOM_UTF8, "\r\n"), (b"", "\r\n"), (b"", "\r")],
)
def test_large_csv_loads_like_a_small_one(tmp_path: Path, prefix: bytes, newline: str) -> None:
    path = tmp_path / "tweets.csv"
    path.write_bytes(prefix + tweets(300).replace("\n", newline).encode("utf-8"))
    whole, head = both_ways(path, start=2, width=4)
    assert whole == head
    assert len(whole) == 300
    assert whole[6] == ("7", f"tweet 7{newline}second line, with comma", "21.0", "-", 8)
    assert whole[4] == ("5", "tweet 5", None, "-", 6)
    assert whole[12] == ("13", "tweet 13", None, None, 14)
    assert whole[-1][-1] == 301


def test_large_csv_from_the_header_row(tmp_path: Path) -> None:
    path = tmp_path / "tweets.csv"
    path.write_bytes(codecs.BOM_UTF8 + tweets(40).encode("utf-8"))
    whole, head = both_ways(path, start=1, width=6)
    assert whole == head
    assert whole[0] == (
        "Tweet id",
        "Tweet text",
        "impressions",
        "promoted impressions",
        None,
        None,
        1,
    )
    assert whole[17] == ("17", "tweet 17", "51.0", "-", "extra", "cells", 18)


def test_large_csv_with_comment_lines_and_semicolons(tmp_path: Path) -> None:
    rows = "\r\n".join(f"{n};{n * 2};x" for n in range(1, 101))
    text = "# Export: Events\r\n#  \r\n# Start date: 20250201\r\nname;count;note\r\n" + rows
    path = tmp_path / "events.csv"
    path.write_text(text, newline="")
    whole, head = both_ways(path, start=5, width=3)
    assert whole == head
    assert whole[0] == ("1", "2", "x", 5)
    assert len(whole) == 100


def test_large_csv_after_complete_tables(tmp_path: Path) -> None:
    """In a large multi-table file, the tables before the last are read whole in Python."""
    text = "# first\na,b\n1,2\n\n# second\nc,d\n" + "".join(f"{n},{n}\n" for n in range(50))
    path = tmp_path / "snapshot.csv"
    path.write_text(text)
    first, second = read_tables(path, head_limit=10, large_bytes=10)
    assert (first.complete, first.rows, first.comments) == (
        True,
        (("a", "b"), ("1", "2")),
        ("first",),
    )
    assert (second.complete, second.first_row, len(second.rows)) == (False, 6, 10)
    con = duckdb.connect()
    assert second.load(con, "t", start_row=7, width=2) == 50
    assert fetch(con, "t")[-1] == ("49", "49", 56)


def test_large_file_exactly_at_the_limit_is_complete(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    path.write_text("a\n1\n\n\n")  # head_limit rows, then only blank lines
    (table,) = read_tables(path, head_limit=2, large_bytes=1)
    assert table.complete
    assert table.rows == (("a",), ("1",))
    path.write_text("a\n1\n2\n")
    (table,) = read_tables(path, head_limit=2, large_bytes=1)
    assert not table.complete


def test_large_non_utf8_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    path.write_bytes(b"city\r\n" + b"x\r\n" * 100 + b"Catalu\xf1a\r\n")
    (table,) = read_tables(path, head_limit=5, large_bytes=10)
    assert (table.encoding, table.complete, table.rows[-1]) == ("cp1252", True, ("Cataluña",))


def test_large_file_not_utf8_after_its_head_is_read_whole_when_loaded(tmp_path: Path) -> None:
    """Only the head is decoded up front; DuckDB finds the Windows-1252 byte further down."""
    path = tmp_path / "cities.csv"
    filler = b"".join(b"%d,plain ascii\r\n" % n for n in range(120_000))  # over 1 MB
    path.write_bytes(b"id,city\r\n" + filler + b"999,Catalu\xf1a\r\n")
    (head,) = read_tables(path, head_limit=5, large_bytes=10)
    assert (head.encoding, head.complete) == ("utf-8", False)
    con = duckdb.connect()
    assert head.load(con, "t", start_row=2, width=2, columns=[2]) == 120_001
    assert fetch(con, "t")[-1] == ("Cataluña", 120_002)
    assert fetch(con, "t")[0] == ("plain ascii", 2)


def test_large_csv_with_ragged_rows_far_down(tmp_path: Path) -> None:
    """The parallel reader refuses a short row; the serial one pads it."""
    path = tmp_path / "tweets.csv"
    rows = "".join(f'{n},"text {n}\nsecond line",{n}\n' for n in range(20_000))
    path.write_text("id,text,count\n" + rows + "20000,short\n")
    (head,) = read_tables(path, head_limit=5, large_bytes=10)
    con = duckdb.connect()
    assert head.load(con, "t", start_row=2, width=3) == 20_001
    assert fetch(con, "t")[-1] == ("20000", "short", None, 20_002)
    assert fetch(con, "t")[7] == ("7", "text 7\nsecond line", "7", 9)


def test_large_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n" * 1000 + b"\x00\x01")
    with pytest.raises(DataError, match="binary file"):
        read_tables(path, large_bytes=10)


def test_large_csv_changed_after_reading(tmp_path: Path) -> None:
    path = tmp_path / "tweets.csv"
    path.write_text(tweets(40))
    (head,) = read_tables(path, head_limit=5, large_bytes=10)
    path.write_bytes(b"other,header\n" + b"\xff\xfe,1\n" * 10)
    with pytest.raises(DataError, match=r"^tweets\.csv: the file is not in one encoding"):
        head.load(duckdb.connect(), "t", start_row=2, width=4)
    path.write_text("x,y,z,w\n" * 50)
    with pytest.raises(DataError, match="row 2 reads differently"):
        head.load(duckdb.connect(), "t", start_row=2, width=4)
