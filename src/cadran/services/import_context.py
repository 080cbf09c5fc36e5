"""What an import takes from outside the rows: the account, the period of a report, the
snapshot date, the currency — from the file's name, its comment lines or the user's options."""

from __future__ import annotations

import re
from datetime import date, datetime

from cadran.core.errors import DataError
from cadran.core.exports import AccountSource, ExportType, Layout
from cadran.plan.sql import ident
from cadran.plan.sql import text as sql_text
from cadran.services.import_model import ImportOptions
from cadran.sources.files import Table
from cadran.store.entities import Entity
from cadran.store.staging import ensure_account
from cadran.store.warehouse import Warehouse


def import_constants(
    wh: Warehouse,
    table: Table,
    layout: Layout,
    ent: Entity,
    batch: int,
    options: ImportOptions,
    rows: str,
) -> dict[str, str | None]:
    """Values for every row of ``table``: ``rows`` is the relation of its parsed rows, where
    an account may be read from a field (an X post's link names its account)."""
    export = layout.export
    out: dict[str, str | None] = dict(export.constants)
    names = {f.name for f in ent.fields}
    if "platform" in names and export.platform:
        out["platform"] = export.platform
    if ent.field("account") is not None and export.platform:
        handle = options.account or _account_handle(wh, table, layout, rows)
        # Every export of a platform is some account's, even where the table allows none.
        if handle is None:
            raise DataError(
                f"{table.where}: the export does not say which {export.platform} account it "
                "is from; give it with --account NAME"
            )
        out["account"] = str(ensure_account(wh, export.platform, handle, batch))
    if "currency" in names and "currency" not in layout.columns and "currency" not in out:
        out["currency"] = options.currency  # the workspace's, as for rows added from Python
    if export.period is not None:
        start, end = _period(table, export)
        out["period_start"], out["period_end"] = start.isoformat(), end.isoformat()
    if "as_of" in names and "as_of" not in layout.columns and "as_of" not in out:
        if options.as_of is None:
            raise DataError(
                f"{table.where}: the snapshot date is not in the file; give it with "
                "--as-of YYYY-MM-DD (the day the export was made)"
            )
        out["as_of"] = options.as_of.isoformat()
    if layout.dimension is not None and export.dimension_into not in out:
        out[export.dimension_into] = layout.dimension.lower()
    return out


def _account_handle(wh: Warehouse, table: Table, layout: Layout, rows: str) -> str | None:
    for rule in layout.export.account:
        if rule.source is AccountSource.FILENAME:
            m = re.search(rule.pattern, table.path.name)
            if m and m.group(1):
                return m.group(1)
        elif rule.field is not None and rule.field in layout.columns:
            value = ident(rule.field)
            found = [
                str(r[0])
                for r in wh.rows(
                    f"SELECT DISTINCT regexp_extract({value}, {sql_text(rule.pattern)}, 1) AS h "
                    f"FROM {rows} WHERE h <> '' ORDER BY h LIMIT 4"
                )
            ]
            if len(found) > 1:
                raise DataError(
                    f"{table.where}: rows belong to several accounts "
                    f"({', '.join(found[:3])}); import one account per file or give --account"
                )
            if found:
                return found[0]
    return None


def _period(table: Table, export: ExportType) -> tuple[date, date]:
    rule = export.period
    assert rule is not None
    values: dict[str, str] = {}
    for line in table.comments:
        label, _, value = line.partition(":")
        values[label.strip().lower()] = value.strip()
    got = []
    for label in (rule.start, rule.end):
        text = values.get(label.lower())
        if text is None:
            raise DataError(
                f"{table.where}: no '# {label}: ...' line above the table; expected the "
                "report's period in its comment lines"
            )
        try:
            got.append(datetime.strptime(text, rule.format).date())
        except ValueError:
            raise DataError(
                f"{table.where}: '# {label}: {text}' is not a date ({rule.format})"
            ) from None
    if got[1] < got[0]:
        raise DataError(f"{table.where}: the period ends ({got[1]}) before it starts ({got[0]})")
    return got[0], got[1]
