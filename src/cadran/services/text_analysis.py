"""``cadran text analyze``: score the stored comments, messages, mentions and posts.

- Comments, messages and mentions get a language, a sentiment label and score with the method
  that produced them; comments and messages also get the question and complaint flags (a
  complaint is a negative text with complaint cues) and, when answered, the first-reply time in
  business hours. Values a platform gave (origin ``native``) are never overwritten.
- Posts get a language, a readability score (Kandel–Moles or Flesch) and a content-quality score
  from the workspace's rubric and the team's overrides.

By default only texts not analysed yet are scored (``force`` re-scores all, after a change of
method); business hours and quality are recomputed for every row, since the schedule, the
rubric or the overrides may have changed. Each table is written in one transaction: an
interruption leaves it as it was.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from cadran.core.business_hours import Schedule
from cadran.core.quality import score_post
from cadran.services.text_settings import TextSettings, text_settings
from cadran.services.workspace import Workspace
from cadran.store.warehouse import Warehouse
from cadran.text.cues import complaint_cues, is_question
from cadran.text.opinion import Opinion
from cadran.text.parallel import score_all
from cadran.text.post_features import post_features
from cadran.text.readability import readability
from cadran.text.reply_hours import reply_business_hours
from cadran.text.sentiment import CadranSentiment
from cadran.text.spelling import SpellCheck, spell_checker

TABLES = ("message", "mention", "post")
# Called with (what is being done, items done, items in all) for progress bars.
Progress = Callable[[str, int, int], None]


@dataclass
class AnalysisReport:
    """What an analysis did, per table."""

    scored: dict[str, int] = field(default_factory=dict)
    labels: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    unscored: int = 0  # texts without a label (other languages, no words)
    complaints: int = 0
    questions: int = 0
    business_hours: int = 0  # replies whose business-hours time was computed
    posts: int = 0
    method: str = ""
    seconds: float = 0.0


def analyze(
    ws: Workspace,
    *,
    tables: Sequence[str] = TABLES,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> AnalysisReport:
    """Analyse the workspace's texts (see the module docstring)."""
    settings = text_settings(ws)
    started = time.perf_counter()
    report = AnalysisReport()
    report.method = _method_name(settings)
    for table in tables:
        if table == "post":
            _posts(ws.warehouse, settings, report, progress)
        else:
            _opinions(ws.warehouse, table, settings, force, workers, report, progress)
            if table == "message":
                _reply_times(ws.warehouse, settings.schedule, report, progress)
    report.seconds = time.perf_counter() - started
    return report


def _method_name(settings: TextSettings) -> str:
    if settings.transformer is not None:
        return f"transformer:{settings.transformer.name}"
    return CadranSentiment.name


def _score(
    texts: list[str],
    languages: list[str | None],
    settings: TextSettings,
    workers: int | None,
    say: Callable[[int, int], None],
) -> list[Opinion]:
    if settings.transformer is None:
        return score_all(
            texts,
            languages,
            default_language=settings.default_language,
            workers=workers,
            progress=say,
        )
    from cadran.text.transformer import TransformerSentiment

    detector = CadranSentiment(settings.default_language)
    known = [lang or detector.language(t) for t, lang in zip(texts, languages, strict=True)]
    opinions = TransformerSentiment(settings.transformer).opinions(texts, known)
    say(len(texts), len(texts))
    return opinions


def _opinions(
    wh: Warehouse,
    table: str,
    settings: TextSettings,
    force: bool,
    workers: int | None,
    report: AnalysisReport,
    progress: Progress | None,
) -> None:
    key = f"{table}_id"
    pending = "" if force else "AND sentiment_method IS NULL"
    rows = wh.rows(
        f"SELECT {key}, text, language FROM {table} "
        f"WHERE text IS NOT NULL AND coalesce(sentiment_label_origin::VARCHAR, '') <> 'native' "
        f"{pending} ORDER BY {key}"
    )
    if not rows:
        report.scored[table] = 0
        return
    ids = [r[0] for r in rows]
    texts = [r[1] for r in rows]
    languages = [r[2] or None for r in rows]

    def say(done: int, total: int) -> None:
        if progress:
            progress(f"{table}s: sentiment", done, total)

    opinions = _score(texts, languages, settings, workers, say)
    columns: dict[str, list[object]] = {
        key: list(ids),
        "language": [o.language for o in opinions],
        "sentiment_label": [o.label for o in opinions],
        "sentiment_score": [o.score for o in opinions],
        "sentiment_method": [o.method for o in opinions],
    }
    updates = [
        "language = coalesce(t.language, {table}.language)",
        "sentiment_label = t.sentiment_label::sentiment_label",
        "sentiment_score = t.sentiment_score",
        "sentiment_method = t.sentiment_method",
        "sentiment_label_origin = CASE WHEN t.sentiment_label IS NULL THEN NULL "
        "ELSE 'computed' END::value_origin",
        "sentiment_score_origin = CASE WHEN t.sentiment_score IS NULL THEN NULL "
        "ELSE 'computed' END::value_origin",
    ]
    if table == "message":
        cues = [
            complaint_cues(text, o.language) if o.label == "negative" else ()
            for text, o in zip(texts, opinions, strict=True)
        ]
        questions = [is_question(text, o.language) for text, o in zip(texts, opinions, strict=True)]
        columns["is_question"] = list(questions)
        columns["complaint_cues"] = ["; ".join(c) if c else None for c in cues]
        # A flag the platform gave stays; Cadran's own flags follow the latest analysis.
        updates += [
            "is_question = CASE WHEN is_question_origin = 'native' THEN message.is_question "
            "ELSE t.is_question END",
            "is_question_origin = CASE WHEN is_question_origin = 'native' THEN 'native' "
            "ELSE 'computed' END::value_origin",
            "is_complaint = CASE WHEN is_complaint_origin = 'native' THEN message.is_complaint "
            "ELSE t.complaint_cues IS NOT NULL END",
            "is_complaint_origin = CASE WHEN is_complaint_origin = 'native' THEN 'native' "
            "ELSE 'computed' END::value_origin",
            "complaint_cues = t.complaint_cues",
        ]
        report.complaints += sum(1 for c in cues if c)
        report.questions += sum(questions)
    _write(wh, table, key, columns, [u.format(table=table) for u in updates])
    report.scored[table] = len(rows)
    report.labels.update(o.label or "none" for o in opinions)
    report.languages.update(o.language or "undetermined" for o in opinions)
    report.unscored += sum(1 for o in opinions if o.label is None)


