"""The strategy map as text for other tools: a Mermaid flowchart and a Graphviz digraph."""

from __future__ import annotations

from cadran.reports.map_model import ARROW, BAND_FILLS, NO_STATUS, MapModel, Node, NodeIds
from cadran.reports.text_measure import wrap_text

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


def render_mermaid(m: MapModel) -> str:
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
        out.append(f"    style {row.key} fill:{BAND_FILLS[i % 2]},stroke:#d3dae3,color:#334155")
    classes = NodeIds()
    by_status: dict[str, list[Node]] = {}
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


# -- Graphviz -------------------------------------------------------------------------------


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


def render_dot(m: MapModel) -> str:
    out = [
        "digraph strategy_map {",
        f'    graph [rankdir=BT, newrank=true, nodesep=0.35, ranksep=0.6, fontname="Helvetica", '
        f'label="{_dot_text(m.title)}", labelloc=t, fontsize=18];',
        '    node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, '
        'width=2.2, height=0.8, margin="0.12,0.06"];',
        f'    edge [color="{ARROW}", arrowsize=0.8];',
    ]
    for i, row in enumerate(m.rows):
        cluster = "cluster_" + row.key.removeprefix("p_")
        out += [
            f"    subgraph {cluster} {{",
            f'        label="{_dot_text(row.name)}"; labeljust=l; fontsize=12; '
            f'fontcolor="#334155";',
            f'        style="rounded,filled"; fillcolor="{BAND_FILLS[i % 2]}"; color="#d3dae3";',
            "        rank=same;",
            f'        {row.key} [shape=point, style=invis, width=0.01, height=0.01, label=""];',
        ]
        for node in row.nodes:
            lines = wrap_text(node.name, 150, 11, 4)
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
