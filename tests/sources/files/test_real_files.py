"""Every real export under shared/data/real reads, with the facts PROVENANCE.md documents.

The sentiment corpora are not exports and are left to the text-analysis tests.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from cadran.sources.files import Table, read_tables

_METRICS = [
    "impressions",
    "engagements",
    "engagement rate",
    "retweets",
    "replies",
    "likes",
    "user profile clicks",
    "url clicks",
    "hashtag clicks",
    "detail expands",
    "permalink clicks",
    "app opens",
    "app installs",
    "follows",
    "email tweet",
    "dial phone",
    "media views",
    "media engagements",
]
TWEET_HEADER = (
    "Tweet id",
    "Tweet permalink",
    "Tweet text",
    "time",
    *_METRICS,
    *(f"promoted {name}" for name in _METRICS),
)

VIC = "facebook/VisualizationStudioVIC/Facebook Insights Data Export"
VIC_PAGE_2014 = f"{VIC} - Visualization Studio VIC - 2014-01-01 - 2014-02-27.csv"
VIC_PAGE_2015 = f"{VIC} - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv"
VIC_POSTS = f"{VIC} (Post Level) - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv"
ROPENSCI_2021_01 = "twitter/rOpenSci/tweet_activity_metrics_rOpenSci_20210101_20210201_en.csv"
VAYNO_PT = "twitter/vayno_pt/tweet_activity_metrics_vayno_20220312_20220409_pt.csv"
NEW_X = "twitter/tom_doerr_new_X_format/account_analytics_content_2024-11-06_2025-02-04.csv"
META_REACH = "meta_ads/TeeFusion/Untitled-report-Feb-1-2025-to-Aug-4-2025_Reach.csv"

# Tables whose header is followed by a description row, which PROVENANCE's counts leave out.
DESCRIBED = {"Key Metrics", "Update Engagement", "Update engagement", "Update metrics (aggregated)"}


def exports(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.name != "PROVENANCE.md"
        and not path.relative_to(root).parts[0].startswith("sentiment_")
    )


def listing(root: Path) -> dict[str, tuple[str, str]]:
    """PROVENANCE.md's per-file table: relative path → (data rows, sha256 prefix)."""
    entries: dict[str, tuple[str, str]] = {}
    folder = ""
    for line in (root / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"\*\*`([^`]+)/`\*\*", line):
            folder = heading.group(1)
        elif row := re.match(r"\| `([^`]+)` \|.*\| ([^|]+) \|[^|]+\| `([0-9a-f]{12})` \|$", line):
            entries[f"{folder}/{row.group(1)}"] = (row.group(2).strip(), row.group(3))
    return entries


def data_rows(table: Table, folder: str) -> int:
    """Rows after the header (and description), not counting trailing lines of bare commas."""
    described = table.sheet in DESCRIBED or folder == "VisualizationStudioVIC"
    rows = list(table.rows)
    while rows and not any(rows[-1]):
        rows.pop()
    return len(rows) - 1 - described


def read(root: Path, relative: str) -> list[Table]:
    return read_tables(root / relative)


def test_every_export_reads_as_documented(real_data: Path) -> None:
    files = exports(real_data)
    documented = listing(real_data)
    assert len(files) == 86
    for path in files:
        relative = path.relative_to(real_data).as_posix()
        rows, digest = documented[relative]
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:12] == digest, relative
        tables = read_tables(path)
        assert all(t.complete and t.path == path and t.rows for t in tables), relative
        assert all(t.rows[0] and t.rows[0][0] is not None for t in tables), relative
        expected_container = {".csv": "csv", ".xlsx": "xlsx", ".xml": "spreadsheetml"}.get(
            path.suffix, "spreadsheetml" if "Facebook Posts" in path.name else "xls"
        )
        assert {t.container for t in tables} == {expected_container}, relative
        if path.name == "Reports_snapshot.csv":
            assert rows == "16 tables (931 lines)"
        elif expected_container == "csv":
            assert [data_rows(t, path.parent.name) for t in tables] == [int(rows)], relative
        else:
            counts = {t.sheet: data_rows(t, path.parent.name) for t in tables}
            if relative.startswith("twitter/NPLFoundation_xls"):
                # PROVENANCE's reader lost the first letter of these sheet names: 'PLF Twitter'.
                counts = {f"{name}"[1:]: count for name, count in counts.items()}
            assert "; ".join(f"{name}: {count}" for name, count in counts.items()) == rows


