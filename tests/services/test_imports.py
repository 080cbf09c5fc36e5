"""Importing files safely: all or nothing per file, idempotent, overlapping exports, undo,
dry runs, and clear messages for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadran.cli.main import main
from cadran.core.errors import DefinitionError, UsageError
from cadran.services.imports import file_hash
from cadran.services.workspace import Workspace

HEADER = (
    '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements",'
    '"engagement rate","retweets","replies","likes","user profile clicks","url clicks"'
)


def tweet(tid: str, when: str, impressions: str, engagements: str, likes: str = "1") -> str:
    rate = int(engagements) / int(impressions) if impressions.isdigit() else 0
    return (
        f'"{tid}","https://twitter.com/acme/status/{tid}","Hello ""world""\nbye","{when}",'
        f'"{impressions}","{engagements}","{rate}","0","0","{likes}","0","0"'
    )


def export(folder: Path, name: str, *rows: str) -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


FIRST = "tweet_activity_metrics_acme_20260101_20260201_en.csv"
SECOND = "tweet_activity_metrics_acme_20260115_20260215_en.csv"


def posts(ws: Workspace) -> list[tuple[object, ...]]:
    return ws.warehouse.rows("SELECT native_id, impressions, likes FROM post ORDER BY 1")


def test_an_export_imports_once_and_again_changes_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = export(
        tmp_path,
        FIRST,
        tweet("101", "2026-01-05 10:00 +0000", "100", "5"),
        tweet("102", "2026-01-20 23:30 +0000", "200", "10"),
    )
    (first,) = workspace.import_files(path)
    assert first.status == "imported"
    assert (first.tables[0].inserted, first.tables[0].updated) == (2, 0)
    assert workspace.warehouse.scalar("SELECT handle FROM account") == "acme"
    (again,) = workspace.import_files(path)
    assert again.status == "unchanged" and again.batch_id == first.batch_id
    assert len(workspace.batches()) == 1
    # Text keeps its embedded newline and doubled quotes; the time is UTC as written.
    text, published = workspace.warehouse.rows(
        "SELECT text, CAST(published_at AT TIME ZONE 'UTC' AS VARCHAR) FROM post "
        "WHERE native_id = '102'"
    )[0]
    assert text == 'Hello "world"\nbye'
    assert published == "2026-01-20 23:30:00"


def test_a_renamed_copy_of_an_imported_export_changes_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    # A new name is hashed while its rows are written: the copy is found at the end, and the
    # import keeps nothing, not even a batch.
    path = export(tmp_path, FIRST, tweet("101", "2026-01-05 10:00 +0000", "100", "5"))
    (first,) = workspace.import_files(path)
    copy = tmp_path / "copy" / FIRST.replace("acme", "acme_copy")
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    (again,) = workspace.import_files(copy)
    assert again.status == "unchanged" and again.batch_id == first.batch_id
    assert [b.batch_id for b in workspace.batches()] == [first.batch_id]
    assert workspace.warehouse.scalar("SELECT count(*) FROM account") == 1
    stored = workspace.warehouse.rows("SELECT batch_id, file_hash FROM import_batch")
    assert stored == [(first.batch_id, file_hash(path))]


def test_a_known_name_with_new_content_is_imported(workspace: Workspace, tmp_path: Path) -> None:
    # A name imported before is hashed first; new content under it is imported as usual.
    path = export(tmp_path, FIRST, tweet("101", "2026-01-05 10:00 +0000", "100", "5"))
    workspace.import_files(path)
    export(tmp_path, FIRST, tweet("101", "2026-01-05 10:00 +0000", "120", "6"))
    (again,) = workspace.import_files(path)
    assert again.status == "imported" and again.tables[0].updated == 1
    assert posts(workspace) == [("101", 120, 1)]
    hashes = workspace.warehouse.rows("SELECT file_hash FROM import_batch ORDER BY batch_id")
    assert hashes[1] == (file_hash(path),) and hashes[0] != hashes[1]


def test_overlapping_exports_update_instead_of_duplicating_and_undo_restores(
    workspace: Workspace, tmp_path: Path
) -> None:
    a = export(tmp_path, FIRST, tweet("101", "2026-01-05 10:00 +0000", "100", "5", likes="1"))
    b = export(
        tmp_path,
        SECOND,
        tweet("101", "2026-01-05 10:00 +0000", "150", "9", likes="4"),  # later lifetime counts
        tweet("103", "2026-02-01 08:00 +0000", "50", "2"),
    )
    workspace.import_files(a)
    (second,) = workspace.import_files(b)
    assert (second.tables[0].inserted, second.tables[0].updated) == (1, 1)
    assert posts(workspace) == [("101", 150, 4), ("103", 50, 1)]
    assert workspace.warehouse.scalar("SELECT count(*) FROM post_metrics_history") == 1
    assert second.batch_id is not None
    workspace.undo(second.batch_id)
    assert posts(workspace) == [("101", 100, 1)]
    # The file can be imported again once its batch is undone.
    (third,) = workspace.import_files(b)
    assert third.status == "imported"


def test_a_file_with_a_bad_value_leaves_nothing_behind(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = export(
        tmp_path,
        FIRST,
        tweet("101", "2026-01-05 10:00 +0000", "100", "5"),
        tweet("102", "2026-13-40 10:00 +0000", "100", "5"),
        tweet("103", "2026-01-07 10:00 +0000", "many", "5"),
    )
    (report,) = workspace.import_files(path)
    assert report.status == "failed"
    message = report.message or ""
    assert FIRST in message
    assert "column 4 'time': 1 value(s) not a date and time" in message
    assert "row 3: '2026-13-40 10:00 +0000'" in message
    assert "column 5 'impressions': 1 value(s) not a whole number of 0 or more" in message
    assert "(row 4: 'many')" in message
    assert "nothing was imported" in message
    assert posts(workspace) == []
    assert workspace.warehouse.scalar("SELECT count(*) FROM account") == 0
    assert workspace.batches() == []
    # With --skip-bad-rows the good row goes in and the others are counted as rejected.
    (partial,) = workspace.import_files(path, skip_bad_rows=True)
    assert partial.status == "imported"
    assert (partial.tables[0].inserted, partial.tables[0].rejected) == (1, 2)
    assert workspace.batches()[0].rows_rejected == 2


def test_a_dry_run_reports_everything_and_changes_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = export(tmp_path, FIRST, tweet("101", "2026-01-05 10:00 +0000", "100", "5"))
    (report,) = workspace.import_files(path, dry_run=True)
    assert report.status == "dry-run"
    assert report.tables[0].inserted == 1
    assert posts(workspace) == []
    assert workspace.batches() == []


def test_unknown_files_are_refused_with_the_closest_export(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "tweets.csv"
    path.write_text('"Tweet id","time","likes"\n"1","2026-01-05 10:00 +0000","3"\n')
    (report,) = workspace.import_files(path)
    assert report.status == "refused"
    assert "closest is X (Twitter) per-tweet activity export" in (report.message or "")
    assert "'impressions', 'engagements' are missing" in (report.message or "")
    garbage = tmp_path / "photo.csv"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (bad,) = workspace.import_files(garbage)
    assert bad.status == "failed" and "photo.csv" in (bad.message or "")


def test_dates_without_a_year_need_the_year_and_wrap_into_the_next(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "Overview.csv"
    path.write_text(
        "\ufeffDate,Video Views,Profile Views,Likes,Comments,Shares\n"
        '"30 de diciembre","5","1","1","0","0"\n"31 de diciembre","6","1","1","0","0"\n'
        '"1 de enero","7","1","1","0","0"\n',
        encoding="utf-8",
    )
    (report,) = workspace.import_files(path, account="me")
    assert report.status == "failed"
    assert "the dates have no year (e.g. '30 de diciembre')" in (report.message or "")
    assert "--year" in (report.message or "")
    (done,) = workspace.import_files(path, account="me", year=2025)
    assert done.status == "imported"
    days = workspace.warehouse.rows("SELECT CAST(day AS VARCHAR) FROM account_daily ORDER BY 1")
    assert days == [("2025-12-30",), ("2025-12-31",), ("2026-01-01",)]


def test_wrong_options_are_usage_errors(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown platform 'myspace'"):
        workspace.import_files(tmp_path, platform="myspace")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match="no file to import"):
        workspace.import_files(empty)


def test_the_cli_imports_lists_and_undoes(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(tmp_path, FIRST, tweet("101", "2026-01-05 10:00 +0000", "100", "5"))
    root = str(workspace.folder.root)
    workspace.close()
    assert main(["-w", root, "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "imported:" in out and "1 rows read, 1 new, 0 updated" in out
    assert main(["-w", root, "import", "list", "--format", "json"]) == 0
    assert '"rows_accepted": 1' in capsys.readouterr().out
    assert main(["-w", root, "import", "undo", "1"]) == 0
    assert "Undid batch 1: account: 1 removed" in capsys.readouterr().out
    assert main(["-w", root, "import", "undo", "1"]) == 1
    assert "batch 1 is undone" in capsys.readouterr().err
    assert main(["-w", root, "import", str(tmp_path / "nope.csv")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


COSTS_MAPPING = """
- id: my_costs
  name: Costs from the accounting sheet
  entity: costs
  detect: [native_id, amount]
  fields:
    native_id: {columns: [Ref]}
    period_start: {columns: [From], parse: date, formats: ['%d/%m/%Y']}
    period_end: {columns: [To], parse: date, formats: ['%d/%m/%Y']}
    category: {columns: [Kind]}
    amount: {columns: [Amount], parse: number, decimal: ','}
"""


def test_a_mapping_file_reads_a_generic_csv_and_checks_every_value(
    workspace: Workspace, tmp_path: Path
) -> None:
    mapping = tmp_path / "costs.yaml"
    mapping.write_text(COSTS_MAPPING, encoding="utf-8")
    good = tmp_path / "costs.csv"
    good.write_text(
        "Ref;From;To;Kind;Amount\nC1;01/10/2026;31/10/2026;Ads;1 290,50\n"
        "C2;01/10/2026;01/10/2026;staff;12,5\n",
        encoding="utf-8",
    )
    (report,) = workspace.import_files(good, mapping=mapping)
    assert report.status == "imported", report.message
    rows = workspace.warehouse.rows(
        "SELECT native_id, CAST(category AS VARCHAR), CAST(amount AS DOUBLE), currency "
        "FROM cost ORDER BY 1"
    )
    # Enum values are matched without case; the currency is the workspace's (EUR).
    assert rows == [("C1", "ads", 1290.5, "EUR"), ("C2", "staff", 12.5, "EUR")]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Ref;From;To;Kind;Amount\nC3;01/10/26;31/10/2026;ads;10\n"
        "C4;10/10/2026;01/10/2026;ads;10\nC5;01/10/2026;02/10/2026;lunch;10,125\n",
        encoding="utf-8",
    )
    (failed,) = workspace.import_files(bad, mapping=mapping)
    message = failed.message or ""
    assert failed.status == "failed"
    assert "column 2 'From': 1 value(s) not a date (%d/%m/%Y) (row 2: '01/10/26')" in message
    assert "column 3 'To': 1 value(s) not a day on or after the period's start (row 3" in message
    assert "column 4 'Kind': 1 value(s) not one of ads, content, tools, staff, other" in message
    assert "column 5 'Amount': 1 value(s) not an amount with at most 2 decimals" in message
    assert workspace.warehouse.scalar("SELECT count(*) FROM cost") == 2


def test_mapping_files_are_checked_before_anything_is_read(
    workspace: Workspace, tmp_path: Path
) -> None:
    mapping = tmp_path / "costs.yaml"
    mapping.write_text(
        COSTS_MAPPING.replace(
            "parse: date, formats: ['%d/%m/%Y']}\n    period_end", "}\n    period_end", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as caught:
        workspace.import_files(tmp_path, mapping=mapping)
    assert "'period_start' is a date field, which 'parse: text' cannot fill" in str(
        caught.value.issues.errors[0]
    )


def test_rows_sharing_a_key_refuse_the_file_naming_the_rows(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = export(
        tmp_path,
        FIRST,
        tweet("101", "2026-01-05 10:00 +0000", "100", "5"),
        tweet("102", "2026-01-06 10:00 +0000", "100", "5"),
        tweet("101", "2026-01-07 10:00 +0000", "100", "5"),
        tweet("103", "2026-01-08 10:00 +0000", "100", "5"),
        tweet("102", "2026-01-09 10:00 +0000", "100", "5"),
        tweet("101", "2026-01-10 10:00 +0000", "100", "5"),
    )
    (report,) = workspace.import_files(path)
    assert report.status == "refused"
    # Rows count from the header (row 1); a tweet's text holds a newline, so a record spans
    # two lines, but rows are records.
    assert report.message == (
        f"{FIRST}: refused, several rows have the same native_id "
        "(101 on rows 2, 4, 7; 102 on rows 3, 6); nothing was imported"
    )
    assert posts(workspace) == []
