"""The command line: outputs and one-line errors with non-zero exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cadran
from cadran.cli.main import main


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    with cadran.init(path, timezone="Europe/Paris") as ws:
        ws.add(
            "posts",
            [
                {
                    "platform": "x",
                    "account": "@a",
                    "native_id": "1",
                    "published_at": "2026-10-02T10:00",
                    "likes": 4,
                    "impressions": 100,
                    "engagements_native": 9,
                },
                {
                    "platform": "instagram",
                    "account": "@a",
                    "native_id": "2",
                    "published_at": "2026-09-02T10:00",
                    "likes": 6,
                    "impressions": 100,
                },
            ],
        )
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_kpi_eval_json_has_the_documented_fields(
    ws_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "-w",
        str(ws_path),
        "kpi",
        "eval",
        "engagement_rate",
        "likes",
        "--period",
        "2026-10",
        "--by",
        "platform",
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    assert set(rows[0]) == {
        "kpi",
        "period_start",
        "period_end",
        "platform",
        "value",
        "numerator",
        "denominator",
        "previous_value",
        "change",
    }
    x = next(r for r in rows if r["kpi"] == "engagement_rate" and r["platform"] == "x")
    assert (x["value"], x["numerator"], x["denominator"]) == (9.0, 9.0, 100.0)
    assert x["period_start"] == "2026-10-01" and x["period_end"] == "2026-10-31"


def test_kpi_eval_csv_and_table(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "-w",
        str(ws_path),
        "kpi",
        "eval",
        "likes",
        "--period",
        "2026-10",
        "--format",
        "csv",
        "--compare",
        "none",
    )
    assert code == 0
    assert out.splitlines()[0] == (
        "kpi,period_start,period_end,value,numerator,denominator,previous_value,change"
    )
    assert out.splitlines()[1].startswith("likes,2026-10-01,2026-10-31,4.0,4.0,")
    code, out, _ = run(
        capsys, "-w", str(ws_path), "kpi", "eval", "likes", "--period", "2026-10", "--lang", "fr"
    )
    assert code == 0 and "Likes" in out and "Évolution" in out


def test_workspace_from_the_environment(
    ws_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CADRAN_WORKSPACE", str(ws_path))
    code, out, _ = run(capsys, "kpi", "eval", "likes", "--period", "2026-10", "-f", "json")
    assert code == 0 and json.loads(out)[0]["value"] == 4.0


def test_kpi_list_and_show(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(
        capsys, "kpi", "list", "--format", "json", "--lang", "fr", "--category", "average_per"
    )
    assert code == 0
    ids = {r["id"] for r in json.loads(out)}
    assert {"avg_clicks_per_post", "avg_shares_per_post", "avg_comments_per_post"} <= ids
    code, out, _ = run(capsys, "kpi", "show", "customer_acquisition_cost")
    assert code == 0 and "cost / customers[social]" in out and "exceptional" in out


def test_explain_prints_plan_and_sql(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "-w",
        str(ws_path),
        "explain",
        "engagement_rate_improvement",
        "--period",
        "2026-10",
        "--by",
        "platform",
    )
    assert code == 0
    assert "previous(" in out and "plan" in out and "WITH " in out and "FROM post AS t" in out


def workspace_with_bad_kpi(path: Path) -> None:
    (path / "kpis" / "mine.yaml").write_text(
        "- id: mine\n  name: {en: M, fr: M}\n  description: {en: d, fr: d}\n"
        "  category: engagement\n  formula: likes / / impressions\n  unit: ratio\n"
        "  direction: higher_is_better\n  aggregation: pooled\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("args", "expected", "code"),
    [
        (["kpi", "eval", "no_such_kpi"], "error: unknown KPI 'no_such_kpi'", 2),
        (["kpi", "eval", "likes", "--period", "2026-13"], "error: invalid period '2026-13'", 2),
        (["kpi", "eval", "likes", "--from", "2026-10-01"], "error: give both --from and --to", 2),
        (["kpi", "eval", "likes", "--by", "colour"], "error: cannot break down by 'colour'", 2),
        (["kpi", "eval", "likes", "--compare", "lastweek"], "error: unknown comparison", 2),
        (["kpi", "eval", "likes", "--grain", "fortnight"], "error: unknown grain 'fortnight'", 2),
        (["kpi", "eval", "likes", "--platform", "myspace"], "error: unknown platform 'myspace'", 2),
        (["kpi", "show", "likez"], "error: unknown KPI 'likez'; did you mean likes", 2),
    ],
)
def test_bad_requests_give_one_line_and_exit_code(
    ws_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str, code: int
) -> None:
    got, out, err = run(capsys, "-w", str(ws_path), *args)
    assert got == code
    assert err.startswith(expected), err
    assert err.count("\n") == 1 and "Traceback" not in err + out


def test_malformed_workspace_formula(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace_with_bad_kpi(ws_path)
    code, _, err = run(capsys, "-w", str(ws_path), "kpi", "eval", "likes")
    assert code == 1
    assert err.count("\n") == 1
    assert (
        "mine.yaml line 5 (formula): formula of KPI 'mine': expected a number, a name or '(' "
        "but found '/' at column 9" in err
    )


def test_empty_workspace_and_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "empty"))
    assert code == 0
    code, _, err = run(capsys, "-w", str(tmp_path / "empty"), "kpi", "eval", "likes")
    assert code == 1 and err.startswith("error: workspace") and "holds no data yet" in err
    code, _, err = run(capsys, "-w", str(tmp_path / "missing"), "kpi", "eval", "likes")
    assert code == 1 and "does not exist" in err and err.count("\n") == 1
    code, _, err = run(capsys, "init", str(tmp_path / "empty"))
    assert code == 1 and "already a Cadran workspace" in err


def test_installed_script_runs_without_traceback(ws_path: Path) -> None:
    script = Path(sys.executable).with_name("cadran")
    result = subprocess.run(
        [str(script), "-w", str(ws_path), "kpi", "eval", "likes", "--period", "2026-13"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "60"},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: invalid period '2026-13'")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_french_numbers() -> None:
    from cadran.cli.render import format_change, format_value
    from cadran.services.definitions import load_catalogue

    catalogue, _ = load_catalogue()
    revenue = catalogue.kpis["revenue_generated"]
    assert format_value(35843.22, revenue, "EUR", "fr") == "35\u202f843,22 EUR"
    assert format_value(35843.22, revenue, "EUR", "en") == "35,843.22 EUR"
    assert format_change(-3.71, revenue, "fr").plain == "-3,7 %"
