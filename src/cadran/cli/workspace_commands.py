"""``cadran init`` (with scorecard templates), ``cadran demo`` and ``cadran overview``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from cadran.cli import options as opt
from cadran.cli.main import State, app
from cadran.cli.render import BAND_LABELS, format_change, format_value, results_table
from cadran.core.errors import UsageError
from cadran.services.overview import Overview, build_overview
from cadran.services.scorecard_files import (
    install_template,
    reference_date,
    template_names,
    template_source,
)
from cadran.services.workspace import Workspace
from cadran.store.folder import CONFIG_NAME

out = Console(highlight=False)


def _target(ctx: typer.Context, directory: Path | None) -> Path:
    state: State = ctx.obj
    return directory if directory is not None else state.workspace


@app.command("init")
def init(
    ctx: typer.Context,
    directory: opt.Directory = None,
    timezone: Annotated[str, typer.Option(help="IANA time zone periods follow.")] = "UTC",
    currency: Annotated[str, typer.Option(help="ISO 4217 currency code.")] = "EUR",
    name: Annotated[str | None, typer.Option(help="Workspace name.")] = None,
    template: Annotated[
        str | None,
        typer.Option(
            help="Install a scorecard template as scorecard.yaml (into an existing workspace "
            f"too): {', '.join(template_names())}.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With --template, replace an existing scorecard.yaml.")
    ] = False,
) -> None:
    """Create an empty workspace, or give a workspace a scorecard from a template."""
    path = _target(ctx, directory)
    if template is None:
        if force:
            raise UsageError("--force only applies with --template")
        with Workspace.init(path, timezone=timezone, currency=currency, name=name) as ws:
            _print_created(ws, path)
        return
    template_source(template)  # an unknown name fails here, before anything is created
    if (path / CONFIG_NAME).exists():
        ws = Workspace.open(path)
    else:
        ws = Workspace.init(path, timezone=timezone, currency=currency, name=name)
        _print_created(ws, path)
    with ws:
        anchor = reference_date(ws)
        written = install_template(ws, template, force=force, as_of=anchor)
        out.print(
            f"Installed the scorecard template {template!r} as {written} (goal dates counted "
            f"from {anchor.isoformat()}); set its baselines and targets to your own numbers.",
            markup=False,
        )


def _print_created(ws: Workspace, path: Path) -> None:
    out.print(
        f"Created workspace {ws.config.name!r} in {path} "
        f"(time zone {ws.config.timezone}, currency {ws.config.currency}).",
        markup=False,
    )


@app.command("demo")
def demo(
    ctx: typer.Context,
    directory: opt.Directory = None,
    size: Annotated[str, typer.Option(help="S (~10k posts), M (~1M) or L (~10M).")] = "S",
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 42,
    end: Annotated[str | None, typer.Option(help="Last day of data (default: yesterday).")] = None,
    lang: opt.LangOpt = opt.Lang.en,
) -> None:
    """Create a demo workspace with two years of realistic data, then show the KPI overview."""
    path = _target(ctx, directory)
    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        TextColumn("{task.completed:>12,} rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=out, transient=False) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(table: str, done: int, expected: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=max(expected, done) or None)
            bar.update(tasks[table], completed=done, total=max(expected, done) or None)

        from cadran.services.demo import create_demo

        ws = create_demo(path, size=size, seed=seed, end=end, progress=progress)
    with ws:
        out.print(f"Demo workspace ready in {path}.", markup=False)
        _print_overview(build_overview(ws), ws, lang.value)
        out.print(
            f"Next: cadran -w {path} kpi list · cadran -w {path} kpi eval engagement_rate "
            f"followers --period {ws.today().year} --grain quarter --by platform · "
            f"cadran -w {path} explain engagement_rate",
            markup=False,
        )


@app.command("overview")
def overview(
    ctx: typer.Context, period: opt.Period = None, lang: opt.LangOpt = opt.Lang.en
) -> None:
    """Show the headline KPIs of a period against the previous one."""
    state: State = ctx.obj
    with Workspace.open(state.workspace) as ws:
        _print_overview(build_overview(ws, period), ws, lang.value)


def _print_overview(ov: Overview, ws: Workspace, lang: str) -> None:
    title = ("KPI overview" if lang == "en" else "Vue d'ensemble des KPI") + f" — {ov.period.label}"
    table = Table(title=title, header_style="bold", title_justify="left")
    headers = (
        ("KPI", "Value", "Previous", "Change", "Benchmark")
        if lang == "en"
        else ("KPI", "Valeur", "Précédent", "Évolution", "Référence")
    )
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if 0 < i < 4 else "left")
    for line in ov.lines:
        band = BAND_LABELS[lang][line.band] if line.band else ""
        table.add_row(
            line.kpi.name.get(lang),
            format_value(line.value, line.kpi, ws.config.currency, lang),
            format_value(line.previous, line.kpi, ws.config.currency, lang),
            format_change(line.change, line.kpi, lang),
            band,
        )
    out.print(table)
    out.print(
        results_table(
            ov.by_platform,
            ws.catalogue,
            ("platform",),
            lang,
            ws.config.currency,
            {ov.period.start: ov.period.label},
        )
    )
