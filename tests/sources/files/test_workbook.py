"""Workbooks: cell text, .xlsx via openpyxl, SpreadsheetML, limits against hostile files."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cadran.core.errors import DataError
from cadran.sources.files import read_tables, workbook
from cadran.sources.files.workbook import cell_text, datetime_text, number_text

# --- cell text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (43922.0, "43922"),
        (-0.0, "0"),
        (0.09090909361839294, "0.09090909361839294"),
        (1.47689e18, "1476890000000000000"),
        (2.5, "2.5"),
    ],
)
def test_number_text(value: float, text: str) -> None:
    assert number_text(value) == text


def test_datetime_text() -> None:
    assert datetime_text(dt.datetime(2020, 4, 1)) == "2020-04-01"
    assert datetime_text(dt.datetime(2020, 6, 29, 12, 45, 27)) == "2020-06-29T12:45:27"
    # Excel's day fractions land microseconds off the second: round, do not truncate.
    assert datetime_text(dt.datetime(2020, 6, 29, 12, 45, 26, 999_600)) == "2020-06-29T12:45:27"
    assert datetime_text(dt.datetime(2020, 6, 29, 23, 59, 59, 999_900)) == "2020-06-30"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ("", None),
        ("  ", "  "),
        ("1591", "1591"),
        (True, "true"),
        (False, "false"),
        (7, "7"),
        (0.5, "0.5"),
        (dt.date(2024, 2, 29), "2024-02-29"),
        (dt.time(12, 30, 5, 10), "12:30:05"),
        (dt.timedelta(hours=26, minutes=3, seconds=4), "26:03:04"),
    ],
)
def test_cell_text(value: object, text: str | None) -> None:
    assert cell_text(value) == text


# --- xlsx -----------------------------------------------------------------------------------


def make_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Overview"
    sheet["A3"] = "Date"
    sheet["B3"] = "Views"
    sheet["C3"] = "Rate"
    sheet["D3"] = "Paid"
    sheet["A4"] = dt.datetime(2024, 4, 12)
    sheet["B4"] = "1591"  # a number stored as text, as TikTok's export does
    sheet["C4"] = 0.09090909361839294
    sheet["D4"] = True
    sheet["A5"] = dt.datetime(2024, 4, 13, 8, 30)
    sheet["B5"] = 1154
    sheet["C5"] = "#N/A"  # an Excel error value
    sheet["F5"] = ""
    other = book.create_sheet("Empty")
    other["A1"] = None
    book.save(path)
    return path


def test_xlsx_cells_as_text(tmp_path: Path) -> None:
    tables = read_tables(make_xlsx(tmp_path / "Overview.xlsx"))
    assert [(t.sheet, t.container, t.encoding, t.first_row, t.complete) for t in tables] == [
        ("Overview", "xlsx", None, 1, True),
        ("Empty", "xlsx", None, 1, True),
    ]
    assert tables[0].rows == (
        (),
        (),  # leading empty rows stay, so row numbers are the sheet's
        ("Date", "Views", "Rate", "Paid"),
        ("2024-04-12", "1591", "0.09090909361839294", "true"),
        ("2024-04-13T08:30:00", "1154"),  # error cell None, trailing empty cells dropped
    )
    assert tables[1].rows == ()
    assert tables[0].where == "Overview.xlsx, sheet 'Overview'"


def test_xlsx_with_a_wrong_dimension_is_read_whole(tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "source.xlsx")
    target = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A3:F5" />' in data
                data = data.replace(b'<dimension ref="A3:F5" />', b'<dimension ref="A1:A1" />')
            new.writestr(info, data)
    assert read_tables(target)[0].rows[3] == ("2024-04-12", "1591", "0.09090909361839294", "true")


def test_xlsx_too_many_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_SHEET_CELLS", 5)
    with pytest.raises(DataError, match=r"big\.xlsx, sheet 'Overview': more than 5 cells"):
        read_tables(make_xlsx(tmp_path / "big.xlsx"))


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(DataError, match=r"export\.xlsx: a zip archive that is not an Excel"):
        read_tables(path)


def test_opendocument_spreadsheet_is_named(tmp_path: Path) -> None:
    path = tmp_path / "export.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(DataError, match=r"an OpenDocument spreadsheet \(\.ods\)"):
        read_tables(path)


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = make_xlsx(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match=r"cut\.xlsx: cannot be read as an Excel \(\.xlsx\)"):
        read_tables(path)


def test_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(DataError, match="inflates to more than 1,000 bytes"):
        read_tables(make_xlsx(tmp_path / "bomb.xlsx"))


# --- SpreadsheetML --------------------------------------------------------------------------

SPREADSHEETML = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:html="http://www.w3.org/TR/REC-html40">
 <Worksheet ss:Name="Key Metrics">
  <Table ss:ExpandedColumnCount="6" ss:ExpandedRowCount="6">
   <Column ss:Index="2" ss:Width="150"/>
   <Row ss:Index="2">
    <Cell><Data ss:Type="String">Post ID</Data></Cell>
    <Cell ss:Index="4"><Data ss:Type="Number">12.0</Data></Cell>
   </Row>
   <Row>
    <Cell ss:MergeAcross="2"><Data ss:Type="String">merged</Data></Cell>
    <Cell><Data ss:Type="Number">0.5</Data></Cell>
    <Cell><Data ss:Type="Number">97150433029101575869</Data></Cell>
   </Row>
   <Row>
    <Cell><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><Font
      html:Color="#FF0000">red</Font> text</ss:Data></Cell>
    <Cell><Data ss:Type="DateTime">2020-06-29T00:00:00.000</Data></Cell>
    <Cell><Data ss:Type="DateTime">2020-06-29T12:45:27.000</Data></Cell>
    <Cell><Data ss:Type="Boolean">1</Data></Cell>
    <Cell><Data ss:Type="Error">#N/A</Data></Cell>
    <Cell ss:StyleID="s25"><Data ss:Type="String"></Data></Cell>
   </Row>
   <Row ss:Index="6"/>
  </Table>
 </Worksheet>
 <Worksheet ss:Name="Lifetime Talking About This(...">
  <Table/>
 </Worksheet>
</Workbook>
"""


