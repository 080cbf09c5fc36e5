"""A workspace's attribution and ROI settings (``cadran.toml``), read and checked together.

``[attribution]``
    ``lookback_days`` (default 90): how far before a conversion its touchpoints count;
    ``half_life_days`` (default 7): the time-decay model's half-life;
    ``position_based`` (default ``[40, 20, 40]``): first, middle and last shares in percent;
    ``default_model`` (default ``last_touch``): the model of ``cadran roi`` without ``--model``.
``[roi]``
    ``min_conversions`` (default 10): below this, an action's figures are "too small to say";
    ``scale_up_roi`` (default 1.0): advise scaling up when the ROI's lower bound reaches it;
    ``stop_roi`` (default 0.0): advise stopping when the ROI's upper bound stays below it;
    ``confidence`` (default 0.9): the level of those bounds.
``[conversions]``
    ``ga4_key_events`` (default none): the GA4 events that count as qualified interactions;
    ``ga4_by_channel`` (default true): take them by channel group from the acquisition reports'
    "Key events" when such a report covers the day (see docs/roi.md).

Every problem is reported at once, naming the file, the section and the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cadran.core.attribution import AttributionError, AttributionModel, parse_model, parse_models
from cadran.core.issues import IssueSet
from cadran.core.roi import Thresholds
from cadran.services.workspace import Workspace

_ATTRIBUTION_KEYS = ("lookback_days", "half_life_days", "position_based", "default_model")
_ROI_KEYS = ("min_conversions", "scale_up_roi", "stop_roi", "confidence")
_CONVERSIONS_KEYS = ("ga4_key_events", "ga4_by_channel")
_MAX_EVENT_NAME = 100  # GA4 allows 40 characters; exports also list longer GTM event names


@dataclass(frozen=True)
class AttributionSettings:
    """How touchpoints are credited."""

    lookback_days: int = 90
    half_life_days: float = 7.0
    first_share: float = 0.4
    last_share: float = 0.4
    default_model: str = "last_touch"

    def model(self, name: str | None = None) -> AttributionModel:
        """The model called ``name`` (default: the workspace's) with these settings."""
        return parse_model(
            name or self.default_model,
            half_life_days=self.half_life_days,
            shares=(self.first_share, self.last_share),
        )

    def models(self, text: str) -> tuple[AttributionModel, ...]:
        """The models of ``text`` (``all`` or a comma-separated list) with these settings."""
        return parse_models(
            text, half_life_days=self.half_life_days, shares=(self.first_share, self.last_share)
        )


@dataclass(frozen=True)
class ReportedConversions:
    """Which figures of the GA4 reports count as qualified interactions."""

    ga4_key_events: tuple[str, ...] = ()
    ga4_by_channel: bool = True


def _number(
    section: Mapping[str, object],
    key: str,
    default: float,
    issues: IssueSet,
    where: str,
    *,
    low: float,
    high: float = math.inf,
    whole: bool = False,
) -> float:
    value = section.get(key, default)
    kind = "a whole number" if whole else "a number"
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and low <= value <= high
        and (not whole or float(value).is_integer())
    )
    if not ok:
        bounds = f"from {low:g}" + (f" to {high:g}" if math.isfinite(high) else " up")
        issues.error(f"expected {kind} {bounds}, not {value!r}", file=where, field=key)
        return default
    assert isinstance(value, int | float)
    return float(value)


def _unknown(
    section: Mapping[str, object], keys: tuple[str, ...], where: str, issues: IssueSet
) -> None:
    for key in section:
        if key not in keys:
            issues.error(f"unknown key: expected one of {', '.join(keys)}", file=where, field=key)


def conversion_settings(ws: Workspace) -> tuple[AttributionSettings, Thresholds]:
    """The workspace's settings; a :class:`DefinitionError` lists every problem at once."""
    issues = IssueSet()
    file = str(ws.folder.config_path)
    att, roi = ws.config.attribution, ws.config.roi
    where = f"{file} [attribution]"
    _unknown(att, _ATTRIBUTION_KEYS, where, issues)
    lookback = _number(att, "lookback_days", 90, issues, where, low=1, high=3650, whole=True)
    half_life = _number(att, "half_life_days", 7.0, issues, where, low=1e-6, high=3650)
    first, last = 0.4, 0.4
    shares = att.get("position_based", [40, 20, 40])
    if (
        isinstance(shares, list)
        and len(shares) == 3
        and all(isinstance(s, int | float) and not isinstance(s, bool) and s >= 0 for s in shares)
        and abs(sum(shares) - 100) < 1e-9
    ):
        first, last = shares[0] / 100, shares[2] / 100
    else:
        issues.error(
            f"expected three percentages summing to 100 (first, middle, last), not {shares!r}",
            file=where,
            field="position_based",
        )
    default = att.get("default_model", "last_touch")
    if not isinstance(default, str):
        issues.error(f"expected a model name, not {default!r}", file=where, field="default_model")
        default = "last_touch"
    else:
        try:
            parse_model(default)
        except AttributionError as exc:
            issues.error(str(exc), file=where, field="default_model")
            default = "last_touch"
    where = f"{file} [roi]"
    _unknown(roi, _ROI_KEYS, where, issues)
    minimum = _number(roi, "min_conversions", 10, issues, where, low=1, whole=True)
    scale = _number(roi, "scale_up_roi", 1.0, issues, where, low=-1)
    stop = _number(roi, "stop_roi", 0.0, issues, where, low=-1)
    confidence = _number(roi, "confidence", 0.9, issues, where, low=0.5, high=0.999)
    if stop > scale:
        issues.error(
            f"stop_roi ({stop:g}) is above scale_up_roi ({scale:g})", file=where, field="stop_roi"
        )
    issues.raise_if_errors()
    return (
        AttributionSettings(int(lookback), half_life, first, last, default),
        Thresholds(int(minimum), scale, stop, confidence),
    )


def reported_conversions(ws: Workspace) -> ReportedConversions:
    """The workspace's ``[conversions]`` settings; a :class:`DefinitionError` lists every
    problem at once, naming the file, the section and the key."""
    issues = IssueSet()
    section = ws.config.conversions
    where = f"{ws.folder.config_path} [conversions]"
    _unknown(section, _CONVERSIONS_KEYS, where, issues)
    events = section.get("ga4_key_events", [])
    names: tuple[str, ...] = ()
    if not isinstance(events, list) or not all(
        isinstance(e, str) and e.strip() and e == e.strip() and len(e) <= _MAX_EVENT_NAME
        for e in events
    ):
        issues.error(
            'expected a list of GA4 event names such as ["generate_lead", "sign_up"], '
            f"not {events!r}",
            file=where,
            field="ga4_key_events",
        )
    elif len(set(events)) < len(events):
        twice = sorted({e for e in events if events.count(e) > 1})
        issues.error(f"{', '.join(twice)} given twice", file=where, field="ga4_key_events")
    else:
        names = tuple(events)
    by_channel = section.get("ga4_by_channel", True)
    if not isinstance(by_channel, bool):
        issues.error(
            f"expected true or false, not {by_channel!r}", file=where, field="ga4_by_channel"
        )
        by_channel = True
    issues.raise_if_errors()
    return ReportedConversions(names, by_channel)
