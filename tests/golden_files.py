"""Golden files: expected outputs kept in tests/golden, rewritten with ``--update-golden``."""

from __future__ import annotations

import difflib
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str, update: bool, *, header: str = "") -> None:
    """Compare ``text`` with ``tests/golden/<name>``; rewrite it instead when ``update``."""
    path = GOLDEN_DIR / name
    body = (header + text).rstrip("\n") + "\n"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        return
    if not path.exists():
        raise AssertionError(f"golden file {path} is missing; run pytest --update-golden")
    expected = path.read_text(encoding="utf-8")
    if expected != body:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), body.splitlines(True), str(path), "actual", n=2
            )
        )
        raise AssertionError(
            f"{path} differs (run pytest --update-golden and review):\n" + diff[:6000]
        )
