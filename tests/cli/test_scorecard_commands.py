"""`cadran scorecard`, `map` and `check` on the demo workspace, as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from defusedxml import ElementTree

from cadran.cli.main import main
from cadran.core.periods import Grain
from cadran.services.scorecard import score_history
from cadran.services.workspace import Workspace


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def demo_copy(demo_s: Path, tmp_path: Path) -> Path:
    """A copy of the demo workspace whose scorecard a test may change."""
    return Path(shutil.copytree(demo_s, tmp_path / "demo"))


def test_the_seed_template_scores_every_one_of_the_last_twelve_months(demo_s: Path) -> None:
    with Workspace.open(demo_s) as ws:
        card = ws.scorecard()
        last = ws.resolve_periods("2026-10")[0]
        periods = [last.shift(-n) for n in range(11, -1, -1)]
        assert all(p.grain is Grain.MONTH for p in periods)
        history = score_history(ws, card, periods)
    empty = []
    for result in history:
        assert result.status in {"green", "yellow", "red"}, result.period
        assert all(p.status is not None for p in result.perspectives)
        for o in result.objectives():
            assert o.status in {"green", "yellow", "red"}, (result.period, o.objective.id)
            for i in o.indicators:
                assert (i.value is None) == (i.score.status is None)
                if i.value is None:
                    empty.append((result.period.label, i.indicator.id))
    # A month without paid leads has no cost per paid lead (a zero denominator is no value,
    # never 0): the only gaps. The objective still gets a status from its other indicators.
    assert {kpi for _, kpi in empty} <= {"paid_cost_per_lead"}
    assert len(empty) < 12, empty


def test_scorecard_json_has_the_whole_tree(
    demo_s: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "-w", str(demo_s), "scorecard", "-p", "2026-10", "-f", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["period"] == "2026-10"
    assert [p["id"] for p in data["perspectives"]] == [
        "stakeholders",
        "customer",
        "internal",
        "learning",
    ]
    objectives = [o for p in data["perspectives"] for o in p["objectives"]]
    assert len(objectives) == 9
    first = objectives[0]
    assert {d["objective"] for d in first["driven_by"]} == {
        "engaging_content",
        "personal_interaction",
    }
    indicator = first["indicators"][0]
    for key in ("value", "target", "progress", "performance", "status", "health", "trend"):
        assert key in indicator
    assert first["previous_performance"] is not None


def test_scorecard_table_and_markdown(demo_s: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-w", str(demo_s), "scorecard", "-p", "2026-10", "-c", "previous")
    assert code == 0
    assert "Achieve valuable business results" in out and "previous" in out
    code, out, _ = run(
        capsys, "-w", str(demo_s), "scorecard", "-p", "2026-10", "-f", "md", "-l", "fr"
    )
    assert code == 0
    assert out.startswith("# ")
    assert "| objectif / indicateur |" in out
    assert "Réaliser de précieux résultats commerciaux" in out


def test_map_in_every_format(demo_s: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, svg, _ = run(capsys, "-w", str(demo_s), "map", "-p", "2026-10")
    assert code == 0
    root = ElementTree.fromstring(svg)
    rects = [e for e in root.iter() if e.get("class") == "objective"]
    assert len(rects) == 9
    code, mermaid, _ = run(capsys, "-w", str(demo_s), "map", "-f", "mermaid")
    assert code == 0 and mermaid.startswith("flowchart BT")
    code, dot, _ = run(capsys, "-w", str(demo_s), "map", "-f", "dot")
    assert code == 0 and dot.startswith("digraph")


def test_check_finds_nothing_in_the_template(
    demo_s: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "-w", str(demo_s), "check")
    assert (code, err) == (0, "")
    assert out.strip() == "no problem found"


BAD = """\
name: Bad scorecard
objectives:
  - id: followers
    name: Followers
    perspective: stakeholders
    indicators:
      - {kpi: followers, baseline: 100, target: 200, start: 2026-01-01, deadline: 2026-12-31}
  - id: ghost
    name: Understand our audience
    perspective: learning
"""


def test_check_reports_every_problem_with_file_and_line(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (demo_copy / "scorecard.yaml").write_text(BAD, encoding="utf-8")
    code, out, _ = run(capsys, "-w", str(demo_copy), "check", "-f", "json")
    assert code == 1
    found = {(f["code"], f["objective"]) for f in json.loads(out)}
    assert {
        ("goal-named-like-metric", "followers"),
        ("vanity-metric", "followers"),
        ("objective-without-indicator", "ghost"),
        ("no-business-result", None),
    } <= found
    code, out, _ = run(capsys, "-w", str(demo_copy), "check")
    assert code == 1
    assert "scorecard.yaml:8: error: [objective-without-indicator]" in " ".join(out.split())


def test_a_malformed_scorecard_gets_every_problem_and_no_traceback(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = BAD.replace("kpi: followers", "kpi: folowers").replace(
        "perspective: learning", "perspective: leaning"
    )
    (demo_copy / "scorecard.yaml").write_text(text, encoding="utf-8")
    for command in ("scorecard", "check", "map"):
        code, out, err = run(capsys, "-w", str(demo_copy), command)
        assert code != 0 and out == ""
        assert "Traceback" not in err
        assert "scorecard.yaml line 7" in err and "folowers" in err
        assert "scorecard.yaml line 10" in err and "leaning" in err
