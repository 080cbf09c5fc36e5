"""A straightforward pandas implementation of the benchmark task, independent of the engine.

Same task and semantics as ``reference_sql.py`` (see its docstring), written separately: the
needed columns of each table are read into DataFrames with duckdb's ``.df()`` (plain column
reads, restricted to the date range; no SQL aggregates), then everything is groupby, merge and
vectorised arithmetic. Costs are read from the ``cost`` table and spread over the days of their
period here.

The KPIs without a platform breakdown (churn rate, churn-based lifetime value) are outside the
task; ``evaluate_totals`` computes them per month for the whole workspace.

    .venv/bin/python bench/reference_pandas.py bench/.cache/S-42
"""

from __future__ import annotations

import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
PARAMETERS_FILE = ROOT / "src" / "cadran" / "definitions" / "parameters.yaml"
FIRST = date(2024, 11, 1)
LAST = date(2026, 10, 31)
PLATFORMS = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube")
NO_PLATFORM = -1  # platform code of rows without a platform
SOCIAL = ("organic_social", "paid_social")
KEYS = ["month", "platform"]

# table -> (date column, columns read)
COLUMNS: dict[str, tuple[str, list[str]]] = {
    "post": (
        "local_date",
        [
            "platform", "impressions", "reach", "likes", "comments", "shares", "saves",
            "clicks", "video_views", "engagements_native", "readability", "quality_score",
            "is_paid",
        ],
    ),
    "account_daily": (
        "day",
        ["platform", "account_id", "followers", "followers_gained", "followers_lost",
         "reach", "profile_visits", "impressions", "engagements_native", "likes", "comments",
         "shares", "clicks"],
    ),
    "audience": ("as_of", ["platform", "account_id", "dimension", "segment", "followers"]),
    "message": (
        "local_date",
        ["platform", "channel", "created_at", "first_reply_at", "is_question", "is_complaint",
         "resolved_at", "sentiment_label", "first_reply_business_hours"],
    ),
    "mention": ("local_date", ["platform", "kind", "sentiment_label"]),
    "web_traffic": (
        "day",
        ["platform", "channel_group", "is_brand_search", "sessions", "engaged_sessions",
         "engagement_seconds"],
    ),
    "lead": ("local_date", ["platform", "source", "customer_id"]),
    "qualified_interaction": ("local_date", ["platform", "source"]),
    "customer": ("local_date", ["platform", "source"]),
    "revenue": ("local_date", ["platform", "source", "amount", "customer_id"]),
    "recommendation": ("local_date", ["platform", "users_exposed", "users_acted"]),
}  # fmt: skip
INSTANTS = {"created_at", "first_reply_at", "resolved_at"}


def parameters(workspace: Path | None = None) -> dict[str, float]:
    """The built-in parameters, overridden by the workspace's ``[parameters]``."""
    values = {k: float(v["value"]) for k, v in yaml.safe_load(PARAMETERS_FILE.read_text()).items()}
    if workspace is not None and (workspace / "cadran.toml").exists():
        config = tomllib.loads((workspace / "cadran.toml").read_text())
        values.update({k: float(v) for k, v in config.get("parameters", {}).items()})
    return values


def _month_number(d: date) -> int:
    """Months since January 1970 (the key used for months here)."""
    return (d.year - 1970) * 12 + d.month - 1


def _month_start(m: np.ndarray) -> np.ndarray:
    return m.astype("datetime64[M]").astype("datetime64[D]")


# -- reading -----------------------------------------------------------------------------------
def load(con: duckdb.DuckDBPyConnection, first: date = FIRST, last: date = LAST) -> dict:
    """Read the needed columns of every table (and the month before ``first``, for previous())."""
    lo, hi = _month_number(first) - 1, _month_number(last) + 1
    lo_date = str(_month_start(np.array([lo]))[0])
    hi_date = str(_month_start(np.array([hi]))[0])
    tables: dict[str, pd.DataFrame] = {}
    for table, (date_col, cols) in COLUMNS.items():
        # Instants are read as naive UTC timestamps: duckdb 2.0's conversion of TIMESTAMPTZ
        # columns to pandas emits a pandas deprecation warning.
        select = [f"timezone('UTC', {c}) AS {c}" if c in INSTANTS else c for c in cols]
        tables[table] = con.execute(
            f"SELECT {date_col}, {', '.join(select)} FROM {table} "
            f"WHERE {date_col} >= DATE '{lo_date}' AND {date_col} < DATE '{hi_date}'"
        ).df()
    # Costs overlapping the range; they are spread over their days in `_cost_days`.
    tables["cost"] = con.execute(
        "SELECT period_start, period_end, category, platform, amount FROM cost "
        f"WHERE period_end >= DATE '{lo_date}' AND period_start < DATE '{hi_date}'"
    ).df()
    tables["_range"] = pd.DataFrame({"lo": [lo], "hi": [hi]})
    return tables


