"""``cadran roi`` and ``cadran attribution``: what each action returns, under each model."""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from cadran.cli import options as opt
from cadran.cli.main import app, open_workspace
from cadran.cli.render import print_lines, to_csv, to_records
from cadran.services.attribution import attribution_report
from cadran.services.roi import roi_report

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

RoiBy = Annotated[
    str,
    typer.Option("--by", "-b", help="Rank campaigns, platforms, pillars or channels."),
]
AttributionBy = Annotated[
    str,
    typer.Option("--by", "-b", help="Credit channels, platforms, campaigns or pillars."),
]
Models = Annotated[
    str,
    typer.Option(
        "--models",
        help="'all' or a comma-separated list: first_touch, last_touch, linear, "
        "time_decay[:DAYS], position_based[:F/M/L], markov.",
    ),
]
Conversions = Annotated[
    str,
    typer.Option(
        "--conversions",
        help="What to attribute, comma-separated: customers, orders, leads, "
        "qualified_interactions.",
    ),
]
_SHORT = {"first_touch": "First", "last_touch": "Last", "linear": "Linear",
          "time_decay": "Decay", "position_based": "Position", "markov": "Markov"}  # fmt: skip
_VERDICT_STYLE = {"scale up": "green", "stop": "red", "keep": "", "too small to say": "dim"}


def _money(value: object) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return f"{float(value):,.0f}"  # type: ignore[arg-type]


def _number(value: object, digits: int = 1) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def _printed(fmt: opt.OutputFormat, frame: pd.DataFrame, document: Mapping[str, object]) -> bool:
    """Print ``document`` as JSON or ``frame`` as CSV; False for a table (left to the caller)."""
    if fmt is opt.OutputFormat.json:
        print_lines(out, json.dumps(document, ensure_ascii=False, indent=2))
        return True
    if fmt is opt.OutputFormat.csv:
        print_lines(out, to_csv(frame))
        return True
    return False


def _warn(warnings: tuple[str, ...] | list[str]) -> None:
    for warning in warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}")


# The ad platforms' own purchases: their columns, and the width below which they get a table of
# their own.
_CLAIMED = ("Platform\npurch.", "Cost/p.p.")
_WIDE = 110


def _claimed(row: Mapping[Hashable, Any]) -> list[str]:
    return [
        _number(row["platform_purchases"], 0),
        _number(row["cost_per_platform_purchase"], 2),
    ]


@app.command("roi")
def roi_command(
    ctx: typer.Context,
    period: opt.Period = None,
    start: opt.Start = None,
    end: opt.End = None,
    by: RoiBy = "campaign",
    model: opt.ModelOpt = None,
    fmt: opt.Format = opt.OutputFormat.table,
) -> None:
    """Rank actions by ROI, with their costs, credited conversions and a verdict."""
    with open_workspace(ctx) as ws:
        report = roi_report(ws, period=period, start=start, end=end, by=by, model=model)
        frame = report.frame
        document = {
            "period": [report.first_day.isoformat(), report.last_day.isoformat()],
            "by": report.by,
            "model": report.model,
            "currency": ws.config.currency,
            "actions": to_records(frame),
            "warnings": list(report.warnings),
        }
        if _printed(fmt, frame, document):
            return
        out.print(
            f"ROI by {report.by}, {report.first_day} to {report.last_day}, {report.model} "
            f"(amounts in {ws.config.currency})"
        )
        # The ad platforms' own purchases, when the workspace has ad reports: evidence beside
        # Cadran's orders, never part of them.
        claimed = bool(frame["platform_purchases"].notna().any())
        # On a narrow terminal they get a table of their own, so that the verdicts still fit.
        beside = claimed and out.width >= _WIDE
        key = report.by.capitalize()
        table = Table(header_style="bold")
        # The action's name wraps rather than vanish when a narrow terminal squeezes the table.
        table.add_column(key, ratio=2, min_width=14)
        names = ["Cost", "Orders", "Revenue", "ROI", "CAC"]
        for name in [*names, *(_CLAIMED if beside else [])]:
            table.add_column(name, justify="right", no_wrap=True)
        table.add_column("Verdict", ratio=1, min_width=7)
        rows = frame.to_dict(orient="records")
        for row in rows:
            verdict = row["verdict"] if isinstance(row["verdict"], str) else ""
            table.add_row(
                str(row[report.by]),
                _money(row["cost"]),
                _number(row["orders"]),
                _money(row["revenue"]),
                _number(row["roi"], 2),
                _money(row["cac"]),
                *(_claimed(row) if beside else []),
                f"[{style}]{verdict}[/]" if (style := _VERDICT_STYLE.get(verdict)) else verdict,
            )
        out.print(table)
        if claimed and not beside:
            table = Table(header_style="bold")
            table.add_column(key, ratio=1, min_width=14)
            for name in _CLAIMED:
                table.add_column(name, justify="right", no_wrap=True)
            for row in rows:
                table.add_row(str(row[report.by]), *_claimed(row))
            out.print(table)
        if claimed:
            out.print(
                "Platform purch.: purchases the ad platform attributes to its ads (its own "
                "attribution window), and Cost/p.p. its spend per purchase; evidence only, the "
                "verdicts rest on Cadran's orders."
            )
        for row in frame.to_dict(orient="records"):
            if isinstance(row["verdict"], str):
                out.print(f"- {row[report.by]}: {row['verdict']} ({row['reason']})")
        _warn(report.warnings)