def _write(
    wh: Warehouse,
    table: str,
    key: str,
    columns: Mapping[str, object] | pa.Table,
    updates: list[str],
) -> None:
    data = columns if isinstance(columns, pa.Table) else pa.table(columns)
    wh.con.register("_cadran_text", data)
    try:
        with wh.transaction():
            wh.con.execute(
                f"UPDATE {table} SET {', '.join(updates)} FROM _cadran_text AS t "
                f"WHERE {table}.{key} = t.{key}"
            )
    finally:
        wh.con.unregister("_cadran_text")


_REPLY_BATCH = 1_000_000


def reply_times(wh: Warehouse, schedule: Schedule) -> int:
    """Store each replied message's first-reply time in business hours under ``schedule``,
    and whether the reply came within them; return how many messages were measured."""
    reader = wh.con.sql(
        "SELECT message_id, epoch_us(created_at) AS created, epoch_us(first_reply_at) AS replied "
        "FROM message WHERE first_reply_at IS NOT NULL ORDER BY message_id"
    ).to_arrow_reader(_REPLY_BATCH)
    parts = []
    for batch in reader:  # in batches: the L demo has tens of millions of replies
        created = batch.column("created").to_numpy()
        replied = batch.column("replied").to_numpy()
        # A reply stamped before its message (clock skew between sources) has no duration; it
        # is measured from itself so that whether it came in business hours is still known.
        hours, inside = reply_business_hours(np.minimum(created, replied), replied, schedule)
        parts.append(
            pa.table(
                {
                    "message_id": batch.column("message_id"),
                    "first_reply_business_hours": pa.array(hours, mask=replied < created),
                    "replied_in_business_hours": pa.array(inside),
                }
            )
        )
    if not parts:
        return 0
    columns = pa.concat_tables(parts)
    _write(
        wh,
        "message",
        "message_id",
        columns,
        [
            "first_reply_business_hours = t.first_reply_business_hours",
            "replied_in_business_hours = t.replied_in_business_hours",
        ],
    )
    return int(columns.num_rows)


def _reply_times(
    wh: Warehouse, schedule: Schedule, report: AnalysisReport, progress: Progress | None
) -> None:
    report.business_hours = reply_times(wh, schedule)
    if progress:
        progress("replies: business hours", report.business_hours, report.business_hours)


def _posts(
    wh: Warehouse, settings: TextSettings, report: AnalysisReport, progress: Progress | None
) -> None:
    rows = wh.rows(
        "SELECT post_id, platform::VARCHAR, native_id, text, language, format, readability, "
        "coalesce(readability_origin::VARCHAR, '') = 'native' FROM post ORDER BY post_id"
    )
    detector = CadranSentiment(settings.default_language)
    checkers: dict[str | None, SpellCheck | None] = {}
    columns: dict[str, list[object]] = {
        name: []
        for name in (
            "post_id",
            "language",
            "readability",
            "readability_formula",
            "quality_score",
            "quality_max",
            "quality_detail",
        )
    }
    for i, (post_id, platform, native, text, language, fmt, stored, native_score) in enumerate(
        rows
    ):
        language = language or (detector.language(text) if text else None)
        scored = readability(text, language) if text else None
        score = stored if native_score else (scored.score if scored else None)
        if language not in checkers:
            checkers[language] = spell_checker(language)
        features = post_features(text, fmt, language, score, checkers[language])
        quality = score_post(features, settings.rubric, settings.overrides.get((platform, native)))
        detail = {
            r.criterion: ("overridden " if r.overridden else "") + r.outcome.value
            for r in quality.results
        }
        columns["post_id"].append(post_id)
        columns["language"].append(language)
        columns["readability"].append(None if score is None else round(float(score), 2))
        columns["readability_formula"].append(
            "native" if native_score else (scored.formula if scored else None)
        )
        columns["quality_score"].append(quality.points)
        columns["quality_max"].append(quality.maximum)
        columns["quality_detail"].append(json.dumps(detail, sort_keys=True))
        if progress and i % 5000 == 0:
            progress("posts: readability and quality", i, len(rows))
    _write(
        wh,
        "post",
        "post_id",
        columns,
        [
            "language = coalesce(post.language, t.language)",
            "readability = t.readability",
            "readability_formula = t.readability_formula",
            "readability_origin = CASE WHEN t.readability IS NULL THEN NULL "
            "WHEN t.readability_formula = 'native' THEN 'native' ELSE 'computed' END::value_origin",
            "quality_score = t.quality_score",
            "quality_score_origin = 'computed'::value_origin",
            "quality_max = t.quality_max",
            "quality_detail = t.quality_detail",
        ],
    )
    report.posts = len(rows)
