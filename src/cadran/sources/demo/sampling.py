"""Vectorised random draws shared by the generators (categorical, heavy-tailed, truncated)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cadran.sources.demo.spec import FloatArray, IntArray


def cdf_table(weights: Sequence[Sequence[float]]) -> FloatArray:
    """Cumulative distributions, one row per key, each row normalised to end exactly at 1."""
    table = np.asarray(weights, dtype=np.float64)
    cdf = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0  # no rounding gap for a draw of 0.9999999
    return np.asarray(cdf, dtype=np.float64)


def categorical(rng: np.random.Generator, cdf: FloatArray, keys: IntArray) -> IntArray:
    """One category per row, drawn from the distribution of row ``keys[i]`` of ``cdf``."""
    draws = rng.random(len(keys))
    out = np.zeros(len(keys), dtype=np.int64)
    # Few distinct keys (platforms, kinds): a searchsorted per key beats an n x categories matrix.
    for key in np.unique(keys):
        rows = np.flatnonzero(keys == key)
        out[rows] = np.searchsorted(cdf[key], draws[rows], side="right")
    return out


def mean_one_lognormal(
    rng: np.random.Generator, sigma: FloatArray | float, size: int
) -> FloatArray:
    """Lognormal factors of mean 1: sigma sets how heavy the tail is, not the average."""
    sigma_array = np.broadcast_to(np.asarray(sigma, dtype=np.float64), (size,))
    return np.asarray(rng.lognormal(-0.5 * sigma_array**2, sigma_array), dtype=np.float64)


def truncated_exponential(
    rng: np.random.Generator, scale: FloatArray | float, upper: FloatArray
) -> FloatArray:
    """Exponential delays of mean ``scale`` conditioned on being below ``upper`` (inverse CDF)."""
    scale_array = np.broadcast_to(np.asarray(scale, dtype=np.float64), upper.shape)
    mass = -np.expm1(-np.maximum(upper, 0.0) / scale_array)
    return np.asarray(-scale_array * np.log1p(-rng.random(len(upper)) * mass), dtype=np.float64)


def pick(
    rng: np.random.Generator, starts: IntArray, counts: IntArray, skew: float = 1.0
) -> IntArray:
    """An index in ``[starts, starts + counts)`` per row; ``skew`` > 1 favours the first ones."""
    draws = rng.random(len(starts))
    if skew != 1.0:
        draws = draws**skew
    return starts + np.minimum((draws * counts).astype(np.int64), np.maximum(counts - 1, 0))


def poisson(rng: np.random.Generator, lam: FloatArray) -> IntArray:
    """Poisson counts of non-negative, finite means (negative or NaN means count as 0)."""
    safe = np.nan_to_num(np.maximum(lam, 0.0), nan=0.0, posinf=0.0)
    return np.asarray(rng.poisson(safe), dtype=np.int64)


def spread(values: FloatArray, kernel: Sequence[float]) -> FloatArray:
    """Spread each day's value over the following days (last axis) with ``kernel`` weights."""
    out = np.zeros_like(values, dtype=np.float64)
    days = values.shape[-1]
    for lag, weight in enumerate(kernel):
        out[..., lag:] += weight * values[..., : days - lag]
    return out
