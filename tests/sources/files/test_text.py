"""Text files: encodings, delimiters, CSV quoting and GA4's multi-table form."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from cadran.core.errors import DataError
from cadran.sources.files import Table, read_tables
from cadran.sources.files.text import decode_text, iter_records, sniff_delimiter


def write(tmp_path: Path, data: bytes | str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def only(path: Path, **options: int) -> Table:
    tables = read_tables(path, **options)
    assert len(tables) == 1
    return tables[0]


# --- encodings ------------------------------------------------------------------------------


def test_plain_utf8(tmp_path: Path) -> None:
    table = only(write(tmp_path, "Date,Likes\n2024-01-01,3\nÉté,4\n"))
    assert table.encoding == "utf-8"
    assert table.container == "csv"
    assert table.delimiter == ","
    assert table.sheet is None
    assert table.first_row == 1
    assert table.complete
    assert table.comments == ()
    assert table.rows == (("Date", "Likes"), ("2024-01-01", "3"), ("Été", "4"))


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    table = only(write(tmp_path, codecs.BOM_UTF8 + b'"Date","Views"\n"April 12","1591"\n'))
    assert table.encoding == "utf-8-sig"
    assert table.rows[0] == ("Date", "Views")


def test_utf16_le_with_bom(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "Age,Women,Men\n18-24,1.8%,2%\n".encode("utf-16-le")
    table = only(write(tmp_path, data))
    assert table.encoding == "utf-16"
    assert table.rows == (("Age", "Women", "Men"), ("18-24", "1.8%", "2%"))


def test_utf16_be_with_bom(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_BE + "Ville;Part\nBogotà;1,3%\n".encode("utf-16-be")
    table = only(write(tmp_path, data))
    assert table.encoding == "utf-16"
    assert table.delimiter == ";"
    assert table.rows[1] == ("Bogotà", "1,3%")


def test_cp1252_with_latin1_fallback(tmp_path: Path) -> None:
    # 0xF1 is ñ, 0x80 the euro sign in cp1252; 0x81 is undefined there and read as latin-1.
    table = only(write(tmp_path, b"City,Spend\r\nCatalu\xf1a,\x8012\r\nOdd\x81,1\r\n"))
    assert table.encoding == "cp1252"
    assert table.rows == (("City", "Spend"), ("Cataluña", "€12"), ("Odd\x81", "1"))


def test_decode_text_order() -> None:
    assert decode_text(b"a,b", "f.csv") == ("a,b", "utf-8")
    assert decode_text(codecs.BOM_UTF8 + b"a", "f.csv") == ("a", "utf-8-sig")
    assert decode_text(b"\xe9", "f.csv") == ("é", "cp1252")


def test_bom_with_invalid_utf8_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"export\.csv: .*byte-order mark but is not valid UTF-8"):
        read_tables(write(tmp_path, codecs.BOM_UTF8 + b"a,b\n\xff,1\n"))


def test_binary_garbage_is_refused(tmp_path: Path) -> None:
    garbage = bytes(random.Random(7).randrange(256) for _ in range(5000)) + b"\x00"
    with pytest.raises(DataError, match=r"export\.csv: binary file, not a CSV.*; expected"):
        read_tables(write(tmp_path, b"x" + garbage))


def test_utf16_without_bom_gets_a_hint(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="UTF-16 text without a byte-order mark"):
        read_tables(write(tmp_path, "Age,Women\n18-24,2%\n".encode("utf-16-le")))


@pytest.mark.parametrize("content", [b"", b"\n\r\n  \n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n"])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(DataError, match=r"export\.csv: empty file; expected"):
        read_tables(write(tmp_path, content))


def test_comments_only_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="only comment lines"):
        read_tables(write(tmp_path, "# Account: x\n# Start date: 20250101\n"))


# --- delimiters and quoting -----------------------------------------------------------------


def test_crlf_and_semicolons(tmp_path: Path) -> None:
    table = only(write(tmp_path, "Datum;Wert\r\n01.02.2024;1,5\r\n02.02.2024;2,25\r\n"))
    assert table.delimiter == ";"
    assert table.rows == (("Datum", "Wert"), ("01.02.2024", "1,5"), ("02.02.2024", "2,25"))


def test_tabs(tmp_path: Path) -> None:
    table = only(write(tmp_path, "id\tmean\ttext\n1\t2.5\tGood, really good, great\n"))
    assert table.delimiter == "\t"
    assert table.rows[1] == ("1", "2.5", "Good, really good, great")


def test_one_column_file(tmp_path: Path) -> None:
    table = only(write(tmp_path, "hashtag\nfoo\nbar\n"))
    assert table.delimiter == ","
    assert table.rows == (("hashtag",), ("foo",), ("bar",))


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a;b;c\n1,5;2,5;3,5\n1,0;2,0;3,0\n", ";"),  # decimal commas do not fool it
        ('a,b\n"x;y;z",1\n"p;q;r",2\n', ","),  # delimiters inside quotes do not count
        ("id\ttext\n1\tone, two\n2\tthree, four, five\n", "\t"),
        ("a,b;c\n", ","),  # a tie goes to the comma
        ("# Account: a; b; c\nx,y\n1,2\n", ","),  # comment lines are not looked at
        ("single\nvalue\n", ","),
    ],
)
def test_sniff_delimiter(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected


def test_embedded_newlines_and_doubled_quotes(tmp_path: Path) -> None:
    text = (
        "Tweet id,Tweet text,likes\r\n"
        '1,"first line\r\n\r\nsecond ""quoted"" line",3\r\n'
        '2,"a, b",4\r\n'
    )
    table = only(write(tmp_path, text))
    assert table.rows == (
        ("Tweet id", "Tweet text", "likes"),
        ("1", 'first line\r\n\r\nsecond "quoted" line', "3"),
        ("2", "a, b", "4"),
    )


def test_ragged_rows_and_empty_cells(tmp_path: Path) -> None:
    table = only(write(tmp_path, 'a,b,c\n1,,""\n2\n3,4,5,6\n,,\n'))
    assert table.rows == (
        ("a", "b", "c"),
        ("1", None, None),
        ("2",),
        ("3", "4", "5", "6"),
        (None, None, None),
    )


def test_cells_are_not_stripped(tmp_path: Path) -> None:
    table = only(write(tmp_path, "a, b\n x , \n"))
    assert table.rows == (("a", " b"), (" x ", " "))


# --- records and tables ---------------------------------------------------------------------


def test_iter_records_kinds() -> None:
    lines = ["# c1\n", "h1,h2\n", "#tag,1\n", "\n", "# c2\n", "x\n"]
    assert list(iter_records(lines, ",")) == [
        "c1",
        ("h1", "h2"),
        ("#tag", "1"),  # after a data record: data, not a comment
        None,
        "c2",
        ("x",),
    ]


GA4 = (
    "# ----------------------------------------\r\n"
    "# Reports snapshot\r\n"
    "#  \r\n"
    "# Start date: 20250101\r\n"
    "Nth week,Active users\r\n"
    "0000,13\r\n"
    "0001,22\r\n"
    "\r\n"
    "# Where do your new users come from?\r\n"
    "Channel,New users\r\n"
    "Direct,2218\r\n"
    "\r\n"
    "# How well do you retain your users?\r\n"
    "Date,Week 0,Week 1,Week 2\r\n"
    "Jun 14 - Jun 20,73,2\r\n"
    "\r\n"
    "\r\n"
    "# Empty table\r\n"
    "Platform,Key events\r\n"
    "\r\n"
    "\r\n"
)


def test_multi_table_with_comments(tmp_path: Path) -> None:
    tables = read_tables(write(tmp_path, GA4, "Reports_snapshot.csv"))
    assert [t.sheet for t in tables] == ["table 1", "table 2", "table 3", "table 4"]
    first, second, third, fourth = tables
    assert first.comments == (
        "----------------------------------------",
        "Reports snapshot",
        "",
        "Start date: 20250101",
    )
    assert first.first_row == 5
    assert first.rows == (("Nth week", "Active users"), ("0000", "13"), ("0001", "22"))
    assert second.comments == ("Where do your new users come from?",)
    assert second.first_row == 10
    assert second.rows == (("Channel", "New users"), ("Direct", "2218"))
    assert third.first_row == 14
    assert third.rows[1] == ("Jun 14 - Jun 20", "73", "2")  # ragged under a wider header
    assert fourth.rows == (("Platform", "Key events"),)
    assert fourth.first_row == 19
    assert third.where == "Reports_snapshot.csv, table 3"
    assert all(t.complete and t.encoding == "utf-8" for t in tables)


def test_single_block_with_comments_has_no_sheet_name(tmp_path: Path) -> None:
    text = "# Events: Event name\r\n# \r\n# End date: 20250804\r\nEvent name,Event count\r\nclick,5"
    table = only(write(tmp_path, text))
    assert table.sheet is None
    assert table.comments == ("Events: Event name", "", "End date: 20250804")
    assert table.first_row == 4
    assert table.rows == (("Event name", "Event count"), ("click", "5"))
    assert table.where == "export.csv"


def test_blank_line_inside_quotes_does_not_split(tmp_path: Path) -> None:
    table = only(write(tmp_path, 'id,text\n1,"para one\n\npara two"\n2,x\n\n\n'))
    assert table.rows == (("id", "text"), ("1", "para one\n\npara two"), ("2", "x"))


def test_leading_blank_lines_move_first_row(tmp_path: Path) -> None:
    table = only(write(tmp_path, "\n\na,b\n1,2\n"))
    assert table.first_row == 3
    assert table.rows == (("a", "b"), ("1", "2"))


def test_blank_line_between_rows_splits_tables(tmp_path: Path) -> None:
    tables = read_tables(write(tmp_path, "a,b\n1,2\n\nc,d\n3,4\n"))
    assert [(t.sheet, t.first_row, t.rows) for t in tables] == [
        ("table 1", 1, (("a", "b"), ("1", "2"))),
        ("table 2", 4, (("c", "d"), ("3", "4"))),
    ]


def test_record_numbers_count_multiline_records_once(tmp_path: Path) -> None:
    tables = read_tables(write(tmp_path, 'a\n"x\ny\nz"\n\n# note\nb\n'))
    assert [(t.first_row, t.comments) for t in tables] == [(1, ()), (5, ("note",))]


def test_field_too_large_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"export\.csv: record 2 cannot be read as CSV"):
        read_tables(write(tmp_path, 'a,b\n"' + "x" * 200_000 + '",1\n'))
