"""How strongly two measures of the same posts move together (quality and engagement, say).

:func:`pearson` measures a linear relation, :func:`spearman` a monotonic one (Pearson's r of the
ranks, so a few viral posts weigh no more than their rank). Each returns a :class:`Correlation`
with the coefficient, a confidence interval and a two-sided p-value:

- the interval comes from Fisher's z transform, ``z = atanh(r)``, which is close to normal with
  standard error ``1/sqrt(n − 3)`` for Pearson's r; for Spearman's the standard error is Bonett
  and Wright's ``sqrt((1 + r²/2)/(n − 3))`` (Bonett & Wright 2000), wider because ranks lose
  some information;
- the p-value tests "no relation" with ``t = r·sqrt((n − 2)/(1 − r²))`` on ``n − 2`` degrees of
  freedom, which is exact for Pearson's r on normal data and the usual approximation for
  Spearman's (it is what SciPy reports).

Everything is plain Python: Student's t distribution goes through the regularized incomplete
beta function, evaluated with a continued fraction (modified Lentz method), and the normal
quantile comes from :class:`statistics.NormalDist`.

Pairs where either value is missing (``None`` or NaN) are left out, and ``n`` counts the pairs
kept. Below four pairs, or when one side does not vary, there is no coefficient: ``r`` and the
interval are ``None`` and ``reason`` says why. A correlation says that two measures move
together in these posts, never that one causes the other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

__all__ = [
    "MIN_PAIRS",
    "Correlation",
    "average_ranks",
    "pearson",
    "regularized_beta",
    "spearman",
    "student_t_cdf",
]

MIN_PAIRS = 4  # Fisher's standard error divides by n − 3: three pairs leave nothing to estimate
_MAX_ITERATIONS = 10_000  # the continued fraction needs about sqrt(a) steps; n = 1e8 fits
_EPSILON = 1e-15
_TINY = 1e-300  # keeps Lentz's denominators away from zero


@dataclass(frozen=True)
class Correlation:
    """A correlation coefficient with its confidence interval and p-value.

    ``r`` lies in [−1, 1]; ``ci_low``/``ci_high`` bound it at level ``confidence``; ``p_value``
    is the two-sided probability of a coefficient at least this far from 0 if there were no
    relation. All four are ``None`` when the coefficient cannot be computed, and ``reason``
    then says why. ``n`` is the number of complete pairs used.
    """

    r: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    method: str
    confidence: float
    reason: str | None = None


def pearson(
    xs: Sequence[float | None], ys: Sequence[float | None], confidence: float = 0.95
) -> Correlation:
    """Pearson's linear correlation of ``xs`` and ``ys`` with a Fisher-z confidence interval."""
    pairs = _pairs(xs, ys, confidence)
    return _correlate([p[0] for p in pairs], [p[1] for p in pairs], confidence, "pearson")


def spearman(
    xs: Sequence[float | None], ys: Sequence[float | None], confidence: float = 0.95
) -> Correlation:
    """Spearman's rank correlation (ties get average ranks), Bonett–Wright interval."""
    pairs = _pairs(xs, ys, confidence)
    rx = average_ranks([p[0] for p in pairs])
    ry = average_ranks([p[1] for p in pairs])
    return _correlate(rx, ry, confidence, "spearman")


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks of ``values``; tied values share the mean of the ranks they span."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        rank = (start + end) / 2 + 1  # the mean of ranks start+1 .. end+1
        for k in range(start, end + 1):
            ranks[order[k]] = rank
        start = end + 1
    return ranks


def student_t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t distribution with ``df`` > 0 degrees of freedom."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {df}")
    if math.isinf(t):
        return 1.0 if t > 0 else 0.0
    # The two tails together hold I_x(df/2, 1/2) with x = df/(df + t²).
    tails = regularized_beta(df / (df + t * t), df / 2, 0.5)
    return 1 - tails / 2 if t > 0 else tails / 2


