"""``cadran text``: sentiment, readability, analyze and quality from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cadran.cli.main import main
from cadran.services.workspace import Workspace


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sentiment_json_gives_language_label_and_score(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "text", "sentiment", "-f", "json", "J'adore, merci !", "Terrible service", "😡"
    )
    assert code == 0
    rows = json.loads(out)
    assert [(r["language"], r["label"]) for r in rows] == [
        ("fr", "positive"),
        ("en", "negative"),
        (None, "negative"),
    ]
    assert all(-1 <= r["score"] <= 1 for r in rows)


def test_a_neutral_question_reads_as_a_neutral_score(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "text", "sentiment", "Vous livrez en Belgique ?")
    assert code == 0
    assert "neutral" in out and "-0.000" not in out


def test_sentiment_reads_a_file_one_text_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "comments.txt"
    path.write_text("Super produit, j'adore !\n\nHorrible, jamais reçu\n", encoding="utf-8")
    code, out, _ = run(capsys, "text", "sentiment", "--file", str(path), "--format", "json")
    assert code == 0
    labels = [r["label"] for r in json.loads(out)]
    assert labels == ["positive", None, "negative"]


def test_bad_input_gets_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("bon\nété\n".encode("latin-1"))
    code, _, err = run(capsys, "text", "sentiment", "--file", str(latin1))
    assert code != 0
    assert f"{latin1} line 2: not UTF-8" in err
    code, _, err = run(capsys, "text", "sentiment", "--file", str(tmp_path / "missing.txt"))
    assert code != 0 and "cannot read" in err
    code, _, err = run(capsys, "text", "sentiment")
    assert code != 0 and "give texts" in err
    code, _, err = run(capsys, "text", "sentiment", "--language", "de", "Hallo")
    assert code != 0 and "fr or en" in err
    assert "Traceback" not in err


def test_readability(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "text", "readability", "-f", "json", "The cat sat on the mat.")
    assert code == 0
    data = json.loads(out)
    assert (data["formula"], data["words"], data["syllables"]) == ("flesch", 6, 6)
    assert data["score"] == pytest.approx(116.15, abs=0.01)
    code, _, err = run(capsys, "text", "readability", "😍")
    assert code != 0 and "cannot measure" in err


def test_analyze_and_quality_on_a_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "ws"
    with Workspace.init(root, timezone="Europe/Paris") as ws:
        ws.add(
            "messages",
            [
                {"platform": "x", "account": "@brand", "channel": "public", "native_id": str(i),
                 "created_at": "2026-10-05T10:00:00", "text": text}
                for i, text in enumerate(["Génial !", "Nul, remboursez-moi", "Love it"])
            ],
        )  # fmt: skip
        ws.add(
            "posts",
            [
                {"platform": "x", "account": "@brand", "native_id": f"p{i}", "published_at": "2026-10-05T10:00:00",
                 "text": t, "format": f, "impressions": 1000, "likes": n}
                for i, (t, f, n) in enumerate([("Nouvelle vidéo ! https://x.co", "video", 50),
                                               ("ok", "text", 2), ("Hello there, what do you think?", "image", 30),
                                               ("Bonne semaine à tous", "text", 10)])
            ],
        )  # fmt: skip
    code, out, err = run(capsys, "-w", str(root), "text", "analyze", "--workers", "1")
    assert code == 0, err
    assert "messages scored: 3" in out
    assert "posts measured (readability, quality): 4" in out
    code, out, _ = run(capsys, "-w", str(root), "text", "quality", "-f", "json")
    assert code == 0
    assert json.loads(out)["posts"] == 4
    code, _, err = run(capsys, "-w", str(root), "text", "analyze", "--only", "tweets")
    assert code != 0 and "--only must be among" in err
