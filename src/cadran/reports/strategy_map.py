"""The strategy map: objectives in perspective rows, cause-and-effect arrows, stop-light colours.

:func:`render_map` draws a :class:`~cadran.core.scorecard.Scorecard` as

- ``svg``: a self-contained picture built by hand (no fonts, scripts or links to fetch) and
  deterministic, so the same scorecard gives the same bytes; it is what goes on a slide;
- ``mermaid``: a ``flowchart BT`` for Markdown documents (GitHub, GitLab, Notion...);
- ``dot``: a Graphviz ``digraph`` for ``dot -Tpng`` and friends.

All three read bottom-up, as strategy maps do: learning and growth at the bottom, the
stakeholders' interests at the top, each arrow going from a driver objective to the objective it
drives. The rows keep the scorecard's order of perspectives (top to bottom) and the objectives
the file's order within a row. Links to unknown objectives, self-links and repeated links are left
out (validating the scorecard is :mod:`cadran.core.scorecard_loader`'s job); objectives of a
perspective the scorecard does not declare get a row of their own below the others.

Colours come from the stop-light status of each objective (``statuses``), through
:data:`DEFAULT_COLOURS` updated with the caller's ``colours``; ``None`` is looked up as
:data:`NO_STATUS` and a status without a colour gets :data:`NEUTRAL_COLOUR`. A colour is
``#rgb``, ``#rrggbb`` or a plain colour name (``teal``); anything else is a ValueError, so that
no caller text reaches the outputs unchecked.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from cadran.core.scorecard import Objective, Scorecard

__all__ = [
    "DEFAULT_COLOURS",
    "FORMATS",
    "NEUTRAL_COLOUR",
    "NO_STATUS",
    "render_map",
]

FORMATS: tuple[str, ...] = ("svg", "mermaid", "dot")

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

_TEXT = {
    "en": {"status": "Status", NO_STATUS: "n/a"},
    "fr": {"status": "Statut", NO_STATUS: "n.d."},
}
_NO_SCORE = "—"
_INK = "#1f2933"
_MUTED = "#52606d"
_ARROW = "#4b5563"
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})|[A-Za-z]{1,32}")


# --------------------------------------------------------------------------------------------
# The map, independent of the output format


@dataclass(frozen=True)
class _Colour:
    fill: str
    stroke: str
    text: str


@dataclass(frozen=True)
class _Node:
    key: str  # a safe identifier, unique in the map
    objective_id: str
    name: str  # cleaned: one line, valid XML characters only
    row: int
    status: str | None
    score: str | None  # "92 %", "—", or None when no scores were given
    colour: _Colour


@dataclass(frozen=True)
class _Row:
    key: str
    name: str
    nodes: tuple[_Node, ...]


@dataclass(frozen=True)
class _Map:
    title: str
    lang: str
    rows: tuple[_Row, ...]
    edges: tuple[tuple[_Node, _Node], ...]  # (driver, driven)
    legend: tuple[tuple[str, _Colour], ...]  # (label, colour), empty without statuses


def render_map(
    card: Scorecard,
    fmt: str = "svg",
    *,
    statuses: Mapping[str, str | None] | None = None,
    scores: Mapping[str, float | None] | None = None,
    lang: str = "en",
    colours: Mapping[str, str] | None = None,
) -> str:
    """The strategy map of ``card`` in ``fmt`` (one of :data:`FORMATS`).

    ``statuses`` maps objective ids to stop-light names (None or absent: n/a) and ``scores`` to
    scores in [0, 1], shown as a percentage under the name when given (absent or None: ``—``).
    ``lang`` picks the English or French names; ``colours`` maps status names (and
    :data:`NO_STATUS`) to fill colours, over :data:`DEFAULT_COLOURS`.
    """
    renderers: dict[str, Callable[[_Map], str]] = {
        "svg": _svg,
        "mermaid": _mermaid,
        "dot": _dot,
    }
    renderer = renderers.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown map format {fmt!r}: use one of {', '.join(FORMATS)}")
    return renderer(_build(card, statuses, scores, lang, colours))


def _build(
    card: Scorecard,
    statuses: Mapping[str, str | None] | None,
    scores: Mapping[str, float | None] | None,
    lang: str,
    colours: Mapping[str, str] | None,
) -> _Map:
    lang = "fr" if lang == "fr" else "en"
    palette = _palette(colours)
    ids = _Ids()
    row_ids = [p.id for p in card.perspectives]
    row_names = {p.id: _clean(p.name.get(lang)) for p in card.perspectives}
    for o in card.objectives:  # undeclared perspectives: rows of their own, at the bottom
        if o.perspective not in row_names:
            row_ids.append(o.perspective)
            row_names[o.perspective] = _clean(o.perspective)
    nodes: dict[str, _Node] = {}
    by_row: dict[str, list[_Node]] = {r: [] for r in row_ids}
    for o in card.objectives:
        if o.id in nodes:  # a repeated id: the first one is drawn
            continue
        status = statuses.get(o.id) if statuses is not None else None
        node = _Node(
            key=ids.take("o", o.id),
            objective_id=o.id,
            name=_clean(o.name.get(lang)),
            row=row_ids.index(o.perspective),
            status=status,
            score=None if scores is None else _percent(scores.get(o.id)),
            colour=_colour_of(status, palette),
        )
        nodes[o.id] = node
        by_row[o.perspective].append(node)
    rows = tuple(_Row(ids.take("p", r), row_names[r], tuple(by_row[r])) for r in row_ids)
    return _Map(
        title=_clean(card.name.get(lang)),
        lang=lang,
        rows=rows,
        edges=_edges(card.objectives, nodes),
        legend=_legend(card, statuses, list(nodes.values()), palette, lang),
    )


def _edges(
    objectives: Sequence[Objective], nodes: Mapping[str, _Node]
) -> tuple[tuple[_Node, _Node], ...]:
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
    nodes: Sequence[_Node],
    palette: Mapping[str, str],
    lang: str,
) -> tuple[tuple[str, _Colour], ...]:
    """The scorecard's stop-lights in order, other statuses in use, then n/a if in use."""
    if statuses is None:
        return ()
    used = [n.status for n in nodes]
    names = list(dict.fromkeys(s.status for s in card.stoplights))
    names += sorted({s for s in used if s is not None and s not in names})
    entries = [(_clean(s), _colour_of(s, palette)) for s in names]
    if None in used:
        entries.append((_TEXT[lang][NO_STATUS], _colour_of(None, palette)))
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


