"""The real TeeFusion exports (Meta Ads Manager and GA4, Feb 1 - Aug 4 2025) imported into a
fresh workspace: Meta spend as costs, GA4 key events as qualified interactions, their cost by
source, Meta's purchases beside Cadran's ROI, and the figures read straight from the files."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from cadran.cli.main import main
from cadran.services.roi import roi
from cadran.services.workspace import Workspace

SPAN = ("--from", "2025-02-01", "--to", "2025-08-04")
DAYS = 185  # Feb 1 to Aug 4 2025, both included


@dataclass(frozen=True)
class Expected:
    """What the files themselves say."""

    spend: dict[str, float]  # campaign -> Amount spent (whole-campaign report)
    purchases: dict[str, int]  # campaign -> Purchases
    spend_with_total_row: float
    spend_of_breakdowns: float
    key_events: dict[str, float]  # GA4 channel group -> Key events
    purchase_events: float  # the Events report's `purchase` count


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _expected(real: Path) -> Expected:
    spend: dict[str, float] = {}
    purchases: dict[str, int] = {}
    with_total = breakdowns = 0.0
    for path in sorted((real / "meta_ads" / "TeeFusion").glob("*.csv")):
        rows = _rows(path)
        amount = next(k for k in rows[0] if k.startswith("Amount spent"))
        if "Age" in rows[0] or "Gender" in rows[0]:
            breakdowns += sum(float(r[amount]) for r in rows if r["Campaign name"])
            continue
        for r in rows:
            with_total += float(r[amount])
            if r["Campaign name"]:  # the first row, with no name, is the account total
                spend[r["Campaign name"]] = float(r[amount])
                purchases[r["Campaign name"]] = int(r["Purchases"] or 0)
    ga4 = real / "ga4" / "TeeFusion_shop"
    (acquisition,) = ga4.glob("User_acquisition_*.csv")
    channel = "First user primary channel group (Default Channel Group)"
    key_events = {r[channel]: float(r["Key events"]) for r in _rows(acquisition)}
    events = {
        r["Event name"]: float(r["Event count"]) for r in _rows(ga4 / "Events_Event_name.csv")
    }
    return Expected(spend, purchases, with_total, breakdowns, key_events, events["purchase"])


def cadran(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def expected(real_data: Path) -> Expected:
    return _expected(real_data)


@pytest.fixture(scope="module")
def teefusion(real_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace in rupees that imported the Meta Ads and GA4 files with `cadran import`."""
    root = tmp_path_factory.mktemp("teefusion") / "ws"
    assert main(["init", str(root), "--timezone", "Asia/Kolkata", "--currency", "INR"]) == 0
    folders = [real_data / "meta_ads" / "TeeFusion", real_data / "ga4" / "TeeFusion_shop"]
    assert main(["-w", str(root), "import", *map(str, folders)]) == 0
    config = root / "cadran.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[conversions]\nga4_key_events = ["purchase"]\n',
        encoding="utf-8",
    )
    return root


