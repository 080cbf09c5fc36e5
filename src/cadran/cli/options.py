"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import Enum

import typer


class OutputFormat(str, Enum):
    """How results are printed."""

    table = "table"
    json = "json"
    csv = "csv"


class Lang(str, Enum):
    """Language of names and descriptions."""

    en = "en"
    fr = "fr"


PERIOD = typer.Option(None, "--period", "-p",
                      help="Calendar period: 2026, 2026-Q4, 2026-10, 2026-W43 or 2026-10-05 "
                           "(default: the last complete month).")
START = typer.Option(None, "--from", help="First day of a custom range (YYYY-MM-DD).")
END = typer.Option(None, "--to", help="Last day of a custom range, included (YYYY-MM-DD).")
GRAIN = typer.Option(None, "--grain", "-g",
                     help="Split into day, week, month, quarter or year periods.")
BY = typer.Option(None, "--by", "-b",
                  help="Break down by platform, account, campaign, format, topic or post "
                       "(repeat or separate with commas).")
PLATFORM = typer.Option(None, "--platform", help="Keep only this platform (repeatable).")
COMPARE = typer.Option("previous", "--compare", "-c",
                       help="Compare with the previous period, the same period last year, "
                            "or none.")
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="Output format.")
LANG = typer.Option(Lang.en, "--lang", "-l", help="Language of KPI names.")


def split_list(values: list[str] | None) -> list[str]:
    """``['platform,format', 'topic']`` -> ``['platform', 'format', 'topic']``."""
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out
