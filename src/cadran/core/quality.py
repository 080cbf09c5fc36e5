"""The content quality index: a rubric of criteria, each worth points, scored on one post.

Seed 001 defines the index as the team's internal quality rate: « +1 pour un contenu relu, +5
pour des illustrations, +2 pour des liens pertinents, +3 pour une bonne mise en page, etc. ».
A :class:`Rubric` writes such a grid as data. Each :class:`Criterion` is worth ``points``
(negative points penalise, such as −2 for a post with more than ten hashtags) and holds when all
its conditions hold. A condition compares one *feature* of the post, from the fixed vocabulary
:data:`FEATURES` (derived from the post by :mod:`cadran.text.post_features`), with ``min``,
``max`` (both together make a range), ``equals`` or ``in``; ``any`` groups conditions of which
one is enough. A rubric file looks like this::

    name: {en: Content quality index, fr: Indice de qualité du contenu}
    criteria:
      - id: links                       # snake_case, unique
        name: {en: Relevant links, fr: Liens pertinents}   # or one text for both
        description: ...                # optional, same forms as name
        points: 2                       # a number, may be negative
        conditions:                     # all must hold
          - {feature: links, min: 1}
          - any: [{feature: question, equals: true}, {feature: call_to_action, equals: true}]
      - id: on_brand
        name: On brand
        points: 1
        manual: true                    # no conditions: only the team's judgement sets it

Each criterion comes out met, not met or *unknown*: a feature the post's data cannot give
(``None``: no spell checker for its language, no text in the export) leaves the criterion
unknown, worth 0 points, and the result says so rather than guessing. Conditions follow
three-valued logic: one failing condition is enough for "not met" even if another is unknown.
A team's manual overrides (``{"proofread": True}``) take precedence over everything derived.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from cadran.core.spec import Bilingual

if TYPE_CHECKING:
    from cadran.core.issues import IssueSet

__all__ = [
    "FEATURES",
    "READABILITY_BANDS",
    "AnyOf",
    "Condition",
    "Criterion",
    "CriterionResult",
    "Feature",
    "Kind",
    "Outcome",
    "QualityScore",
    "Rubric",
    "load_rubric",
    "readability_band",
    "score_post",
]


class Kind(Enum):
    """What a feature's value is, which decides the operators that apply to it."""

    FLAG = "flag"  # true/false: equals, in
    COUNT = "count"  # a whole number: min, max, equals, in
    NUMBER = "number"  # a real number: min, max, equals, in
    TEXT = "text"  # a word from a vocabulary: equals, in (compared without case)


@dataclass(frozen=True)
class Feature:
    """One feature of the vocabulary: its kind, meaning, and when it is unknown (``None``)."""

    name: str
    kind: Kind
    meaning: str
    unknown_when: str = "the post's text is not known"
    values: tuple[str, ...] = ()  # the only values a closed-vocabulary text feature takes


# Flesch's bands (Flesch 1948), also used for Kandel–Moles scores, which share the 0–100 scale.
READABILITY_BANDS: tuple[tuple[str, float], ...] = (
    ("very_easy", 90),
    ("easy", 80),
    ("fairly_easy", 70),
    ("standard", 60),
    ("fairly_difficult", 50),
    ("difficult", 30),
    ("very_difficult", -math.inf),
)


def readability_band(score: float | None) -> str | None:
    """The band of a Flesch or Kandel–Moles score (``standard`` is 60 to 70), None if unknown."""
    if score is None or math.isnan(score):
        return None
    return next(band for band, floor in READABILITY_BANDS if score >= floor)