@app.command("attribution")
def attribution_command(
    ctx: typer.Context,
    period: opt.Period = None,
    start: opt.Start = None,
    end: opt.End = None,
    models: Models = "all",
    by: AttributionBy = "channel",
    conversions: Conversions = "customers,orders",
    fmt: opt.Format = opt.OutputFormat.table,
) -> None:
    """Credit conversions and revenue to channels (platforms, campaigns, pillars) under
    several attribution models, side by side."""
    with open_workspace(ctx) as ws:
        kinds = [k.strip() for k in conversions.split(",") if k.strip()]
        frame, runs = attribution_report(
            ws, period=period, start=start, end=end, models=models, by=by, conversions=kinds
        )
        warnings = [w for run in runs for w in run.warnings]
        if _printed(fmt, frame, {"credits": to_records(frame), "warnings": warnings}):
            return
        dimension = frame.columns[2]
        for run in runs:
            part = frame[frame["conversion"] == run.kind]
            measure = "value" if run.kind == "orders" else "conversions"
            wide = part.pivot_table(
                index=dimension, columns="model", values=measure, aggfunc="sum", sort=False
            )
            names = [m.name for m in run.models if m.name in wide.columns]
            # Every model column, then the key, breaks ties: rows come from SQL in no set order.
            wide = wide[names] if names else wide
            wide = wide.sort_index().sort_values(names, ascending=False, kind="stable")
            what = "Revenue" if run.kind == "orders" else run.kind.replace("_", " ").capitalize()
            out.print(
                f"{what} credited by model, {run.first_day} to {run.last_day} "
                f"({run.conversions:,} {run.kind.replace('_', ' ')}"
                + (f", amounts in {ws.config.currency})" if run.kind == "orders" else ")")
            )
            table = Table(header_style="bold")
            table.add_column(str(dimension).capitalize())
            for model in run.models:
                if model.name in names:
                    table.add_column(_SHORT.get(model.name, model.label), justify="right")
            for key, values in wide.iterrows():
                cells = [_money(values[n]) if run.kind == "orders" else _number(values[n])
                         for n in names]  # fmt: skip
                table.add_row(str(key), *cells)
            out.print(table)
            markov = part[part["model"] == "markov"].sort_values(
                ["removal_effect", dimension], ascending=[False, True], kind="stable"
            )
            if not markov.empty:
                effects = ", ".join(
                    f"{key} {100 * effect:.1f} %"
                    for key, effect in zip(markov[dimension], markov["removal_effect"], strict=True)
                    if not pd.isna(effect)
                )
                out.print(f"Markov removal effects ({run.kind.replace('_', ' ')}): {effects}")
        _warn(warnings)