def test_twitter_per_tweet_exports(real_data: Path) -> None:
    english = [
        p for p in exports(real_data) if re.match(r"tweet_activity_metrics_.*_en\.csv", p.name)
    ]
    assert len(english) == 25
    for path in english:
        (table,) = read_tables(path)
        assert table.rows[0] == tuple(TWEET_HEADER), path.name
        assert all(row[22] == "-" for row in table.rows[1:]), path.name  # promoted: "-"
    (table,) = read(real_data, ROPENSCI_2021_01)
    tweet = table.rows[1]
    assert tweet[:2] == (
        "1355289625150033927",
        "https://twitter.com/rOpenSci/status/1355289625150033927",
    )
    assert "&amp;" in tweet[2] and "\n\nRead and subscribe" in tweet[2]  # type: ignore[operator]
    assert tweet[3:7] == ("2021-01-29 23:00 +0000", "4980.0", "75.0", "0.015060240963855422")


def test_twitter_other_exports(real_data: Path) -> None:
    (summary,) = read(real_data, "twitter/EconomicsShiny/summary_tweet_activity.csv")
    assert summary.rows[1][0] == "1.47689E+18"  # the id Excel turned into a float, kept as text
    (portuguese,) = read(real_data, VAYNO_PT)
    assert portuguese.rows[0][:4] == (
        "id do Tweet",
        "link permanente do Tweet",
        "texto do Tweet",
        "horário",
    )
    assert "cliques em hashtags:" in portuguese.rows[0]
    (new_x,) = read(real_data, NEW_X)
    assert new_x.rows[0][:5] == ("Post id", "Date", "Post text", "Link", "Impressions")
    assert new_x.rows[1][1] == "Mon Feb 03 2025"
    (monthly,) = read(real_data, "twitter/rOpenSci/twitter_metrics_monthly_rOpenSci.csv")
    assert monthly.rows[2][:4] == ("2021-01-03", "2021-01-03", "Nov", "NA")


def test_twitter_xls_workbooks(real_data: Path) -> None:
    q1 = read(real_data, "twitter/NPLFoundation_xls/NPLF Twitter Q1.xls")
    assert [t.sheet for t in q1] == ["NPLF Twitter April", "NPLF Twitter May", "NPLF Twitter June"]
    april = q1[0]
    assert april.rows[0][:7] == (
        "Date",
        "Tweets published",
        "impressions",
        "engagements",
        "engagement rate",
        "retweets",
        "replies",
    )
    assert len(april.rows[0]) == 38
    assert april.rows[1][0] == "2020-04-01"  # a typed date cell (serial 43922)
    assert q1[1].rows[1][:5] == ("2020-05-01", "0", "603", "10", "0.0165837479270315")
    assert april.where == "NPLF Twitter Q1.xls, sheet 'NPLF Twitter April'"
    q2 = read(real_data, "twitter/NPLFoundation_xls/NPLF Twitter Q2.xls")
    assert [t.sheet for t in q2][2] == "NPLF Twitter September"
    assert len(q2[2].rows) == 25  # September has only 24 days


def test_facebook_audience(real_data: Path) -> None:
    (gender,) = read(real_data, "facebook/ADHO_audience/Facebook_likes_gender_age.csv")
    assert gender.encoding == "utf-16"
    assert gender.rows[:2] == (("Age", "Women", "Men"), ("18-24", "1.8%", "2%"))
    (city,) = read(real_data, "facebook/ADHO_audience/Facebook_likes_city.csv")
    assert city.encoding == "utf-8"
    assert city.rows[:2] == (
        ("Città principali", "Valore", " iso_alpha"),
        ("Città del Messico, Messico", "2,1%", "MX"),
    )
    assert city.rows[-1] == ("Istanbul, Provincia di Istanbul, Turchia", "0,8%")  # ragged
    (country,) = read(real_data, "facebook/ADHO_audience/Facebook_likes_country.csv")
    assert country.rows[:2] == (
        ("Paesi principali", "Value", "iso_alpha"),
        ("Stati Uniti", "16.6%", "US"),
    )