def test_spreadsheetml_index_merge_and_types(tmp_path: Path) -> None:
    # Saved as .xls, as Facebook does: the content decides, not the extension.
    path = tmp_path / "Facebook Posts.xls"
    path.write_text(SPREADSHEETML, encoding="utf-8")
    first, second = read_tables(path)
    assert (first.container, first.sheet, first.encoding, first.first_row) == (
        "spreadsheetml",
        "Key Metrics",
        None,
        1,
    )
    assert first.rows == (
        (),
        ("Post ID", None, None, "12"),
        ("merged", None, None, "0.5", "97150433029101575869"),
        ("red text", "2020-06-29", "2020-06-29T12:45:27", "true"),
    )
    assert second.sheet == "Lifetime Talking About This(..."
    assert second.rows == ()
    assert second.where == "Facebook Posts.xls, sheet 'Lifetime Talking About This(...'"


def test_spreadsheetml_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "posts.xml"
    path.write_bytes(b"\xef\xbb\xbf" + SPREADSHEETML.replace("\n", "\r\n").encode("utf-8"))
    assert read_tables(path)[0].rows[1] == ("Post ID", None, None, "12")


def test_spreadsheetml_row_index_going_back_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(SPREADSHEETML.replace('<Row ss:Index="6"/>', '<Row ss:Index="1"/>'))
    with pytest.raises(DataError, match=r"bad\.xml, sheet 'Key Metrics': row index '1'"):
        read_tables(path)


def test_spreadsheetml_too_many_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_SHEET_CELLS", 30)
    path = tmp_path / "big.xml"
    path.write_text(SPREADSHEETML)  # declares 6 x 6 cells
    with pytest.raises(DataError, match=r"big\.xml, sheet 'Key Metrics': more than 30 cells"):
        read_tables(path)


def test_spreadsheetml_malformed_xml(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text(SPREADSHEETML[: len(SPREADSHEETML) // 2])
    with pytest.raises(DataError, match=r"cut\.xml: cannot be read as an Excel 2003 XML"):
        read_tables(path)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">&lol9;</Data></Cell>
 </Row></Table></Worksheet>
</Workbook>
"""


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lol.xls"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(DataError, match=r"lol\.xls: the XML declares a DTD or entities"):
        read_tables(path)


# --- xls ------------------------------------------------------------------------------------


def test_corrupt_xls(tmp_path: Path) -> None:
    path = tmp_path / "broken.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(DataError, match=r"broken\.xls: cannot be read as an Excel 97-2003"):
        read_tables(path)


def test_encrypted_office_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(DataError, match=r"locked\.xlsx: the workbook is password-protected"):
        read_tables(path)


def test_workbook_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_WORKBOOK_BYTES", 100)
    with pytest.raises(DataError, match=r"Overview\.xlsx: workbook of [\d,]+ bytes is larger"):
        read_tables(make_xlsx(tmp_path / "Overview.xlsx"))
