"""Approximate text widths and line wrapping for the SVG map (the viewer's font is unknown)."""

from __future__ import annotations

import unicodedata

# Advance widths in em, close to DejaVu Sans (the widest of the usual sans-serif fonts, and the
# one Linux viewers fall back to): text sized for it fits in Segoe UI, Helvetica and Arial too.
_EM_GROUPS = (
    ("ijl.,;:!|'’`", 0.29),
    (" ", 0.32),
    ('()[]{}ftr-"/', 0.4),
    ("sz", 0.53),
    ("mwMW@%", 0.92),
    ("&", 0.78),
    ("<>=+~", 0.84),
)
_EM = {ch: em for chars, em in _EM_GROUPS for ch in chars}


def _char_em(ch: str) -> float:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if ch in _EM:
        return _EM[ch]
    if unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) > 0xFFFF:
        return 1.1
    if ch.isdigit():
        return 0.64
    if ch.isupper():
        return 0.7
    return 0.6


def text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(_char_em(ch) for ch in text) * size * (1.12 if bold else 1.0)


def wrap_text(
    text: str, width: float, size: float, max_lines: int, bold: bool = False
) -> list[str]:
    """Greedy word wrap to ``width`` pixels; long words break; the last line gets ``…``."""
    lines: list[str] = []
    current = ""
    for word in filter(None, text.split(" ")):  # no-break spaces do not break
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current, size, bold) > width:  # a word wider than the box
            head = _fit(current, width, size, bold)
            lines.append(head)
            current = current[len(head) :]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size, bold) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


def _fit(text: str, width: float, size: float, bold: bool) -> str:
    """The longest head of ``text`` (at least one character) that fits, not splitting a
    character from the marks that follow it."""
    end = 1
    for i in range(1, len(text) + 1):
        if text_width(text[:i], size, bold) > width:
            break
        if i == len(text) or _char_em(text[i]) > 0:
            end = i
    return text[:end]
