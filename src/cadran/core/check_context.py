"""What the scorecard checker's rules share: the facts of the workspace, findings, the context
each rule reads, how findings name things, and the registry that keeps the rules in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from cadran.core.catalogue import Kpi
from cadran.core.issues import Issue, Level
from cadran.core.scorecard import Indicator, Objective, Perspective, Scorecard

ERROR, WARNING = Level.ERROR, Level.WARNING


@dataclass(frozen=True)
class WorkspaceFacts:
    """What the checker knows of a workspace's data."""

    computable: frozenset[str]
    """KPI ids whose inputs exist in the workspace's data."""
    history: Mapping[str, int]
    """KPI id -> number of past periods (at the indicator's interval, or months) with a value."""
    platforms: frozenset[str]
    """Platforms present in the data."""
    tracked: frozenset[str] = frozenset()
    """KPIs the team follows outside the scorecard (dashboards, overview list)."""


@dataclass(frozen=True)
class Finding:
    """One problem of a scorecard, with how to fix it.

    ``perspective``, ``objective``, ``indicator`` and ``kpi`` locate it as far as they apply:
    a finding about an indicator names all four, one about an objective its perspective and
    itself, one about the whole scorecard none (a tracked KPI tied to no objective names only
    the KPI).
    """

    code: str
    level: Level
    message: str
    hint: str
    objective: str | None = None
    indicator: str | None = None
    line: int = 0
    file: str = ""
    perspective: str | None = None
    kpi: str | None = None

    def to_issue(self) -> Issue:
        """The finding as an :class:`Issue`, to be printed like loading problems."""
        return Issue(
            self.message,
            file=self.file or None,
            line=self.line or None,
            level=self.level,
            hint=self.hint,
        )


# -- what the rules know about KPIs -----------------------------------------------------------

# Categories whose KPIs measure a business result (seeds 000 and 004).
BUSINESS_CATEGORIES = frozenset({"conversions_finance", "paid"})
# KPIs of awareness, which Facebook and Instagram serve best (seed 000).
AWARENESS_KPIS = frozenset(
    {"reach", "account_reach", "impressions", "video_views", "followers", "followers_gained"}
    | {"followers_lost", "net_follower_growth", "audience_growth_rate", "audience_growth_velocity"}
)
# A weight above this reads as a percentage: its group's weights should add up to 100.
PERCENT_FROM = 10.0
# Fewer past periods than this leave nothing to compare a value with.
MIN_HISTORY = 2

# What to import for a KPI that cannot be computed, by category.
IMPORT_HINTS = {
    "conversions_finance": (
        "import the leads, customers and revenue of your CRM or shop with a mapping file "
        "(`cadran import --mapping crm.yaml leads.csv`), and your costs for cost and ROI KPIs"
    ),
    "paid": "import your ad exports (Meta Ads Manager) and your ad spend",
    "traffic": "import a Google Analytics 4 export of sessions by channel",
    "inbound_traffic": "import a Google Analytics 4 export of sessions by channel",
    "sentiment": (
        "import the comments, messages and mentions it reads (the platforms' exports, or a "
        "listening tool's with a mapping file)"
    ),
    "engagement": "import the platforms' post and page exports",
    "popularity": "import the platforms' page exports (followers) and your brand mentions",
    "average_per": "import the platforms' post exports",
    "demographics": "import the platforms' audience exports (followers by age, gender, place)",
    "internal": "import your posts and the messages with their replies",
}

# Words that only introduce a metric: "Number of followers" names the metric "followers".
FILLER_WORDS = frozenset(
    {"number", "of", "nombre", "nb", "de", "d", "du", "des", "the", "le", "la", "les", "l"}
    | {"total", "our", "nos", "notre", "votre", "vos", "your", "#"}
)
# Qualifiers that make a metric's name longer without making it a goal.
METRIC_TAILS = frozenset({"score", "index", "indice", "count", "rate"})
# Metric nouns that are not (exactly) the name of a catalogue KPI.
METRIC_NOUNS = tuple(
    sorted(
        {"fans", "views", "vues", "engagement", "traffic", "trafic", "leads", "prospects", "ctr"}
        | {"conversions", "roi", "kpis", "metrics", "metriques", "indicateurs"}
    )
)


# -- the rules' shared context ----------------------------------------------------------------


@dataclass(frozen=True)
class CheckContext:
    """One run of the checker: the scorecard, the KPIs and the facts, with finding builders."""

    card: Scorecard
    kpis: Mapping[str, Kpi]
    facts: WorkspaceFacts | None
    levels: Mapping[str, Level]  # each code's usual level

    def bound(self) -> Iterator[tuple[Objective, Indicator, Kpi]]:
        """Every indicator whose KPI is known, with its objective and KPI."""
        for o, i in self.card.indicators():
            kpi = self.kpis.get(i.kpi)
            if kpi is not None:
                yield o, i, kpi

    # Finding builders, by what a finding is about; the level is the code's unless given.

    def on_card(self, code: str, message: str, hint: str, *, kpi: str | None = None) -> Finding:
        return Finding(code, self.levels[code], message, hint, file=self.card.file, kpi=kpi)

    def on_perspective(
        self, p: Perspective, code: str, message: str, hint: str, level: Level | None = None
    ) -> Finding:
        level = level or self.levels[code]
        return Finding(
            code, level, message, hint, line=p.line, file=self.card.file, perspective=p.id
        )

    def on_objective(
        self,
        o: Objective,
        code: str,
        message: str,
        hint: str,
        level: Level | None = None,
        *,
        line: int | None = None,
    ) -> Finding:
        level, where = level or self.levels[code], o.line if line is None else line
        return Finding(
            code,
            level,
            message,
            hint,
            o.id,
            line=where,
            file=self.card.file,
            perspective=o.perspective,
        )

    def on_indicator(
        self,
        o: Objective,
        i: Indicator,
        code: str,
        message: str,
        hint: str,
        level: Level | None = None,
    ) -> Finding:
        level = level or self.levels[code]
        return Finding(
            code, level, message, hint, o.id, i.id, i.line, self.card.file, o.perspective, i.kpi
        )

    def kpi_name(self, kpi_id: str) -> str:
        kpi = self.kpis.get(kpi_id)
        return f"{kpi_id!r}" if kpi is None else f"'{kpi.name.en}' ({kpi_id})"

    def available(self, *kpi_ids: str) -> str:
        """The KPIs of ``kpi_ids`` that exist, as "a, b or c" (for hints)."""
        known = [k for k in kpi_ids if k in self.kpis] or list(kpi_ids)
        return or_list(known)


def or_list(words: Sequence[str], last: str = "or") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def obj_text(o: Objective) -> str:
    return f"objective '{o.name.en}' ({o.id})"


def ind_text(i: Indicator, c: CheckContext) -> str:
    return f"indicator {i.id!r} ({c.kpi_name(i.kpi)})"


def num_text(x: float) -> str:
    return f"{round(x, 2):g}"


Rule = Callable[[CheckContext], Iterator[Finding]]


class RuleSet:
    """Rules in the order they report, registered by :meth:`reports` where they are defined,
    with the codes each reports: the code's usual level and a one-line summary."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.codes: dict[str, tuple[Level, str]] = {}

    def reports(self, *codes: tuple[str, Level, str]) -> Callable[[Rule], Rule]:
        """Register the decorated rule, which reports findings of ``codes``."""

        def register(rule: Rule) -> Rule:
            self.rules.append(rule)
            for code, level, summary in codes:
                self.codes[code] = (level, summary)
            return rule

        return register
