"""What a sentiment method says about one text, and the interface every method implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Opinion:
    """The sentiment of one text.

    ``score`` lies in [-1, 1] (negative to positive); ``label`` is one of :data:`LABELS`, or
    ``None`` when the text could not be scored (empty, or a language the method does not know);
    ``method`` names what produced it, so that stored labels say where they came from.
    """

    label: str | None
    score: float | None
    language: str | None
    method: str


class SentimentMethod(Protocol):
    """Anything that turns texts into opinions, in bulk (bulk is where speed comes from)."""

    name: str

    def opinions(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[Opinion]:
        """One opinion per text; ``languages`` (ISO 639-1 codes) skips language detection."""
        ...
