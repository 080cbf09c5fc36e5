"""Arrow column builders: numpy arrays in, typed Arrow arrays out, without per-row Python."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cadran.sources.demo.spec import AnyArray, BoolArray, FloatArray, IntArray

TIMESTAMP = pa.timestamp("us", tz="UTC")
ORIGINS = ("native", "computed", "estimated")
_BASE64URL = np.frombuffer(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8
)


def dictionary(
    indices: IntArray, pool: Sequence[str] | pa.Array, mask: BoolArray | None = None
) -> pa.Array:
    """Strings as a dictionary array: ``indices`` into ``pool``; ``mask`` True means NULL."""
    values = pool if isinstance(pool, pa.Array) else pa.array(list(pool), type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32), mask=mask), values)


def constant(value: str | None, length: int) -> pa.Array:
    """The same string (or NULL) on every row, as a one-entry dictionary."""
    mask = np.ones(length, dtype=bool) if value is None else None
    return dictionary(np.zeros(length, dtype=np.int64), [value or ""], mask)


def origin(present: BoolArray, kind: str = "native") -> pa.Array:
    """An ``*_origin`` column: ``kind`` where the value is present, NULL where it is NULL."""
    return dictionary(np.full(len(present), ORIGINS.index(kind)), ORIGINS, ~present)


def integers(values: AnyArray, type_: pa.DataType, mask: BoolArray | None = None) -> pa.Array:
    """Integers of Arrow type ``type_``; ``mask`` True means NULL."""
    return pa.array(np.asarray(values).astype(type_.to_pandas_dtype()), type=type_, mask=mask)


def floats(values: FloatArray, mask: BoolArray | None = None) -> pa.Array:
    """Doubles; ``mask`` True means NULL."""
    return pa.array(np.asarray(values, dtype=np.float64), type=pa.float64(), mask=mask)


def booleans(values: BoolArray, mask: BoolArray | None = None) -> pa.Array:
    """Booleans; ``mask`` True means NULL."""
    return pa.array(np.asarray(values, dtype=bool), type=pa.bool_(), mask=mask)


def timestamps(utc_us: IntArray, mask: BoolArray | None = None) -> pa.Array:
    """UTC instants from microseconds since the epoch; ``mask`` True means NULL."""
    return pa.array(np.asarray(utc_us, dtype=np.int64), type=TIMESTAMP, mask=mask)


def dates(ordinals: IntArray) -> pa.Array:
    """Dates from days since 1970-01-01."""
    return pa.array(np.asarray(ordinals, dtype=np.int32), type=pa.date32())


def decimals(cents: IntArray) -> pa.Array:
    """DECIMAL(18, 2) amounts from integer cents, written straight into Arrow's 128-bit layout."""
    cents = np.asarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)  # two's-complement sign extension of the high word
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(cents), [None, pa.py_buffer(words)])


def digits(numbers: IntArray, width: int = 0) -> pa.Array:
    """Decimal strings of integers, left-padded with zeros to ``width``."""
    text = pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(text, width=width, padding="0") if width else text


def base64url(values: AnyArray, width: int = 11) -> pa.Array:
    """Fixed-width base64url strings of non-negative integers (YouTube ids, Instagram codes)."""
    values = np.asarray(values, dtype=np.uint64)
    shifts = np.arange(width - 1, -1, -1, dtype=np.uint64) * np.uint64(6)
    codes = _BASE64URL[((values[:, None] >> shifts) & np.uint64(63)).astype(np.int64)]
    offsets = np.arange(0, width * len(values) + 1, width, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), len(values), [None, pa.py_buffer(offsets), pa.py_buffer(codes.tobytes())]
    )


def join(parts: Sequence[pa.Array | str], separator: str = "") -> pa.Array:
    """Row-wise concatenation of string columns and literals; NULL parts are skipped.

    Every row needs at least one non-NULL part: pyarrow 26 drops the rows whose parts are all
    NULL from ``binary_join_element_wise`` when nulls are skipped (the result comes out short).
    """
    columns = [
        pa.scalar(part, pa.string())
        if isinstance(part, str)
        else (part.dictionary_decode() if pa.types.is_dictionary(part.type) else part)
        for part in parts
    ]
    return pc.binary_join_element_wise(*columns, separator, null_handling="skip")


def take(pool: pa.Array, indices: IntArray, mask: BoolArray | None = None) -> pa.Array:
    """Plain strings picked from ``pool``; ``mask`` True means NULL."""
    return pc.take(pool, pa.array(indices.astype(np.int64), mask=mask))
