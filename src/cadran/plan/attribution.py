"""The SQL of attribution: conversions, the touchpoints before them, and each model's credits.

A *journey* belongs to a person: a lead, or a customer together with the lead it came from
(touchpoints may name either). A conversion's *path* is its person's touchpoints in the
lookback window before it, oldest first. A conversion without any touchpoint keeps the source,
platform and campaign recorded on it, as a single touch at the conversion itself (the caller
warns about them: nothing is dropped silently).

The statements build temporary tables, in this order:

``_cadran_lead_person``  each lead and the customer it became (from either side's record);
``_cadran_tp``           touchpoints of the window with their person and dimensions;
``_cadran_conv``         the conversions of one kind in the span, with their person;
``_cadran_path``         one row per touch of each conversion's path (position, length, age).

Rule-based models weigh the rows of ``_cadran_path`` in SQL (:func:`weight_sql`, checked
against ``cadran.core.attribution.touch_weights``); the Markov model's transitions are counted
here (:func:`transitions_sql`) and solved exactly in ``cadran.core.markov``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from cadran.core.attribution import AttributionModel
from cadran.plan import sql

LEAD_PERSON = "_cadran_lead_person"
TOUCHES = "_cadran_tp"
CONVERSIONS = "_cadran_conv"
PATHS = "_cadran_path"

# Journeys are keyed by one BIGINT: 2 * customer + 1 once a person is a customer, else 2 * lead.
_PERSON = (
    "CASE WHEN {customer} IS NOT NULL THEN 2 * {customer} + 1 "
    "WHEN {lead} IS NOT NULL THEN 2 * {lead} END"
)


@dataclass(frozen=True)
class ConversionKind:
    """What counts as a conversion: rows of one table, at one instant, maybe with a value."""

    name: str
    label: str
    table: str
    id_column: str
    at: str
    value: str | None  # SQL over ``e`` (the conversion row); None: conversions without value
    lead: str  # SQL over ``e``: the lead whose journey it ends (or NULL)
    customer: str  # SQL over ``e``: the customer whose journey it ends (or NULL)


KINDS: Mapping[str, ConversionKind] = {
    k.name: k
    for k in (
        ConversionKind(
            "customers", "New customers", "customer", "customer_id", "acquired_at", None,
            "e.lead_id", "e.customer_id",
        ),
        ConversionKind(
            "orders", "Orders", "revenue", "revenue_id", "occurred_at",
            "CAST(e.amount AS DOUBLE)", "NULL", "e.customer_id",
        ),
        ConversionKind(
            "leads", "Leads", "lead", "lead_id", "created_at", None, "e.lead_id",
            "e.customer_id",
        ),
        ConversionKind(
            "qualified_interactions", "Qualified interactions", "qualified_interaction",
            "interaction_id", "occurred_at", None, "e.lead_id", "NULL",
        ),
    )
}  # fmt: skip

# Breakdowns of credits: the column of ``_cadran_path`` each one reads.
DIMENSIONS: Mapping[str, str] = {
    "channel": "channel",
    "platform": "platform",
    "campaign": "campaign_id",
    "pillar": "topic",
}
NONE_STATE = "(none)"  # the Markov state of touches without a value for the dimension


def lead_person_sql() -> str:
    """Each lead and the customer it became, whichever record says so."""
    return (
        f"CREATE OR REPLACE TEMP TABLE {LEAD_PERSON} AS\n"
        "SELECT l.lead_id, coalesce(l.customer_id, c.customer_id) AS customer_id\n"
        "FROM lead AS l LEFT JOIN (\n"
        "  SELECT lead_id, min(customer_id) AS customer_id FROM customer\n"
        "  WHERE lead_id IS NOT NULL GROUP BY lead_id\n"
        ") AS c USING (lead_id)"
    )


def _person(lead: str, customer: str) -> str:
    both = f"coalesce({customer}, lp.customer_id)"
    return _PERSON.format(customer=both, lead=lead)


def touches_sql(first_day: date, last_day: date, lookback_days: int) -> str:
    """Touchpoints that can precede a conversion of ``first_day``..``last_day``."""
    start = first_day - timedelta(days=lookback_days + 1)  # local days vs instants: one spare
    return (
        f"CREATE OR REPLACE TEMP TABLE {TOUCHES} AS\n"
        f"SELECT t.touchpoint_id, t.occurred_at, {_person('t.lead_id', 't.customer_id')} AS person,"
        "\n  CAST(t.channel AS VARCHAR) AS channel, CAST(t.platform AS VARCHAR) AS platform,"
        "\n  t.campaign_id, t.post_id, p.topic\n"
        "FROM touchpoint AS t\n"
        f"LEFT JOIN {LEAD_PERSON} AS lp ON lp.lead_id = t.lead_id\n"
        "LEFT JOIN post AS p ON p.post_id = t.post_id\n"
        f"WHERE t.local_date >= {sql.date_literal(start)} "
        f"AND t.local_date <= {sql.date_literal(last_day + timedelta(days=1))}"
    )


def conversions_sql(kind: ConversionKind, first_day: date, last_day: date) -> str:
    """The conversions of ``kind`` whose local date is in ``first_day``..``last_day``."""
    value = kind.value or "CAST(NULL AS DOUBLE)"
    currency = "e.currency" if kind.table == "revenue" else "CAST(NULL AS VARCHAR)"
    return (
        f"CREATE OR REPLACE TEMP TABLE {CONVERSIONS} AS\n"
        f"SELECT e.{sql.ident(kind.id_column)} AS conversion_id, e.{sql.ident(kind.at)} AS at,"
        f"\n  e.local_date, {value} AS value, {currency} AS currency,"
        f"\n  {_person(kind.lead, kind.customer)} AS person,"
        "\n  CAST(e.source AS VARCHAR) AS channel, CAST(e.platform AS VARCHAR) AS platform,"
        "\n  e.campaign_id\n"
        f"FROM {sql.ident(kind.table)} AS e\n"
        f"LEFT JOIN {LEAD_PERSON} AS lp ON lp.lead_id = {kind.lead}\n"
        f"WHERE e.local_date >= {sql.date_literal(first_day)} "
        f"AND e.local_date <= {sql.date_literal(last_day)}"
    )


def paths_sql(lookback_days: int) -> str:
    """One row per touch of each conversion's path; a conversion without touchpoints gets one
    row from its own record (``recorded`` true), at the conversion itself."""
    window = f"INTERVAL {int(lookback_days)} DAY"
    return (
        f"CREATE OR REPLACE TEMP TABLE {PATHS} AS\n"
        "WITH touched AS (\n"
        "  SELECT v.conversion_id, t.touchpoint_id, t.occurred_at,"
        " (epoch(v.at) - epoch(t.occurred_at)) / 86400.0 AS age_days,\n"
        "    t.channel, t.platform, t.campaign_id, t.post_id, t.topic, FALSE AS recorded\n"
        f"  FROM {CONVERSIONS} AS v JOIN {TOUCHES} AS t ON t.person = v.person\n"
        f"  WHERE t.occurred_at <= v.at AND t.occurred_at > v.at - {window}\n"
        "), steps AS (\n"
        "  SELECT * FROM touched\n"
        "  UNION ALL\n"
        "  SELECT v.conversion_id, NULL, v.at, 0.0, v.channel, v.platform, v.campaign_id,"
        " NULL, NULL, TRUE\n"
        f"  FROM {CONVERSIONS} AS v\n"
        "  WHERE NOT EXISTS (SELECT 1 FROM touched AS x WHERE x.conversion_id = v.conversion_id)\n"
        ")\n"
        "SELECT s.*, v.local_date, v.value, v.currency,\n"
        "  row_number() OVER (PARTITION BY s.conversion_id"
        " ORDER BY s.occurred_at, s.touchpoint_id) AS pos,\n"
        "  count(*) OVER (PARTITION BY s.conversion_id) AS n,\n"
        "  min(s.age_days) OVER (PARTITION BY s.conversion_id) AS min_age\n"
        f"FROM steps AS s JOIN {CONVERSIONS} AS v USING (conversion_id)"
    )


def weight_sql(model: AttributionModel) -> str:
    """A rule-based model's credit of one row of ``_cadran_path`` (sums to 1 per conversion)."""
    name = model.name
    if name == "first_touch":
        return "CASE WHEN pos = 1 THEN 1.0 ELSE 0.0 END"
    if name == "last_touch":
        return "CASE WHEN pos = n THEN 1.0 ELSE 0.0 END"
    if name == "linear":
        return "1.0 / n"
    if name == "time_decay":
        # Ages are counted from the conversion's most recent touch, so that no weight
        # underflows to 0 however short the half-life: the ratios are unchanged.
        h = sql.number(model.half_life_days)
        decay = f"pow(2.0, -(age_days - min_age) / {h})"
        return f"{decay} / sum({decay}) OVER w"
    if name == "position_based":
        first, last = model.first_share, model.last_share
        middle = model.middle_share
        ends = first + last
        # Two touches share everything in proportion to their shares; 0/100/0 splits evenly.
        two = (first / ends, last / ends) if ends > 0 else (0.5, 0.5)
        return (
            "CASE WHEN n = 1 THEN 1.0 "
            f"WHEN n = 2 THEN CASE WHEN pos = 1 THEN {sql.number(two[0])} "
            f"ELSE {sql.number(two[1])} END "
            f"WHEN pos = 1 THEN {sql.number(first)} WHEN pos = n THEN {sql.number(last)} "
            f"ELSE {sql.number(middle)} / (n - 2) END"
        )
    raise ValueError(f"{name} is not a rule-based model")


