"""Multi-touch attribution: which touches get credit for a conversion, and how much.

Five rule-based models share each converting journey's conversions and value among its
touches (Google Ads' definitions, see the KPI reference, section 6):

- ``first_touch`` / ``last_touch``: everything to the first / last touch;
- ``linear``: an equal share per touch, so a channel touched twice collects two shares
  (as ChannelAttribution does);
- ``time_decay``: weight ``2^(−age/half_life)`` per touch, normalised, where ``age`` is the
  time from the touch to the conversion in (fractional) days; the half-life defaults to 7 days;
- ``position_based``: 40 % to the first touch, 40 % to the last, 20 % split over the
  touches in between; one touch takes everything, two touches split the first and last shares
  in proportion (50/50 by default).

The sixth, ``markov``, is data-driven: it builds a first-order Markov chain from every journey,
converting or not, and shares the total by removal effect (see :mod:`cadran.core.markov`).

:func:`attribute` is the reference implementation; the production path runs in SQL and is
tested against it. Whatever the model, credits add up to the total conversions and value of
the converting journeys.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cadran.core.errors import UsageError

__all__ = [
    "ALIASES",
    "MODEL_NAMES",
    "AttributionError",
    "AttributionModel",
    "Credit",
    "Journey",
    "attribute",
    "parse_model",
    "parse_models",
    "touch_weights",
]

MODEL_NAMES = ("first_touch", "last_touch", "linear", "time_decay", "position_based", "markov")

# Other spellings people use: Google says "click", the literature "U-shaped" and "data-driven".
ALIASES = {
    "first": "first_touch",
    "first_click": "first_touch",
    "last": "last_touch",
    "last_click": "last_touch",
    "position": "position_based",
    "u_shaped": "position_based",
    "data_driven": "markov",
}

_LABELS = {
    "first_touch": "First touch",
    "last_touch": "Last touch",
    "linear": "Linear",
    "markov": "Markov (removal effect)",
}
_SHARE_SLACK = 1e-9  # percentages such as 33.3/33.4/33.3 need not add up exactly in binary


class AttributionError(UsageError, ValueError):
    """An attribution model, parameter or journey is invalid.

    A :class:`~cadran.core.errors.UsageError`, so that the command line shows the message, and
    a :class:`ValueError`, because that is what it is for code calling this module.
    """


@dataclass(frozen=True)
class AttributionModel:
    """An attribution model and its parameters.

    ``half_life_days`` (> 0) matters to ``time_decay`` only; ``first_share`` and
    ``last_share`` (each in [0, 1], together ≤ 1) to ``position_based`` only, the rest going
    to the middle touches. All three are checked whatever the model.
    """

    name: str
    half_life_days: float = 7.0
    first_share: float = 0.4
    last_share: float = 0.4

    def __post_init__(self) -> None:
        if self.name not in MODEL_NAMES:
            raise AttributionError(
                f"unknown attribution model {self.name!r}: expected one of {', '.join(MODEL_NAMES)}"
            )
        if not (math.isfinite(self.half_life_days) and self.half_life_days > 0):
            raise AttributionError(
                f"time-decay half-life must be a finite number of days > 0, "
                f"got {self.half_life_days!r}"
            )
        for label, share in (("first", self.first_share), ("last", self.last_share)):
            if not (math.isfinite(share) and 0 <= share <= 1):
                raise AttributionError(
                    f"position-based {label}-touch share must lie in [0, 1], got {share!r}"
                )
        if self.first_share + self.last_share > 1 + _SHARE_SLACK:
            raise AttributionError(
                f"position-based first and last shares add up to "
                f"{self.first_share + self.last_share:g}, expected at most 1 "
                f"(got {self.first_share:g} and {self.last_share:g})"
            )

    @property
    def middle_share(self) -> float:
        """What ``position_based`` leaves to the touches between the first and the last."""
        return max(0.0, 1 - self.first_share - self.last_share)

    @property
    def label(self) -> str:
        """A human label, e.g. ``Time decay (half-life 7 d)`` or ``Position based (40/20/40)``."""
        if self.name == "time_decay":
            return f"Time decay (half-life {self.half_life_days:g} d)"
        if self.name == "position_based":
            parts = (self.first_share, self.middle_share, self.last_share)
            return f"Position based ({'/'.join(f'{100 * p:.4g}' for p in parts)})"
        return _LABELS[self.name]


def parse_model(
    text: str, *, half_life_days: float = 7.0, shares: tuple[float, float] = (0.4, 0.4)
) -> AttributionModel:
    """Read a model name, with an optional parameter after a colon.

    Names are case-insensitive and ``-`` or a space may stand for ``_``; :data:`ALIASES` are
    accepted. ``time_decay:3.5`` sets the half-life in days (otherwise ``half_life_days``);
    ``position_based:30/40/30`` sets the first, middle and last percentages, which must add
    up to 100 (otherwise ``shares`` gives the first and last fractions). Other models take no
    parameter.
    """
    return _parse_one(text, half_life_days, shares, allow_all=False)


def parse_models(
    text: str, *, half_life_days: float = 7.0, shares: tuple[float, float] = (0.4, 0.4)
) -> tuple[AttributionModel, ...]:
    """Read ``all`` (every model) or a comma-separated list of models; duplicates are dropped.

    Each item follows :func:`parse_model`; ``all`` may also appear as an item. Order is kept.
    """
    if not text.strip():
        raise AttributionError(
            "no attribution model given: expected 'all' or a comma-separated list of "
            + ", ".join(MODEL_NAMES)
        )
    models: list[AttributionModel] = []
    for item in text.split(","):
        if not item.strip():
            raise AttributionError(f"empty model name in {text!r}: expected names between commas")
        if item.strip().lower() == "all":
            found = [
                _parse_one(name, half_life_days, shares, allow_all=True) for name in MODEL_NAMES
            ]
        else:
            found = [_parse_one(item, half_life_days, shares, allow_all=True)]
        models.extend(m for m in found if m not in models)
    return tuple(models)


def _parse_one(
    text: str, half_life_days: float, shares: tuple[float, float], *, allow_all: bool
) -> AttributionModel:
    raw_name, colon, parameter = text.partition(":")
    key = raw_name.strip().lower().replace("-", "_").replace(" ", "_")
    name = ALIASES.get(key, key)
    if name not in MODEL_NAMES:
        expected = ", ".join(MODEL_NAMES) + (" or 'all'" if allow_all else "")
        aliases = ", ".join(sorted(ALIASES))
        raise AttributionError(
            f"unknown attribution model {raw_name.strip()!r}: expected one of {expected} "
            f"(aliases: {aliases})"
        )
    parameter = parameter.strip()
    if name == "time_decay":
        if colon:
            half_life_days = _number(parameter, f"half-life in days in {text.strip()!r}")
        return AttributionModel(name, half_life_days=half_life_days)
    if name == "position_based" and colon:
        parts = parameter.split("/")
        if len(parts) != 3:
            raise AttributionError(
                f"position-based parameter {parameter!r}: expected first/middle/last "
                "percentages such as 40/20/40"
            )
        what = f"percentage in {text.strip()!r}"
        first, middle, last = (_number(p, what) for p in parts)
        if min(first, middle, last) < 0 or abs(first + middle + last - 100) > 100 * _SHARE_SLACK:
            raise AttributionError(
                f"position-based percentages {parameter!r} must be >= 0 and add up to 100, "
                f"got a total of {first + middle + last:g}"
            )
        return AttributionModel(name, first_share=first / 100, last_share=last / 100)
    if name == "position_based":
        return AttributionModel(name, first_share=shares[0], last_share=shares[1])
    if colon:
        raise AttributionError(
            f"attribution model {name!r} takes no parameter, got {parameter!r} "
            "(only time_decay and position_based do)"
        )
    return AttributionModel(name)


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise AttributionError(f"{what}: expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise AttributionError(f"{what}: expected a finite number, got {text!r}")
    return value


def touch_weights(model: AttributionModel, ages_days: Sequence[float]) -> tuple[float, ...]:
    """The share of a conversion each touch gets under a rule-based ``model``.

    ``ages_days`` has one value per touch, in chronological order: the time from the touch to
    the conversion in fractional days, ≥ 0. Only ``time_decay`` looks at the values; the other
    models look at positions (the order is the caller's to get right, it is not checked).
    The weights are ≥ 0 and add up to 1; no touch gives ``()``. ``markov`` has no per-journey
    weights (it needs every journey): use :func:`attribute` or :mod:`cadran.core.markov`.
    """
    for age in ages_days:
        if not (math.isfinite(age) and age >= 0):
            raise AttributionError(
                f"touch age {age!r} days: expected a finite number >= 0 "
                "(the time from the touch to the conversion)"
            )
    n = len(ages_days)
    if n == 0:
        return ()
    name = model.name
    if name == "first_touch":
        return (1.0,) + (0.0,) * (n - 1)
    if name == "last_touch":
        return (0.0,) * (n - 1) + (1.0,)
    if name == "linear":
        return (1 / n,) * n
    if name == "time_decay":
        # Measured from the most recent touch, which gets weight 1: normalising cancels the
        # shift, and 2^(−age/h) can no longer underflow to 0 for every touch of an old journey.
        newest = min(ages_days)
        raw = [2.0 ** (-(age - newest) / model.half_life_days) for age in ages_days]
        total = math.fsum(raw)
        return tuple(w / total for w in raw)
    if name == "position_based":
        if n == 1:
            return (1.0,)
        first, last = model.first_share, model.last_share
        if n == 2:
            ends = first + last
            # With no middle touch the two ends share everything, in proportion to their
            # shares (50/50 for 40/20/40); 0/100/0 leaves no proportion, so split evenly.
            return (first / ends, last / ends) if ends > 0 else (0.5, 0.5)
        middle = model.middle_share / (n - 2)
        raw = [first, *(middle,) * (n - 2), last]
        total = math.fsum(raw)  # 1 up to rounding of shares given as percentages
        return tuple(w / total for w in raw)
    raise AttributionError(
        f"model {name!r} has no per-touch weights: it needs every journey, "
        "use attribute() or cadran.core.markov"
    )


@dataclass(frozen=True)
class Journey:
    """The touches that led up to a conversion, or to none.

    ``touches`` holds the channel (or platform, or campaign) of each touch in chronological
    order and ``ages_days`` the time from each touch to the conversion (or to the end of the
    journey), ≥ 0. ``conversions`` (≥ 0) and ``value`` are what the journey converted; a
    journey with ``conversions == 0`` does not convert, must have ``value == 0``, and counts
    as one non-converting path for ``markov`` (the other models ignore it).
    """

    touches: tuple[str, ...]
    ages_days: tuple[float, ...]
    conversions: float
    value: float

    def __post_init__(self) -> None:
        if len(self.touches) != len(self.ages_days):
            raise AttributionError(
                f"journey has {len(self.touches)} touches but {len(self.ages_days)} ages: "
                "expected one age per touch"
            )
        for age in self.ages_days:
            if not (math.isfinite(age) and age >= 0):
                raise AttributionError(
                    f"journey {' > '.join(self.touches)!r} has touch age {age!r} days: "
                    "expected a finite number >= 0"
                )
        if not (math.isfinite(self.conversions) and self.conversions >= 0):
            raise AttributionError(
                f"journey conversions {self.conversions!r}: expected a finite number >= 0"
            )
        if not math.isfinite(self.value):
            raise AttributionError(f"journey value {self.value!r}: expected a finite number")
        if self.conversions == 0 and self.value != 0:
            raise AttributionError(
                f"journey without conversions has value {self.value!r}: expected 0"
            )

    @property
    def converts(self) -> bool:
        """Whether the journey ended in at least part of a conversion."""
        return self.conversions > 0


@dataclass(frozen=True)
class Credit:
    """The conversions and value credited to one channel."""

    conversions: float
    value: float


def attribute(journeys: Iterable[Journey], model: AttributionModel) -> dict[str, Credit]:
    """Credit conversions and value to channels under ``model``.

    Rule-based models split each converting journey by :func:`touch_weights`. ``markov``
    computes removal effects from *all* journeys (a non-converting one counts as one path to
    NULL) and gives channel ``k`` the share ``RE_k / ΣRE`` of the total conversions and of the
    total value (Anderl et al.'s global rule). Should every removal effect be 0 while there
    are conversions (it takes rounding: some channel always lies on a converting path), the
    markov credits fall back to ``linear`` so that they still add up.

    The result has an entry for every channel that appears in any journey (0 when it earned
    nothing, so that models line up row by row), sorted by channel. The credits add up to the
    total conversions and value of the converting journeys. A converting journey with no
    touch is an error: the caller decides what to credit it to (a "direct" touch, say).
    """
    journeys = list(journeys)
    channels = sorted({touch for journey in journeys for touch in journey.touches})
    for journey in journeys:
        if journey.converts and not journey.touches:
            raise AttributionError(
                f"a journey with {journey.conversions:g} conversion(s) has no touch: "
                "expected at least one (give it a fallback touch such as 'direct')"
            )
    conversions = dict.fromkeys(channels, 0.0)
    value = dict.fromkeys(channels, 0.0)
    if model.name == "markov" and not _markov_into(journeys, conversions, value):
        model = AttributionModel("linear")
    if model.name != "markov":
        for journey in journeys:
            if journey.converts:
                weights = touch_weights(model, journey.ages_days)
                for touch, weight in zip(journey.touches, weights, strict=True):
                    conversions[touch] += weight * journey.conversions
                    value[touch] += weight * journey.value
    return {channel: Credit(conversions[channel], value[channel]) for channel in channels}


def _markov_into(
    journeys: list[Journey], conversions: dict[str, float], value: dict[str, float]
) -> bool:
    """Fill the markov credits in place; False when removal effects cannot share anything."""
    # markov imports AttributionError from this module, so it is imported here, not on top.
    from cadran.core.markov import removal_effects, transitions_from_paths

    total_conversions = math.fsum(j.conversions for j in journeys)
    if total_conversions == 0:
        return True  # nothing to share: every credit stays 0 (and the sums still match)
    total_value = math.fsum(j.value for j in journeys)
    paths = [(j.touches, j.conversions, 0.0 if j.converts else 1.0) for j in journeys if j.touches]
    result = removal_effects(transitions_from_paths(paths))
    if not any(effect.share > 0 for effect in result.effects):
        return False
    for effect in result.effects:
        conversions[effect.state] = total_conversions * effect.share
        value[effect.state] = total_value * effect.share
    return True