# -- helpers -------------------------------------------------------------------------------------
def _keys(frame: pd.DataFrame, date_col: str) -> pd.DataFrame:
    """Month number and platform code of each row."""
    months = frame[date_col].to_numpy().astype("datetime64[M]").astype("int64")
    platform = frame["platform"]
    if isinstance(platform.dtype, pd.CategoricalDtype):
        codes = platform.cat.set_categories(PLATFORMS).cat.codes.to_numpy()
    else:
        codes = pd.Categorical(platform, categories=PLATFORMS).codes
    return pd.DataFrame({"month": months, "platform": codes.astype("int64")}, index=frame.index)


def _num(s: pd.Series) -> pd.Series:
    """A numeric column as float64 with NaN for missing values."""
    return pd.Series(s.to_numpy(dtype="float64", na_value=np.nan), index=s.index)


def _flag(s: pd.Series) -> pd.Series:
    """A yes/no column, missing = no (a filter keeps rows where the condition is true)."""
    return pd.Series(s.astype("boolean").fillna(False).to_numpy(dtype=bool), index=s.index)


class Agg:
    """Collects the per-(month, platform) aggregates of one fact, computed in one groupby."""

    def __init__(self, keys: pd.DataFrame) -> None:
        self.keys = keys
        self.sums: dict[str, np.ndarray] = {}
        self.counts: dict[str, np.ndarray] = {}
        self.filtered: list[str] = []
        self.other: dict[str, pd.Series] = {}
        self.fill: set[str] = set()  # sums and counts: 0 for an absent platform in a covered month

    def group(self, values: pd.Series | np.ndarray) -> pd.core.groupby.SeriesGroupBy:
        return pd.Series(np.asarray(values), index=self.keys.index).groupby(
            [self.keys["month"], self.keys["platform"]]
        )

    def count(self, name: str, mask: pd.Series | np.ndarray | None = None) -> None:
        """Rows (passing ``mask``)."""
        ones = np.ones(len(self.keys))
        self.counts[name] = ones if mask is None else np.asarray(mask, dtype="float64")
        self.fill.add(name)

    def sum(self, name: str, values: pd.Series, mask: pd.Series | None = None) -> None:
        """Sum; NULL when every value is NULL; 0 for a filter no row passes."""
        if mask is None:
            self.sums[name] = np.asarray(values, dtype="float64")
        else:
            m = np.asarray(mask, dtype=bool)
            self.sums[name] = np.where(m, np.asarray(values, dtype="float64"), np.nan)
            self.counts[f"_rows_{name}"] = m.astype("float64")
            self.filtered.append(name)
        self.fill.add(name)

    def stat(self, name: str, values: pd.Series, how: str) -> None:
        """Another aggregate of the values (mean, median, max...), NaN skipped."""
        self.other[name] = self.group(values).agg(how)

    def unique(self, name: str, values: pd.Series) -> None:
        """A unique count: the value when the group has exactly one row, else unknown."""
        rows = self.group(np.ones(len(self.keys))).sum()
        self.other[name] = self.group(values).max().where(rows == 1)

    def frame(self) -> pd.DataFrame:
        data = pd.DataFrame({**self.sums, **self.counts}, index=self.keys.index)
        grouped = data.groupby([self.keys["month"], self.keys["platform"]])
        sums = grouped[list(self.sums)].sum(min_count=1)
        counts = grouped[list(self.counts)].sum()
        out = pd.concat([sums, counts, *(s.rename(n) for n, s in self.other.items())], axis=1)
        for name in self.filtered:
            out[name] = out[name].where(out[f"_rows_{name}"] > 0, 0.0)
        return out


@dataclass
class Fact:
    """A fact's aggregates, the months it has rows in, and the platforms each KPI input reads."""

    agg: pd.DataFrame
    fill: set[str]
    months: set[int]
    reads: dict[str, set[int]]


def _platforms(keys: pd.DataFrame, mask: pd.Series | np.ndarray | None = None) -> set[int]:
    codes = keys["platform"] if mask is None else keys["platform"][np.asarray(mask, dtype=bool)]
    return set(codes.unique().tolist())


