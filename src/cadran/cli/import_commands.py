"""``cadran import``: import export files, list the batches, undo one."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cadran.cli import options as opt
from cadran.cli.main import app, open_workspace
from cadran.core.errors import DataError, UsageError
from cadran.services.imports import FileReport, TableReport
from cadran.services.workspace import Workspace

out = Console(highlight=False, soft_wrap=True)
# Files above this size show a progress bar while they are read, checked and written.
PROGRESS_BYTES = 5_000_000
_SUBCOMMANDS = ("list", "undo")


@app.command(
    "import",
    context_settings={"allow_interspersed_args": True},
    help="Import export files or folders: cadran import PATH... | import list | import undo BATCH",
)
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders to import; or `list` (the batches) or `undo BATCH`.",
            show_default=False,
        ),
    ],
    platform: Annotated[
        str | None,
        typer.Option(help="Only consider exports of this platform (x, facebook, linkedin...)."),
    ] = None,
    account: Annotated[
        str | None, typer.Option(help="Account the files are from, when they do not say.")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="Year of the first row, for dates written without one.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date of a snapshot export that does not say (YYYY-MM-DD)."),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="YAML file of export types for generic CSV/XLSX files.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would be imported; change nothing.")
    ] = False,
    skip_bad_rows: Annotated[
        bool,
        typer.Option("--skip-bad-rows", help="Import the valid rows of files with bad ones."),
    ] = False,
    fmt: opt.Format = opt.OutputFormat.table,
) -> None:
    """Import files; `import list` shows the batches and `import undo BATCH` undoes one."""
    if paths[0] in _SUBCOMMANDS and not Path(paths[0]).exists():
        with open_workspace(ctx) as ws:
            if paths[0] == "list":
                _list(ws, paths[1:], fmt)
            else:
                _undo(ws, paths[1:])
        return
    with open_workspace(ctx) as ws:
        sizes = [Path(p).stat().st_size for p in paths if Path(p).is_file()]
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=out,
            transient=True,
            disable=not sizes or max(sizes) < PROGRESS_BYTES or fmt != opt.OutputFormat.table,
        ) as bar:
            task = bar.add_task("importing", total=3)

            def progress(what: str, done: int, total: int) -> None:
                bar.update(task, description=what[-60:], completed=done, total=total)

            reports = ws.import_files(
                paths,
                platform=platform,
                account=account,
                year=year,
                as_of=as_of,
                dry_run=dry_run,
                skip_bad_rows=skip_bad_rows,
                mapping=mapping,
                progress=progress,
            )
    if fmt == opt.OutputFormat.json:
        out.print_json(json.dumps([_as_json(r) for r in reports]))
    else:
        for r in reports:
            _print_report(r)
        _print_summary(reports, dry_run)
    if not all(r.ok for r in reports):
        raise typer.Exit(1)


def _as_json(report: FileReport) -> dict[str, object]:
    data = asdict(report)
    data["path"] = str(report.path)
    data["seconds"] = round(report.seconds, 3)
    return data


_MARK = {
    "imported": "imported",
    "unchanged": "unchanged",
    "dry-run": "would import",
    "refused": "REFUSED",
    "failed": "FAILED",
}


def _counts(t: TableReport) -> str:
    parts = [f"{t.rows_read:,} rows read", f"{t.inserted:,} new", f"{t.updated:,} updated"]
    if t.unchanged:
        parts.append(f"{t.unchanged:,} unchanged")
    if t.rejected:
        parts.append(f"{t.rejected:,} rejected")
    parts += [f"{n:,} skipped ({reason})" for reason, n in t.skipped.items()]
    return ", ".join(parts)


def _print_report(r: FileReport) -> None:
    batch = f" (batch {r.batch_id})" if r.batch_id and r.status == "imported" else ""
    out.print(f"{_MARK[r.status]}: {r.path}{batch}", markup=False)
    if r.message and r.status in ("unchanged", "refused", "failed"):
        out.print(f"  {r.message}", markup=False)
    for t in r.tables:
        if t.note is not None:
            if r.status not in ("refused", "failed") or len(r.tables) > 1:
                out.print(f"  - {t.where}: skipped, {t.note}", markup=False)
            continue
        out.print(f"  - {t.where}: {t.export_name} -> {t.entity}: {_counts(t)}", markup=False)
        for problem in t.problems:
            out.print(f"      rejected {problem}", markup=False)


def _print_summary(reports: list[FileReport], dry_run: bool) -> None:
    by: dict[str, int] = {}
    for r in reports:
        by[r.status] = by.get(r.status, 0) + 1
    text = ", ".join(f"{n} {_MARK[s].lower()}" for s, n in by.items())
    prefix = "dry run, nothing was changed: " if dry_run else ""
    out.print(f"{prefix}{len(reports)} file(s): {text}", markup=False)


def _list(ws: Workspace, rest: list[str], fmt: opt.OutputFormat) -> None:
    if rest:
        raise UsageError(f"`cadran import list` takes no argument (got {' '.join(rest)})")
    batches = ws.batches()
    if fmt == opt.OutputFormat.json:
        out.print_json(json.dumps([asdict(b) for b in batches]))
        return
    table = Table("batch", "status", "started (UTC)", "file", "type", "rows", "user")
    table.columns[3].overflow = "fold"
    for b in batches:
        rows = f"{b.rows_read:,} read, {b.rows_accepted:,} accepted"
        if b.rows_rejected:
            rows += f", {b.rows_rejected:,} rejected"
        if b.rows_skipped:
            rows += f", {b.rows_skipped:,} skipped"
        table.add_row(
            str(b.batch_id),
            b.status,
            b.started_at,
            b.source,
            b.export_type or b.kind,
            rows,
            b.user_name or "",
        )
    out.print(table)


def _undo(ws: Workspace, rest: list[str]) -> None:
    if len(rest) != 1 or not rest[0].isdigit():
        raise UsageError(
            "give the batch to undo: cadran import undo BATCH (see cadran import list)"
        )
    result = ws.undo(int(rest[0]))
    if not result.deleted and not result.restored:
        raise DataError(f"batch {result.batch_id} had no rows left to undo; marked as undone")
    changes = ", ".join(
        f"{table}: {result.deleted.get(table, 0):,} removed, "
        f"{result.restored.get(table, 0):,} restored"
        for table in sorted(set(result.deleted) | set(result.restored))
    )
    out.print(f"Undid batch {result.batch_id}: {changes}.", markup=False)
