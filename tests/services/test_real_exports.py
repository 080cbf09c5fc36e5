"""Every real export of ../shared/data/real through `cadran import`, and the platforms' own
figures reproduced by Cadran's KPIs on every row.

The table below says what must happen to each file: imported as which export type, or refused
for a documented reason. A file added to the folder without an entry here fails the test.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cadran.cli.main import main
from cadran.services.imports import FileReport
from cadran.services.workspace import Workspace

# Context a user gives when the files do not say it: the account, the year of dates written
# without one, the date of an audience snapshot.
OPTIONS = {
    "twitter/NPLFoundation_xls": {"account": "NPLFoundation"},
    "facebook/ADHO_audience": {"account": "ADHO", "as_of": "2020-06-01"},
    "instagram/amankharwal": {"account": "the.clever.programmer"},
    "linkedin/NPLFoundation": {"account": "NPLFoundation"},
    "youtube/CodingTrain_geography_2021": {"account": "CodingTrain"},
    "youtube/SuuZ_per_video": {"account": "SuuZ"},
    "tiktok/BossZY27_en": {"account": "BossZY27", "year": 2025},
    "tiktok/francovelardez44_es": {"account": "francovelardez44", "year": 2025},
    "tiktok/DrSuavidade_pt": {"account": "DrSuavidade", "year": 2025},
}

REFUSED = {
    "twitter/EconomicsShiny/summary_tweet_activity.csv": "number in float form",
    "twitter/rOpenSci/twitter_metrics_monthly_rOpenSci.csv": "typed up by hand",
    "facebook/UCI_facebook_metrics_Moro2016/dataset_Facebook.csv": "cannot be placed in time",
    "instagram/amankharwal/Instagram.csv": "no publication date",
    "youtube/CodingTrain_geography_2021/Table data.csv": "does not state",
}

IMPORTED = {  # folder (or file) -> export types of its files
    "twitter/rOpenSci": {"x_tweets"},
    "twitter/LisaDeBruine": {"x_tweets", "x_daily"},
    "twitter/gerardtieng": {"x_tweets"},
    "twitter/EconomicsShiny": {"x_tweets"},
    "twitter/vayno_pt": {"x_tweets"},
    "twitter/NPLFoundation_xls": {"x_daily"},
    "twitter/tom_doerr_new_X_format": {"x_posts_2024"},
    "facebook/VisualizationStudioVIC": {"facebook_posts", "facebook_page_daily"},
    "facebook/NPLFoundation": {"facebook_posts", "facebook_post_stories", "facebook_post_clicks"},
    "facebook/ADHO_audience": {
        "facebook_audience_age_gender",
        "facebook_audience_country",
        "facebook_audience_city",
    },
    "meta_ads/TeeFusion": {"meta_ads_campaigns", "meta_ads_breakdown"},
    "instagram/amankharwal": {"instagram_posts"},
    "linkedin/NPLFoundation": {
        "linkedin_visitors_daily",
        "linkedin_updates_daily",
        "linkedin_updates",
    },
    "youtube/CodingTrain_geography_2021": {"youtube_views_daily", "youtube_geography_daily"},
    "youtube/SuuZ_per_video": {"youtube_videos"},
    "tiktok/BossZY27_en": {"tiktok_overview"},
    "tiktok/francovelardez44_es": {"tiktok_overview"},
    "tiktok/DrSuavidade_pt": {"tiktok_overview"},
    "ga4/JoelHanson_blog": {"ga4_report"},
    "ga4/TeeFusion_shop": {"ga4_report"},
}


def real_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and not p.relative_to(root).parts[0].startswith("sentiment_")
        and p.name != "PROVENANCE.md"
    )


@pytest.fixture(scope="module")
def imported(
    real_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Workspace, dict[str, FileReport]]]:
    ws = Workspace.init(tmp_path_factory.mktemp("real") / "ws", timezone="UTC")
    reports: dict[str, FileReport] = {}
    for path in real_files(real_data):
        rel = path.relative_to(real_data).as_posix()
        folder = rel.rsplit("/", 1)[0]
        (report,) = ws.import_files(path, **OPTIONS.get(folder, {}))
        reports[rel] = report
    yield ws, reports
    ws.close()


def test_every_real_file_imports_or_is_refused_for_a_documented_reason(
    real_data: Path, imported: tuple[Workspace, dict[str, FileReport]]
) -> None:
    _, reports = imported
    assert len(reports) == 86
    statuses = {"imported": 0, "refused": 0}
    for rel, report in reports.items():
        folder = rel.rsplit("/", 1)[0]
        if rel in REFUSED:
            assert report.status == "refused", (rel, report.message)
            assert REFUSED[rel] in (report.message or ""), (rel, report.message)
        else:
            assert report.status == "imported", (rel, report.status, report.message)
            types = {t.export_type for t in report.tables if t.note is None}
            assert types <= IMPORTED[folder], (rel, types)
            assert sum(t.inserted + t.updated + t.unchanged for t in report.tables) > 0, rel
        statuses[report.status] += 1
    assert statuses == {"imported": 81, "refused": 5}


def test_importing_everything_again_changes_nothing(
    real_data: Path, imported: tuple[Workspace, dict[str, FileReport]]
) -> None:
    ws, reports = imported
    before = ws.warehouse.row_counts()
    rel = "twitter/LisaDeBruine/tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv"
    (again,) = ws.import_files(real_data / rel)
    assert again.status == "unchanged"
    assert f"batch {reports[rel].batch_id}" in (again.message or "")
    assert ws.warehouse.row_counts() == before


def test_the_totals_rows_are_not_data(imported: tuple[Workspace, dict[str, FileReport]]) -> None:
    ws, reports = imported
    wh = ws.warehouse
    # Meta Ads: one total row per file is skipped; campaigns never have an empty name.
    skipped = [
        t.skipped for rel, r in reports.items() if rel.startswith("meta_ads/") for t in r.tables
    ]
    assert skipped == [{"the account total row": 1}] * 3
    assert wh.scalar("SELECT count(*) FROM ad_insight WHERE breakdown = 'none'") == 15
    # YouTube per-video table: 25 rows, the Total row is not a video.
    assert wh.scalar("SELECT count(*) FROM post WHERE platform = 'youtube'") == 24
    assert wh.scalar("SELECT count(*) FROM post WHERE native_id = 'Total'") == 0


def test_reach_is_never_summed(imported: tuple[Workspace, dict[str, FileReport]]) -> None:
    ws, _ = imported
    # Campaign reaches sum to 662,973 but the account total says 635,040: across campaigns
    # reach has no value; impressions and spend add up.
    frame = ws.kpi(["ad_frequency", "ad_cost_per_link_click"], period="2025", compare="none")
    assert frame.set_index("kpi").loc["ad_frequency", "value"] is None or pd.isna(
        frame.set_index("kpi").loc["ad_frequency", "value"]
    )
    cpc = frame.set_index("kpi").loc["ad_cost_per_link_click"]
    assert cpc["numerator"] == pytest.approx(33245.34, abs=0.01)  # the total row's spend
    assert cpc["denominator"] == 39581  # and link clicks


def test_daily_and_per_post_figures_are_kept_apart(
    imported: tuple[Workspace, dict[str, FileReport]],
) -> None:
    ws, _ = imported
    frame = ws.kpi(
        ["account_engagement_rate", "engagement_rate"],
        period="2021-08",
        platform="x",
        by="account",
        compare="none",
    )
    lisa = frame[frame["account"].str.contains("LisaDeBruine")].set_index("kpi")
    assert lisa.loc["account_engagement_rate", "denominator"] == 1_639_423  # daily export
    assert lisa.loc["engagement_rate", "denominator"] == 1_625_538  # tweets of the month


# -- the platforms' own figures, row by row ---------------------------------------------------
def _check(frame: pd.DataFrame, native: pd.DataFrame, on: list[str], scale: float) -> int:
    merged = frame.merge(native, on=on, how="inner", validate="one_to_one")
    assert len(merged) == len(native), "every row with a native figure has a KPI value"
    diff = (merged["value"] - merged["native"] * scale).abs()
    tolerance = 1e-6 * scale + 1e-6 * merged["native"].abs() * scale
    bad = merged[diff > tolerance]
    assert bad.empty, bad.head()
    return len(merged)


def test_x_and_linkedin_engagement_rates_are_reproduced_on_every_post(
    imported: tuple[Workspace, dict[str, FileReport]],
) -> None:
    ws, _ = imported
    native = ws.warehouse.frame(
        "SELECT platform || ':' || native_id AS post, engagement_rate_native AS native FROM post "
        "WHERE engagement_rate_native IS NOT NULL AND impressions > 0"
    )
    frame = ws.kpi(
        "engagement_rate", start="2016-01-01", end="2022-12-31", by="post", compare="none"
    )
    checked = _check(frame[["post", "value"]], native, ["post"], 100)
    assert checked > 5_900  # X per-tweet exports (en and pt) and LinkedIn updates


def test_linkedin_click_through_rate_is_reproduced_on_every_post(
    imported: tuple[Workspace, dict[str, FileReport]],
) -> None:
    ws, _ = imported
    native = ws.warehouse.frame(
        "SELECT platform || ':' || native_id AS post, ctr_native AS native FROM post "
        "WHERE ctr_native IS NOT NULL"
    )
    frame = ws.kpi("click_through_rate", period="2020", by="post", compare="none")
    assert _check(frame[["post", "value"]], native, ["post"], 100) == 10


def test_daily_engagement_rates_are_reproduced_on_every_day(
    imported: tuple[Workspace, dict[str, FileReport]],
) -> None:
    ws, _ = imported
    native = ws.warehouse.frame(
        "SELECT a.platform || ':' || a.handle AS account, CAST(d.day AS VARCHAR) AS period_start, "
        "d.engagement_rate_native AS native FROM account_daily d JOIN account a USING (account_id) "
        "WHERE d.engagement_rate_native IS NOT NULL AND d.impressions > 0"
    )
    frame = ws.kpi(
        "account_engagement_rate",
        start="2020-01-01",
        end="2021-12-31",
        grain="day",
        by="account",
        compare="none",
    )
    frame["period_start"] = frame["period_start"].astype(str)
    checked = _check(
        frame[["account", "period_start", "value"]], native, ["account", "period_start"], 100
    )
    assert checked > 400  # LisaDeBruine 2021, NPLF X 2020, NPLF LinkedIn 2020


@pytest.mark.parametrize(
    ("kpi", "column", "scale"),
    [
        ("ad_frequency", "frequency_native", 1),
        ("ad_click_through_rate", "ctr_native", 100),
        ("ad_cost_per_link_click", "cpc_native", 1),
        ("ad_cost_per_click", "cpc_all_native", 1),
        ("ad_segment_frequency", "frequency_native", 1),
        ("ad_segment_click_through_rate", "ctr_native", 100),
        ("ad_segment_cost_per_link_click", "cpc_native", 1),
    ],
)
def test_meta_ads_figures_are_reproduced_on_every_campaign_age_and_gender_row(
    imported: tuple[Workspace, dict[str, FileReport]], kpi: str, column: str, scale: float
) -> None:
    ws, _ = imported
    # Whole campaigns, or (for the segment KPIs, which break down by segment) age and gender.
    view, keys = (
        ("ad_segment", ["campaign", "segment"])
        if "segment" in kpi
        else (
            "ad_campaign",
            ["campaign"],
        )
    )
    native = ws.warehouse.frame(
        f"SELECT c.name AS campaign, a.segment, a.{column} AS native FROM {view} a "
        f"JOIN campaign c USING (campaign_id) WHERE a.{column} IS NOT NULL"
    )[[*keys, "native"]]
    frame = ws.kpi(kpi, period="2025", by="campaign", compare="none")
    assert _check(frame[[*keys, "value"]], native, keys, scale) == len(native) > 10


# -- the CLI over imported data ---------------------------------------------------------------
def test_kpi_eval_gives_the_monthly_engagement_rate_of_the_files(
    real_data: Path,
    imported: tuple[Workspace, dict[str, FileReport]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    ws, _ = imported
    expected: dict[str, tuple[float, float]] = {}
    for path in sorted((real_data / "twitter" / "rOpenSci").glob("tweet_activity_*2021*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                month = row["time"][:7]
                e, i = expected.get(month, (0.0, 0.0))
                expected[month] = (e + float(row["engagements"]), i + float(row["impressions"]))
    code = main(
        [
            "-w",
            str(ws.folder.root),
            "kpi",
            "eval",
            "engagement_rate",
            "--period",
            "2021",
            "--grain",
            "month",
            "--platform",
            "x",
            "--by",
            "account",
            "--format",
            "json",
        ]
    )
    assert code == 0
    import json

    rows = [r for r in json.loads(capsys.readouterr().out) if "rOpenSci" in r["account"]]
    got = {r["period_start"][:7]: r["value"] for r in rows if r["value"] is not None}
    assert "2021-05" not in got  # the May export is missing from the source: no value, not 0
    assert set(got) == set(expected) and len(got) == 11
    for month, (e, i) in expected.items():
        assert got[month] == pytest.approx(e / i * 100, rel=1e-9), month