# -- one function per fact -------------------------------------------------------------------------
def _post(t: pd.DataFrame) -> Fact:
    k = _keys(t, "local_date")
    imp, reach = _num(t["impressions"]), _num(t["reach"])
    likes, comments, shares = _num(t["likes"]), _num(t["comments"]), _num(t["shares"])
    saves, clicks, views = _num(t["saves"]), _num(t["clicks"]), _num(t["video_views"])
    eng = _num(t["engagements_native"]).fillna(
        likes.fillna(0) + comments.fillna(0) + shares.fillna(0) + saves.fillna(0) + clicks.fillna(0)
    )
    a = Agg(k)
    a.count("posts")
    for name, col in (("impressions", imp), ("likes", likes), ("comments", comments),
                      ("shares", shares), ("saves", saves), ("clicks", clicks),
                      ("video_views", views), ("engagements", eng)):  # fmt: skip
        a.sum(name, col)
    a.unique("reach", reach)
    a.stat("readability", _num(t["readability"]), "mean")
    a.stat("content_quality", _num(t["quality_score"]), "mean")
    a.sum("paid_clicks", clicks, _flag(t["is_paid"]))
    # pooled ratios: each part only over rows where the other parts are known
    a.sum("er_engagements", eng, imp.notna())
    a.sum("er_impressions", imp, eng.notna())
    a.sum("ctr_clicks", clicks, imp.notna())
    a.sum("ctr_impressions", imp, clicks.notna())
    a.sum("vir_shares", shares, imp.notna())
    a.sum("vir_impressions", imp, shares.notna())
    a.sum("erv_engagements", eng, views.notna())
    a.sum("erv_video_views", views, eng.notna())
    a.sum("cv_shares", shares, likes.notna() & comments.notna())
    a.sum("cv_likes", likes, shares.notna() & comments.notna())
    a.sum("cv_comments", comments, likes.notna() & shares.notna())
    a.count("cv_posts", likes.notna() & comments.notna() & shares.notna())
    # means per post: sum and count of the per-post values that are known
    err = eng / reach.where(reach != 0) * 100
    for name, col in (("clicks", clicks), ("shares", shares), ("comments", comments),
                      ("likes", likes), ("err", err)):  # fmt: skip
        a.sum(f"pp_{name}", col)
        a.count(f"pp_{name}_n", col.notna())
    reads = {"post": _platforms(k), "post_paid": _platforms(k, _flag(t["is_paid"]))}
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _account_daily(t: pd.DataFrame) -> Fact:
    k = _keys(t, "day")
    d = pd.DataFrame(
        {
            "month": k["month"],
            "platform": k["platform"],
            "account": t["account_id"].to_numpy(),
            "day": t["day"].to_numpy(),
            "followers": _num(t["followers"]),
        }
    ).sort_values(["account", "day"], kind="stable")
    per_account = d.groupby(["month", "platform", "account"])["followers"].agg(["last", "first"])
    stocks = per_account.groupby(level=["month", "platform"]).sum(min_count=1)
    gained, lost = _num(t["followers_gained"]), _num(t["followers_lost"])
    a = Agg(k)
    a.sum("followers_gained", gained)
    a.sum("followers_lost", lost)
    a.sum("profile_visits", _num(t["profile_visits"]))
    impressions = _num(t["impressions"])
    engagements = _num(t["engagements_native"]).fillna(
        sum(_num(t[c]) for c in ("likes", "comments", "shares", "clicks"))
    )
    a.sum("aer_engagements", engagements, impressions.notna())
    a.sum("aer_impressions", impressions, engagements.notna())
    a.sum("gr_gained", gained, lost.notna())
    a.sum("gr_lost", lost, gained.notna())
    a.unique("account_reach", _num(t["reach"]))
    a.other["followers"] = stocks["last"]
    a.other["followers_opening"] = stocks["first"]
    reads = {"account_daily": _platforms(k)}
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _audience(t: pd.DataFrame, first_month: int) -> pd.DataFrame:
    """Followers per month, platform, dimension and segment: last value per account, summed."""
    k = _keys(t, "as_of")
    d = pd.DataFrame(
        {
            "month": k["month"],
            "platform": k["platform"],
            "account": t["account_id"].to_numpy(),
            "dimension": t["dimension"].astype("object").to_numpy(),
            "segment": t["segment"].astype("object").to_numpy(),
            "as_of": t["as_of"].to_numpy(),
            "followers": _num(t["followers"]),
        }
    )
    d = d[d["month"] >= first_month].sort_values("as_of", kind="stable")
    last = d.groupby(["month", "platform", "account", "dimension", "segment"])["followers"].last()
    return (
        last.groupby(level=["month", "platform", "dimension", "segment"])
        .sum(min_count=1)
        .reset_index()
    )


