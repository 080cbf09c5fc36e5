"""Attribution of conversions to the touchpoints before them, under several models.

:func:`attribute` credits the conversions of one kind (new customers, orders, leads, qualified
interactions) whose date falls in a span, under each model asked for, and returns one row per
credited touch. :func:`attribution` puts the models side by side per channel, platform,
campaign or content pillar, and :func:`attributed_model` lets any KPI read credited
conversions and revenue instead of the source recorded on each row.

Conversions without touchpoints keep the source recorded on them and are counted in the
result's warnings; amounts in another currency than the workspace's are refused.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from cadran.core.attribution import AttributionModel
from cadran.core.errors import UsageError
from cadran.core.markov import MarkovResult, Transitions, removal_effects
from cadran.core.semantic import SemanticModel
from cadran.core.spec import suggest
from cadran.plan import attribution as plan
from cadran.plan.request import KpiRequest
from cadran.services.conversion_settings import AttributionSettings, conversion_settings
from cadran.services.currency import check_currency
from cadran.services.workspace import Workspace

CREDIT_COLUMNS = (
    "model",
    "conversion_id",
    "local_date",
    "value",
    "currency",
    "channel",
    "platform",
    "campaign_id",
    "post_id",
    "topic",
    "recorded",
    "credit",
)
# Formulas that filter on the source (channel) of their rows: [social], [source = ...].
_SOURCE_TEST = re.compile(r"\[[^\]]*\b(social|source)\b")
# The facts a model re-credits, and the conversions their rows are.
_FACTS = {"revenue": "orders", "customer": "customers", "lead": "leads"}
_FACT_KEYS = {"revenue": "revenue_id", "customer": "customer_id", "lead": "lead_id"}


@dataclass(frozen=True)
class Attribution:
    """The credits of one kind of conversion over a span, under several models."""

    kind: str
    first_day: date
    last_day: date
    models: tuple[AttributionModel, ...]
    dimension: str  # the states of the Markov chain
    credits: pd.DataFrame  # CREDIT_COLUMNS, one row per credited touch and model
    conversions: int
    value: float
    recorded: int  # conversions without touchpoints, credited to their recorded source
    markov: MarkovResult | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def check_dimension(dimension: str) -> str:
    """``dimension`` if credits can be broken down by it (``source`` means channel)."""
    name = "channel" if dimension == "source" else dimension
    if name not in plan.DIMENSIONS:
        hint = suggest(name, plan.DIMENSIONS)
        raise UsageError(
            f"cannot attribute by {dimension!r}: expected one of {', '.join(plan.DIMENSIONS)}"
            + (f"; {hint}" if hint else "")
        )
    return name


def check_kind(kind: str) -> plan.ConversionKind:
    """The conversion kind called ``kind``."""
    found = plan.KINDS.get(kind)
    if found is None:
        hint = suggest(kind, plan.KINDS)
        raise UsageError(
            f"unknown conversion {kind!r}: expected one of {', '.join(plan.KINDS)}"
            + (f"; {hint}" if hint else "")
        )
    return found


def attribute(
    ws: Workspace,
    kind: str,
    first_day: date,
    last_day: date,
    models: Sequence[AttributionModel],
    *,
    dimension: str = "channel",
    settings: AttributionSettings | None = None,
) -> Attribution:
    """Credit the conversions of ``kind`` dated ``first_day``..``last_day`` under ``models``."""
    return attribute_all(
        ws, (kind,), first_day, last_day, models, dimension=dimension, settings=settings
    )[kind]


def attribute_all(
    ws: Workspace,
    kinds: Sequence[str],
    first_day: date,
    last_day: date,
    models: Sequence[AttributionModel],
    *,
    dimension: str = "channel",
    settings: AttributionSettings | None = None,
) -> dict[str, Attribution]:
    """:func:`attribute` for several kinds of conversion over the same span: the journeys
    (leads and their customers, touchpoints of the window) are gathered once for all."""
    convs = [check_kind(kind) for kind in dict.fromkeys(kinds)]
    dimension = check_dimension(dimension)
    settings = settings or conversion_settings(ws)[0]
    if any(conv.table == "revenue" for conv in convs):
        check_currency(ws, "revenue", first_day, last_day, "local_date")
    ws.warehouse.con.execute(plan.lead_person_sql())
    ws.warehouse.con.execute(plan.touches_sql(first_day, last_day, settings.lookback_days))
    return {
        conv.name: _attribute_kind(ws, conv, first_day, last_day, models, dimension, settings)
        for conv in convs
    }


def _attribute_kind(
    ws: Workspace,
    conv: plan.ConversionKind,
    first_day: date,
    last_day: date,
    models: Sequence[AttributionModel],
    dimension: str,
    settings: AttributionSettings,
) -> Attribution:
    """Credit one kind of conversion; the journeys' tables are already built."""
    wh = ws.warehouse
    wh.con.execute(plan.conversions_sql(conv, first_day, last_day))
    wh.con.execute(plan.paths_sql(settings.lookback_days))
    count, value, recorded = wh.con.execute(
        "SELECT count(*), coalesce(sum(value), 0), coalesce(count_if(recorded), 0) "
        f"FROM {plan.PATHS} WHERE pos = 1"
    ).fetchone() or (0, 0.0, 0)
    frames = []
    markov = None
    for model in models:
        if model.name == "markov":
            markov = _markov(ws, dimension)
            shares = {e.state: e.share for e in markov.effects}
            query = plan.markov_credits_sql(dimension, shares)
        else:
            query = plan.credits_sql(model)
        frame = wh.frame(query)
        frame.insert(0, "model", model.name)
        frames.append(frame)
    credits = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=list(CREDIT_COLUMNS))
    )
    warnings = []
    if recorded:
        warnings.append(
            f"{recorded} of {count} {conv.label.lower()} had no touchpoint in the "
            f"{settings.lookback_days} days before them: they are credited to the source, "
            "platform and campaign recorded on them"
        )
    if markov is not None and count and markov.probability == 0:
        warnings.append("the Markov model found no path to a conversion")
    return Attribution(
        conv.name,
        first_day,
        last_day,
        tuple(models),
        dimension,
        credits[list(CREDIT_COLUMNS)],
        int(count),
        float(value),
        int(recorded),
        markov,
        tuple(warnings),
    )


