"""``cadran text``: sentiment, readability and content quality of texts and of the workspace."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cadran.cli.main import app, open_workspace
from cadran.cli.render import print_lines
from cadran.core.errors import UsageError
from cadran.services.text_analysis import TABLES, analyze
from cadran.services.text_quality import quality_relation
from cadran.text.opinion import Opinion
from cadran.text.readability import readability as readability_of
from cadran.text.sentiment import CadranSentiment

out = Console(highlight=False)
text_app = typer.Typer(
    help="Text analytics: sentiment, readability, content quality.", no_args_is_help=True
)
app.add_typer(text_app, name="text")


class TextFormat(StrEnum):
    """How results are printed."""

    table = "table"
    json = "json"


FormatOpt = Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")]
LanguageOpt = Annotated[
    str | None,
    typer.Option(
        "--language",
        "-L",
        help="fr or en: the language of texts whose language cannot be told (default: detect).",
    ),
]


def _language(value: str | None) -> str | None:
    if value is not None and value not in ("fr", "en"):
        raise UsageError(f"--language must be fr or en, not {value!r}")
    return value


def read_lines(path: Path) -> list[str]:
    """The texts of a file, one per line (blank lines kept: they give an empty result)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UsageError(
            f"{path} line {line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    return text.splitlines()


def _opinion_dict(text: str, opinion: Opinion) -> dict[str, object]:
    return {
        "text": text,
        "language": opinion.language,
        "label": opinion.label,
        "score": opinion.score,
        "method": opinion.method,
    }


@text_app.command("sentiment")
def sentiment(
    texts: Annotated[list[str] | None, typer.Argument(help="Texts to score.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="A UTF-8 file with one text per line.")
    ] = None,
    fmt: FormatOpt = TextFormat.table,
    language: LanguageOpt = None,
) -> None:
    """Sentiment of texts: language, label (negative/neutral/positive) and score in [−1, 1]."""
    given = list(texts or [])
    if file is not None:
        given += read_lines(file)
    if not given:
        raise UsageError("give texts to score, or --file FILE with one text per line")
    method = CadranSentiment(_language(language))
    opinions = method.opinions(given)
    if fmt is TextFormat.json:
        rows = [_opinion_dict(t, o) for t, o in zip(given, opinions, strict=True)]
        print_lines(out, json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("text", "language", "label", "score")
    for text, o in zip(given, opinions, strict=True):
        shown = text if len(text) <= 70 else text[:69] + "…"
        # A score that rounds to zero shows as 0.000, never -0.000.
        score = "" if o.score is None else f"{o.score:+.3f}".replace("-0.000", "+0.000")
        table.add_row(shown, o.language or "?", o.label or "not scored", score)
    out.print(table)
    out.print(f"method: {method.name}", markup=False)


@text_app.command("readability")
def readability(
    text: Annotated[str, typer.Argument(help="The text to measure.")],
    fmt: FormatOpt = TextFormat.table,
    language: LanguageOpt = None,
) -> None:
    """Readability of a text: Kandel–Moles (French) or Flesch reading ease (English)."""
    lang = _language(language) or CadranSentiment().language(text)
    result = readability_of(text, lang)
    if result is None:
        why = "no words" if lang in ("fr", "en") else f"language {lang or 'undetermined'}"
        raise UsageError(f"cannot measure readability ({why}); try --language fr or en")
    data = {
        "language": result.language,
        "formula": result.formula,
        "score": round(result.score, 2),
        "band": result.band,
        "grade": None if result.grade is None else round(result.grade, 2),
        "words": result.words,
        "sentences": result.sentences,
        "syllables": result.syllables,
    }
    if fmt is TextFormat.json:
        print_lines(out, json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        out.print(f"{key:>10}: {'' if value is None else value}", markup=False)


@text_app.command("analyze")
def analyze_command(
    ctx: typer.Context,
    force: Annotated[
        bool, typer.Option("--force", help="Re-score every text, not only new ones.")
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Only these tables: message, mention, post (repeatable)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Processes to use (default: all cores).")
    ] = None,
) -> None:
    """Score the workspace's comments, messages, mentions and posts, with a progress bar."""
    tables = tuple(only or TABLES)
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise UsageError(f"--only must be among {', '.join(TABLES)}, not {', '.join(unknown)}")
    with open_workspace(ctx) as ws:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=out, transient=True) as bar:
            task = bar.add_task("analysing", total=None)

            def progress(what: str, done: int, total: int) -> None:
                bar.update(task, description=what, completed=done, total=total or None)

            report = analyze(ws, tables=tables, force=force, workers=workers, progress=progress)
    for table in ("message", "mention"):
        if table in report.scored:
            out.print(f"{table}s scored: {report.scored[table]:,}", markup=False)
    if report.scored:
        labels = ", ".join(f"{k} {v:,}" for k, v in report.labels.most_common())
        langs = ", ".join(f"{k} {v:,}" for k, v in report.languages.most_common())
        out.print(f"  labels: {labels or 'none'}", markup=False)
        out.print(f"  languages: {langs or 'none'}", markup=False)
        out.print(
            f"  not scored (other languages or no words): {report.unscored:,}; "
            f"questions: {report.questions:,}; complaints: {report.complaints:,}",
            markup=False,
        )
    if "message" in tables:
        out.print(f"replies timed in business hours: {report.business_hours:,}", markup=False)
    if "post" in tables:
        out.print(f"posts measured (readability, quality): {report.posts:,}", markup=False)
    out.print(f"method: {report.method}; {report.seconds:.1f} s", markup=False)


@text_app.command("quality")
def quality(
    ctx: typer.Context,
    metric: Annotated[
        str,
        typer.Option(
            "--against", help="Post metric to relate quality to: engagement_rate, engagements."
        ),
    ] = "engagement_rate",
    fmt: FormatOpt = TextFormat.table,
) -> None:
    """How the content quality score relates to engagement (correlation with 95 % interval)."""
    with open_workspace(ctx) as ws:
        relation = quality_relation(ws, metric)
    if fmt is TextFormat.json:
        print_lines(out, json.dumps(relation.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in relation.lines():
        out.print(line, markup=False)