def _message(t: pd.DataFrame) -> Fact:
    k = _keys(t, "local_date")
    channel, label = t["channel"], t["sentiment_label"]
    question, complaint = _flag(t["is_question"]), _flag(t["is_complaint"])
    public, private = channel == "public", channel == "private"
    positive, negative = label == "positive", label == "negative"
    a = Agg(k)
    a.count("public_messages", public)
    a.count("private_messages", private)
    a.count("unanswered_questions", question & t["first_reply_at"].isna())
    a.count("resolved_complaints", complaint & t["resolved_at"].notna())
    a.count("complaints", complaint)
    a.count("m_positive", positive)
    a.count("m_negative", negative)
    a.count("m_with_sentiment", label.notna())
    a.count("positive_comments", public & positive)
    a.count("negative_comments", public & negative)
    hours = (t["first_reply_at"] - t["created_at"]).dt.total_seconds() / 3600
    a.stat("reply_hours_mean", hours, "mean")
    a.stat("reply_hours_median", hours, "median")
    business = t["first_reply_business_hours"].astype("float64")
    a.stat("reply_business_mean", business, "mean")
    a.stat("reply_business_median", business, "median")
    a.stat("reply_public_mean", hours.where(public), "mean")
    a.stat("reply_private_mean", hours.where(private), "mean")
    reads = {
        "message": _platforms(k),
        "message_public": _platforms(k, public),
        "message_private": _platforms(k, private),
        "message_unanswered_question": _platforms(k, question & t["first_reply_at"].isna()),
        "message_complaint": _platforms(k, complaint),
        "message_public_positive": _platforms(k, public & positive),
        "message_public_negative": _platforms(k, public & negative),
        "message_polar": _platforms(k, positive | negative),
        "message_labelled": _platforms(k, label.notna()),
    }
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _mention(t: pd.DataFrame) -> Fact:
    k = _keys(t, "local_date")
    kind, label = t["kind"], t["sentiment_label"]
    a = Agg(k)
    a.count("mentions")
    a.count("mentions_mention", kind == "mention")
    a.count("mentions_tag", kind == "tag")
    a.count("n_positive", label == "positive")
    a.count("n_negative", label == "negative")
    a.count("n_with_sentiment", label.notna())
    reads = {
        "mention": _platforms(k),
        "mention_mention": _platforms(k, kind == "mention"),
        "mention_tag": _platforms(k, kind == "tag"),
        "mention_polar": _platforms(k, label.isin(["positive", "negative"])),
        "mention_labelled": _platforms(k, label.notna()),
    }
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _web_traffic(t: pd.DataFrame) -> Fact:
    k = _keys(t, "day")
    group = t["channel_group"].astype("object")
    sessions, engaged = _num(t["sessions"]), _num(t["engaged_sessions"])
    seconds = _num(t["engagement_seconds"])
    direct, social = group == "Direct", group.isin(["Organic Social", "Paid Social"])
    brand = _flag(t["is_brand_search"])
    a = Agg(k)
    a.sum("sessions", sessions)
    a.sum("sessions_direct", sessions, direct)
    a.sum("sessions_brand_search", sessions, brand)
    a.sum("sessions_social", sessions, social)
    a.sum("tos_seconds", seconds, sessions.notna())
    a.sum("tos_sessions", sessions, seconds.notna())
    a.sum("bounce_sessions", sessions, engaged.notna())
    a.sum("bounce_engaged", engaged, sessions.notna())
    reads = {
        "web": _platforms(k),
        "web_direct": _platforms(k, direct),
        "web_brand_search": _platforms(k, brand),
        "web_social": _platforms(k, social),
    }
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _lead(t: pd.DataFrame) -> Fact:
    k = _keys(t, "local_date")
    source = t["source"]
    social, paid = source.isin(SOCIAL), source == "paid_social"
    a = Agg(k)
    a.count("leads_social", social)
    a.count("leads_social_converted", social & t["customer_id"].notna())
    a.count("leads_paid_social", paid)
    reads = {"lead_social": _platforms(k, social), "lead_paid_social": _platforms(k, paid)}
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _qualified_interaction(t: pd.DataFrame) -> Fact:
    k = _keys(t, "local_date")
    social = t["source"].isin(SOCIAL)
    a = Agg(k)
    a.count("qualified_interactions")
    a.count("qualified_interactions_social", social)
    reads = {
        "qualified_interaction": _platforms(k),
        "qualified_interaction_social": _platforms(k, social),
    }
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _customer(t: pd.DataFrame) -> Fact:
    k = _keys(t, "local_date")
    social = t["source"].isin(SOCIAL)
    a = Agg(k)
    a.count("customers_social", social)
    reads = {"customer_social": _platforms(k, social)}
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _revenue(t: pd.DataFrame) -> Fact:
    k = _keys(t, "local_date")
    social = t["source"].isin(SOCIAL)
    amount = _num(t["amount"])
    a = Agg(k)
    a.sum("revenue", amount)
    a.count("orders_with_amount", amount.notna())
    a.sum("revenue_social", amount, social)
    # distinct customers among social orders (0 for a month and platform without any)
    customers = np.where(social, _num(t["customer_id"]), np.nan)
    a.other["buyers_social"] = a.group(customers).nunique().astype("float64")
    a.fill.add("buyers_social")
    reads = {"revenue": _platforms(k), "revenue_social": _platforms(k, social)}
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _cost_days(t: pd.DataFrame, lo: int, hi: int) -> pd.DataFrame:
    """Each cost spread evenly over the days of its period (both ends included)."""
    start = t["period_start"].to_numpy().astype("datetime64[D]")
    end = t["period_end"].to_numpy().astype("datetime64[D]")
    days = (end - start).astype("int64") + 1
    row = np.repeat(np.arange(len(t)), days)
    offset = np.arange(days.sum()) - np.repeat(np.cumsum(days) - days, days)
    out = pd.DataFrame(
        {
            "day": start[row] + offset.astype("timedelta64[D]"),
            "platform": t["platform"].to_numpy()[row],
            "category": t["category"].astype("object").to_numpy()[row],
            "amount": (_num(t["amount"]).to_numpy() / days)[row],
        }
    )
    month = out["day"].to_numpy().astype("datetime64[M]").astype("int64")
    return out[(month >= lo) & (month < hi)].reset_index(drop=True)


