"""Turning results into tables, JSON and CSV for the terminal."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cadran.core.catalogue import BandLevel, Catalogue, Direction, Kpi, Unit

BAND_LABELS = {
    "en": {
        BandLevel.BELOW_AVERAGE: "below average",
        BandLevel.TYPICAL: "typical",
        BandLevel.ABOVE_AVERAGE: "above average",
        BandLevel.EXCEPTIONAL: "exceptional",
    },
    "fr": {
        BandLevel.BELOW_AVERAGE: "sous la moyenne",
        BandLevel.TYPICAL: "typique",
        BandLevel.ABOVE_AVERAGE: "au-dessus de la moyenne",
        BandLevel.EXCEPTIONAL: "exceptionnel",
    },
}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _localized(text: str, lang: str) -> str:
    """French writes 1 234,5 where English writes 1,234.5 (a narrow no-break space groups)."""
    if lang != "fr":
        return text
    return text.replace(",", "\u202f").replace(".", ",")


def format_value(value: float | None, kpi: Kpi, currency: str = "EUR", lang: str = "en") -> str:
    """A KPI value in its unit, e.g. ``16.00 %``, ``1,234 EUR``, ``3.5 h``; ``—`` for no value."""
    if value is None or _missing(value):
        return "—"
    decimals = kpi.decimals
    number = _localized(f"{value:,.{decimals}f}", lang)
    suffix = {
        Unit.PERCENT: " %",
        Unit.CURRENCY: f" {currency}",
        Unit.HOURS: " h",
        Unit.SECONDS: " s",
    }.get(kpi.unit, "")
    return number + suffix


def format_change(change: float | None, kpi: Kpi, lang: str = "en") -> Text:
    """A percent change, green when it goes the KPI's good way, red otherwise."""
    if change is None or _missing(change):
        return Text("—", style="dim")
    text = _localized(f"{change:+,.1f}", lang) + " %"
    if kpi.direction is Direction.HIGHER:
        style = "green" if change > 0 else "red" if change < 0 else ""
    elif kpi.direction is Direction.LOWER:
        style = "green" if change < 0 else "red" if change > 0 else ""
    else:
        style = ""
    return Text(text, style=style)


def to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: ISO dates, no NaN (null instead)."""
    out = []
    for row in frame.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, date):
                clean[str(key)] = value.isoformat()
            elif _missing(value) or value is pd.NA:
                clean[str(key)] = None
            else:
                clean[str(key)] = value
        out.append(clean)
    return out


def to_json(frame: pd.DataFrame) -> str:
    """The JSON text of a result."""
    return json.dumps(to_records(frame), ensure_ascii=False, indent=2)


def to_csv(frame: pd.DataFrame) -> str:
    """The CSV text of a result."""
    return str(frame.to_csv(index=False, lineterminator="\n"))


def results_table(
    frame: pd.DataFrame,
    catalogue: Catalogue,
    dims: Sequence[str],
    lang: str,
    currency: str,
    labels: Mapping[date, str] | None = None,
) -> Table:
    """A Rich table of KPI results."""
    table = Table(show_lines=False, header_style="bold")
    table.add_column("KPI")
    table.add_column("Period" if lang == "en" else "Période")
    for d in dims:
        table.add_column(catalogue.model.dimensions[d].label.get(lang))
    for name in (
        ("Value", "Previous", "Change") if lang == "en" else ("Valeur", "Précédent", "Évolution")
    ):
        table.add_column(name, justify="right")
    for row in frame.to_dict(orient="records"):
        kpi = catalogue.kpis[row["kpi"]]
        period = (labels or {}).get(row["period_start"]) or (
            f"{row['period_start'].isoformat()}..{row['period_end'].isoformat()}"
        )
        keys = ["—" if _missing(row[d]) or row[d] is None else str(row[d]) for d in dims]
        table.add_row(
            kpi.name.get(lang),
            period,
            *keys,
            format_value(row["value"], kpi, currency, lang),
            format_value(row["previous_value"], kpi, currency, lang),
            format_change(row["change"], kpi, lang),
        )
    return table


def print_lines(console: Console, text: str) -> None:
    """Print text as is (no markup, no highlighting)."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)