def _colour_of(status: str | None, palette: Mapping[str, str]) -> _Colour:
    fill = palette.get(NO_STATUS if status is None else status, NEUTRAL_COLOUR)
    rgb = _rgb(fill)
    if rgb is None:  # a colour name: no arithmetic on it
        return _Colour(fill, _MUTED, _INK)
    r, g, b = rgb
    stroke = "#{:02x}{:02x}{:02x}".format(*(round(c * 0.62) for c in rgb))
    luminance = 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)
    return _Colour(fill, stroke, _INK if luminance > 0.22 else "#ffffff")


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


def _clean(text: str) -> str:
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


class _Ids:
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


# --------------------------------------------------------------------------------------------
# Text measure (approximate: the SVG does not know which font the viewer has)


# Advance widths in em, close to DejaVu Sans (the widest of the usual sans-serif fonts, and the
# one Linux viewers fall back to): text sized for it fits in Segoe UI, Helvetica and Arial too.
_EM_GROUPS = (
    ("ijl.,;:!|'’`", 0.29),
    (" ", 0.32),
    ('()[]{}ftr-"/', 0.4),
    ("sz", 0.53),
    ("mwMW@%", 0.92),
    ("&", 0.78),
    ("<>=+~", 0.84),
)
_EM = {ch: em for chars, em in _EM_GROUPS for ch in chars}


