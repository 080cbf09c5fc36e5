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

from collections.abc import Callable, Mapping

from cadran.core.scorecard import Scorecard
from cadran.reports.map_model import DEFAULT_COLOURS, NEUTRAL_COLOUR, NO_STATUS, MapModel, build_map
from cadran.reports.map_svg import render_svg
from cadran.reports.map_text import render_dot, render_mermaid

__all__ = [
    "DEFAULT_COLOURS",
    "FORMATS",
    "NEUTRAL_COLOUR",
    "NO_STATUS",
    "render_map",
]

FORMATS: tuple[str, ...] = ("svg", "mermaid", "dot")


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
    renderers: dict[str, Callable[[MapModel], str]] = {
        "svg": render_svg,
        "mermaid": render_mermaid,
        "dot": render_dot,
    }
    renderer = renderers.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown map format {fmt!r}: use one of {', '.join(FORMATS)}")
    return renderer(build_map(card, statuses, scores, lang, colours))
