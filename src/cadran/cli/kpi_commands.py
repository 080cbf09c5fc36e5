"""``cadran kpi ...`` and ``cadran explain``: the catalogue and KPI evaluation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cadran.cli import options as opt
from cadran.cli.main import State, app, open_workspace
from cadran.cli.render import print_lines, results_table, to_csv, to_json
from cadran.core.catalogue import Catalogue
from cadran.core.errors import UsageError
from cadran.services.explain import explain_request
from cadran.services.workspace import Workspace

KpiId = Annotated[str, typer.Argument(metavar="KPI_ID", help="A KPI id (see `cadran kpi list`).")]
kpi_app = typer.Typer(help="The KPI catalogue and KPI evaluation.", no_args_is_help=True)
app.add_typer(kpi_app, name="kpi")
out = Console(highlight=False)


def _catalogue_workspace(ctx: typer.Context) -> Workspace | None:
    """The workspace if the folder is one (its own KPIs count), else None (built-ins only)."""
    state: State = ctx.obj
    if (Path(state.workspace) / "cadran.toml").exists():
        return Workspace.open(state.workspace)
    return None


def _catalogue(ctx: typer.Context) -> Catalogue:
    ws = _catalogue_workspace(ctx)
    if ws is not None:
        try:
            return ws.catalogue
        finally:
            ws.close()
    from cadran.services.definitions import load_catalogue

    catalogue, issues = load_catalogue()
    issues.raise_if_errors()
    return catalogue


@kpi_app.command("list")
def kpi_list(
    ctx: typer.Context,
    category: Annotated[str | None, typer.Option("--category", help="Only this category.")] = None,
    lang: opt.LangOpt = opt.Lang.en,
    fmt: opt.Format = opt.OutputFormat.table,
) -> None:
    """List the KPIs of the catalogue (built-in and the workspace's own)."""
    catalogue = _catalogue(ctx)
    if category is not None and category not in catalogue.categories:
        raise UsageError(
            f"unknown category {category!r}: expected one of {', '.join(catalogue.categories)}"
        )
    kpis = [k for k in catalogue.kpis.values() if category in (None, k.category)]
    kpis.sort(key=lambda k: (list(catalogue.categories).index(k.category), k.id))
    lg = lang.value
    rows: list[dict[str, object]] = [
        {
            "id": k.id,
            "name": k.name.get(lg),
            "category": k.category,
            "category_name": catalogue.categories[k.category].name.get(lg),
            "unit": k.unit.value,
            "direction": k.direction.value,
            "aggregation": k.aggregation.value,
            "formula": k.formula,
            "seeds": list(k.seeds),
            "builtin": k.builtin,
        }
        for k in kpis
    ]
    if fmt is opt.OutputFormat.json:
        print_lines(out, json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt is opt.OutputFormat.csv:
        import pandas as pd

        print_lines(out, pd.DataFrame(rows).to_csv(index=False, lineterminator="\n"))
        return
    table = Table(header_style="bold")
    for col in (
        "id",
        "name" if lg == "en" else "nom",
        "category" if lg == "en" else "catégorie",
        "unit",
        "formula",
    ):
        table.add_column(col)
    for k in kpis:
        table.add_row(
            k.id,
            k.name.get(lg),
            catalogue.categories[k.category].name.get(lg),
            k.unit.value,
            k.formula,
        )
    out.print(table)
    out.print(f"{len(rows)} KPI(s)", highlight=False)


@kpi_app.command("show")
def kpi_show(
    ctx: typer.Context,
    kpi_id: KpiId,
    lang: opt.LangOpt = opt.Lang.en,
) -> None:
    """Show one KPI: definition, formula, aggregation, breakdowns, benchmarks."""
    catalogue = _catalogue(ctx)
    bound = catalogue.get(kpi_id)
    k, lg = bound.kpi, lang.value
    from cadran.core.bound import bound_text

    lines = [
        f"{k.id} — {k.name.get(lg)}",
        "",
        k.description.get(lg),
        "",
        f"category     {catalogue.categories[k.category].name.get(lg)}",
        f"formula      {k.formula}",
        f"computed as  {bound_text(bound.expr)}",
        f"unit         {k.unit.value}",
        f"direction    {k.direction.value}",
        f"aggregation  {k.aggregation.value}",
        f"breakdowns   {', '.join(sorted(bound.dimensions)) or 'none (period only)'}",
        f"data from    {', '.join(catalogue.model.facts[f].label.get(lg) for f in bound.facts)}",
        f"seeds        {', '.join(k.seeds) or '—'}",
        f"defined in   {k.file} line {k.line}",
    ]
    for source in k.sources:
        lines.append(f"source       {source}")
    for bench in catalogue.benchmarks.get(k.id, ()):
        lines.append("")
        lines.append(f"benchmark    {bench.source}")
        lines.append(f"             {bench.method.get(lg)}")
        for band in bench.bands:
            low = "" if band.low is None else f"{band.low:g}"
            high = "" if band.high is None else f"{band.high:g}"
            lines.append(f"             {band.level.value:<14} {low} .. {high}")
        if bench.note:
            lines.append(f"             note: {bench.note.get(lg)}")
    print_lines(out, "\n".join(lines))


@kpi_app.command("eval")
def kpi_eval(
    ctx: typer.Context,
    kpi_ids: Annotated[list[str], typer.Argument(metavar="KPI_ID...", help="KPI ids.")],
    period: opt.Period = None,
    start: opt.Start = None,
    end: opt.End = None,
    grain: opt.GrainOpt = None,
    by: opt.By = None,
    platform: opt.PlatformOpt = None,
    compare: opt.CompareOpt = "previous",
    fmt: opt.Format = opt.OutputFormat.table,
    lang: opt.LangOpt = opt.Lang.en,
    model: opt.ModelOpt = None,
) -> None:
    """Evaluate KPIs for a period, broken down and compared."""
    with open_workspace(ctx) as ws:
        request = ws.request(
            opt.split_list(kpi_ids),
            period=period,
            start=start,
            end=end,
            grain=grain,
            by=opt.split_list(by),
            platform=platform,
            compare=compare,
            model=model,
        )
        result = ws.evaluate(request)
        frame = result.frame
        if fmt is opt.OutputFormat.json:
            print_lines(out, to_json(frame))
        elif fmt is opt.OutputFormat.csv:
            print_lines(out, to_csv(frame))
        else:
            labels = {p.start: p.label for p in result.periods}
            out.print(
                results_table(
                    frame,
                    ws.catalogue,
                    result.query.dimensions,
                    lang.value,
                    ws.config.currency,
                    labels,
                )
            )


@app.command("explain")
def explain(
    ctx: typer.Context,
    kpi_id: KpiId,
    period: opt.Period = None,
    start: opt.Start = None,
    end: opt.End = None,
    grain: opt.GrainOpt = None,
    by: opt.By = None,
    platform: opt.PlatformOpt = None,
    compare: opt.CompareOpt = "previous",
) -> None:
    """Print how a KPI is computed: its formula, the plan and the generated SQL."""
    with open_workspace(ctx) as ws:
        request = ws.request(
            [kpi_id],
            period=period,
            start=start,
            end=end,
            grain=grain,
            by=opt.split_list(by),
            platform=platform,
            compare=compare,
        )
        print_lines(out, explain_request(ws, request))


@kpi_app.command("validate")
def kpi_validate(ctx: typer.Context) -> None:
    """Check the workspace's own KPI and benchmark files; print every problem at once."""
    from cadran.services.definitions import load_catalogue, read_user_files
    from cadran.store.folder import WorkspaceFolder

    state: State = ctx.obj
    folder = WorkspaceFolder(Path(state.workspace))
    config = folder.read_config()
    catalogue, issues = load_catalogue(
        tuple(read_user_files(folder.kpi_dir)),
        tuple(read_user_files(folder.benchmark_dir)),
        config.parameters,
    )
    for issue in issues:
        print_lines(out, f"{issue.level.value}: {issue}")
    own = sum(1 for k in catalogue.kpis.values() if not k.builtin)
    errors = len(issues.errors)
    print_lines(
        out,
        f"{own} workspace KPI(s), {len(catalogue.kpis)} in all; "
        f"{errors} error(s), {len(issues.warnings)} warning(s)",
    )
    if errors:
        raise typer.Exit(1)