def credited(
    run: Attribution, column: str, model: str | None = None
) -> dict[str | None, tuple[float, float]]:
    """Credited (conversions, value) per key of ``column`` (None for touches without one),
    over the credits of ``model`` (default: all of the run's, for a run of one model)."""
    frame = run.credits
    if model is not None:
        frame = frame[frame["model"] == model]
    if frame.empty:
        return {}
    keys = frame[column].map(lambda v: None if pd.isna(v) else str(v))
    worth = frame["credit"] * frame["value"].fillna(0.0)
    grouped = (
        pd.DataFrame({"key": keys, "credit": frame["credit"], "worth": worth})
        .groupby("key", dropna=False, sort=False)[["credit", "worth"]]
        .sum()
    )
    return {
        (None if pd.isna(k) else str(k)): (float(c), float(w)) for k, c, w in grouped.itertuples()
    }


def _markov(ws: Workspace, dimension: str) -> MarkovResult:
    rows = ws.warehouse.rows(plan.transitions_sql(dimension))
    counts: dict[tuple[str, str], float] = {}
    for source, target, weight in rows:
        counts[(str(source), str(target))] = counts.get((str(source), str(target)), 0) + weight
    return removal_effects(Transitions(counts))


def attribution(
    ws: Workspace,
    *,
    period: str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    models: str = "all",
    by: str = "channel",
    conversions: Sequence[str] = ("customers", "orders"),
) -> pd.DataFrame:
    """Credited conversions and value per ``by`` key, one row per conversion kind, model and
    key: columns conversion, model, ``by``, conversions, value, share (of the conversions, in
    %), and for the Markov model the removal effect of the key."""
    return attribution_report(
        ws, period=period, start=start, end=end, models=models, by=by, conversions=conversions
    )[0]


