"""A workspace: the Python API and the use cases the CLI and the web app call.

import cadran
ws = cadran.open("demo-workspace")
ws.kpi(["engagement_rate", "followers"], period="2026-10", by="platform")
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pandas as pd

from cadran.core.catalogue import Catalogue
from cadran.core.errors import UsageError, WorkspaceError
from cadran.core.exports import ExportType
from cadran.core.issues import IssueSet
from cadran.core.periods import Grain, Period, parse_date, parse_period, periods_between
from cadran.core.scorecard import Scorecard
from cadran.core.spec import suggest
from cadran.plan.compiler import CompiledQuery, compile_request
from cadran.plan.request import Compare, KpiRequest
from cadran.services.currency import check_request_currencies
from cadran.services.definitions import load_catalogue, load_exports, read_user_files
from cadran.services.imports import (
    FileReport,
    ImportOptions,
    Progress,
    expand_paths,
    file_hash,
    import_file,
)
from cadran.services.scorecard_files import load_workspace_scorecard

if TYPE_CHECKING:
    from cadran.services.scorecard import ScorecardResult
from cadran.store.batches import Batch, UndoResult, list_batches, undo
from cadran.store.entities import PLATFORMS
from cadran.store.folder import WorkspaceConfig, WorkspaceFolder
from cadran.store.records import RecordWriter, WriteResult
from cadran.store.warehouse import Warehouse

RESULT_COLUMNS = ("kpi", "period_start", "period_end")
VALUE_COLUMNS = ("value", "numerator", "denominator", "previous_value", "change")


@dataclass(frozen=True)
class Evaluation:
    """A compiled request and its result."""

    query: CompiledQuery
    frame: pd.DataFrame
    periods: tuple[Period, ...]


class Workspace:
    """An open workspace: its settings, its database and its KPI catalogue."""

    def __init__(
        self, folder: WorkspaceFolder, config: WorkspaceConfig, warehouse: Warehouse
    ) -> None:
        self.folder = folder
        self.config = config
        self.warehouse = warehouse
        self._catalogue: Catalogue | None = None
        self.warnings: IssueSet = IssueSet()

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open an existing workspace folder."""
        folder = WorkspaceFolder(Path(path))
        config = folder.read_config()
        warehouse = Warehouse.open(folder.database_path, config.timezone, config.memory_limit)
        return cls(folder, config, warehouse)

    @classmethod
    def init(
        cls,
        path: str | Path,
        *,
        timezone: str = "UTC",
        currency: str = "EUR",
        name: str | None = None,
    ) -> Workspace:
        """Create a workspace folder with an empty database, and open it."""
        root = Path(path)
        folder = WorkspaceFolder(root)
        config = folder.create(name or root.resolve().name or "cadran", timezone, currency)
        warehouse = Warehouse.open(folder.database_path, config.timezone, config.memory_limit)
        return cls(folder, config, warehouse)

    def close(self) -> None:
        """Close the database."""
        self.warehouse.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Workspace {self.config.name!r} at {str(self.folder.root)!r}>"

    # -- definitions ------------------------------------------------------------------------
    @property
    def catalogue(self) -> Catalogue:
        """The built-in KPIs plus the workspace's own, validated together."""
        if self._catalogue is None:
            catalogue, issues = load_catalogue(
                tuple(read_user_files(self.folder.kpi_dir)),
                tuple(read_user_files(self.folder.benchmark_dir)),
                self.config.parameters,
            )
            issues.raise_if_errors()
            self.warnings = IssueSet(issues.warnings)
            self._catalogue = catalogue
        return self._catalogue

    def scorecard(self, today: date | None = None) -> Scorecard:
        """The workspace's ``scorecard.yaml``, validated against its catalogue.

        Every problem is raised at once as a :class:`DefinitionError` naming files and lines.
        Relative dates in the file count from the end of the data (or ``today``).
        """
        return load_workspace_scorecard(self, today)[0]

    def score(self, period: str | None = None, *, lang: str = "en") -> ScorecardResult:
        """The workspace's scorecard scored for ``period`` (default: the last complete month);
        ``cadran.services.scorecard.result_dict`` turns the result into plain data."""
        from cadran.services.scorecard import score_scorecard  # it builds on this module

        return score_scorecard(self, self.scorecard(), self.resolve_periods(period)[0], lang=lang)

    # -- data -------------------------------------------------------------------------------
    def add(
        self,
        entity: str,
        rows: pd.DataFrame | Iterable[Mapping[str, Any]],
        *,
        origin: Mapping[str, str] | None = None,
        source: str = "python api",
    ) -> WriteResult:
        """Add (or update) rows of ``entity``: posts, account_daily, messages, leads...

        Rows are matched on their natural key, so adding the same rows again changes nothing.
        ``origin`` marks measured fields as 'computed' or 'estimated' (default 'native').
        """
        return RecordWriter(self.warehouse).write(
            entity, rows, source=source, origin=origin, currency=self.config.currency
        )

    def import_files(
        self,
        paths: str | Path | Sequence[str | Path],
        *,
        platform: str | None = None,
        account: str | None = None,
        year: int | None = None,
        as_of: date | str | None = None,
        dry_run: bool = False,
        skip_bad_rows: bool = False,
        mapping: str | Path | None = None,
        progress: Progress | None = None,
    ) -> list[FileReport]:
        """Import export files (and the files of folders), one batch per file.

        The platform and export type are recognised from each file's content; ``platform``
        restricts the candidates. ``mapping`` is a YAML file of export types (the generic
        import of CSV/XLSX files); the workspace's own ``exports/*.yaml`` are always known.
        Files that fail leave nothing behind; the reports say what happened to each.
        """
        if platform is not None and platform not in PLATFORMS:
            raise UsageError(
                f"unknown platform {platform!r}: expected one of {', '.join(PLATFORMS)}"
            )
        if isinstance(as_of, str):
            as_of = parse_date(as_of)
        items = [paths] if isinstance(paths, str | Path) else list(paths)
        files = expand_paths(Path(p) for p in items)
        if not files:
            raise UsageError("no file to import: the folders given are empty")
        exports = self.export_types(Path(mapping) if mapping is not None else None)
        # A file imported again with another mapping is a new import, not a repeat.
        mapping_hash = file_hash(Path(mapping))[:16] if mapping is not None else None
        options = ImportOptions(
            platform,
            account,
            year,
            as_of,
            dry_run,
            skip_bad_rows,
            getpass.getuser(),
            self.config.currency,
            mapping_hash,
        )
        return [import_file(self.warehouse, f, exports, options, progress) for f in files]

    def export_types(self, mapping: Path | None = None) -> tuple[ExportType, ...]:
        """Export types known to this workspace (or only those of a mapping file)."""
        if mapping is not None:
            if not mapping.is_file():
                raise UsageError(f"{mapping}: no such mapping file")
            user = tuple(read_user_files(mapping.parent, [mapping.name]))
        else:
            user = tuple(read_user_files(self.folder.root / "exports"))
        exports, issues = load_exports(user)
        issues.raise_if_errors()
        if mapping is not None:
            names = {str(mapping)}
            return tuple(e for e in exports if e.file in names)
        return exports

    def batches(self) -> list[Batch]:
        """Every import batch, oldest first."""
        return list_batches(self.warehouse)

    def undo(self, batch_id: int) -> UndoResult:
        """Undo an import batch: its rows go, the rows it replaced come back."""
        return undo(self.warehouse, batch_id, now=datetime.now(ZoneInfo("UTC")))

    def today(self) -> date:
        """Today in the workspace's time zone."""
        return datetime.now(ZoneInfo(self.config.timezone)).date()

    # -- periods ----------------------------------------------------------------------------
    def resolve_periods(
        self,
        period: str | None = None,
        start: str | date | None = None,
        end: str | date | None = None,
        grain: str | Grain | None = None,
        today: date | None = None,
    ) -> tuple[Period, ...]:
        """The periods a request covers, from the same arguments as the CLI."""
        g = Grain.parse(grain) if isinstance(grain, str) else grain
        if period is not None and (start is not None or end is not None):
            raise UsageError("give either a period or --from/--to, not both")
        if (start is None) != (end is None):
            raise UsageError("give both --from and --to")
        if start is not None and end is not None:
            first = start if isinstance(start, date) else parse_date(start, what="--from date")
            last = end if isinstance(end, date) else parse_date(end, what="--to date")
            if g is None:
                return (Period.custom(first, last),)
            return tuple(periods_between(first, last, g))
        p = parse_period(period) if period is not None else self._default_period(today)
        if g is None or g is p.grain:
            return (p,)
        return tuple(periods_between(p.start, p.last_day, g))

    def _default_period(self, today: date | None) -> Period:
        """The last complete month, or the last month with data if that one is empty."""
        current = Period.of(today or self.today(), Grain.MONTH)
        last_complete = current.previous()
        span = self.warehouse.date_range()
        if span is not None and span[1] < last_complete.start:
            return Period.of(span[1], Grain.MONTH)
        return last_complete

    # -- evaluation -------------------------------------------------------------------------
    def request(
        self,
        kpis: str | Sequence[str],
        *,
        period: str | None = None,
        start: str | date | None = None,
        end: str | date | None = None,
        grain: str | Grain | None = None,
        by: str | Sequence[str] | None = None,
        platform: str | Sequence[str] | None = None,
        compare: str | Compare | None = "previous",
        today: date | None = None,
        campaign: str | Sequence[str] | None = None,
        model: str | None = None,
    ) -> KpiRequest:
        """Build and check a request (see :meth:`kpi` for the arguments)."""
        ids = [kpis] if isinstance(kpis, str) else list(kpis)
        if not ids:
            raise UsageError("name at least one KPI")
        bound = tuple(self.catalogue.get(k) for k in dict.fromkeys(ids))
        periods = self.resolve_periods(period, start, end, grain, today)
        dims = (by,) if isinstance(by, str) else tuple(by or ())
        filters: dict[str, tuple[str, ...]] = {}
        if platform:
            values = (platform,) if isinstance(platform, str) else tuple(platform)
            for v in values:
                if v not in PLATFORMS:
                    raise UsageError(
                        f"unknown platform {v!r}: expected one of {', '.join(PLATFORMS)}"
                    )
            filters["platform"] = values
        if campaign:
            filters["campaign"] = self._campaign_ids(
                (campaign,) if isinstance(campaign, str) else tuple(campaign)
            )
        cmp = compare if isinstance(compare, Compare) else Compare.parse(compare)
        attribution = None
        if model is not None:
            from cadran.services.conversion_settings import conversion_settings

            attribution = conversion_settings(self)[0].model(model)
        return KpiRequest(bound, periods, dims, filters, cmp, attribution)

    def _campaign_ids(self, names: Sequence[str]) -> tuple[str, ...]:
        """The ids of campaigns named ``names`` (the KPI engine filters on ids)."""
        known = dict(self.warehouse.rows("SELECT name, campaign_id FROM campaign"))
        missing = [n for n in names if n not in known]
        if missing:
            hint = suggest(missing[0], known)
            raise UsageError(
                f"unknown campaign {missing[0]!r}"
                + (f"; {hint}" if hint else f": the workspace has {len(known)} campaign(s)")
            )
        return tuple(str(known[n]) for n in names)

    def compile(self, request: KpiRequest) -> CompiledQuery:
        """The query a request compiles to."""
        return compile_request(self.catalogue.model, request)

    def evaluate(self, request: KpiRequest) -> Evaluation:
        """Run a request and return its result."""
        if not self.warehouse.has_data():
            raise WorkspaceError(
                f"workspace {str(self.folder.root)!r} holds no data yet; add data with the "
                f"Python API or build a demo with `cadran demo`"
            )
        query = self.compile(request)
        if any("qualified_interaction" in b.facts for b in request.kpis):
            # Its view reads the workspace's GA4 settings, which live in cadran.toml.
            from cadran.services.reported import use_reported_conversions

            use_reported_conversions(self)
        check_request_currencies(
            self, request, query.data_start, query.data_end - timedelta(days=1)
        )
        if request.attribution is not None:
            from cadran.services.attribution import attributed_model, model_dimension

            semantic = attributed_model(
                self,
                request.attribution,
                query.data_start,
                query.data_end - timedelta(days=1),
                dimension=model_dimension(request),
            )
            query = compile_request(semantic, request)
        raw = self.warehouse.frame(query.sql)
        return Evaluation(query, _finish(raw, request, query), request.periods)

    def kpi(
        self,
        kpis: str | Sequence[str],
        *,
        period: str | None = None,
        start: str | date | None = None,
        end: str | date | None = None,
        grain: str | Grain | None = None,
        by: str | Sequence[str] | None = None,
        platform: str | Sequence[str] | None = None,
        compare: str | Compare | None = "previous",
        campaign: str | Sequence[str] | None = None,
        model: str | None = None,
    ) -> pd.DataFrame:
        """Evaluate KPIs; one row per KPI, period and breakdown key.

        Args:
            kpis: one KPI id or several.
            period: a calendar period (``2026``, ``2026-Q4``, ``2026-10``, ``2026-W43``,
                ``2026-10-05``); default the last complete month.
            start, end: a custom range of days instead (both included).
            grain: split the period or range into days, weeks, months, quarters or years.
            by: breakdown(s): platform, account, campaign, format, topic, post.
            platform: keep only these platforms.
            campaign: keep only these campaigns (by name).
            compare: ``previous`` (default), ``year`` or ``none``.
            model: an attribution model (``first_touch``, ``last_touch``, ``linear``,
                ``time_decay``, ``position_based``, ``markov``): revenue, customers and leads
                are then credited to the touchpoints before them rather than to the source
                recorded on each row (see docs/roi.md).

        Returns columns kpi, period_start, period_end, the breakdown keys, value,
        numerator, denominator, previous_value and change (percent change from
        previous_value, empty when previous_value is 0 or negative). A zero denominator
        gives no value (NaN), never 0.
        """
        request = self.request(
            kpis,
            period=period,
            start=start,
            end=end,
            grain=grain,
            by=by,
            platform=platform,
            compare=compare,
            campaign=campaign,
            model=model,
        )
        return self.evaluate(request).frame


def _finish(raw: pd.DataFrame, request: KpiRequest, query: CompiledQuery) -> pd.DataFrame:
    """Add period ends and changes; order and type the columns."""
    ends = {p.start: p.last_day for p in request.periods}
    frame = raw.copy()
    starts = pd.to_datetime(frame["period_start"]).dt.date
    frame["period_start"] = starts
    frame["period_end"] = starts.map(ends)
    prev = frame["previous_value"]
    value = frame["value"]
    # A relative change is only meaningful from a positive base: from 0 it is infinite, and
    # from a negative base (a KPI that is itself a change) its sign would mislead.
    with_prev = prev.notna() & (prev > 0)
    frame["change"] = float("nan")
    frame.loc[with_prev, "change"] = (
        (value[with_prev] - prev[with_prev]) / prev[with_prev].abs() * 100
    )
    columns = [*RESULT_COLUMNS, *query.dimensions, *VALUE_COLUMNS]
    frame = frame[columns].reset_index(drop=True)
    for c in VALUE_COLUMNS:
        frame[c] = frame[c].astype("float64")
    return frame