def _char_em(ch: str) -> float:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if ch in _EM:
        return _EM[ch]
    if unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) > 0xFFFF:
        return 1.1
    if ch.isdigit():
        return 0.64
    if ch.isupper():
        return 0.7
    return 0.6


def _text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(_char_em(ch) for ch in text) * size * (1.12 if bold else 1.0)


def _wrap(text: str, width: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """Greedy word wrap to ``width`` pixels; long words break; the last line gets ``…``."""
    lines: list[str] = []
    current = ""
    for word in filter(None, text.split(" ")):  # no-break spaces do not break
        candidate = f"{current} {word}" if current else word
        if _text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while _text_width(current, size, bold) > width:  # a word wider than the box
            head = _fit(current, width, size, bold)
            lines.append(head)
            current = current[len(head) :]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and _text_width(last + "…", size, bold) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


def _fit(text: str, width: float, size: float, bold: bool) -> str:
    """The longest head of ``text`` (at least one character) that fits, not splitting a
    character from the marks that follow it."""
    end = 1
    for i in range(1, len(text) + 1):
        if _text_width(text[:i], size, bold) > width:
            break
        if i == len(text) or _char_em(text[i]) > 0:
            end = i
    return text[:end]


# --------------------------------------------------------------------------------------------
# SVG

_MARGIN = 24
_TITLE_SIZE = 20
_TITLE_LINE = 26
_LABEL_W = 156  # the perspective titles' column
_AREA_PAD = 16
_BOX_W = 176
_BOX_H = 80
_SLOT = _BOX_W + 56
_BAND_PAD = 36
_BAND_H = _BOX_H + 2 * _BAND_PAD
_BAND_GAP = 10
_NAME_SIZE = 13
_NAME_LINE = 16
_SCORE_SIZE = 12
_SCORE_LINE = 17
_LEGEND_SIZE = 12
_FONT = "'Segoe UI', 'Helvetica Neue', Helvetica, Arial, sans-serif"
_BANDS = ("#f5f7fa", "#edf1f6")


def _n(value: float) -> str:
    """A coordinate: one decimal at most, no trailing zero, never ``-0``."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _esc(text: str) -> str:
    """Text for XML content and double-quoted attributes."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@dataclass(frozen=True)
class _Box:
    x: float
    y: float

    @property
    def cx(self) -> float:
        return self.x + _BOX_W / 2

    @property
    def top(self) -> float:
        return self.y

    @property
    def bottom(self) -> float:
        return self.y + _BOX_H


class _SvgLayout:
    """Where everything goes: rows are bands of equal height, boxes spread evenly in a row."""

    def __init__(self, m: _Map) -> None:
        self.map = m
        slots = max(max((len(r.nodes) for r in m.rows), default=0), 2)
        self.area_x = _MARGIN + _LABEL_W + _AREA_PAD
        self.area_w = slots * _SLOT
        self.width = self.area_x + self.area_w + _AREA_PAD + _MARGIN
        self.title = _wrap(m.title, self.width - 2 * _MARGIN, _TITLE_SIZE, 2, bold=True)
        self.bands_top = _MARGIN + len(self.title) * _TITLE_LINE + (14 if self.title else 0)
        self.boxes: dict[str, _Box] = {}
        for i, row in enumerate(m.rows):
            k = len(row.nodes)
            for j, node in enumerate(row.nodes):
                cx = self.area_x + self.area_w * (j + 0.5) / k
                self.boxes[node.key] = _Box(cx - _BOX_W / 2, self.band_top(i) + _BAND_PAD)
        bands_end = self.band_top(len(m.rows)) - (_BAND_GAP if m.rows else 0)
        self.legend = self._legend(bands_end + 22)
        legend_end = max((y + 14 for _, _, _, y in self.legend), default=bands_end - 8) + 8
        self.height = legend_end + _MARGIN

    def band_top(self, row: int) -> float:
        return self.bands_top + row * (_BAND_H + _BAND_GAP)

    def _legend(self, top: float) -> list[tuple[str, _Colour | None, float, float]]:
        """(label, swatch colour or None for the heading, x, y of the swatch's top)."""
        if not self.map.legend:
            return []
        items: list[tuple[str, _Colour | None, float, float]] = []
        x, y = float(_MARGIN), top
        heading = _TEXT[self.map.lang]["status"]
        items.append((heading, None, x, y))
        x = indent = x + _text_width(heading, _LEGEND_SIZE, bold=True) + 14
        for label, colour in self.map.legend:
            shown = _wrap(label, 160, _LEGEND_SIZE, 1)[0] if label else ""
            w = 14 + 6 + _text_width(shown, _LEGEND_SIZE) + 18
            if x + w > self.width - _MARGIN and x > indent:  # next line, under the first item
                x, y = indent, y + 22
            items.append((shown, colour, x, y))
            x += w
        return items


def _svg(m: _Map) -> str:
    lay = _SvgLayout(m)
    w, h = _n(lay.width), _n(lay.height)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" font-family="{_FONT}">',
        f"<title>{_esc(m.title)}</title>",
        "<defs>",
        '<marker id="cadran-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
        f'<polygon points="0,0 10,5 0,10 2.5,5" fill="{_ARROW}"/></marker>',
        "</defs>",
        f'<rect class="background" x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    for i, line in enumerate(lay.title):
        out.append(
            f'<text class="title" x="{_MARGIN}" y="{_n(_MARGIN + 20 + i * _TITLE_LINE)}" '
            f'font-size="{_TITLE_SIZE}" font-weight="700" fill="{_INK}">{_esc(line)}</text>'
        )
    for i, row in enumerate(m.rows):
        out.extend(_svg_band(lay, i, row))
    for row in m.rows:
        for node in row.nodes:
            out.extend(_svg_box(lay.boxes[node.key], node))
    out.extend(_svg_arrows(lay))
    for label, colour, x, y in lay.legend:
        if colour is None:
            out.append(
                f'<text class="legend" x="{_n(x)}" y="{_n(y + 11)}" font-size="{_LEGEND_SIZE}" '
                f'font-weight="700" fill="{_MUTED}">{_esc(label)}</text>'
            )
            continue
        out.append(
            f'<rect class="legend-swatch" x="{_n(x)}" y="{_n(y)}" width="14" height="14" rx="3" '
            f'fill="{colour.fill}" stroke="{colour.stroke}"/>'
        )
        out.append(
            f'<text class="legend" x="{_n(x + 20)}" y="{_n(y + 11)}" font-size="{_LEGEND_SIZE}" '
            f'fill="{_INK}">{_esc(label)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_band(lay: _SvgLayout, i: int, row: _Row) -> list[str]:
    top = lay.band_top(i)
    lines = _wrap(row.name, _LABEL_W - 24, _NAME_SIZE, 4, bold=True)
    first = top + _BAND_H / 2 - len(lines) * _NAME_LINE / 2 + 12
    out = [
        f'<rect class="band" x="{_MARGIN}" y="{_n(top)}" width="{_n(lay.width - 2 * _MARGIN)}" '
        f'height="{_BAND_H}" rx="10" fill="{_BANDS[i % 2]}"/>',
        f'<line x1="{_MARGIN + _LABEL_W}" y1="{_n(top + 14)}" x2="{_MARGIN + _LABEL_W}" '
        f'y2="{_n(top + _BAND_H - 14)}" stroke="#d3dae3" stroke-width="1"/>',
    ]
    if lines:
        spans = "".join(
            f'<tspan x="{_MARGIN + 14}" y="{_n(first + k * _NAME_LINE)}">{_esc(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(
            f'<text class="perspective" font-size="{_NAME_SIZE}" font-weight="700" '
            f'fill="#334155">{spans}</text>'
        )
    return out


def _svg_box(box: _Box, node: _Node) -> list[str]:
    c = node.colour
    lines = _wrap(node.name, _BOX_W - 20, _NAME_SIZE, 3, bold=True)
    block = len(lines) * _NAME_LINE + (_SCORE_LINE if node.score is not None else 0)
    first = box.y + (_BOX_H - block) / 2 + 12
    tooltip = node.name
    if node.status is not None:
        tooltip += f" — {_clean(node.status)}"
    if node.score is not None:
        tooltip += f" — {node.score}"
    out = [
        f'<g class="node" data-objective="{_esc(_clean(node.objective_id))}">',
        f"<title>{_esc(tooltip)}</title>",
        f'<rect class="objective" x="{_n(box.x)}" y="{_n(box.y)}" width="{_BOX_W}" '
        f'height="{_BOX_H}" rx="8" fill="{c.fill}" stroke="{c.stroke}" stroke-width="1.5"/>',
    ]
    if lines:
        spans = "".join(
            f'<tspan x="{_n(box.cx)}" y="{_n(first + k * _NAME_LINE)}">{_esc(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(
            f'<text text-anchor="middle" font-size="{_NAME_SIZE}" font-weight="600" '
            f'fill="{c.text}">{spans}</text>'
        )
    if node.score is not None:
        y = first + len(lines) * _NAME_LINE + 2
        out.append(
            f'<text class="score" x="{_n(box.cx)}" y="{_n(y)}" text-anchor="middle" '
            f'font-size="{_SCORE_SIZE}" fill="{c.text}">{_esc(node.score)}</text>'
        )
    out.append("</g>")
    return out


def _svg_arrows(lay: _SvgLayout) -> list[str]:
    """One path per link, from the driver's edge to the driven's edge.

    Between adjacent rows an S-curve joins the top of the driver to the bottom of the driven;
    skipping rows, the curve runs up a free lane between the boxes of the rows it crosses;
    sideways, it arcs over the row from top edge to top edge. Ends sharing a box edge are
    spread along it, ordered by where the path heads (the other box, or the lane), so that
    arrows do not cross there.
    """
    edges = lay.map.edges
    used: dict[int, int] = {}
    lanes = {
        i: _lane(lay, src, dst, used)
        for i, (src, dst) in enumerate(edges)
        if abs(src.row - dst.row) > 1
    }
    ends: dict[tuple[str, str], list[tuple[float, int, int]]] = {}
    sides: list[tuple[str, str]] = []
    for i, (src, dst) in enumerate(edges):
        if src.row > dst.row:
            side = ("top", "bottom")
        elif src.row < dst.row:
            side = ("bottom", "top")
        else:
            side = ("top", "top")
        sides.append(side)
        towards_dst = lanes.get(i, lay.boxes[dst.key].cx)
        towards_src = lanes.get(i, lay.boxes[src.key].cx)
        ends.setdefault((src.key, side[0]), []).append((towards_dst, i, 0))
        ends.setdefault((dst.key, side[1]), []).append((towards_src, i, 1))
    points: dict[tuple[int, int], float] = {}
    usable = _BOX_W * 0.64
    for (key, _), attached in ends.items():
        cx, n = lay.boxes[key].cx, len(attached)
        for j, (_, i, role) in enumerate(sorted(attached)):
            points[(i, role)] = cx if n == 1 else cx - usable / 2 + usable * j / (n - 1)
    out = []
    for i, (src, dst) in enumerate(edges):
        a, b = lay.boxes[src.key], lay.boxes[dst.key]
        x1, x2 = points[(i, 0)], points[(i, 1)]
        y1 = a.top if sides[i][0] == "top" else a.bottom
        y2 = b.top if sides[i][1] == "top" else b.bottom
        if src.row == dst.row:
            lift = min(_BAND_PAD - 8, 16 + abs(x2 - x1) * 0.06) * 4 / 3
            d = _cubic((x1, y1), (x1, y1 - lift), (x2, y2 - lift), (x2, y2))
        elif i in lanes:
            d = _skip_path(lay, src, dst, (x1, y1), (x2, y2), lanes[i])
        else:
            ym = (y1 + y2) / 2
            d = _cubic((x1, y1), (x1, ym), (x2, ym), (x2, y2))
        out.append(
            f'<path class="link" data-from="{_esc(_clean(src.objective_id))}" '
            f'data-to="{_esc(_clean(dst.objective_id))}" d="{d}" fill="none" stroke="{_ARROW}" '
            f'stroke-width="1.6" stroke-linecap="round" marker-end="url(#cadran-arrow)"/>'
        )
    return out


def _lane(lay: _SvgLayout, src: _Node, dst: _Node, used: dict[int, int]) -> float:
    """The x of a vertical lane free of boxes in every row a link skips, nearest to the middle
    of its ends; lanes used again are shifted by a few pixels so that arrows stay apart."""
    step = -1 if src.row > dst.row else 1
    free = [(float(lay.area_x), float(lay.area_x + lay.area_w))]
    for r in range(src.row + step, dst.row, step):
        for node in lay.map.rows[r].nodes:
            box = lay.boxes[node.key]
            free = _subtract(free, box.x - 8, box.x + _BOX_W + 8)
    mid = (lay.boxes[src.key].cx + lay.boxes[dst.key].cx) / 2
    if not free:  # cannot happen with the slot layout; kept for safety
        return mid
    lo, hi = min(free, key=lambda iv: (abs(_closest(iv[0], iv[1], mid) - mid), iv[0]))
    lane = _closest(lo, hi, mid)
    count = used.get(round(lane), 0)
    used[round(lane)] = count + 1
    shift = (1 if count % 2 else -1) * 6 * ((count + 1) // 2)
    return min(max(lane + shift, lo + 1), hi - 1) if hi - lo > 2 else lane


def _skip_path(
    lay: _SvgLayout,
    src: _Node,
    dst: _Node,
    start: tuple[float, float],
    end: tuple[float, float],
    lane: float,
) -> str:
    """A link over one row or more: curve into the lane, along it past the skipped rows' boxes,
    curve out to the target."""
    step = -1 if src.row > dst.row else 1
    (x1, y1), (x2, y2) = start, end
    near = lay.band_top(src.row + step) + _BAND_PAD + (_BOX_H if step < 0 else 0)
    far = lay.band_top(dst.row - step) + _BAND_PAD + (0 if step < 0 else _BOX_H)
    m1, m2 = (y1 + near) / 2, (far + y2) / 2
    into = _cubic((x1, y1), (x1, m1), (lane, m1), (lane, near))
    out_of = _cubic((lane, far), (lane, m2), (x2, m2), (x2, y2)).replace("M", "L", 1)
    return f"{into} {out_of}"


def _cubic(
    start: tuple[float, float],
    c1: tuple[float, float],
    c2: tuple[float, float],
    end: tuple[float, float],
) -> str:
    """Path data of one cubic Bézier curve."""
    return "M{} C{} {} {}".format(*(f"{_n(x)},{_n(y)}" for x, y in (start, c1, c2, end)))


def _subtract(
    intervals: list[tuple[float, float]], lo: float, hi: float
) -> list[tuple[float, float]]:
    out = []
    for a, b in intervals:
        if hi <= a or lo >= b:
            out.append((a, b))
            continue
        if lo > a:
            out.append((a, lo))
        if hi < b:
            out.append((hi, b))
    return out


def _closest(lo: float, hi: float, x: float) -> float:
    """The point of [lo, hi] nearest to x, kept off the ends when the interval allows."""
    inner = min(6.0, (hi - lo) / 2)
    return min(max(x, lo + inner), hi - inner)


# --------------------------------------------------------------------------------------------
# Mermaid

_MERMAID_ESCAPES = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    "`": "#96;",
}


def _mermaid_text(text: str) -> str:
    return "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in text)


def _mermaid(m: _Map) -> str:
    out = ["flowchart BT"]
    for row in m.rows:
        out.append(f'    subgraph {row.key}["{_mermaid_text(row.name)}"]')
        for node in row.nodes:
            label = _mermaid_text(node.name)
            if node.score is not None:
                label += "<br/>" + _mermaid_text(node.score)
            out.append(f'        {node.key}["{label}"]')
        out.append("    end")
    # Invisible links keep the rows in order when no arrow does: learning at the bottom.
    for lower, upper in zip(m.rows[::-1], m.rows[-2::-1], strict=False):
        out.append(f"    {lower.key} ~~~ {upper.key}")
    for src, dst in m.edges:
        out.append(f"    {src.key} --> {dst.key}")
    for i, row in enumerate(m.rows):
        out.append(f"    style {row.key} fill:{_BANDS[i % 2]},stroke:#d3dae3,color:#334155")
    classes = _Ids()
    by_status: dict[str, list[_Node]] = {}
    for row in m.rows:
        for node in row.nodes:
            by_status.setdefault(NO_STATUS if node.status is None else node.status, []).append(node)
    for status, nodes in by_status.items():
        css, colour = classes.take("st", status), nodes[0].colour
        out.append(
            f"    classDef {css} fill:{colour.fill},stroke:{colour.stroke},color:{colour.text}"
        )
        out.append(f"    class {','.join(n.key for n in nodes)} {css}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Graphviz


def _dot_text(text: str) -> str:
    """Text for a double-quoted DOT string: Graphviz reads backslash escapes (``\\N``, ``\\n``)
    and HTML entities (``&amp;``) in labels, so both are escaped."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\\", "\\\\")
        .replace('"', '\\"')
    )


def _dot(m: _Map) -> str:
    out = [
        "digraph strategy_map {",
        f'    graph [rankdir=BT, newrank=true, nodesep=0.35, ranksep=0.6, fontname="Helvetica", '
        f'label="{_dot_text(m.title)}", labelloc=t, fontsize=18];',
        '    node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, '
        'width=2.2, height=0.8, margin="0.12,0.06"];',
        f'    edge [color="{_ARROW}", arrowsize=0.8];',
    ]
    for i, row in enumerate(m.rows):
        cluster = "cluster_" + row.key.removeprefix("p_")
        out += [
            f"    subgraph {cluster} {{",
            f'        label="{_dot_text(row.name)}"; labeljust=l; fontsize=12; '
            f'fontcolor="#334155";',
            f'        style="rounded,filled"; fillcolor="{_BANDS[i % 2]}"; color="#d3dae3";',
            "        rank=same;",
            f'        {row.key} [shape=point, style=invis, width=0.01, height=0.01, label=""];',
        ]
        for node in row.nodes:
            lines = _wrap(node.name, 150, 11, 4)
            if node.score is not None:
                lines.append(node.score)
            label = "\\n".join(_dot_text(line) for line in lines)
            c = node.colour
            out.append(
                f'        {node.key} [label="{label}", fillcolor="{c.fill}", color="{c.stroke}", '
                f'fontcolor="{c.text}"];'
            )
        out.append("    }")
    if len(m.rows) > 1:  # keeps the rows in order, learning at the bottom
        chain = " -> ".join(r.key for r in reversed(m.rows))
        out.append(f"    {chain} [style=invis];")
    for src, dst in m.edges:
        # Only upward arrows rank the rows; sideways and downward ones must not reorder them.
        extra = "" if src.row > dst.row else " [constraint=false]"
        out.append(f"    {src.key} -> {dst.key}{extra};")
    out.append("}")
    return "\n".join(out) + "\n"
