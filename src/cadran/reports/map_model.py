"""The strategy map as drawn, whatever the format: rows, boxes, arrows, colours and labels."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from cadran.core.scorecard import Objective, Scorecard

NO_STATUS = "n/a"
"""The key of ``colours`` for objectives without a status (no score, or no ``statuses``)."""

DEFAULT_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "green": "#9fd8ae",
        "yellow": "#fde28a",
        "red": "#f5a3a0",
        NO_STATUS: "#e6e9ee",
    }
)
"""Light fills for the default stop-lights: dark text stays readable on them."""

NEUTRAL_COLOUR = "#cbd5e1"
"""The fill of a status that has no colour of its own (a user-defined stop-light name)."""

LABELS = {
    "en": {"status": "Status", NO_STATUS: "n/a"},
    "fr": {"status": "Statut", NO_STATUS: "n.d."},
}
_NO_SCORE = "—"
INK = "#1f2933"
MUTED = "#52606d"
ARROW = "#4b5563"
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})|[A-Za-z]{1,32}")


BAND_FILLS = ("#f5f7fa", "#edf1f6")


@dataclass(frozen=True)
class Colour:
    fill: str
    stroke: str
    text: str


@dataclass(frozen=True)
class Node:
    key: str  # a safe identifier, unique in the map
    objective_id: str
    name: str  # cleaned: one line, valid XML characters only
    row: int
    status: str | None
    score: str | None  # "92 %", "—", or None when no scores were given
    colour: Colour


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class MapModel:
    title: str
    lang: str
    rows: tuple[Row, ...]
    edges: tuple[tuple[Node, Node], ...]  # (driver, driven)
    legend: tuple[tuple[str, Colour], ...]  # (label, colour), empty without statuses


def build_map(
    card: Scorecard,
    statuses: Mapping[str, str | None] | None,
    scores: Mapping[str, float | None] | None,
    lang: str,
    colours: Mapping[str, str] | None,
) -> MapModel:
    lang = "fr" if lang == "fr" else "en"
    palette = _palette(colours)
    ids = NodeIds()
    row_ids = [p.id for p in card.perspectives]
    row_names = {p.id: clean_text(p.name.get(lang)) for p in card.perspectives}
    for o in card.objectives:  # undeclared perspectives: rows of their own, at the bottom
        if o.perspective not in row_names:
            row_ids.append(o.perspective)
            row_names[o.perspective] = clean_text(o.perspective)
    nodes: dict[str, Node] = {}
    by_row: dict[str, list[Node]] = {r: [] for r in row_ids}
    for o in card.objectives:
        if o.id in nodes:  # a repeated id: the first one is drawn
            continue
        status = statuses.get(o.id) if statuses is not None else None
        node = Node(
            key=ids.take("o", o.id),
            objective_id=o.id,
            name=clean_text(o.name.get(lang)),
            row=row_ids.index(o.perspective),
            status=status,
            score=None if scores is None else _percent(scores.get(o.id)),
            colour=_colour_of(status, palette),
        )
        nodes[o.id] = node
        by_row[o.perspective].append(node)
    rows = tuple(Row(ids.take("p", r), row_names[r], tuple(by_row[r])) for r in row_ids)
    return MapModel(
        title=clean_text(card.name.get(lang)),
        lang=lang,
        rows=rows,
        edges=_edges(card.objectives, nodes),
        legend=_legend(card, statuses, list(nodes.values()), palette, lang),
    )


def _edges(
    objectives: Sequence[Objective], nodes: Mapping[str, Node]
) -> tuple[tuple[Node, Node], ...]:
    drawn: set[str] = set()
    seen: set[tuple[str, str]] = set()
    edges = []
    for o in objectives:
        if o.id in drawn:  # a repeated id: only the first one is drawn, with its links
            continue
        drawn.add(o.id)
        target = nodes[o.id]
        for link in o.drivers:
            source = nodes.get(link.objective)
            pair = (link.objective, o.id)
            if source is None or source is target or pair in seen:
                continue
            seen.add(pair)
            edges.append((source, target))
    return tuple(edges)


def _legend(
    card: Scorecard,
    statuses: Mapping[str, str | None] | None,
    nodes: Sequence[Node],
    palette: Mapping[str, str],
    lang: str,
) -> tuple[tuple[str, Colour], ...]:
    """The scorecard's stop-lights in order, other statuses in use, then n/a if in use."""
    if statuses is None:
        return ()
    used = [n.status for n in nodes]
    names = list(dict.fromkeys(s.status for s in card.stoplights))
    names += sorted({s for s in used if s is not None and s not in names})
    entries = [(clean_text(s), _colour_of(s, palette)) for s in names]
    if None in used:
        entries.append((LABELS[lang][NO_STATUS], _colour_of(None, palette)))
    return tuple(entries)


def _palette(colours: Mapping[str, str] | None) -> dict[str, str]:
    palette = dict(DEFAULT_COLOURS)
    for status, colour in (colours or {}).items():
        if not isinstance(colour, str) or not _COLOUR.fullmatch(colour):
            raise ValueError(
                f"colour {colour!r} for status {status!r}: use #rgb, #rrggbb or a colour name"
            )
        palette[status] = colour
    return palette


def _colour_of(status: str | None, palette: Mapping[str, str]) -> Colour:
    fill = palette.get(NO_STATUS if status is None else status, NEUTRAL_COLOUR)
    rgb = _rgb(fill)
    if rgb is None:  # a colour name: no arithmetic on it
        return Colour(fill, MUTED, INK)
    r, g, b = rgb
    stroke = "#{:02x}{:02x}{:02x}".format(*(round(c * 0.62) for c in rgb))
    luminance = 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)
    return Colour(fill, stroke, INK if luminance > 0.22 else "#ffffff")


def _rgb(colour: str) -> tuple[int, int, int] | None:
    if not colour.startswith("#"):
        return None
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _percent(score: float | None) -> str:
    if score is None or not math.isfinite(score):
        return _NO_SCORE
    return f"{math.floor(score * 100 + 0.5)} %"


def _valid_xml_char(ch: str) -> bool:
    cp = ord(ch)
    return (
        cp in (0x9, 0xA, 0xD)
        or 0x20 <= cp <= 0xD7FF
        or 0xE000 <= cp <= 0xFFFD
        or 0x10000 <= cp <= 0x10FFFF
    )


# Line breaks and other breaking white space; no-break spaces (U+00A0, U+202F) are kept.
_BREAKING_SPACE = re.compile(
    r"[ \t\n\r\f\v\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+"
)
# Bidirectional overrides and isolates could make a name display as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(text: str) -> str:
    """One line of text: breaking white space becomes one space; control characters, bidi
    overrides and characters XML refuses go (joiners and variation selectors of emoji stay)."""
    text = _BREAKING_SPACE.sub(" ", text)
    kept = "".join(
        ch
        for ch in text
        if _valid_xml_char(ch)
        and unicodedata.category(ch) not in ("Cc", "Cs")
        and ch not in _BIDI_CONTROLS
    )
    return kept.strip(" ")


class NodeIds:
    """Safe, unique identifiers (``[A-Za-z][A-Za-z0-9_]*``) made readable from any text."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, prefix: str, raw: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
        base = prefix + "_" + (re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")[:40] or "x")
        key, n = base, 1
        while key in self._taken:
            n += 1
            key = f"{base}_{n}"
        self._taken.add(key)
        return key
