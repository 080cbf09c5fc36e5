"""Large exports (over 8 MB): parsed as DuckDB reads them, with the same results and messages as
small ones, and the old way when DuckDB's parallel reader refuses the file."""

from __future__ import annotations

from pathlib import Path

from cadran.services.workspace import Workspace

HEADER = (
    '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements",'
    '"engagement rate","retweets","replies","likes","user profile clicks","url clicks"'
)
NAME = "tweet_activity_metrics_acme_20260101_20260201_en.csv"
ROWS = 30_000  # about 10 MB with the padding below: over the 8 MB of a large file
PADDING = "lorem ipsum dolor sit amet " * 10


def row(i: int, impressions: str | None = None, extra: str = "") -> str:
    shown = impressions if impressions is not None else f"{100 + i % 50}.0"
    return (
        f'"{1000 + i}","https://twitter.com/acme/status/{1000 + i}","Tweet {i} ""q""\n{PADDING}",'
        f'"2026-01-{1 + i % 28:02d} 10:00 +0000","{shown}","5","0.05","1","1","2","0","1"{extra}'
    )


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 8_000_000
    return path


def test_a_large_export_imports_every_row_in_order(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / NAME, [row(i) for i in range(ROWS)])
    (report,) = workspace.import_files(path)
    assert report.status == "imported", report.message
    assert (report.tables[0].rows_read, report.tables[0].inserted) == (ROWS, ROWS)
    first, last, total, texts = workspace.warehouse.rows(
        "SELECT min(native_id::BIGINT), max(native_id::BIGINT), sum(impressions), "
        "count(*) FILTER (WHERE text LIKE 'Tweet % \"q\"\n%') FROM post"
    )[0]
    assert (first, last, texts) == (1000, 1000 + ROWS - 1, ROWS)
    assert total == sum(100 + i % 50 for i in range(ROWS))
    # New posts are numbered in the file's order.
    ordered = workspace.warehouse.scalar(
        "SELECT bool_and(ok) FROM (SELECT lag(native_id::BIGINT) OVER (ORDER BY post_id) "
        "< native_id::BIGINT AS ok FROM post) WHERE ok IS NOT NULL"
    )
    assert ordered


def test_bad_values_of_a_large_export_are_shown_as_written_by_row(
    workspace: Workspace, tmp_path: Path
) -> None:
    rows = [row(i) for i in range(ROWS)]
    rows[20_000] = row(20_000, impressions="12,5 k")
    rows[25_000] = row(25_000, impressions="-3")
    (report,) = workspace.import_files(write(tmp_path / NAME, rows))
    assert report.status == "failed"
    # Rows count records: the header is row 1, so the file's 20,001st record is row 20,002.
    assert (
        "column 5 'impressions': 2 value(s) not a whole number of 0 or more "
        "(row 20002: '12,5 k'; row 25002: '-3')" in (report.message or "")
    )
    assert workspace.warehouse.scalar("SELECT count(*) FROM post") == 0
    # With --skip-bad-rows, the other rows go in.
    (skipped,) = workspace.import_files(tmp_path / NAME, skip_bad_rows=True)
    assert skipped.status == "imported"
    assert (skipped.tables[0].inserted, skipped.tables[0].rejected) == (ROWS - 2, 2)


def test_a_large_export_with_short_rows_is_read_the_serial_way(
    workspace: Workspace, tmp_path: Path
) -> None:
    rows = [row(i) for i in range(ROWS)]
    rows[-1] = rows[-1].rsplit(",", 2)[0]  # the last record lacks two cells
    (report,) = workspace.import_files(write(tmp_path / NAME, rows))
    assert report.status == "imported", report.message
    assert report.tables[0].inserted == ROWS
    missing = workspace.warehouse.rows(
        "SELECT profile_visits, clicks FROM post WHERE native_id = ?", [str(1000 + ROWS - 1)]
    )
    assert missing == [(None, None)]
