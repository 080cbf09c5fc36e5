"""The strategy map in SVG, Mermaid and Graphviz: golden files, structure, escaping, layout.

Golden files live in tests/golden/map; after an intended change run ``pytest --update-golden``
and review the diff (open the SVG in a browser).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from defusedxml.ElementTree import fromstring

from cadran.core.scorecard import (
    DEFAULT_PERSPECTIVES,
    Link,
    Objective,
    Perspective,
    Scorecard,
)
from cadran.core.spec import Bilingual
from cadran.reports.strategy_map import (
    DEFAULT_COLOURS,
    FORMATS,
    NEUTRAL_COLOUR,
    NO_STATUS,
    render_map,
)
from tests.golden_files import assert_golden

SVG = "{http://www.w3.org/2000/svg}"
SAFE_ID = r"[A-Za-z][A-Za-z0-9_]*"
PERSPECTIVES = tuple(Perspective(pid, name) for pid, name in DEFAULT_PERSPECTIVES)


def objective(
    oid: str, perspective: str, en: str, fr: str | None = None, *drivers: str
) -> Objective:
    return Objective(
        id=oid,
        name=Bilingual(en, fr or en),
        perspective=perspective,
        drivers=tuple(Link(d) for d in drivers),
    )


def sample() -> Scorecard:
    """Four rows, six objectives; links up one row, sideways and skipping a row."""
    return Scorecard(
        name=Bilingual("Acme social media 2026", "Médias sociaux d'Acme 2026"),
        perspectives=PERSPECTIVES,
        objectives=(
            objective(
                "revenue",
                "stakeholders",
                "Grow revenue from social",
                "Accroître les revenus",
                "leads",
                "awareness",
                "content",  # skips the customer row
            ),
            objective(
                "awareness",
                "customer",
                "Brand awareness",
                "Notoriété de la marque",
                "engagement",
                "skills",  # skips the internal row
            ),
            objective(
                "leads",
                "customer",
                "Qualified leads",
                "Prospects qualifiés",
                "awareness",
                "content",
            ),
            objective(
                "engagement",
                "internal",
                "Engaging content",
                "Contenu engageant",
                "skills",
            ),
            objective(
                "content",
                "internal",
                "Publish on schedule",
                "Publier à l'heure prévue",
                "skills",
                "ghost",
            ),
            objective(
                "skills",
                "learning",
                "Team skills & tools",
                "Compétences et outils de l'équipe",
            ),
        ),
    )


STATUSES: dict[str, str | None] = {
    "revenue": "green",
    "awareness": "yellow",
    "leads": "red",
    "engagement": "amber",  # not one of the scorecard's stop-lights
    "content": None,
    # skills: absent, n/a as well
}
SCORES: dict[str, float | None] = {
    "revenue": 0.934,
    "awareness": 0.78,
    "leads": 0.405,
    "engagement": 0.7,
    "content": None,
}
# (driver, driven): up one row, sideways (awareness -> leads), skipping a row (content ->
# revenue, skills -> awareness); the link from the unknown 'ghost' is left out.
EDGES = {
    ("leads", "revenue"),
    ("awareness", "revenue"),
    ("engagement", "awareness"),
    ("awareness", "leads"),
    ("content", "leads"),
    ("skills", "engagement"),
    ("skills", "content"),
    ("content", "revenue"),
    ("skills", "awareness"),
}


def hostile() -> Scorecard:
    evil = "<script>alert('x')</script> & \"quoted\" [brackets] {braces} #hash | `tick` \\back"
    return Scorecard(
        name=Bilingual(evil, evil),
        perspectives=(
            Perspective("customer", Bilingual(evil, evil)),
            Perspective("learning", Bilingual("Learning", "Apprentissage")),
        ),
        objectives=(
            objective("x<y>", "customer", evil, evil, "a&b", "long"),
            objective("a&b", "learning", "Emoji 🚀📈 growth 👩‍💻 ✓", None),
            objective(
                "long",
                "learning",
                "An extraordinarily long objective name that goes on and on well beyond "
                "what any reasonable box could hold, Supercalifragilisticexpialidocious",
                None,
            ),
        ),
    )


@pytest.mark.parametrize(
    ("fmt", "lang"),
    [
        ("svg", "en"),
        ("svg", "fr"),
        ("mermaid", "en"),
        ("mermaid", "fr"),
        ("dot", "en"),
        ("dot", "fr"),
    ],
)
def test_golden(fmt: str, lang: str, update_golden: bool) -> None:
    ext = {"svg": "svg", "mermaid": "mmd", "dot": "dot"}[fmt]
    text = render_map(sample(), fmt, statuses=STATUSES, scores=SCORES, lang=lang)
    assert_golden(f"map/sample_{lang}.{ext}", text, update_golden)


def test_golden_without_statuses_or_scores(update_golden: bool) -> None:
    assert_golden("map/plain_en.svg", render_map(sample()), update_golden)


def svg_tree(text: str) -> ET.Element:
    root: ET.Element = fromstring(text)
    assert root.tag == f"{SVG}svg"
    return root


def test_svg_structure() -> None:
    card = sample()
    root = svg_tree(render_map(card, statuses=STATUSES, scores=SCORES))
    objectives = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "objective"]
    assert len(objectives) == len(card.objectives)
    paths = list(root.iter(f"{SVG}path"))
    assert len(paths) == len(EDGES)
    assert {(p.get("data-from"), p.get("data-to")) for p in paths} == EDGES
    assert all(p.get("marker-end") == "url(#cadran-arrow)" for p in paths)
    bands = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "band"]
    assert len(bands) == 4
    # Self-contained: no links to anything outside the document.
    text = render_map(card, statuses=STATUSES)
    assert "href" not in text
    assert "<script" not in text
    assert "@import" not in text
    assert "url(" not in text.replace("url(#cadran-arrow)", "")


def box_of(root: ET.Element, objective_id: str) -> ET.Element:
    for g in root.iter(f"{SVG}g"):
        if g.get("data-objective") == objective_id:
            rect = g.find(f"{SVG}rect")
            assert rect is not None
            return rect
    raise AssertionError(objective_id)


def test_svg_rows_read_bottom_up_and_boxes_spread_evenly() -> None:
    root = svg_tree(render_map(sample()))
    y = {oid: float(box_of(root, oid).get("y", "")) for oid in ("revenue", "leads", "content")}
    y["skills"] = float(box_of(root, "skills").get("y", ""))
    assert y["revenue"] < y["leads"] < y["content"] < y["skills"]
    xs = [float(box_of(root, oid).get("x", "")) for oid in ("awareness", "leads")]
    lone = float(box_of(root, "revenue").get("x", ""))
    assert xs[0] < lone < xs[1]
    assert lone - xs[0] == pytest.approx(xs[1] - lone)


def test_svg_colours_scores_and_legend() -> None:
    text = render_map(sample(), statuses=STATUSES, scores=SCORES)
    root = svg_tree(text)
    assert box_of(root, "revenue").get("fill") == DEFAULT_COLOURS["green"]
    assert box_of(root, "leads").get("fill") == DEFAULT_COLOURS["red"]
    assert box_of(root, "engagement").get("fill") == NEUTRAL_COLOUR
    assert box_of(root, "content").get("fill") == DEFAULT_COLOURS[NO_STATUS]
    assert box_of(root, "skills").get("fill") == DEFAULT_COLOURS[NO_STATUS]
    scores = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "score"]
    assert scores == ["93 %", "78 %", "41 %", "70 %", "—", "—"]
    legend = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "legend"]
    assert legend == ["Status", "green", "yellow", "red", "amber", "n/a"]
    swatches = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("class") == "legend-swatch"]
    assert swatches[-2:] == [NEUTRAL_COLOUR, DEFAULT_COLOURS[NO_STATUS]]
    # Without statuses: no legend, every box n/a; without scores: no score line.
    plain = svg_tree(render_map(sample()))
    assert not [t for t in plain.iter(f"{SVG}text") if t.get("class") in ("legend", "score")]


def test_caller_colours_override_and_are_checked() -> None:
    colours = {"amber": "#ffbf00", "green": "teal", NO_STATUS: "#eee"}
    root = svg_tree(render_map(sample(), statuses=STATUSES, colours=colours))
    assert box_of(root, "engagement").get("fill") == "#ffbf00"
    assert box_of(root, "revenue").get("fill") == "teal"
    assert box_of(root, "content").get("fill") == "#eee"
    mermaid = render_map(sample(), "mermaid", statuses=STATUSES, colours=colours)
    assert "fill:#ffbf00" in mermaid
    dot = render_map(sample(), "dot", statuses=STATUSES, colours=colours)
    assert 'fillcolor="teal"' in dot
    for bad in ('red" onload="alert(1)', "#12", "url(#x)", "rgb(1,2,3)", ""):
        with pytest.raises(ValueError, match="colour"):
            render_map(sample(), statuses=STATUSES, colours={"green": bad})


def test_dark_fill_gets_light_text() -> None:
    root = svg_tree(render_map(sample(), statuses=STATUSES, colours={"red": "#7f1d1d"}))
    for g in root.iter(f"{SVG}g"):
        if g.get("data-objective") == "leads":
            text = g.find(f"{SVG}text")
            assert text is not None
            assert text.get("fill") == "#ffffff"


def test_svg_is_deterministic_and_grows_with_the_widest_row() -> None:
    card = sample()
    assert render_map(card, statuses=STATUSES) == render_map(card, statuses=STATUSES)
    wider = Scorecard(
        name=card.name,
        perspectives=card.perspectives,
        objectives=(
            *card.objectives,
            *(objective(f"extra{i}", "customer", f"Extra {i}") for i in range(3)),
        ),
    )
    width = float(svg_tree(render_map(card)).get("width", ""))
    assert float(svg_tree(render_map(wider)).get("width", "")) > width


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_is_escaped(fmt: str) -> None:
    text = render_map(hostile(), fmt, statuses={"x<y>": "<b>bold</b>"}, lang="en")
    assert "<script" not in text
    assert "<b>" not in text
    if fmt == "svg":
        root = svg_tree(text)
        assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "objective"]) == 3
        assert len(list(root.iter(f"{SVG}path"))) == 2
        assert "🚀📈" in text
        names = "".join(t.text or "" for t in root.iter(f"{SVG}tspan"))
        assert "<script>alert('x')</script>" in names  # escaped in the file, intact for readers
        assert "…" in names  # the long name is cut to three lines
        for tspan in root.iter(f"{SVG}tspan"):
            assert len(tspan.text or "") <= 30
    if fmt == "mermaid":
        for line in text.splitlines():
            label = re.search(r'\["(.*)"\]', line)
            if label:
                assert not re.search(r'["<>\[\]{}|`&]', label.group(1))
    if fmt == "dot":
        assert '\\"quoted\\"' in text
        assert "\\\\back" in text
        for m in re.finditer(r'label="((?:[^"\\]|\\.)*)"', text):
            assert not re.search(r'(?<!\\)"', m.group(1))


def nodes_and_edges(text: str, arrow: str) -> tuple[list[str], set[tuple[str, str]]]:
    nodes = re.findall(r"^\s+(\w+) ?\[", text, re.MULTILINE)
    edges = set(re.findall(rf"^\s+(\w+) {arrow} (\w+)[ ;\[]?", text, re.MULTILINE))
    return nodes, edges


def test_mermaid_nodes_edges_and_ids() -> None:
    text = render_map(sample(), "mermaid", statuses=STATUSES, scores=SCORES, lang="fr")
    assert text.startswith("flowchart BT\n")
    assert text.count("subgraph ") == 4
    nodes, edges = nodes_and_edges(text, "-->")
    assert sorted(nodes) == sorted(f"o_{o.id}" for o in sample().objectives)
    assert edges == {(f"o_{a}", f"o_{b}") for a, b in EDGES}
    assert all(re.fullmatch(SAFE_ID, n) for n in nodes)
    for css in re.findall(r"^\s+classDef (\S+) ", text, re.MULTILINE):
        assert re.fullmatch(SAFE_ID, css)
    assert "Notoriété de la marque" in text
    assert "Publier à l'heure prévue" in text
    assert "93 %" in text
    # Invisible links order the rows bottom-up.
    assert "p_learning ~~~ p_internal" in text
    assert "p_customer ~~~ p_stakeholders" in text


def test_dot_nodes_edges_and_ids() -> None:
    text = render_map(sample(), "dot", statuses=STATUSES, scores=SCORES, lang="fr")
    assert text.startswith("digraph strategy_map {")
    assert "rankdir=BT" in text
    assert text.count("subgraph cluster_") == 4
    assert text.count("rank=same;") == 4
    nodes, edges = nodes_and_edges(text, "->")
    objective_nodes = [n for n in nodes if n.startswith("o_")]
    assert sorted(objective_nodes) == sorted(f"o_{o.id}" for o in sample().objectives)
    assert edges >= {(f"o_{a}", f"o_{b}") for a, b in EDGES}
    assert all(re.fullmatch(SAFE_ID, n) for n in nodes)
    assert "o_awareness -> o_leads [constraint=false];" in text  # sideways
    assert "o_skills -> o_content;" in text
    assert "Compétences" in text
    assert "l'équipe" in text


def test_ids_are_safe_and_unique_for_awkward_objective_ids() -> None:
    card = Scorecard(
        name=Bilingual("x", "x"),
        perspectives=(Perspective("réseau social", Bilingual("Réseau", "Réseau")),),
        objectives=(
            objective("end", "réseau social", "End"),
            objective("a-b", "réseau social", "A"),
            objective("a b", "réseau social", "B", None, "a-b", "end"),
            objective("été", "réseau social", "C"),
            objective("", "réseau social", "Empty id"),
        ),
    )
    for fmt, arrow in (("mermaid", "-->"), ("dot", "->")):
        text = render_map(card, fmt)
        nodes, edges = nodes_and_edges(text, arrow)
        objective_nodes = [n for n in nodes if n.startswith("o_")]
        assert len(objective_nodes) == len(set(objective_nodes)) == 5
        assert all(re.fullmatch(SAFE_ID, n) for n in nodes)
        assert {"o_a_b", "o_a_b_2", "o_end", "o_ete", "o_x"} == set(objective_nodes)
        assert ("o_a_b", "o_a_b_2") in edges
        assert ("o_end", "o_a_b_2") in edges


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_scorecard_keeps_its_perspectives(fmt: str) -> None:
    card = Scorecard(name=Bilingual("Empty", "Vide"), perspectives=PERSPECTIVES, objectives=())
    text = render_map(card, fmt, statuses={}, scores={})
    names = [name.en for _, name in DEFAULT_PERSPECTIVES]
    if fmt != "svg":
        assert all(name in text for name in names)
    else:
        root = svg_tree(text)
        rows = [
            " ".join(span.text or "" for span in t)
            for t in root.iter(f"{SVG}text")
            if t.get("class") == "perspective"
        ]
        assert rows == names
        assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "band"]) == 4
        assert not [r for r in root.iter(f"{SVG}rect") if r.get("class") == "objective"]
        assert not list(root.iter(f"{SVG}path"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_perspectives_at_all(fmt: str) -> None:
    card = Scorecard(name=Bilingual("", ""), perspectives=(), objectives=())
    assert render_map(card, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_links_self_links_and_repeats_are_skipped(fmt: str) -> None:
    card = Scorecard(
        name=Bilingual("x", "x"),
        perspectives=PERSPECTIVES[-2:],
        objectives=(
            objective("a", "internal", "A", None, "b", "b", "a", "missing"),
            objective("b", "learning", "B"),
            objective("c", "elsewhere", "Undeclared perspective", None, "b"),
        ),
    )
    text = render_map(card, fmt)
    if fmt == "svg":
        root = svg_tree(text)
        assert [(p.get("data-from"), p.get("data-to")) for p in root.iter(f"{SVG}path")] == [
            ("b", "a"),
            ("b", "c"),
        ]
        assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "band"]) == 3
    else:
        _, edges = nodes_and_edges(text, "-->" if fmt == "mermaid" else "->")
        assert ("o_b", "o_a") in edges
        assert ("o_b", "o_c") in edges
        assert not any("missing" in a or a == b for a, b in edges)
    assert "elsewhere" in text


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="svg, mermaid, dot") as info:
        render_map(sample(), "png")
    assert "'png'" in str(info.value)


def rect_bounds(rect: ET.Element) -> tuple[float, float, float, float]:
    x, y = float(rect.get("x", "")), float(rect.get("y", ""))
    return x, y, x + float(rect.get("width", "")), y + float(rect.get("height", ""))


@pytest.mark.parametrize("downward", [False, True])
def test_svg_arrows_join_box_edges_and_skip_rows_between_boxes(downward: bool) -> None:
    card = sample()
    if downward:  # the same map with a few links pointing down, as a scorecard may have
        card = Scorecard(
            name=card.name,
            perspectives=card.perspectives,
            objectives=(
                *card.objectives[:-1],
                objective("skills", "learning", "Team skills", None, "revenue", "content"),
                objective("wide", "customer", "A third customer goal", None, "revenue"),
            ),
        )
    root = svg_tree(render_map(card))
    boxes = {o.id: rect_bounds(box_of(root, o.id)) for o in card.objectives}
    skipped = 0
    for path in root.iter(f"{SVG}path"):
        d = path.get("d", "")
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        (x1, y1), (x2, y2) = numbers[:2], numbers[-2:]
        src, dst = boxes[path.get("data-from", "")], boxes[path.get("data-to", "")]
        assert src[0] < x1 < src[2]
        assert y1 in (src[1], src[3])
        assert dst[0] < x2 < dst[2]
        assert y2 in (dst[1], dst[3])
        if " L" in d:  # skips a row: the lane misses every box between the two ends
            skipped += 1
            lane = float(d.split(" L", 1)[1].split(",", 1)[0])
            low, high = sorted((y1, y2))
            for bx0, by0, bx1, by1 in boxes.values():
                if low < by0 and by1 < high:
                    assert not bx0 - 4 < lane < bx1 + 4
    assert skipped == (3 if downward else 2)


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_line_breaks_and_unicode(fmt: str) -> None:
    name = "Line\nbreak\x00\x1b[31m \ud800 \u202eevil\u202c 5\u00a0% 👩\u200d💻"
    card = Scorecard(
        name=Bilingual(name, name),
        perspectives=(Perspective("p", Bilingual(name, name)),),
        objectives=(objective("a", "p", name),),
    )
    text = render_map(card, fmt, statuses={"a": "green\nred"})
    for bad in ("\x00", "\x1b", "\ud800", "\u202e", "Line\nbreak"):
        assert bad not in text
    assert "Line break" in text
    assert "5\u00a0%" in text  # a no-break space is kept (and does not break)
    assert "👩\u200d💻" in text  # the joiner of an emoji sequence is kept
    if fmt == "svg":
        svg_tree(text)
    else:  # one statement per line: a name cannot open a new one
        node_lines = [line for line in text.splitlines() if line.lstrip().startswith("o_a")]
        assert len(node_lines) == 1