def credits_sql(model: AttributionModel) -> str:
    """Credited rows of a rule-based model: the path rows with their ``credit``."""
    return (
        f"SELECT conversion_id, local_date, value, currency, channel, platform, campaign_id,"
        f" post_id, topic, recorded, {weight_sql(model)} AS credit\n"
        f"FROM {PATHS}\nWINDOW w AS (PARTITION BY conversion_id)"
    )


def state_sql(dimension: str) -> str:
    """The Markov state of a touch for ``dimension``: its value, or ``(none)``."""
    column = DIMENSIONS[dimension]
    return f"coalesce(CAST({sql.ident(column)} AS VARCHAR), {sql.text(NONE_STATE)})"


def transitions_sql(dimension: str) -> str:
    """Counted transitions (from, to, weight) of converting paths and of the journeys of people
    with touchpoints in the window but no conversion (they end in ``(null)``)."""
    state = state_sql(dimension)
    return (
        "WITH steps AS (\n"
        f"  SELECT 'c' || conversion_id AS path, pos, n, {state} AS state, TRUE AS converted\n"
        f"  FROM {PATHS}\n"
        "  UNION ALL\n"
        f"  SELECT 'p' || person, row_number() OVER (PARTITION BY person"
        " ORDER BY occurred_at, touchpoint_id),\n"
        f"    count(*) OVER (PARTITION BY person), {state}, FALSE\n"
        f"  FROM {TOUCHES}\n"
        f"  WHERE person IS NOT NULL AND person NOT IN"
        f" (SELECT person FROM {CONVERSIONS} WHERE person IS NOT NULL)\n"
        "), moves AS (\n"
        "  SELECT state,\n"
        "    lead(state) OVER (PARTITION BY path ORDER BY pos) AS after, pos, n, converted\n"
        "  FROM steps\n"
        ")\n"
        "SELECT '(start)' AS source, state AS target, count(*) AS weight FROM moves"
        " WHERE pos = 1 GROUP BY ALL\n"
        "UNION ALL\n"
        "SELECT state, after, count(*) FROM moves WHERE pos < n GROUP BY ALL\n"
        "UNION ALL\n"
        "SELECT state, CASE WHEN converted THEN '(conversion)' ELSE '(null)' END, count(*)"
        " FROM moves WHERE pos = n GROUP BY ALL"
    )


def markov_credits_sql(dimension: str, shares: Mapping[str, float]) -> str:
    """Credited rows of the Markov model: every conversion shared over the states by their
    removal-effect share (the global rule: credit_k = conversions x RE_k / sum RE)."""
    column = DIMENSIONS[dimension]
    values = ", ".join(
        f"({sql.text(state)}, {sql.number(share)})" for state, share in shares.items() if share > 0
    )
    if not values:
        values = f"({sql.text(NONE_STATE)}, 0.0)"
    dims = dict.fromkeys(("channel", "platform", "campaign_id", "topic"), "NULL")
    state_value = f"CASE WHEN s.state = {sql.text(NONE_STATE)} THEN NULL ELSE s.state END"
    dims[column] = f"CAST({state_value} AS INTEGER)" if column == "campaign_id" else state_value
    return (
        "SELECT v.conversion_id, v.local_date, v.value, v.currency,"
        f" {dims['channel']} AS channel, {dims['platform']} AS platform,"
        f" {dims['campaign_id']} AS campaign_id, NULL AS post_id, {dims['topic']} AS topic,"
        " FALSE AS recorded, s.share AS credit\n"
        f"FROM {CONVERSIONS} AS v, (VALUES {values}) AS s(state, share)"
    )