FEATURES: Mapping[str, Feature] = {
    f.name: f
    for f in (
        Feature("media", Kind.FLAG, "the format carries an image, video or carousel",
                "the post's format is not known or not recognised"),
        Feature("links", Kind.COUNT, "URLs in the text (web addresses and short links)"),
        Feature("hashtags", Kind.COUNT, "hashtags in the text"),
        Feature("mentions", Kind.COUNT, "@mentions in the text"),
        Feature("emoji", Kind.COUNT, "emoji in the text (a flag or a family counts once)"),
        Feature("words", Kind.COUNT, "words, not counting links, hashtags and mentions"),
        Feature("characters", Kind.COUNT, "characters of the text, everything included"),
        Feature("lines", Kind.COUNT, "non-blank lines"),
        Feature("paragraphs", Kind.COUNT, "blocks of text separated by blank lines"),
        Feature("longest_paragraph", Kind.COUNT, "words in the longest paragraph"),
        Feature("caps_ratio", Kind.NUMBER, "share of capitals among the letters, 0 to 1",
                "the post's text is not known or has no letters"),
        Feature("readability", Kind.NUMBER, "Flesch (en) or Kandel–Moles (fr) score, ~0–100",
                "no readability score for the post"),
        Feature("readability_band", Kind.TEXT, "the readability score's band",
                "no readability score for the post", tuple(b for b, _ in READABILITY_BANDS)),
        Feature("spelling_errors", Kind.COUNT, "words the offline dictionary does not know",
                "no spell checker for the post's language, or no text"),
        Feature("question", Kind.FLAG, "the text asks a question (a call for conversation)"),
        Feature("call_to_action", Kind.FLAG, "the text holds a call-to-action phrase"),
        Feature("format", Kind.TEXT, "the post's format as exported, lower case",
                "the post's format is not known"),
        Feature("language", Kind.TEXT, "the post's language (ISO 639-1)",
                "the post's language is not known"),
    )
}  # fmt: skip

Value = bool | float | str  # what a condition compares a feature with


class Outcome(Enum):
    """How a criterion came out for one post."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"  # a feature it needs is not known: 0 points, and the result says so


@dataclass(frozen=True)
class Condition:
    """``feature`` compared with ``value`` by ``operator``: ``min``, ``max``, ``equals``, ``in``."""

    feature: str
    operator: str
    value: Value | tuple[Value, ...]

    def __str__(self) -> str:
        shown = {"min": "at least", "max": "at most", "equals": "is", "in": "is one of"}
        return f"{self.feature} {shown[self.operator]} {_show(self.value)}"


@dataclass(frozen=True)
class AnyOf:
    """Conditions of which one is enough."""

    conditions: tuple[Check, ...]

    def __str__(self) -> str:
        return "any of (" + "; ".join(str(c) for c in self.conditions) + ")"


Check = Condition | AnyOf


@dataclass(frozen=True)
class Criterion:
    """One line of the rubric: worth ``points`` when all ``conditions`` hold.

    A ``manual`` criterion has no conditions: it stays unknown unless the team sets it.
    """

    id: str
    name: Bilingual
    points: float
    conditions: tuple[Check, ...] = ()
    description: Bilingual | None = None
    manual: bool = False


@dataclass(frozen=True)
class Rubric:
    """A named list of criteria (the quality grid of one team)."""

    name: Bilingual
    criteria: tuple[Criterion, ...]
    description: Bilingual | None = None
    file: str | None = None

    @property
    def maximum(self) -> float:
        """The most points a post can earn: every positive criterion met, no penalty."""
        return math.fsum(c.points for c in self.criteria if c.points > 0)

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id (KeyError if there is none)."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)


@dataclass(frozen=True)
class CriterionResult:
    """One criterion's outcome for one post, the points it earned, and why."""

    criterion: str
    outcome: Outcome
    points: float
    overridden: bool
    reason: str
    unknown_features: tuple[str, ...] = ()


@dataclass(frozen=True)
class QualityScore:
    """A post's quality score: total ``points`` out of ``maximum``, criterion by criterion.

    ``unused_overrides`` lists override ids that name no criterion of the rubric (a criterion
    renamed since the team judged the post, say): they were ignored.
    """

    points: float
    maximum: float
    results: tuple[CriterionResult, ...]
    unused_overrides: tuple[str, ...] = ()

    @property
    def unknown(self) -> tuple[str, ...]:
        """The ids of the criteria that could not be judged (they count 0 points)."""
        return tuple(r.criterion for r in self.results if r.outcome is Outcome.UNKNOWN)

    @property
    def complete(self) -> bool:
        """Whether every criterion was judged, so that ``points`` is the post's full score."""
        return not self.unknown

    def result(self, criterion_id: str) -> CriterionResult:
        """The result of one criterion (KeyError if the rubric has no such criterion)."""
        for r in self.results:
            if r.criterion == criterion_id:
                return r
        raise KeyError(criterion_id)


def load_rubric(text: str, file: str) -> tuple[Rubric | None, IssueSet]:
    """Parse and validate a rubric file; the rubric is ``None`` when any issue is an error.

    See :func:`cadran.core.quality_loader.load_rubric`, which this forwards to.
    """
    from cadran.core.quality_loader import load_rubric as load  # it imports this module

    return load(text, file)