def _kpi(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> list[dict[str, object]]:
    code, out, err = cadran(capsys, "-w", str(root), "kpi", "eval", *args, *SPAN, "-f", "json")
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_the_files_agree_with_themselves(expected: Expected) -> None:
    # The account total row repeats the campaigns' sum; the breakdowns share out the same money.
    assert sum(expected.spend.values()) == pytest.approx(33245.34)
    assert expected.spend_with_total_row == pytest.approx(2 * 33245.34)
    assert expected.spend_of_breakdowns == pytest.approx(2 * 33245.34)
    assert sum(expected.key_events.values()) == expected.purchase_events == 24


def test_meta_spend_is_the_sum_of_the_campaign_rows(
    capsys: pytest.CaptureFixture[str], teefusion: Path, expected: Expected
) -> None:
    (budget,) = _kpi(capsys, teefusion, "social_media_budget", "--compare", "none")
    assert budget["value"] == pytest.approx(sum(expected.spend.values()), abs=1e-6)
    per_campaign = _kpi(capsys, teefusion, "social_media_budget", "--by", "campaign")
    got = {r["campaign"]: r["value"] for r in per_campaign}
    assert got == {c: pytest.approx(v, abs=1e-6) for c, v in expected.spend.items()}
    # Each report's spend is spread evenly over its 185 days.
    code, out, _ = cadran(
        capsys, "-w", str(teefusion), "kpi", "eval", "social_media_budget",
        "--period", "2025-03", "-f", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)[0]["value"] == pytest.approx(33245.34 * 31 / DAYS)


def test_qualified_interactions_are_the_ga4_key_events(
    capsys: pytest.CaptureFixture[str], teefusion: Path, expected: Expected
) -> None:
    (total,) = _kpi(capsys, teefusion, "qualified_interactions", "--compare", "none")
    assert total["value"] == pytest.approx(sum(expected.key_events.values()))
    by_source = {
        r["source"]: r["value"]
        for r in _kpi(capsys, teefusion, "qualified_interactions", "--by", "source")
    }
    assert by_source == {
        "direct": pytest.approx(expected.key_events["Direct"]),
        "organic_search": pytest.approx(expected.key_events["Organic Search"]),
        "paid_social": 0,
        "organic_social": 0,
        "referral": 0,
        "other": 0,  # Paid Other, Cross-network, Unassigned
    }


def test_cost_per_qualified_interaction_by_source(
    capsys: pytest.CaptureFixture[str], teefusion: Path, expected: Expected
) -> None:
    spend = sum(expected.spend.values())
    (total,) = _kpi(capsys, teefusion, "cost_per_qualified_interaction", "--compare", "none")
    assert total["value"] == pytest.approx(spend / 24)  # 1,385.22 INR
    rows = _kpi(capsys, teefusion, "cost_per_qualified_interaction", "--by", "source")
    got = {r["source"]: (r["value"], r["numerator"], r["denominator"]) for r in rows}
    # All the spend is Meta's, paid social, which GA4 credits with no key event: no value.
    assert got["paid_social"][0] is None
    assert got["paid_social"][1:] == (pytest.approx(spend), 0)
    assert got["direct"] == (0, 0, pytest.approx(22))
    assert got["organic_search"] == (0, 0, pytest.approx(2))


def test_platform_purchases_from_the_python_api(teefusion: Path, expected: Expected) -> None:
    with Workspace.open(teefusion) as ws:
        frame = ws.kpi(
            ["platform_purchases", "cost_per_platform_purchase"],
            start="2025-02-01",
            end="2025-08-04",
            by="campaign",
            compare="none",
        )
        purchases = frame[frame["kpi"] == "platform_purchases"]
        got = dict(zip(purchases["campaign"], purchases["value"], strict=True))
        assert got == {c: pytest.approx(n) for c, n in expected.purchases.items()}
        total = ws.kpi(
            "cost_per_platform_purchase", start="2025-02-01", end="2025-08-04", compare="none"
        )
        assert total["value"].tolist() == [pytest.approx(33245.34 / 3437)]  # 9.67 INR


def test_roi_shows_meta_purchases_beside_cadrans_figures(
    capsys: pytest.CaptureFixture[str], teefusion: Path, expected: Expected
) -> None:
    code, out, err = cadran(capsys, "-w", str(teefusion), "roi", *SPAN, "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    actions = {a["campaign"]: a for a in data["actions"]}
    for campaign, spend in expected.spend.items():
        action = actions[campaign]
        assert action["cost"] == pytest.approx(spend)
        assert action["platform_purchases"] == pytest.approx(expected.purchases[campaign])
        # Cadran has no orders for them: Meta's purchases do not make a verdict.
        assert action["orders"] == 0 and action["verdict"] == "too small to say"
    total = actions["(total)"]
    assert total["cost"] == pytest.approx(33245.34)
    assert total["platform_purchases"] == 3437
    assert total["qualified_interactions"] == pytest.approx(24)
    assert any("24 qualified interactions come from GA4" in w for w in data["warnings"])
    code, out, _ = cadran(capsys, "-w", str(teefusion), "roi", *SPAN)
    assert code == 0
    # 3,262: the purchases of Traffic_Website Visit_28/06/25
    assert "Platform" in out and "purch." in out and "3,262" in out
    with Workspace.open(teefusion) as ws:
        frame = roi(ws, start="2025-02-01", end="2025-08-04", by="channel").set_index("channel")
        assert frame.loc["paid_social", "cost"] == pytest.approx(33245.34)
        assert frame.loc["paid_social", "platform_purchases"] == pytest.approx(3437)
        assert frame.loc["direct", "qualified_interactions"] == pytest.approx(22)


def test_rupees_in_a_euro_workspace_are_refused(
    capsys: pytest.CaptureFixture[str], real_data: Path, tmp_path: Path
) -> None:
    root = tmp_path / "eur"
    assert main(["init", str(root), "--currency", "EUR"]) == 0
    assert main(["-w", str(root), "import", str(real_data / "meta_ads" / "TeeFusion")]) == 0
    capsys.readouterr()
    for command in (["kpi", "eval", "customer_acquisition_cost", *SPAN], ["roi", *SPAN]):
        code, out, err = cadran(capsys, "-w", str(root), *command)
        assert code == 1 and out == ""
        assert err.startswith(
            "error: mixed currencies: the workspace counts in EUR, but cost_daily has rows from "
        )
        assert "in another currency (2775 in INR)" in " ".join(err.split())
