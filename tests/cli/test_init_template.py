"""``cadran init --template``: a workspace with a scorecard from a packaged template."""

from __future__ import annotations

from pathlib import Path

import pytest

import cadran
from cadran.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def squeeze(text: str) -> str:
    """``text`` without its white space (Rich wraps lines at the terminal's width)."""
    return "".join(text.replace("│", "").split())


def test_init_with_a_template_creates_the_workspace_and_its_scorecard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ws"
    code, out, err = run(capsys, "init", str(path), "--template", "social-media-bsc")
    assert (code, err) == (0, "")
    assert squeeze(f"Created workspace 'ws' in {path}") in squeeze(out)
    assert squeeze(
        f"Installed the scorecard template 'social-media-bsc' as {path / 'scorecard.yaml'}"
        " (goal dates counted from "
    ) in squeeze(out)
    with cadran.open(path) as ws:
        card = ws.scorecard()
    assert card.name.en == "Social media strategy map"
    assert len(card.objectives) == 9


def test_an_unknown_template_is_a_usage_error_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ws"
    code, out, err = run(capsys, "init", str(path), "--template", "engagment")
    assert code == 2
    assert out == ""
    assert err.strip() == (
        "error: unknown scorecard template 'engagment' (did you mean 'engagement'?); the "
        "templates are: awareness, conversion, customer-care, engagement, social-media-bsc"
    )
    assert not path.exists()


def test_a_template_goes_into_an_existing_workspace_without_overwriting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ws"
    assert run(capsys, "init", str(path))[0] == 0
    code, out, err = run(capsys, "-w", str(path), "init", "--template", "awareness")
    assert (code, err) == (0, "")
    assert "Created workspace" not in out
    assert squeeze("Installed the scorecard template 'awareness'") in squeeze(out)
    scorecard = path / "scorecard.yaml"
    before = scorecard.read_text(encoding="utf-8")

    code, out, err = run(capsys, "init", str(path), "--template", "conversion")
    assert code == 1
    assert err.strip() == (
        f"error: {scorecard} already exists; keep it, or replace it with the template by adding "
        "--force"
    )
    assert scorecard.read_text(encoding="utf-8") == before

    code, _, err = run(capsys, "init", str(path), "--template", "conversion", "--force")
    assert (code, err) == (0, "")
    with cadran.open(path) as ws:
        assert [o.id for o in ws.scorecard().objectives] == ["convert_leads_and_sales"]


def test_force_needs_a_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "ws"), "--force")
    assert code == 2
    assert err.strip() == "error: --force only applies with --template"
    assert not (tmp_path / "ws").exists()


def test_init_without_a_template_still_refuses_an_existing_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ws"
    assert run(capsys, "init", str(path))[0] == 0
    code, _, err = run(capsys, "init", str(path))
    assert code == 1
    assert "is already a Cadran workspace" in err
    assert not (path / "scorecard.yaml").exists()


def test_the_help_lists_the_templates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "init", "--help")
    assert code == 0
    assert squeeze("awareness, conversion, customer-care, engagement, social-media-bsc") in (
        squeeze(out)
    )
