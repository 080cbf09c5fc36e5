"""``cadran scorecard``, ``cadran map`` and ``cadran check``: the balanced scorecard."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from cadran.cli import options as opt
from cadran.cli.main import app, open_workspace
from cadran.cli.render import print_lines
from cadran.cli.scorecard_render import scorecard_markdown, scorecard_table
from cadran.core.errors import UsageError
from cadran.core.issues import Level
from cadran.reports.strategy_map import render_map
from cadran.services.scorecard import result_dict, score_scorecard
from cadran.services.scorecard_check import check_scorecard

out = Console(highlight=False)
# The tree is wide: when printed to a file or a pipe, do not squeeze it into 80 columns.
wide = Console(highlight=False, width=None if out.is_terminal else 180)


class CardFormat(StrEnum):
    """How the scorecard is printed."""

    table = "table"
    json = "json"
    md = "md"


class MapFormat(StrEnum):
    """How the strategy map is drawn."""

    svg = "svg"
    mermaid = "mermaid"
    dot = "dot"


class CheckFormat(StrEnum):
    """How the checker's findings are printed."""

    table = "table"
    json = "json"


@app.command("scorecard")
def scorecard(
    ctx: typer.Context,
    period: opt.Period = None,
    compare: Annotated[
        str,
        typer.Option(
            "--compare", "-c", help="Show the previous period beside it: previous or none."
        ),
    ] = "none",
    fmt: Annotated[CardFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CardFormat.table
    ),
    lang: opt.LangOpt = opt.Lang.en,
) -> None:
    """Score the workspace's scorecard: perspective → objective → indicator."""
    if compare not in ("previous", "none"):
        raise UsageError(f"--compare must be previous or none, not {compare!r}")
    with open_workspace(ctx) as ws:
        card = ws.scorecard()
        chosen = ws.resolve_periods(period)[0]
        result = score_scorecard(ws, card, chosen, lang=lang.value)
        if fmt is CardFormat.json:
            print_lines(
                out, json.dumps(result_dict(result, lang.value), ensure_ascii=False, indent=2)
            )
        elif fmt is CardFormat.md:
            print_lines(
                out,
                scorecard_markdown(result, lang.value, ws.config.currency, compare == "previous"),
            )
        else:
            wide.print(
                scorecard_table(result, lang.value, ws.config.currency, compare == "previous")
            )


@app.command("map")
def strategy_map(
    ctx: typer.Context,
    period: opt.Period = None,
    fmt: Annotated[MapFormat, typer.Option("--format", "-f", help="Drawing format.")] = (
        MapFormat.svg
    ),
    lang: opt.LangOpt = opt.Lang.en,
) -> None:
    """Draw the strategy map: objectives by perspective, cause-and-effect arrows, statuses."""
    with open_workspace(ctx) as ws:
        card = ws.scorecard()
        statuses: dict[str, str | None] = {}
        scores: dict[str, float | None] = {}
        if ws.warehouse.has_data():
            result = score_scorecard(ws, card, ws.resolve_periods(period)[0], lang=lang.value)
            for o in result.objectives():
                statuses[o.objective.id] = o.status
                scores[o.objective.id] = o.performance.score
        print_lines(
            out, render_map(card, fmt.value, statuses=statuses, scores=scores, lang=lang.value)
        )


@app.command("check")
def check(
    ctx: typer.Context,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CheckFormat.table
    ),
) -> int:
    """Check the scorecard for the mistakes to avoid; exit 1 when an error is found."""
    with open_workspace(ctx) as ws:
        card = ws.scorecard()
        findings = check_scorecard(ws, card)
    if fmt is CheckFormat.json:
        rows = [
            {
                "code": f.code,
                "level": f.level.value,
                "message": f.message,
                "hint": f.hint,
                "objective": f.objective,
                "indicator": f.indicator,
                "file": f.file,
                "line": f.line,
            }
            for f in findings
        ]
        print_lines(out, json.dumps(rows, ensure_ascii=False, indent=2))
    elif not findings:
        out.print("no problem found")
    else:
        for f in findings:
            where = f"{f.file}:{f.line}: " if f.file and f.line else ""
            out.print(
                f"{where}{f.level.value}: [{f.code}] {f.message}", markup=False, soft_wrap=True
            )
            out.print(f"    fix: {f.hint}", markup=False, soft_wrap=True)
        errors = sum(f.level is Level.ERROR for f in findings)
        out.print(f"{errors} error(s), {len(findings) - errors} warning(s)", markup=False)
    return 1 if any(f.level is Level.ERROR for f in findings) else 0
