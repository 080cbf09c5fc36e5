"""The scorecard as a terminal table and as Markdown: perspective → objective → indicator."""

from __future__ import annotations

from collections.abc import Iterator

from rich.table import Table
from rich.text import Text

from cadran.cli.render import BAND_LABELS, format_value
from cadran.core.scoring import Judgement, Movement
from cadran.services.scorecard import IndicatorResult, ScorecardResult

STATUS_STYLES = {"green": "green", "yellow": "yellow", "red": "red"}
_ARROWS = {Movement.UP: "↑", Movement.DOWN: "↓", Movement.FLAT: "→"}
_HEADERS = {
    "en": (
        "",
        "value",
        "previous",
        "target",
        "progress",
        "performance",
        "status",
        "health",
        "trend",
        "benchmark",
    ),
    "fr": (
        "",
        "valeur",
        "précédent",
        "cible",
        "progression",
        "performance",
        "statut",
        "santé",
        "tendance",
        "référence",
    ),
}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f} %"


def _trend(r: IndicatorResult) -> Text:
    t = r.score.trend
    if t is None:
        return Text("—")
    style = {Judgement.BETTER: "green", Judgement.WORSE: "red"}.get(t.judgement, "")  # type: ignore[arg-type]
    return Text(_ARROWS[t.movement], style=style)


def _band(r: IndicatorResult, lang: str) -> str:
    levels = [BAND_LABELS[lang][b.level] for b in r.bands if b.level is not None]
    if levels:
        return ", ".join(levels)
    return "outside the bands" if r.bands and r.value is not None else ""


def _rows(
    result: ScorecardResult, lang: str, currency: str
) -> Iterator[tuple[int, list[str | Text], str | None]]:
    """(depth, cells, status) for every line of the tree."""
    yield 0, [result.card.name.get(lang), *[""] * 4, _pct(result.performance.score)], result.status
    for p in result.perspectives:
        yield 1, [p.name, *[""] * 4, _pct(p.performance.score)], p.status
        for o in p.objectives:
            health = o.health.value.replace("_", " ")
            yield (
                2,
                [
                    o.objective.name.get(lang),
                    "",
                    _pct(o.previous),
                    "",
                    _pct(o.progress.score),
                    _pct(o.performance.score),
                    "",
                    health,
                ],
                o.status,
            )
            for r in o.indicators:
                ind = r.indicator
                name = (ind.name or r.kpi.name).get(lang)
                if not ind.scope.everything:
                    name += f" [{', '.join((*ind.scope.platforms, *ind.scope.campaigns))}]"
                if ind.role.value == "leading":
                    name += " (leading)" if lang == "en" else " (avancé)"
                target = ind.scoring.target
                yield (
                    3,
                    [
                        name,
                        format_value(r.value, r.kpi, currency, lang),
                        format_value(r.previous, r.kpi, currency, lang),
                        format_value(target, r.kpi, currency, lang),
                        _pct(r.score.progress),
                        _pct(r.score.performance),
                        "",
                        r.score.health.value.replace("_", " "),
                        _trend(r),
                        _band(r, lang),
                    ],
                    r.score.status,
                )
            for driver, score in o.drivers:
                label = "driven by" if lang == "en" else "porté par"
                driver_obj = result.card.objective(driver)
                shown = driver_obj.name.get(lang) if driver_obj else driver
                yield 3, [f"{label}: {shown}", "", "", "", "", _pct(score)], None


def scorecard_table(
    result: ScorecardResult, lang: str = "en", currency: str = "EUR", compare: bool = False
) -> Table:
    """The scorecard tree as a rich table."""
    headers = _HEADERS[lang]
    table = Table(title=f"{result.card.name.get(lang)} · {result.period.label}")
    for i, h in enumerate(headers):
        if h == headers[2] and not compare:
            continue
        # Names wrap; figures never do (a wrapped "36,785 EUR" reads as two numbers).
        table.add_column(
            h,
            justify="left" if i in (0, 6, 7, 9) else "right",
            no_wrap=i != 0,
            min_width=28 if i == 0 else None,
        )
    for depth, cells, status in _rows(result, lang, currency):
        cells = cells + [""] * (len(headers) - len(cells))
        cells[6] = Text(f"● {status}" if status else "—", style=STATUS_STYLES.get(status or "", ""))
        first = "  " * depth + str(cells[0])
        style = "bold" if depth < 3 else ""
        row: list[str | Text] = [Text(first, style=style), *cells[1:]]
        if not compare:
            del row[2]
        table.add_row(*row)
    return table


def scorecard_markdown(
    result: ScorecardResult, lang: str = "en", currency: str = "EUR", compare: bool = False
) -> str:
    """The scorecard tree as a Markdown table (for a report or a pull request)."""
    headers = list(_HEADERS[lang])
    headers[0] = "objective / indicator" if lang == "en" else "objectif / indicateur"
    if not compare:
        del headers[2]
    lines = [
        f"# {result.card.name.get(lang)} · {result.period.label}",
        "",
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join(["---"] + ["---:"] * (len(headers) - 1)) + " |",
    ]
    for depth, cells, status in _rows(result, lang, currency):
        cells = cells + [""] * (len(_HEADERS[lang]) - len(cells))
        cells[6] = status or "—"
        text = [str(c).replace("|", "\\|") for c in cells]
        name = "&nbsp;" * (2 * depth) + text[0]
        text[0] = f"**{name}**" if depth < 3 else name
        if not compare:
            del text[2]
        lines.append("| " + " | ".join(text) + " |")
    return "\n".join(lines) + "\n"


__all__ = ["scorecard_markdown", "scorecard_table"]