def test_facebook_page_insights_csv(real_data: Path) -> None:
    (page_2014,) = read(real_data, VIC_PAGE_2014)
    assert page_2014.encoding == "cp1252"
    assert len(page_2014.rows[0]) == 644
    assert "Lifetime Likes by City - Barcelona, Cataluña, Spain" in page_2014.rows[0]
    (page_2015,) = read(real_data, VIC_PAGE_2015)
    assert (page_2015.encoding, len(page_2015.rows[0])) == ("utf-8", 2681)
    assert page_2015.rows[2][:2] == ("8/19/2015", "771")
    (posts,) = read(real_data, VIC_POSTS)
    assert posts.encoding == "utf-8-sig"
    header, description, first = posts.rows[:3]
    assert header[:4] == ("Post ID", "Permalink", "Post Message", "Type")
    assert len(header) == 95
    assert header.count("Lifetime Organic views to 95%") == 2
    assert description[:8] == (None,) * 8  # the description row is blank under identifiers
    assert description[8] == (
        "Lifetime: The total number of people your Page post was served to. (Unique Users)"
    )
    assert first[6:8] == ("02/14/2016 12:40:16 AM", " ")  # Audience Targeting is one space


def test_facebook_spreadsheetml(real_data: Path) -> None:
    names = [
        "Key Metrics",
        "Lifetime Talking About This(...",
        "Lifetime Post Stories by act...",
        "Lifetime Post Consumers by type",
        "Lifetime Post Consumptions b...",
        "Lifetime Negative Feedback f...",
        "Lifetime Negative Feedback",
    ]
    for name in ("Facebook Posts Q1.xml", "Facebook Posts Q2.xls"):
        tables = read(real_data, f"facebook/NPLFoundation/{name}")
        assert [t.sheet for t in tables] == names
        assert {t.container for t in tables} == {"spreadsheetml"}
        key = tables[0]
        assert len(key.rows[0]) == 34
        assert key.rows[0][:9] == (
            "Post ID",
            "Permalink",
            "Post Message",
            "Type",
            "Countries",
            "Languages",
            "Posted",
            "Audience Targeting",
            "Lifetime Post Total Reach",
        )
        assert key.rows[1][0] is None and key.rows[1][8].startswith("Lifetime: ")  # type: ignore[union-attr]
        assert re.fullmatch(r"2020-\d\d-\d\dT\d\d:\d\d:\d\d", key.rows[2][6] or "")
        assert tables[1].rows[0][:2] == ("Description", "Post ID")
    q2 = read(real_data, "facebook/NPLFoundation/Facebook Posts Q2.xls")[0]
    assert q2.rows[2][:2] == (
        "97150433029_10157586960253030",
        "https://www.facebook.com/NPLFoundation/posts/10157586960253030",
    )
    assert q2.rows[2][6] == "2020-09-22T07:07:36"
    assert q2.rows[2][8] == "640"


def test_facebook_uci_dataset_keeps_blanks(real_data: Path) -> None:
    (table,) = read(real_data, "facebook/UCI_facebook_metrics_Moro2016/dataset_Facebook.csv")
    header = table.rows[0]
    like, share = header.index("like"), header.index("share")
    blanks = [row for row in table.rows[1:] if row[like] is None or row[share] is None]
    assert len(blanks) == 4


def test_meta_ads(real_data: Path) -> None:
    (reach,) = read(real_data, META_REACH)
    assert reach.encoding == "utf-8-sig"
    assert reach.rows[0][:3] == ("Campaign name", "Reach", "Impressions")
    assert reach.rows[1][:3] == (None, "635040", "878306")  # the account total row


def test_instagram(real_data: Path) -> None:
    (old,) = read(real_data, "instagram/amankharwal/Instagram.csv")
    assert old.encoding == "cp1252"
    assert old.rows[0][0] == "Impressions"
    assert "#finance\xa0#money" in (old.rows[1][12] or "")  # 0xA0 between hashtags
    assert old.rows[-1] == (None,) * 13  # a trailing line of bare commas
    (new,) = read(real_data, "instagram/amankharwal/Instagram data.csv")
    assert new.encoding == "utf-8"
    assert new.rows[0][12] == "Conversion Rate"


def test_linkedin(real_data: Path) -> None:
    q1 = read(real_data, "linkedin/NPLFoundation/NPLF LinkedIn Q1.xls")
    assert [t.sheet for t in q1] == [
        "Visitor metrics",
        "Location",
        "Job function",
        "Seniority",
        "Industry",
        "Company size",
        "Update metrics (aggregated)",
        "Update Engagement",
    ]
    engagement = q1[-1]
    assert engagement.rows[0] == (
        "Engagement metrics for individual updates. Created date "
        "indicates when your update was created. All dates and times "
        "are in UTC.",
    )
    assert engagement.rows[1][:6] == (
        "Update title",
        "Update link",
        "Update type",
        "Campaign name",
        "Posted by",
        "Created date",
    )
    assert engagement.rows[2][5] == "44008"  # Created date is a plain number, not a date cell
    assert engagement.rows[2][-1] == "0.030612245"
    assert q1[0].rows[1][:2] == ("04/01/2020", "0")  # Date is text
    q2 = read(real_data, "linkedin/NPLFoundation/NPLF LinkedIn Q2.xls")
    assert q2[-1].sheet == "Update engagement"
    assert q2[-1].rows == q2[-2].rows  # the admin pasted the aggregated table twice


