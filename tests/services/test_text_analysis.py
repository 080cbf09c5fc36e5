"""``analyze``: sentiment, cues, business hours and post quality written to the workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadran.core.errors import DefinitionError
from cadran.services import text_analysis
from cadran.services.text_analysis import analyze, reply_times
from cadran.services.text_quality import quality_relation
from cadran.services.text_settings import text_settings
from cadran.services.workspace import Workspace
from cadran.store.folder import WorkspaceConfig


def _configure(ws: Workspace, **sections: dict[str, object]) -> Workspace:
    """Write [care] / [text] into cadran.toml and reopen the workspace."""
    config = ws.config
    text = WorkspaceConfig(
        config.name,
        config.timezone,
        config.currency,
        config.created,
        config.parameters,
        config.memory_limit,
        sections.get("care", {}),
        sections.get("text", {}),
    ).to_toml()
    ws.folder.config_path.write_text(text, encoding="utf-8")
    root = ws.folder.root
    ws.close()
    return Workspace.open(root)


def _messages(ws: Workspace) -> None:
    ws.add("accounts", [{"platform": "instagram", "handle": "brand"}])
    base = {"platform": "instagram", "account": "brand"}
    ws.add(
        "messages",
        [
            # Friday 18:30 Paris, answered Monday 09:10: 10 business minutes.
            {**base, "native_id": "m1", "channel": "public", "text": "Colis perdu et toujours pas de remboursement, inadmissible !",
             "created_at": "2026-03-06T17:30:00Z", "first_reply_at": "2026-03-09T08:10:00Z"},
            {**base, "native_id": "m2", "channel": "private", "text": "Vous livrez en Belgique ?",
             "created_at": "2026-03-09T09:00:00Z", "first_reply_at": "2026-03-09T09:30:00Z"},
            {**base, "native_id": "m3", "channel": "public", "text": "Magnifique 😍",
             "created_at": "2026-03-09T10:00:00Z"},
            # The platform flagged this one: Cadran must keep its flag and sentiment.
            {**base, "native_id": "m4", "channel": "public", "text": "I love it",
             "created_at": "2026-03-09T11:00:00Z", "is_complaint": True,
             "sentiment_label": "negative", "sentiment_score": -0.9},
            {**base, "native_id": "m5", "channel": "public", "text": "¿Dónde está mi pedido? Muy malo",
             "created_at": "2026-03-09T12:00:00Z"},
        ],
    )  # fmt: skip


def _row(ws: Workspace, native_id: str, columns: str) -> tuple:
    return ws.warehouse.rows(f"SELECT {columns} FROM message WHERE native_id = ?", [native_id])[0]


def test_messages_get_sentiment_cues_and_business_hours(workspace: Workspace) -> None:
    ws = _configure(
        workspace, care={"hours": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-18:00")}
    )
    _messages(ws)
    report = analyze(ws, workers=1)
    assert report.scored == {"message": 4, "mention": 0}  # m4's sentiment is the platform's
    label, cues, complaint, business, inside = _row(
        ws,
        "m1",
        "sentiment_label, complaint_cues, is_complaint, first_reply_business_hours, replied_in_business_hours",
    )
    assert (label, complaint, inside) == ("negative", True, True)
    assert "inadmissible" in cues
    assert business == pytest.approx(10 / 60)
    assert _row(ws, "m2", "is_question, is_complaint") == (True, False)
    assert _row(ws, "m3", "sentiment_label, language, sentiment_method") == (
        "positive",
        "fr",
        "cadran-1/fr-linear",
    )
    assert _row(ws, "m4", "sentiment_label, sentiment_score, is_complaint") == (
        "negative",
        -0.9,
        True,
    )
    assert _row(ws, "m5", "language, sentiment_label") == ("es", None)
    ws.close()


def test_reply_times_in_batches_and_replies_stamped_before_their_message(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _messages(workspace)
    base = {"platform": "instagram", "account": "brand", "channel": "public", "text": "Bonjour"}
    workspace.add(
        "messages",
        [  # clocks of two sources disagree: the reply is stamped before the message
            {**base, "native_id": "m6", "created_at": "2026-03-10T10:00:00Z",
             "first_reply_at": "2026-03-10T09:59:00Z"},
        ],
    )  # fmt: skip
    schedule = text_settings(workspace).schedule
    columns = "native_id, first_reply_business_hours, replied_in_business_hours"
    query = f"SELECT {columns} FROM message ORDER BY native_id"
    assert reply_times(workspace.warehouse, schedule) == 3
    whole = workspace.warehouse.rows(query)
    monkeypatch.setattr(text_analysis, "_REPLY_BATCH", 1)  # one reply per batch
    workspace.warehouse.con.execute("UPDATE message SET first_reply_business_hours = NULL")
    assert reply_times(workspace.warehouse, schedule) == 3
    assert workspace.warehouse.rows(query) == whole
    assert whole[-1] == ("m6", None, True)  # no duration; 10:59 in Paris is open


def test_analysis_only_scores_new_texts_unless_forced(workspace: Workspace) -> None:
    _messages(workspace)
    assert analyze(workspace, workers=1, tables=("message",)).scored["message"] == 4
    assert analyze(workspace, workers=1, tables=("message",)).scored["message"] == 0
    assert analyze(workspace, workers=1, tables=("message",), force=True).scored["message"] == 4


def test_kpis_read_the_analysis(workspace: Workspace) -> None:
    _messages(workspace)
    analyze(workspace, workers=1)
    frame = workspace.kpi(
        ["negative_comments", "positive_comments", "complaints"], period="2026-03"
    )
    values = dict(zip(frame["kpi"], frame["value"], strict=True))
    assert values["positive_comments"] == 1
    assert values["negative_comments"] >= 1
    assert values["complaints"] == 2  # m1 detected, m4 flagged by the platform


def test_posts_get_readability_and_quality(workspace: Workspace) -> None:
    workspace.add("accounts", [{"platform": "instagram", "handle": "brand"}])
    workspace.add(
        "posts",
        [
            {"platform": "instagram", "account": "brand", "native_id": f"p{i}", "format": fmt,
             "published_at": f"2026-03-0{i + 1}T10:00:00Z", "text": text, "reach": 1000, "likes": likes}
            for i, (fmt, text, likes) in enumerate([
                ("image", "Notre nouvelle collection est arrivée.\n\nDécouvrez-la sur notre site : https://example.com #mode", 80),
                ("text", "PROMO PROMO PROMO", 5),
                ("video", "Behind the scenes of our spring shoot. Which look is your favourite?", 60),
                ("image", "Le printemps est là. Venez nous voir en boutique !", 40),
                ("text", "ok", 3),
            ])
        ],
    )  # fmt: skip
    overrides = workspace.folder.root / "quality-overrides.yaml"
    overrides.write_text("instagram/p1: {proofread: true}\n", encoding="utf-8")
    report = analyze(workspace, workers=1, tables=("post",))
    assert report.posts == 5
    rows = workspace.warehouse.rows(
        "SELECT native_id, language, readability_formula, quality_score, quality_max, quality_detail "
        "FROM post ORDER BY native_id"
    )
    by_id = {r[0]: r for r in rows}
    assert by_id["p0"][1:3] == ("fr", "kandel-moles")
    assert by_id["p2"][1:3] == ("en", "flesch")
    assert '"proofread": "overridden met"' in by_id["p1"][5]
    assert by_id["p0"][3] > by_id["p1"][3]
    relation = quality_relation(workspace)
    assert relation.posts == 5
    assert relation.pearson.n == 5


def test_settings_problems_are_reported_together(workspace: Workspace) -> None:
    ws = _configure(
        workspace,
        care={"timezone": "Europe/Pariss", "hours": {"mon": "25:00-18:00"}},
        text={"default_language": "de", "colour": "blue"},
    )
    (ws.folder.root / "quality-overrides.yaml").write_text(
        "instagram/p1: {proofred: true}\nnonsense: 3\n", encoding="utf-8"
    )
    with pytest.raises(DefinitionError) as caught:
        analyze(ws)
    text = "\n".join(str(i) for i in caught.value.issues.errors)
    for needle in (
        "Europe/Pariss",
        "care.hours.mon",
        "default_language",
        "colour",
        "proofred",
        "nonsense",
    ):
        assert needle in text
    ws.close()


def test_quality_relation_needs_an_analysis(tmp_path: Path) -> None:
    from cadran.core.errors import UsageError

    ws = Workspace.init(tmp_path / "w")
    with pytest.raises(UsageError, match="cadran text analyze"):
        quality_relation(ws)
    ws.close()
