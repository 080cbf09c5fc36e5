"""``cadran roi``, ``cadran attribution`` and ``kpi eval --model`` from the command line."""

from __future__ import annotations

import json

import pytest

from cadran.cli.main import main
from cadran.services.workspace import Workspace


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def shop(workspace: Workspace) -> str:
    """40 customers from a 'Spring' campaign (ads 1,000 EUR), 200 EUR each, and 3 from email."""
    workspace.add(
        "costs",
        [{"native_id": "ADS", "period_start": "2026-03-01", "period_end": "2026-03-31",
          "category": "ads", "platform": "instagram", "campaign": "Spring", "amount": 1000}],
    )  # fmt: skip
    names = [f"C{i}" for i in range(43)]
    workspace.add(
        "customers",
        [{"native_id": n, "acquired_at": "2026-03-20T10:00:00", "source": "direct"} for n in names],
    )
    workspace.add(
        "revenue",
        [{"native_id": f"O{n}", "customer": n, "occurred_at": "2026-03-20T10:00:00",
          "amount": 200, "source": "direct"} for n in names],
    )  # fmt: skip
    workspace.add(
        "touchpoints",
        [{"native_id": f"T{n}", "occurred_at": "2026-03-18T10:00:00", "customer": n,
          "channel": "paid_social" if i < 40 else "email",
          "platform": "instagram" if i < 40 else None,
          "campaign": "Spring" if i < 40 else None} for i, n in enumerate(names)],
    )  # fmt: skip
    return str(workspace.folder.root)


def test_roi_json_ranks_the_campaign_and_advises(
    capsys: pytest.CaptureFixture[str], shop: str
) -> None:
    code, out, _ = run(capsys, "-w", shop, "roi", "--period", "2026-03", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["by"] == "campaign" and data["model"] == "Last touch" and data["currency"] == "EUR"
    spring = data["actions"][0]
    assert spring["campaign"] == "Spring"
    assert spring["cost"] == 1000 and spring["orders"] == 40 and spring["revenue"] == 8000
    assert spring["roi"] == pytest.approx(7.0) and spring["cac"] == pytest.approx(25.0)
    assert spring["verdict"] == "scale up"
    assert [a["campaign"] for a in data["actions"]] == ["Spring", "(not tied to one)", "(total)"]


def test_roi_table_and_attribution_table(capsys: pytest.CaptureFixture[str], shop: str) -> None:
    code, out, _ = run(capsys, "-w", shop, "roi", "--period", "2026-03", "--by", "platform")
    assert code == 0 and "instagram" in out and "scale up" in out
    code, out, _ = run(capsys, "-w", shop, "attribution", "--period", "2026-03", "--models", "all")
    assert code == 0
    assert "Revenue credited by model" in out and "Markov removal effects" in out


def test_kpi_eval_under_a_model(capsys: pytest.CaptureFixture[str], shop: str) -> None:
    args = ("-w", shop, "kpi", "eval", "revenue_generated", "--period", "2026-03", "-c", "none")
    code, out, _ = run(capsys, *args, "-f", "json")
    assert (code == 0 and json.loads(out)[0]["value"] is None) or json.loads(out)[0]["value"] == 0
    code, out, _ = run(capsys, *args, "--model", "linear", "-f", "json")
    assert code == 0 and json.loads(out)[0]["value"] == pytest.approx(8000)


def test_unknown_model_and_dimension_are_usage_errors(
    capsys: pytest.CaptureFixture[str], shop: str
) -> None:
    code, _, err = run(capsys, "-w", shop, "roi", "--model", "shapley")
    assert code == 2 and "unknown attribution model 'shapley'" in err
    code, _, err = run(capsys, "-w", shop, "attribution", "--by", "format")
    assert code == 2 and "cannot attribute by 'format'" in err


def test_roi_shows_the_ad_platforms_purchases_apart(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, shop: str
) -> None:
    args = ("-w", shop, "roi", "--period", "2026-03")
    code, out, _ = run(capsys, *args)
    assert code == 0 and "Platform" not in out  # no ad report: no column
    # Meta claims 55 purchases for Spring (its own window); Cadran credits it 40 orders.
    workspace.add(
        "ad_insights",
        [{"ad_network": "meta", "campaign": "Spring", "period_start": "2026-03-01",
          "period_end": "2026-03-31", "spend": 1000, "purchases": 55}],
    )  # fmt: skip
    code, out, _ = run(capsys, *args, "-f", "json")
    spring = json.loads(out)["actions"][0]
    # The recorded ads cost of the same campaign and days wins: 1,000, not 2,000.
    assert (spring["campaign"], spring["cost"], spring["orders"]) == ("Spring", 1000, 40)
    assert spring["platform_purchases"] == 55
    assert spring["cost_per_platform_purchase"] == pytest.approx(1000 / 55)
    assert spring["verdict"] == "scale up"  # from Cadran's figures, as before
    code, out, _ = run(capsys, *args)
    assert code == 0 and "Platform" in out and "18.18" in out
    assert "evidence only, the verdicts rest on Cadran's orders" in " ".join(out.split())