def test_tiktok(real_data: Path) -> None:
    (csv_table,) = read(real_data, "tiktok/BossZY27_en/Overview.csv")
    (xlsx_table,) = read(real_data, "tiktok/BossZY27_en/Overview.xlsx")
    assert csv_table.encoding == "utf-8-sig"
    assert xlsx_table.sheet == "Overview"
    assert xlsx_table.rows == csv_table.rows  # numbers stored as text come out the same
    assert csv_table.rows[1] == ("April 12", "1591", "7", "10", "1", "0")
    (spanish,) = read(real_data, "tiktok/francovelardez44_es/Overview.csv")
    assert spanish.rows[1][0] == "8 de marzo"


def test_ga4_reports_snapshot(real_data: Path) -> None:
    tables = read(real_data, "ga4/JoelHanson_blog/Reports_snapshot.csv")
    assert len(tables) == 16
    assert [t.sheet for t in tables[:2]] == ["table 1", "table 2"]
    first = tables[0]
    assert first.comments[:2] == ("----------------------------------------", "Reports snapshot")
    assert first.comments[-2:] == ("Start date: 20250101", "End date: 20251231")
    assert (first.first_row, first.rows[:2]) == (9, (("Nth week", "Active users"), ("0000", "13")))
    retention = tables[9]
    assert retention.comments[0] == "How well do you retain your users?"
    assert len(retention.rows[0]) == 7
    assert {len(row) for row in retention.rows[1:]} == {4}
    assert tables[-1].rows == (("Platform", "Key events"),)  # a header without rows


def test_ga4_standard_downloads(real_data: Path) -> None:
    for path in sorted((real_data / "ga4" / "TeeFusion_shop").glob("*.csv")):
        (table,) = read_tables(path)
        assert table.sheet is None
        assert len(table.comments) == 9
        assert table.comments[0] == "----------------------------------------"
        assert table.comments[5] == ""
        assert table.first_row == 10
    (events,) = read(real_data, "ga4/TeeFusion_shop/Events_Event_name.csv")
    assert events.comments[1] == "Events: Event name"
    assert events.rows[0] == (
        "Event name",
        "Event count",
        "Total users",
        "Event count per active user",
        "Total revenue",
    )


def test_youtube(real_data: Path) -> None:
    (chart,) = read(real_data, "youtube/CodingTrain_geography_2021/Chart data.csv")
    assert chart.rows[0] == ("Date", "Geography", "Views")
    assert len(chart.rows) == 73_365 + 1
    (table,) = read(real_data, "youtube/CodingTrain_geography_2021/Table data.csv")
    assert table.rows[1] == ("Total", "15503810", "0:04:34", "1183689.3666")
    (videos,) = read(real_data, "youtube/SuuZ_per_video/Table data.csv")
    assert videos.rows[1][:4] == ("Total", None, None, None)
    assert videos.rows[2][2] == "Apr 29, 2020"


@pytest.mark.parametrize(
    "relative",
    [
        "youtube/CodingTrain_geography_2021/Chart data.csv",
        "twitter/LisaDeBruine/tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv",
        "meta_ads/TeeFusion/Untitled-report-Feb-1-2025-to-Aug-4-2025_Age.csv",
        "ga4/TeeFusion_shop/Landing_page_Landing_page.csv",
        "twitter/EconomicsShiny/summary_tweet_activity.csv",  # CRLF and LF mixed
        VIC_POSTS,  # BOM, description row, 95 columns
    ],
)
def test_fast_path_matches_on_real_files(real_data: Path, relative: str) -> None:
    path = real_data / relative
    (whole,) = read_tables(path)
    (head,) = read_tables(path, head_limit=50, large_bytes=1000)
    assert not head.complete
    assert head.rows == whole.rows[:50]
    width = len(whole.rows[0])
    con = duckdb.connect()
    start = whole.first_row + 1
    assert whole.load(con, "whole", start, width) == head.load(con, "head", start, width)
    differences = con.execute(
        "SELECT count(*) FROM (SELECT * FROM whole EXCEPT ALL SELECT * FROM head)"
    ).fetchone()
    assert differences == (0,)
    assert con.execute("SELECT count(*) FROM head").fetchone() == (len(whole.rows) - 1,)