def attribution_report(
    ws: Workspace,
    *,
    period: str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    models: str = "all",
    by: str = "channel",
    conversions: Sequence[str] = ("customers", "orders"),
) -> tuple[pd.DataFrame, list[Attribution]]:
    """:func:`attribution` and the runs behind it (for their warnings)."""
    settings = conversion_settings(ws)[0]
    parsed = settings.models(models)
    dimension = check_dimension(by)
    periods = ws.resolve_periods(period, start, end)
    first_day, last_day = periods[0].start, periods[-1].last_day
    runs = list(
        attribute_all(
            ws, conversions, first_day, last_day, parsed, dimension=dimension, settings=settings
        ).values()
    )
    names = key_names(ws, dimension)
    column = plan.DIMENSIONS[dimension]
    rows = []
    for run in runs:
        effects = {e.state: e.effect for e in run.markov.effects} if run.markov else {}
        for model in run.models:
            for key, (credit, worth) in credited(run, column, model.name).items():
                state = plan.NONE_STATE if key is None else key
                rows.append(
                    {
                        "conversion": run.kind,
                        "model": model.name,
                        dimension: names.get(state, state),
                        "conversions": credit,
                        "value": worth if run.kind == "orders" else None,
                        "share": 100 * credit / run.conversions if run.conversions else None,
                        "removal_effect": effects.get(state) if model.name == "markov" else None,
                    }
                )
    frame = pd.DataFrame(
        rows,
        columns=[
            "conversion",
            "model",
            dimension,
            "conversions",
            "value",
            "share",
            "removal_effect",
        ],
    )
    frame = frame.sort_values(
        ["conversion", "model", "conversions"], ascending=[True, True, False], kind="stable"
    ).reset_index(drop=True)
    return frame, runs


def key_names(ws: Workspace, dimension: str) -> dict[str, str]:
    """Display names of keys other than themselves: campaigns by name rather than id."""
    if dimension != "campaign":
        return {}
    return {str(i): str(n) for i, n in ws.warehouse.rows("SELECT campaign_id, name FROM campaign")}


def attributed_model(
    ws: Workspace,
    model: AttributionModel,
    first_day: date,
    last_day: date,
    *,
    dimension: str = "channel",
) -> SemanticModel:
    """The workspace's semantic model with revenue, customers and leads re-credited by
    ``model`` over ``first_day``..``last_day``: every KPI built on them then reads the
    touchpoints' channels, platforms and campaigns instead of the source recorded on each row.
    The credited rows are temporary tables of this connection."""
    settings = conversion_settings(ws)[0]
    semantic = ws.catalogue.model
    facts = dict(semantic.facts)
    runs = attribute_all(
        ws, tuple(_FACTS.values()), first_day, last_day, (model,), dimension=dimension,
        settings=settings,
    )  # fmt: skip
    for fact, kind in _FACTS.items():
        run = runs[kind]
        table = f"_cadran_credit_{fact}"
        view = f"_cadran_credits_{fact}"
        ws.warehouse.con.register(view, run.credits)
        try:
            key = _FACT_KEYS[fact]
            ws.warehouse.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table} AS\n"
                "SELECT e.* REPLACE (c.channel AS source, c.platform AS platform,"
                " c.campaign_id AS campaign_id), c.credit AS _credit\n"
                f"FROM {fact} AS e JOIN {view} AS c ON c.conversion_id = e.{key}"
            )
        finally:
            ws.warehouse.con.unregister(view)
        facts[fact] = dataclasses.replace(facts[fact], table=table, weight="_credit")
    return dataclasses.replace(semantic, facts=facts)


def model_dimension(request: KpiRequest) -> str:
    """The Markov states a KPI request needs: its breakdown by source (channel), platform or
    campaign; channels when it has none. Rule-based models credit every dimension at once."""
    wanted = [d for d in request.by if d in ("source", "platform", "campaign")]
    if request.attribution is not None and request.attribution.name == "markov":
        other = [d for d in request.by if d not in ("source", "platform", "campaign")]
        if other or len(wanted) > 1:
            raise UsageError(
                "the Markov model credits one dimension at a time: break down by one of "
                "source, platform or campaign (not " + ", ".join(request.by) + ")"
            )
        if wanted and wanted[0] != "source":
            # Its credits then know the platform (or campaign) of a touch, not its channel:
            # a formula testing the source ([social]) could not be answered truthfully.
            by_source = [
                b.kpi.id for b in request.kpis if _SOURCE_TEST.search(b.kpi.formula) is not None
            ]
            if by_source:
                raise UsageError(
                    f"under the Markov model by {wanted[0]}, credits do not know the channel "
                    f"that {', '.join(by_source)} filter(s) on: break down by source, or use "
                    "a rule-based model (first_touch, linear, position_based...)"
                )
    return check_dimension(wanted[0]) if wanted else "channel"
