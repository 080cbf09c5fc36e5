"""What an import is told and what it reports, shared by the steps of an import."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cadran.core.errors import DataError

MAX_PROBLEMS = 12
# Temporary tables and views of the import of one table.
RAW = "_cadran_raw"
PARSED = "_cadran_parsed"
SOURCE = "_cadran_source"
REJECTED = "_cadran_rejected"
# Called with (what is being done, rows done, rows in all) for progress bars.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    """What the user told the import about the files."""

    platform: str | None = None
    account: str | None = None
    year: int | None = None
    as_of: date | None = None
    dry_run: bool = False
    skip_bad_rows: bool = False
    user: str | None = None
    currency: str | None = None
    mapping: str | None = None  # hash of the mapping file used, if any

    def key(self) -> str:
        """The options that change what a file imports, as recorded with its batch."""
        given = {
            "platform": self.platform,
            "account": self.account,
            "year": self.year,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "skip_bad_rows": self.skip_bad_rows or None,
            "mapping": self.mapping,
        }
        return json.dumps({k: v for k, v in given.items() if v is not None}, sort_keys=True)


@dataclass(frozen=True)
class TableReport:
    """What happened to one table of a file."""

    where: str
    export_type: str | None = None
    export_name: str | None = None
    entity: str | None = None
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    note: str | None = None  # why it was not imported


@dataclass(frozen=True)
class FileReport:
    """What happened to one file."""

    path: Path
    status: str  # imported, unchanged, refused, failed, dry-run
    message: str | None = None
    batch_id: int | None = None
    tables: tuple[TableReport, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the file was (or, in a dry run, would be) imported."""
        return self.status in ("imported", "unchanged", "dry-run")


class RefusedError(DataError):
    """A file that must not be imported at all (ids mangled by a spreadsheet...)."""