def _cost(t: pd.DataFrame) -> Fact:
    k = _keys(t, "day")
    ads = t["category"] == "ads"
    a = Agg(k)
    a.sum("cost", t["amount"])
    a.sum("cost_ads", t["amount"], ads)
    reads = {"cost": _platforms(k), "cost_ads": _platforms(k, ads)}
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


def _recommendation(t: pd.DataFrame) -> Fact:
    k = _keys(t, "local_date")
    exposed, acted = _num(t["users_exposed"]), _num(t["users_acted"])
    a = Agg(k)
    a.sum("rec_acted", acted, exposed.notna())
    a.sum("rec_exposed", exposed, acted.notna())
    reads = {"recommendation": _platforms(k)}
    return Fact(a.frame(), a.fill, set(k["month"].unique().tolist()), reads)


# -- KPIs ---------------------------------------------------------------------------------------
def _div(a: pd.Series, b: pd.Series | float) -> pd.Series:
    """a / b, NaN when b is 0 or missing."""
    if isinstance(b, pd.Series):
        return a / b.where(b != 0)
    return a / b if b != 0 else a * np.nan


Formula = Callable[[pd.DataFrame], tuple[pd.Series, pd.Series, pd.Series | None]]


def _kpis(p: dict[str, float]) -> dict[str, tuple[tuple[str, ...], Formula]]:
    """KPI id -> (inputs whose platforms it has, function of the wide table -> value, num, den)."""

    def plain(col: str) -> Formula:
        return lambda w: (w[col], w[col], None)

    def ratio(a: str | Callable, b: str | Callable, scale: float = 1.0) -> Formula:
        def f(w: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
            num = a(w) if callable(a) else w[a]
            den = b(w) if callable(b) else w[b]
            value = _div(num, den)
            return (value * scale if scale != 1.0 else value), num, den

        return f

    def per_post(name: str) -> Formula:
        return ratio(f"pp_{name}", f"pp_{name}_n")

    def bss_num(w: pd.DataFrame) -> pd.Series:
        return w["m_positive"].fillna(0) + w["n_positive"].fillna(0)

    def bss_den(w: pd.DataFrame) -> pd.Series:
        return (
            w["m_positive"].fillna(0) + w["m_negative"].fillna(0)
            + w["n_positive"].fillna(0) + w["n_negative"].fillna(0)
        )  # fmt: skip

    def clv(w: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
        per_buyer = _div(w["revenue_social"], w["buyers_social"])
        value = _div(per_buyer * 365, w["days"]) * p["customer_lifespan_years"]
        return value * p["gross_margin"], per_buyer, w["days"]

    def minus(a: str, b: str) -> Callable[[pd.DataFrame], pd.Series]:
        return lambda w: w[a] - w[b]

    post, ad = ("post",), ("account_daily",)
    return {
        "avg_clicks_per_post": (post, per_post("clicks")),
        "avg_shares_per_post": (post, per_post("shares")),
        "avg_comments_per_post": (post, per_post("comments")),
        "leads_generated": (("lead_social",), plain("leads_social")),
        "cost_per_lead": (("cost", "lead_social"), ratio("cost", "leads_social")),
        "customer_acquisition_cost": (
            ("cost", "customer_social"),
            ratio("cost", "customers_social"),
        ),
        "new_customers": (("customer_social",), plain("customers_social")),
        "social_lead_conversion_rate": (
            ("lead_social",),
            ratio("leads_social_converted", "leads_social", 100),
        ),
        "revenue_generated": (("revenue_social",), plain("revenue_social")),
        "average_order_value": (("revenue",), ratio("revenue", "orders_with_amount")),
        "qualified_interactions": (("qualified_interaction",), plain("qualified_interactions")),
        "cost_per_qualified_interaction": (
            ("cost", "qualified_interaction"),
            ratio("cost", "qualified_interactions"),
        ),
        "conversion_rate": (
            ("qualified_interaction_social", "web_social"),
            ratio("qualified_interactions_social", "sessions_social", 100),
        ),
        "social_media_roi": (
            ("cost", "revenue_social"),
            ratio(minus("revenue_social", "cost"), "cost"),
        ),
        "roi_percent": (
            ("cost", "revenue_social"),
            ratio(minus("revenue_social", "cost"), "cost", 100),
        ),
        "engagement_rate": (post, ratio("er_engagements", "er_impressions", 100)),
        "engagement_rate_reach": (post, per_post("err")),
        "engagement_rate_followers": (
            ("account_daily", "post"),
            ratio("engagements", "followers", 100),
        ),
        "engagements": (post, plain("engagements")),
        "likes": (post, plain("likes")),
        "comments": (post, plain("comments")),
        "shares": (post, plain("shares")),
        "saves": (post, plain("saves")),
        "clicks": (post, plain("clicks")),
        "video_views": (post, plain("video_views")),
        "impressions": (post, plain("impressions")),
        "reach": (post, plain("reach")),
        "account_reach": (ad, plain("account_reach")),
        "profile_visits": (ad, plain("profile_visits")),
        "account_engagement_rate": (ad, ratio("aer_engagements", "aer_impressions", 100)),
        "followers": (ad, plain("followers")),
        "public_comments": (("message_public",), plain("public_messages")),
        "private_questions": (("message_private",), plain("private_messages")),
        "click_through_rate": (post, ratio("ctr_clicks", "ctr_impressions", 100)),
        "virality_rate": (post, ratio("vir_shares", "vir_impressions", 100)),
        "amplification_rate": (post, per_post("shares")),
        "applause_rate": (post, per_post("likes")),
        "conversation_rate": (post, per_post("comments")),
        "engagement_rate_improvement": (post, ratio(minus("er", "er_prev"), "er_prev", 100)),
        "content_virality_rate": (
            ("account_daily", "post"),
            ratio(
                lambda w: w["cv_shares"] + w["cv_likes"] + w["cv_comments"],
                lambda w: w["cv_posts"] * w["followers"],
                100,
            ),
        ),
        "engagement_rate_views": (post, ratio("erv_engagements", "erv_video_views", 100)),
        "direct_traffic": (("web_direct",), plain("sessions_direct")),
        "indirect_traffic": (("web_brand_search",), plain("sessions_brand_search")),
        "social_traffic": (("web_social",), plain("sessions_social")),
        "posts_per_period": (post, plain("posts")),
        "posts_per_day": (post, ratio("posts", "days")),
        "response_time": (("message",), plain("reply_hours_mean")),
        "response_time_median": (("message",), plain("reply_hours_median")),
        "response_time_business": (("message",), plain("reply_business_mean")),
        "response_time_business_median": (("message",), plain("reply_business_median")),
        "response_time_public": (("message_public",), plain("reply_public_mean")),
        "response_time_private": (("message_private",), plain("reply_private_mean")),
        "unanswered_questions": (
            ("message_unanswered_question",),
            plain("unanswered_questions"),
        ),
        "complaint_resolution_rate": (
            ("message_complaint",),
            ratio("resolved_complaints", "complaints", 100),
        ),
        "formal_readability_index": (post, plain("readability")),
        "content_quality_index": (post, plain("content_quality")),
        "ai_recommendation_adoption_rate": (
            ("recommendation",),
            ratio("rec_acted", "rec_exposed", 100),
        ),
        "social_media_budget": (("cost",), plain("cost")),
        "paid_cost_per_lead": (
            ("cost_ads", "lead_paid_social"),
            ratio("cost_ads", "leads_paid_social"),
        ),
        "cost_per_click": (("cost_ads", "post_paid"), ratio("cost_ads", "paid_clicks")),
        "roas": (("cost_ads", "revenue_social"), ratio("revenue_social", "cost_ads")),
        "customer_lifetime_value": (("revenue_social",), clv),
        "brand_mentions": (("mention_mention",), plain("mentions_mention")),
        "tagged_people": (("mention_tag",), plain("mentions_tag")),
        "followers_gained": (ad, plain("followers_gained")),
        "followers_lost": (ad, plain("followers_lost")),
        "net_follower_growth": (
            ad,
            lambda w: (w["followers_gained"] - w["followers_lost"],) * 2 + (None,),
        ),
        "audience_growth_rate": (ad, ratio(minus("gr_gained", "gr_lost"), "followers", 100)),
        "audience_growth_velocity": (
            ad,
            ratio(minus("gr_gained", "gr_lost"), "followers_opening", 100),
        ),
        "brand_sentiment_score": (
            ("message_polar", "mention_polar"),
            ratio(bss_num, bss_den, 100),
        ),
        "brand_sentiment_evolution": (
            ("message_polar", "mention_polar"),
            ratio(minus("bss", "bss_prev"), "bss_prev", 100),
        ),
        "net_sentiment": (
            ("message_labelled", "mention_labelled"),
            ratio(
                lambda w: bss_num(w) - w["m_negative"].fillna(0) - w["n_negative"].fillna(0),
                lambda w: w["m_with_sentiment"].fillna(0) + w["n_with_sentiment"].fillna(0),
                100,
            ),
        ),
        "share_of_negative_mentions": (("mention",), ratio("n_negative", "mentions", 100)),
        "positive_comments": (("message_public_positive",), plain("positive_comments")),
        "negative_comments": (("message_public_negative",), plain("negative_comments")),
        "complaints": (("message_complaint",), plain("complaints")),
        "website_sessions": (("web",), plain("sessions")),
        "time_on_site": (("web",), ratio("tos_seconds", "tos_sessions")),
        "adjusted_bounce_rate": (
            ("web",),
            ratio(minus("bounce_sessions", "bounce_engaged"), "bounce_sessions", 100),
        ),
    }


SEGMENT_KPIS = {
    "followers_by_age_gender": "age_gender",
    "followers_by_age": "age",
    "followers_by_gender": "gender",
    "followers_by_country": "country",
    "followers_by_city": "city",
    "followers_by_language": "language",
    "active_hours": "active_hour",
    "active_weekdays": "active_weekday",
}


def compute(
    tables: dict, first: date = FIRST, last: date = LAST, params: dict[str, float] | None = None
) -> pd.DataFrame:
    """The long result table from the tables read by :func:`load`."""
    p = params if params is not None else parameters()
    lo, hi = int(tables["_range"]["lo"][0]), int(tables["_range"]["hi"][0])
    first_month = _month_number(first)
    facts = {
        "post": _post(tables["post"]),
        "account_daily": _account_daily(tables["account_daily"]),
        "message": _message(tables["message"]),
        "mention": _mention(tables["mention"]),
        "web_traffic": _web_traffic(tables["web_traffic"]),
        "lead": _lead(tables["lead"]),
        "qualified_interaction": _qualified_interaction(tables["qualified_interaction"]),
        "customer": _customer(tables["customer"]),
        "revenue": _revenue(tables["revenue"]),
        "cost": _cost(_cost_days(tables["cost"], lo, hi)),
        "recommendation": _recommendation(tables["recommendation"]),
    }
    reads = {name: codes for f in facts.values() for name, codes in f.reads.items()}

    # The wide table: every month x every platform any KPI reads, each fact's columns filled.
    months = np.arange(lo, hi)
    platforms = sorted(set().union(*reads.values()))
    index = pd.MultiIndex.from_product([months, platforms], names=KEYS)
    columns: dict[str, pd.Series] = {}
    month_of_row = index.get_level_values("month").to_numpy()
    for f in facts.values():
        part = f.agg.reindex(index)
        present = pd.Series(True, index=f.agg.index).reindex(index, fill_value=False).to_numpy()
        covered = np.isin(month_of_row, list(f.months))
        for col in part.columns:
            values = part[col].astype("float64")
            if col in f.fill:
                values = values.where(present | ~covered, 0.0)
            columns[col] = values
    starts = _month_start(month_of_row)
    next_starts = (starts.astype("datetime64[M]") + 1).astype("datetime64[D]")
    columns["days"] = pd.Series((next_starts - starts).astype("float64"), index=index)
    wide = pd.DataFrame(columns)
    # KPIs read by previous(): the month before, same platform (the grid has every month)
    er = _div(wide["er_engagements"], wide["er_impressions"]) * 100
    positive = wide["m_positive"].fillna(0) + wide["n_positive"].fillna(0)
    polar = positive + wide["m_negative"].fillna(0) + wide["n_negative"].fillna(0)
    bss = _div(positive, polar) * 100
    wide = wide.assign(
        er=er,
        bss=bss,
        er_prev=er.groupby(level="platform").shift(1),
        bss_prev=bss.groupby(level="platform").shift(1),
    )

    keep = month_of_row >= first_month
    codes = index.get_level_values("platform").to_numpy()
    names = np.array([None, *PLATFORMS], dtype=object)[codes + 1]
    parts = []
    for kpi, (inputs, formula) in _kpis(p).items():
        value, num, den = formula(wide)
        rows = keep & np.isin(codes, list(set().union(*(reads[i] for i in inputs))))
        parts.append(
            pd.DataFrame(
                {
                    "kpi": kpi,
                    "period_start": starts[rows],
                    "platform": names[rows],
                    "segment": None,
                    "value": value.to_numpy()[rows],
                    "numerator": num.to_numpy()[rows],
                    "denominator": np.nan if den is None else den.to_numpy()[rows],
                }
            )
        )
    audience = _audience(tables["audience"], first_month)
    for kpi, dim in SEGMENT_KPIS.items():
        d = audience[audience["dimension"] == dim]
        total = d.groupby(["month", "platform"])["followers"].transform("sum")
        parts.append(
            pd.DataFrame(
                {
                    "kpi": kpi,
                    "period_start": _month_start(d["month"].to_numpy()),
                    "platform": np.array([None, *PLATFORMS], dtype=object)[d["platform"] + 1],
                    "segment": d["segment"].to_numpy(),
                    "value": (_div(d["followers"], total) * 100).to_numpy(),
                    "numerator": d["followers"].to_numpy(),
                    "denominator": total.to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def evaluate(
    con: duckdb.DuckDBPyConnection,
    first: date = FIRST,
    last: date = LAST,
    params: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Read, then compute."""
    return compute(load(con, first, last), first, last, params)


# KPIs without a platform breakdown (the customer base per day has no platform): outside the
# task, computed per month for the whole workspace by `evaluate_totals`.
TOTAL_KPIS = ("customer_churn_rate", "customer_lifetime_value_churn")


def evaluate_totals(
    con: duckdb.DuckDBPyConnection,
    first: date = FIRST,
    last: date = LAST,
    params: dict[str, float] | None = None,
) -> pd.DataFrame:
    """:data:`TOTAL_KPIS`, one row per KPI and month from ``first`` to ``last``."""
    p = params if params is not None else parameters()
    months = np.arange(_month_number(first), _month_number(last) + 1)
    lo_date = str(_month_start(months[:1])[0])
    hi_date = str(_month_start(months[-1:] + 1)[0])
    base = con.execute(
        "SELECT day, active_at_start, churned FROM customer_base_daily "
        f"WHERE day >= DATE '{lo_date}' AND day < DATE '{hi_date}'"
    ).df()
    orders = con.execute(
        "SELECT local_date, amount FROM revenue "
        f"WHERE local_date >= DATE '{lo_date}' AND local_date < DATE '{hi_date}'"
    ).df()

    def by_month(values: pd.Series, dates: pd.Series) -> pd.core.groupby.SeriesGroupBy:
        month = dates.to_numpy().astype("datetime64[M]").astype("int64")
        return _num(values).groupby(month)

    # Every month of the range; NaN where the fact has no row that month. The base's columns
    # are never missing, so the complete cases of the pooled ratios are every row.
    average = by_month(base["active_at_start"], base["day"]).mean().reindex(months)
    churned = by_month(base["churned"], base["day"]).sum(min_count=1).reindex(months)
    revenue = by_month(orders["amount"], orders["local_date"]).sum(min_count=1).reindex(months)
    churn = _div(churned, average)  # customers lost per customer of the average base
    per_customer = _div(revenue, average)
    results = {
        # customers_churned / customers_average * 100
        "customer_churn_rate": (churn * 100, churned, average),
        # revenue / customers_average * $gross_margin / (customers_churned / customers_average)
        "customer_lifetime_value_churn": (
            _div(per_customer * p["gross_margin"], churn),
            per_customer,
            churn,
        ),
    }
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "kpi": kpi,
                    "period_start": _month_start(months),
                    "platform": None,
                    "segment": None,
                    "value": value.to_numpy(),
                    "numerator": num.to_numpy(),
                    "denominator": den.to_numpy(),
                }
            )
            for kpi, (value, num, den) in results.items()
        ],
        ignore_index=True,
    )


def main() -> None:
    """Evaluate the task on the workspace given on the command line and print timings."""
    path = Path(sys.argv[1])
    con = duckdb.connect(str(path / "cadran.duckdb"), read_only=True)
    start = time.perf_counter()
    tables = load(con)
    read = time.perf_counter() - start
    frame = compute(tables, params=parameters(path))
    total = time.perf_counter() - start
    print(f"read {read:.2f} s, compute {total - read:.2f} s, {len(frame):,d} rows")


if __name__ == "__main__":
    main()
