"""Names, handles, native ids and permalinks, shaped like each platform's own."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cadran.sources.demo.columns import base64url, dictionary, digits, join
from cadran.sources.demo.spec import IntArray

_ID_EPOCH_US = 1_262_304_000_000_000  # 2010-01-01 UTC: ids start with the creation second
_SERIAL_BITS = 28  # low bits hold the row id, so ids are unique by construction
_MIXER = 0x9E3779B97F4A7C15  # odd: multiplying by it permutes integers modulo 2**60


def slugify(text: str, separator: str = "") -> str:
    """ASCII lower-case words of ``text`` joined by ``separator`` ("Ô Lumière" -> "olumiere")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return separator.join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def camel(text: str) -> str:
    """``text`` as ASCII CamelCase, the way brands style X and YouTube handles."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(word.capitalize() for word in re.findall(r"[A-Za-z0-9]+", ascii_text))


def unique(names: Iterable[str], limit: int = 0) -> list[str]:
    """``names`` made unique by numeric suffixes, each at most ``limit`` characters if set."""
    seen: set[str] = set()
    out = []
    for name in names:
        candidate, number = (name[:limit] if limit else name), 1
        while candidate in seen:
            number += 1
            suffix = str(number)
            candidate = (name[: limit - len(suffix)] if limit else name) + suffix
        seen.add(candidate)
        out.append(candidate)
    return out


def serials(utc_us: IntArray, row_ids: IntArray) -> IntArray:
    """Time-ordered 64-bit ids (like X's snowflakes): creation second, then the row id."""
    seconds = (utc_us - _ID_EPOCH_US) // 1_000_000
    return (seconds << _SERIAL_BITS) | (row_ids & ((1 << _SERIAL_BITS) - 1))


def prefixed(
    prefix_codes: IntArray, prefixes: list[str], values: IntArray, short: IntArray
) -> pa.Array:
    """``prefixes[code]`` + the id: base64url (11 chars) where ``short`` is 1, decimal elsewhere."""
    return join([dictionary(prefix_codes, prefixes), id_text(values, short)])


def reference(prefix: str, numbers: IntArray, width: int = 8) -> pa.Array:
    """CRM-style references such as ``LEAD-00001234``."""
    return join([prefix, digits(numbers, width)])


def id_text(values: IntArray, short: IntArray) -> pa.Array:
    """Decimal ids, or base64url where ``short`` is 1 (video ids, Instagram short codes).

    Short ids are scrambled by an odd multiplier modulo 2**60, a bijection, so they stay
    unique but no longer show the time-ordered bits.
    """
    mixed = (values.astype(np.uint64) * np.uint64(_MIXER)) & np.uint64((1 << 60) - 1)
    return pc.if_else(pa.array(short.astype(bool)), base64url(mixed), digits(values))


def choose(codes: IntArray, pool: list[str]) -> pa.Array:
    """Plain strings ``pool[code]`` per row, for building larger strings."""
    return dictionary(np.asarray(codes, dtype=np.int64), pool).dictionary_decode()