# -- scoring ----------------------------------------------------------------------------------
def score_post(
    features: Mapping[str, object], rubric: Rubric, overrides: Mapping[str, bool] | None = None
) -> QualityScore:
    """Score one post's ``features`` against ``rubric``; ``overrides`` are the team's verdicts.

    A feature that is absent, ``None`` or NaN is unknown. ``TypeError`` if a known feature has a
    value of the wrong kind (a text where a count belongs), which is a bug of the caller.
    """
    overrides = overrides or {}
    results: list[CriterionResult] = []
    for c in rubric.criteria:
        unknown: list[str] = []
        if c.id in overrides:
            verdict = overrides[c.id]
            if not isinstance(verdict, bool):
                raise TypeError(f"override of {c.id!r} must be True or False, not {verdict!r}")
            outcome, reason = _outcome(verdict), "set by the team (override)"
        elif c.manual:
            outcome = Outcome.UNKNOWN
            reason = "judged by the team only, and not judged for this post: 0 points"
        else:
            held = _all(c.conditions, features)
            outcome = _outcome(held)
            if outcome is Outcome.MET:
                reason = "all conditions hold"
            else:
                notes, unknown = _explain(c.conditions, features, held)
                lead = "not met: " if held is False else "unknown, so 0 points: "
                reason = lead + "; ".join(notes)
        points = c.points if outcome is Outcome.MET else 0.0
        results.append(
            CriterionResult(c.id, outcome, points, c.id in overrides, reason, tuple(unknown))
        )
    ids = {c.id for c in rubric.criteria}
    return QualityScore(
        points=math.fsum(r.points for r in results),
        maximum=rubric.maximum,
        results=tuple(results),
        unused_overrides=tuple(sorted(k for k in overrides if k not in ids)),
    )


def _outcome(held: bool | None) -> Outcome:
    return Outcome.UNKNOWN if held is None else Outcome.MET if held else Outcome.NOT_MET


def _all(checks: tuple[Check, ...], features: Mapping[str, object]) -> bool | None:
    """Three-valued AND: one false condition settles it, whatever the unknown ones would say."""
    result: bool | None = True
    for check in checks:
        held = _holds(check, features)
        if held is False:
            return False
        if held is None:
            result = None
    return result


def _any(checks: tuple[Check, ...], features: Mapping[str, object]) -> bool | None:
    """Three-valued OR: one true condition settles it."""
    result: bool | None = False
    for check in checks:
        held = _holds(check, features)
        if held:
            return True
        if held is None:
            result = None
    return result


def _holds(check: Check, features: Mapping[str, object]) -> bool | None:
    if isinstance(check, AnyOf):
        return _any(check.conditions, features)
    value = features.get(check.feature)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    _expect(FEATURES[check.feature], value)
    if check.operator == "min":
        return value >= check.value  # type: ignore[operator]
    if check.operator == "max":
        return value <= check.value  # type: ignore[operator]
    if check.operator == "equals":
        return _same(value, check.value)
    return any(_same(value, v) for v in check.value)  # type: ignore[union-attr]


def _explain(
    checks: tuple[Check, ...], features: Mapping[str, object], held: bool | None
) -> tuple[list[str], list[str]]:
    """Why conditions came out ``held`` (False or None): the notes, and the unknown features."""
    notes: list[str] = []
    unknown: list[str] = []
    for check in checks:
        if _holds(check, features) is not held:
            continue
        if isinstance(check, AnyOf):
            inner, missing = _explain(check.conditions, features, held)
            notes.append(f"none of: {'; '.join(inner)}" if held is False else "; ".join(inner))
            unknown.extend(missing)
        elif held is None:
            spec = FEATURES[check.feature]
            notes.append(f"{check.feature} is not known ({spec.unknown_when})")
            unknown.append(check.feature)
        else:
            value = _show(features[check.feature])
            notes.append(
                f"{check.feature} is {value} (needs {str(check)[len(check.feature) + 1 :]})"
            )
    return notes, unknown


def _expect(spec: Feature, value: object) -> None:
    if spec.kind is Kind.FLAG:
        ok = isinstance(value, bool)
    elif spec.kind is Kind.TEXT:
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok:
        raise TypeError(f"feature {spec.name!r} must be a {spec.kind.value}, not {value!r}")


def _same(value: object, expected: object) -> bool:
    if isinstance(value, str) and isinstance(expected, str):
        return value.casefold() == expected.casefold()
    return value == expected


def _show(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(_show(v) for v in value)
    return str(value)
