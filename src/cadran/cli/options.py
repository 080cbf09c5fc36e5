"""Options shared by several commands, declared once as annotated types."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    """How results are printed."""

    table = "table"
    json = "json"
    csv = "csv"


class Lang(StrEnum):
    """Language of names and descriptions."""

    en = "en"
    fr = "fr"


Period = Annotated[
    str | None,
    typer.Option(
        "--period",
        "-p",
        help="Calendar period: 2026, 2026-Q4, 2026-10, 2026-W43 or 2026-10-05 "
        "(default: the last complete month).",
    ),
]
Start = Annotated[
    str | None, typer.Option("--from", help="First day of a custom range (YYYY-MM-DD).")
]
End = Annotated[
    str | None, typer.Option("--to", help="Last day of a custom range, included (YYYY-MM-DD).")
]
GrainOpt = Annotated[
    str | None,
    typer.Option("--grain", "-g", help="Split into day, week, month, quarter or year periods."),
]
By = Annotated[
    list[str] | None,
    typer.Option(
        "--by",
        "-b",
        help="Break down by platform, account, campaign, format, topic or post "
        "(repeat or separate with commas).",
    ),
]
PlatformOpt = Annotated[
    list[str] | None, typer.Option("--platform", help="Keep only this platform (repeatable).")
]
CompareOpt = Annotated[
    str,
    typer.Option(
        "--compare",
        "-c",
        help="Compare with the previous period, the same period last year, or none.",
    ),
]
Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
LangOpt = Annotated[Lang, typer.Option("--lang", "-l", help="Language of KPI names.")]
Directory = Annotated[
    Path | None,
    typer.Argument(
        metavar="[DIR]", help="Folder to create (default: the workspace).", show_default=False
    ),
]


def split_list(values: list[str] | None) -> list[str]:
    """``['platform,format', 'topic']`` -> ``['platform', 'format', 'topic']``."""
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Attribution model crediting revenue, customers and leads to the touchpoints "
        "before them: first_touch, last_touch, linear, time_decay[:DAYS], "
        "position_based[:F/M/L] or markov (default: the source recorded on each row).",
    ),
]
