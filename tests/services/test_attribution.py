"""Attribution through the workspace: the SQL path against the pure reference, hand-worked
Markov credits, invariants, KPIs evaluated under a model, and bad input."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from cadran.core.attribution import Journey, parse_models
from cadran.core.attribution import attribute as reference
from cadran.core.errors import DataError, DefinitionError, UsageError
from cadran.services.attribution import attribute, attribution, attribution_report
from cadran.services.conversion_settings import conversion_settings
from cadran.services.workspace import Workspace

CHANNELS = ("organic_social", "paid_social", "organic_search", "email", "direct")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _customers(ws: Workspace, paths: dict[str, list[tuple[str, str]]], bought: str) -> None:
    """Customers ``C<i>`` converting at ``bought``, each with one order of 100 and the
    touchpoints of ``paths`` (name -> [(channel, when)])."""
    ws.add(
        "customers",
        [{"native_id": name, "acquired_at": bought, "source": "direct"} for name in paths],
    )
    ws.add(
        "revenue",
        [
            {
                "native_id": f"O-{name}",
                "customer": name,
                "occurred_at": bought,
                "amount": 100,
                "source": "direct",
            }
            for name in paths
        ],
    )
    touches = [
        {"native_id": f"T-{name}-{i}", "occurred_at": when, "customer": name, "channel": channel}
        for name, steps in paths.items()
        for i, (channel, when) in enumerate(steps)
    ]
    if touches:
        ws.add("touchpoints", touches)


def test_seed_002_cac_and_roi_through_the_public_api(workspace: Workspace) -> None:
    # Seed 002: CAC = 5,000 $ / 100 new customers = 50; ROI = (10,000 - 2,000) / 2,000 = 4.
    workspace.add(
        "costs",
        [{"native_id": "ADS-03", "period_start": "2026-03-01", "period_end": "2026-03-31",
          "category": "ads", "platform": "instagram", "amount": 5000}],
    )  # fmt: skip
    workspace.add(
        "customers",
        [
            {"native_id": f"C{i}", "acquired_at": "2026-03-15T10:00:00", "source": "paid_social"}
            for i in range(100)
        ],
    )
    cac = workspace.kpi("customer_acquisition_cost", period="2026-03", compare="none")
    assert cac["value"].tolist() == [pytest.approx(50.0)]

    workspace.add(
        "costs",
        [{"native_id": "ADS-04", "period_start": "2026-04-01", "period_end": "2026-04-30",
          "category": "ads", "amount": 2000}],
    )  # fmt: skip
    workspace.add(
        "revenue",
        [{"native_id": "O-1", "occurred_at": "2026-04-10T12:00:00", "amount": 10000,
          "source": "organic_social"}],
    )  # fmt: skip
    roi = workspace.kpi("social_media_roi", period="2026-04", compare="none")
    assert roi["value"].tolist() == [pytest.approx(4.0)]


def _random_journeys(ws: Workspace, seed: int) -> dict[str, list[tuple[str, float]]]:
    """Customers converting on 2026-03-20 at noon, with 1-5 touches over the 60 days before;
    returns name -> [(channel, age in days)] in chronological order."""
    rng = random.Random(seed)
    bought = datetime(2026, 3, 20, 12, 0)
    out: dict[str, list[tuple[str, float]]] = {}
    paths: dict[str, list[tuple[str, str]]] = {}
    for i in range(40):
        ages = sorted(
            (rng.randrange(0, 60 * 24 * 60) / (24 * 60) for _ in range(rng.randint(1, 5))),
            reverse=True,
        )
        steps = [(rng.choice(CHANNELS), age) for age in ages]
        out[f"C{i}"] = steps
        paths[f"C{i}"] = [
            (c, (bought - timedelta(days=a)).isoformat(timespec="seconds")) for c, a in steps
        ]
    _customers(ws, paths, bought.isoformat())
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_sql_credits_equal_the_reference_for_every_model(workspace: Workspace, seed: int) -> None:
    journeys = _random_journeys(workspace, seed)
    models = parse_models("all")
    run = attribute(workspace, "orders", *MARCH, models)
    assert run.conversions == 40 and run.recorded == 0
    for model in models:
        expected = reference(
            [
                Journey(tuple(c for c, _ in s), tuple(a for _, a in s), 1.0, 100.0)
                for s in journeys.values()
            ],
            model,
        )
        part = run.credits[run.credits["model"] == model.name]
        got = part.groupby("channel")["credit"].sum().to_dict()
        value = (part["credit"] * part["value"]).groupby(part["channel"]).sum().to_dict()
        for channel, credit in expected.items():
            assert got.get(channel, 0.0) == pytest.approx(credit.conversions, abs=1e-9), model
            assert value.get(channel, 0.0) == pytest.approx(credit.value, abs=1e-6), model
        # Every model shares out exactly the conversions and the revenue.
        assert part["credit"].sum() == pytest.approx(40)
        assert (part["credit"] * part["value"]).sum() == pytest.approx(4000)


def test_markov_credits_worked_by_hand(workspace: Workspace) -> None:
    # Paths: A>B converts, A>C does not, C converts (channels email, direct, organic_search).
    # P(conv) = 1/2 * 1 + 1/2 * (1/2) ... worked in tests/core/test_markov.py: P = 2/3,
    # removal effects A 3/4, B 1/2, C 1/2, shares 3/7, 2/7, 2/7 of 2 conversions.
    a, b, c = "email", "direct", "organic_search"
    _customers(
        workspace,
        {
            "K1": [(a, "2026-03-01T10:00:00"), (b, "2026-03-02T10:00:00")],
            "K3": [(c, "2026-03-02T10:00:00")],
        },
        "2026-03-10T10:00:00",
    )
    workspace.add(
        "leads", [{"native_id": "L2", "created_at": "2026-03-05T10:00:00", "source": "direct"}]
    )
    workspace.add(
        "touchpoints",
        [
            {"native_id": "T-L2-a", "occurred_at": "2026-03-01T09:00:00", "lead": "L2",
             "channel": a},
            {"native_id": "T-L2-c", "occurred_at": "2026-03-02T09:00:00", "lead": "L2",
             "channel": c},
        ],
    )  # fmt: skip
    frame = attribution(workspace, period="2026-03", models="markov", conversions=["customers"])
    credits = dict(zip(frame["channel"], frame["conversions"], strict=True))
    assert credits == pytest.approx({a: 6 / 7, b: 4 / 7, c: 4 / 7}, abs=1e-12)
    effects = dict(zip(frame["channel"], frame["removal_effect"], strict=True))
    assert effects == pytest.approx({a: 3 / 4, b: 1 / 2, c: 1 / 2}, abs=1e-12)


def test_conversions_without_touchpoints_are_credited_to_their_record_with_a_warning(
    workspace: Workspace,
) -> None:
    _customers(workspace, {"C1": [("email", "2026-03-01T10:00:00")]}, "2026-03-05T10:00:00")
    workspace.add(
        "customers",
        [{"native_id": "C2", "acquired_at": "2026-03-06T10:00:00", "source": "paid_social",
          "platform": "tiktok"}],
    )  # fmt: skip
    frame, runs = attribution_report(
        workspace, period="2026-03", models="linear,markov", conversions=["customers"]
    )
    assert runs[0].recorded == 1
    assert runs[0].warnings == (
        "1 of 2 new customers had no touchpoint in the 90 days before them: they are credited "
        "to the source, platform and campaign recorded on them",
    )
    linear = frame[frame["model"] == "linear"]
    assert dict(zip(linear["channel"], linear["conversions"], strict=True)) == {
        "email": 1.0,
        "paid_social": 1.0,
    }
    for model in ("linear", "markov"):
        assert frame[frame["model"] == model]["conversions"].sum() == pytest.approx(2)


def test_touchpoints_outside_the_lookback_or_after_the_conversion_do_not_count(
    workspace: Workspace,
) -> None:
    _customers(
        workspace,
        {"C1": [("email", "2025-11-01T10:00:00"), ("direct", "2026-03-01T10:00:00"),
                ("organic_search", "2026-03-06T10:00:00")]},
        "2026-03-05T10:00:00",
    )  # fmt: skip
    frame = attribution(workspace, period="2026-03", models="linear", conversions=["customers"])
    assert frame[["channel", "conversions"]].values.tolist() == [["direct", 1.0]]


def test_a_kpi_under_a_model_reads_the_credited_touchpoints(workspace: Workspace) -> None:
    _customers(
        workspace,
        {"C1": [("organic_social", "2026-03-01T10:00:00"), ("email", "2026-03-03T10:00:00")]},
        "2026-03-05T10:00:00",
    )
    recorded = workspace.kpi("revenue_generated", period="2026-03", compare="none")
    assert recorded["value"].isna().all() or recorded["value"].tolist() == [0]  # direct: not social
    first = workspace.kpi("revenue_generated", period="2026-03", compare="none", model="first")
    assert first["value"].tolist() == [pytest.approx(100)]
    linear = workspace.kpi(
        "revenue_generated", period="2026-03", compare="none", model="linear", by="source"
    )
    assert dict(zip(linear["source"], linear["value"], strict=True)) == {"organic_social": 50}
    with pytest.raises(UsageError, match="credits do not know the channel that revenue_generated"):
        workspace.kpi("revenue_generated", period="2026-03", model="markov", by="platform")
    with pytest.raises(UsageError, match="one dimension at a time"):
        workspace.kpi(
            "revenue_generated", period="2026-03", model="markov", by=["source", "platform"]
        )


def test_mixed_currencies_are_refused(workspace: Workspace) -> None:
    _customers(workspace, {"C1": [("email", "2026-03-01T10:00:00")]}, "2026-03-05T10:00:00")
    workspace.add(
        "revenue",
        [{"native_id": "O-USD", "customer": "C1", "occurred_at": "2026-03-06T10:00:00",
          "amount": 50, "currency": "USD", "source": "email"}],
    )  # fmt: skip
    with pytest.raises(DataError, match=r"mixed currencies: the workspace counts in EUR.*1 in USD"):
        attribution(workspace, period="2026-03")


def test_negative_costs_are_refused_and_nothing_is_written(workspace: Workspace) -> None:
    with pytest.raises(
        DataError, match=r"row 2, field 'amount': -20 is not an amount of 0 or more"
    ):
        workspace.add(
            "costs",
            [
                {"native_id": "K1", "period_start": "2026-03-01", "period_end": "2026-03-31",
                 "category": "tools", "amount": 100},
                {"native_id": "K2", "period_start": "2026-03-01", "period_end": "2026-03-31",
                 "category": "tools", "amount": -20},
            ],
        )  # fmt: skip
    assert workspace.warehouse.scalar("SELECT count(*) FROM cost") == 0


def test_settings_problems_are_reported_together(workspace: Workspace) -> None:
    path = workspace.folder.config_path
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n[attribution]\nlookback_days = 0\nposition_based = [50, 20, 40]\n"
        "default_model = 'shapley'\n[roi]\nconfidence = 2\ncolour = 'red'\n",
        encoding="utf-8",
    )
    ws = Workspace.open(workspace.folder.root)
    try:
        with pytest.raises(DefinitionError) as caught:
            conversion_settings(ws)
    finally:
        ws.close()
    message = "\n".join(str(i) for i in caught.value.issues.errors)
    assert len(caught.value.issues.errors) == 5
    for part in ("lookback_days", "position_based", "unknown attribution model 'shapley'",
                 "confidence", "colour"):  # fmt: skip
        assert part in message
