"""Dates written relative to a reference date: ``+6 months``, ``-1 year``, ``+2 weeks``.

Templates date their goals this way, so that they make sense whenever they are installed;
installing one writes the dates it means (:func:`freeze_relative_dates`), so that goals do not
drift as data arrives.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import yaml

from cadran.core.errors import PeriodError
from cadran.core.periods import add_months

__all__ = ["RELATIVE_DATE", "freeze_relative_dates", "relative_date"]

RELATIVE_DATE = re.compile(r"^([+-])\s*(\d{1,4})\s*(day|week|month|quarter|year)s?$")
"""``+6 months``, ``-1 year``, ``+2 weeks``: an offset from the reference date."""


def relative_date(text: str, as_of: date) -> date | None:
    """The date ``text`` (such as ``+6 months``) means from ``as_of``; None if not relative.

    Months, quarters and years keep the day of the month, clamped to the target month's length
    (``-6 months`` from 31 October is 30 April). A date out of range is a ``PeriodError``.
    """
    m = RELATIVE_DATE.match(text.strip().lower())
    if m is None:
        return None
    n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
    unit = m.group(3)
    if unit in ("day", "week"):
        try:
            return as_of + timedelta(days=n * (7 if unit == "week" else 1))
        except OverflowError:
            raise PeriodError(f"date out of range: {as_of.isoformat()} moved by {text}") from None
    return add_months(as_of, n * {"month": 1, "quarter": 3, "year": 12}[unit])


# -- freezing relative dates --------------------------------------------------------------------
def freeze_relative_dates(text: str, as_of: date) -> str:
    """``text`` with every relative date (``+6 months``) written as the date it means.

    Only the values of ``settings.defaults`` and of each indicator's ``start`` and ``deadline``
    change; comments, order and layout stay as they are. Text that does not parse comes back
    unchanged (loading it reports why). A relative date out of range is left as written.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return text
    spans: set[tuple[int, int, str]] = set()  # a set: an alias repeats its anchor's node

    def dates_of(node: yaml.Node | None) -> None:
        for key in ("start", "deadline"):
            value = _child(node, key)
            if not isinstance(value, yaml.ScalarNode) or value.tag != _STR_TAG:
                continue
            try:
                day = relative_date(str(value.value), as_of)
            except PeriodError:
                continue
            if day is not None:
                begin = value.start_mark.index
                # The node starts at its anchor or tag, if any (`&start -6 months`): keep them.
                prefix = _PROPERTIES.match(text, begin, value.end_mark.index)
                begin = prefix.end() if prefix else begin
                spans.add((begin, value.end_mark.index, day.isoformat()))

    dates_of(_child(_child(root, "settings"), "defaults"))
    for objective in _items(_child(root, "objectives")):
        for indicator in _items(_child(objective, "indicators")):
            dates_of(indicator)
    for begin, end, iso in sorted(spans, reverse=True):
        text = text[:begin] + iso + text[end:]
    return text


_STR_TAG = "tag:yaml.org,2002:str"
_PROPERTIES = re.compile(r"(?:[&!]\S*\s+)+")


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            found: yaml.Node = v
            return found
    return None


def _items(node: yaml.Node | None) -> list[Any]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []
