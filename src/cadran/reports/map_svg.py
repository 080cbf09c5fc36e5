"""The strategy map as a self-contained, deterministic SVG picture."""

from __future__ import annotations

from dataclasses import dataclass

from cadran.reports.map_model import (
    ARROW,
    BAND_FILLS,
    INK,
    LABELS,
    MUTED,
    Colour,
    MapModel,
    Node,
    Row,
    clean_text,
)
from cadran.reports.text_measure import text_width, wrap_text

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

    def __init__(self, m: MapModel) -> None:
        self.map = m
        slots = max(max((len(r.nodes) for r in m.rows), default=0), 2)
        self.area_x = _MARGIN + _LABEL_W + _AREA_PAD
        self.area_w = slots * _SLOT
        self.width = self.area_x + self.area_w + _AREA_PAD + _MARGIN
        self.title = wrap_text(m.title, self.width - 2 * _MARGIN, _TITLE_SIZE, 2, bold=True)
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

    def _legend(self, top: float) -> list[tuple[str, Colour | None, float, float]]:
        """(label, swatch colour or None for the heading, x, y of the swatch's top)."""
        if not self.map.legend:
            return []
        items: list[tuple[str, Colour | None, float, float]] = []
        x, y = float(_MARGIN), top
        heading = LABELS[self.map.lang]["status"]
        items.append((heading, None, x, y))
        x = indent = x + text_width(heading, _LEGEND_SIZE, bold=True) + 14
        for label, colour in self.map.legend:
            shown = wrap_text(label, 160, _LEGEND_SIZE, 1)[0] if label else ""
            w = 14 + 6 + text_width(shown, _LEGEND_SIZE) + 18
            if x + w > self.width - _MARGIN and x > indent:  # next line, under the first item
                x, y = indent, y + 22
            items.append((shown, colour, x, y))
            x += w
        return items


def render_svg(m: MapModel) -> str:
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
        f'<polygon points="0,0 10,5 0,10 2.5,5" fill="{ARROW}"/></marker>',
        "</defs>",
        f'<rect class="background" x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    for i, line in enumerate(lay.title):
        out.append(
            f'<text class="title" x="{_MARGIN}" y="{_n(_MARGIN + 20 + i * _TITLE_LINE)}" '
            f'font-size="{_TITLE_SIZE}" font-weight="700" fill="{INK}">{_esc(line)}</text>'
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
                f'font-weight="700" fill="{MUTED}">{_esc(label)}</text>'
            )
            continue
        out.append(
            f'<rect class="legend-swatch" x="{_n(x)}" y="{_n(y)}" width="14" height="14" rx="3" '
            f'fill="{colour.fill}" stroke="{colour.stroke}"/>'
        )
        out.append(
            f'<text class="legend" x="{_n(x + 20)}" y="{_n(y + 11)}" font-size="{_LEGEND_SIZE}" '
            f'fill="{INK}">{_esc(label)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_band(lay: _SvgLayout, i: int, row: Row) -> list[str]:
    top = lay.band_top(i)
    lines = wrap_text(row.name, _LABEL_W - 24, _NAME_SIZE, 4, bold=True)
    first = top + _BAND_H / 2 - len(lines) * _NAME_LINE / 2 + 12
    out = [
        f'<rect class="band" x="{_MARGIN}" y="{_n(top)}" width="{_n(lay.width - 2 * _MARGIN)}" '
        f'height="{_BAND_H}" rx="10" fill="{BAND_FILLS[i % 2]}"/>',
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


def _svg_box(box: _Box, node: Node) -> list[str]:
    c = node.colour
    lines = wrap_text(node.name, _BOX_W - 20, _NAME_SIZE, 3, bold=True)
    block = len(lines) * _NAME_LINE + (_SCORE_LINE if node.score is not None else 0)
    first = box.y + (_BOX_H - block) / 2 + 12
    tooltip = node.name
    if node.status is not None:
        tooltip += f" — {clean_text(node.status)}"
    if node.score is not None:
        tooltip += f" — {node.score}"
    out = [
        f'<g class="node" data-objective="{_esc(clean_text(node.objective_id))}">',
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
            f'<path class="link" data-from="{_esc(clean_text(src.objective_id))}" '
            f'data-to="{_esc(clean_text(dst.objective_id))}" d="{d}" fill="none" stroke="{ARROW}" '
            f'stroke-width="1.6" stroke-linecap="round" marker-end="url(#cadran-arrow)"/>'
        )
    return out


def _lane(lay: _SvgLayout, src: Node, dst: Node, used: dict[int, int]) -> float:
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
    src: Node,
    dst: Node,
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