def regularized_beta(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b), for 0 ≤ x ≤ 1 and a, b > 0."""
    if not 0 <= x <= 1:
        raise ValueError(f"x must lie in [0, 1], got {x}")
    if a <= 0 or b <= 0:
        raise ValueError(f"a and b must be positive, got {a} and {b}")
    if x in (0, 1):
        return float(x)
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast below the mean a/(a + b); above it, use the
    # symmetry I_x(a, b) = 1 − I_{1−x}(b, a).
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(x, a, b) / a
    return 1 - front * _beta_fraction(1 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b), evaluated with the modified Lentz method."""
    qab, qap, qam = a + b, a + 1, a - 1
    c = 1.0
    d = 1 - qab * x / qap
    d = 1 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITERATIONS + 1):
        m2 = 2 * m
        # Even step: d_{2m} = m(b − m)x / ((a + 2m − 1)(a + 2m)).
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > _TINY else _TINY)
        c = 1 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        # Odd step: d_{2m+1} = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > _TINY else _TINY)
        c = 1 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPSILON:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for x={x}, a={a}, b={b}")


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def _pairs(
    xs: Sequence[float | None], ys: Sequence[float | None], confidence: float
) -> list[tuple[float, float]]:
    if len(xs) != len(ys):
        raise ValueError(f"xs and ys must have the same length, got {len(xs)} and {len(ys)}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    pairs: list[tuple[float, float]] = []
    for x, y in zip(xs, ys, strict=True):
        if x is None or y is None or _missing(x) or _missing(y):
            continue
        if math.isinf(x) or math.isinf(y):
            raise ValueError("values must be finite (an infinite value has no correlation)")
        pairs.append((float(x), float(y)))
    return pairs


def _correlate(xs: list[float], ys: list[float], confidence: float, method: str) -> Correlation:
    n = len(xs)

    def nothing(reason: str) -> Correlation:
        return Correlation(None, n, None, None, None, method, confidence, reason)

    if n < MIN_PAIRS:
        return nothing(f"needs at least {MIN_PAIRS} complete pairs, got {n}")
    # Exact comparisons: sums of squares of constant floats need not come out as exactly 0.
    if min(xs) == max(xs):
        return nothing("the first measure does not vary, so it cannot move with the other")
    if min(ys) == max(ys):
        return nothing("the second measure does not vary, so it cannot move with the other")
    r = _pearson_r(xs, ys)
    se = 1 / math.sqrt(n - 3)
    if method == "spearman":
        se *= math.sqrt(1 + r * r / 2)
    low, high = _fisher_interval(r, se, confidence)
    return Correlation(r, n, low, high, _p_value(r, n), method, confidence)


def _pearson_r(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    dx = [x - mx for x in xs]
    dy = [y - my for y in ys]
    sxy = math.fsum(a * b for a, b in zip(dx, dy, strict=True))
    sxx = math.fsum(a * a for a in dx)
    syy = math.fsum(b * b for b in dy)
    # Scale each side first: the product sxx·syy overflows or underflows for extreme data.
    r = (sxy / math.sqrt(sxx)) / math.sqrt(syy)
    return max(-1.0, min(1.0, r))  # rounding can step just outside [−1, 1]


def _fisher_interval(r: float, se: float, confidence: float) -> tuple[float, float]:
    if abs(r) == 1:
        return r, r  # a perfect relation in the sample: atanh is infinite, the interval a point
    z = math.atanh(r)
    half = NormalDist().inv_cdf((1 + confidence) / 2) * se
    # tanh is monotonic, so the interval in z maps onto an interval that contains r.
    return math.tanh(z - half), math.tanh(z + half)


def _p_value(r: float, n: int) -> float:
    if abs(r) == 1:
        return 0.0
    df = n - 2
    # Two-sided: P(|T| ≥ |t|) = I_x(df/2, 1/2) with x = df/(df + t²) = 1 − r².
    return min(1.0, regularized_beta(1 - r * r, df / 2, 0.5))
