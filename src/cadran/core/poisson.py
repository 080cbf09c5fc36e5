"""Exact (Garwood) confidence intervals for a count of events, such as conversions.

A count ``n`` observed over a period is read as a draw from a Poisson distribution of unknown
mean. Garwood's interval is ``[G(α/2; n), G(1 − α/2; n + 1)]`` where ``G(p; a)`` is the
``p``-quantile of the standard gamma distribution of shape ``a`` (the lower bound is 0 for
``n = 0``). It holds for the fractional counts attribution models give as well.

The regularised incomplete gamma function is computed by its series below ``a + 1`` and by
its continued fraction above (Lentz's method), and inverted by bisection: plain arithmetic,
no statistics library, every step checked against SciPy in the tests.
"""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = ["gamma_quantile", "poisson_interval", "regularized_gamma_p"]

_EPSILON = 1e-15
_TINY = 1e-300
_MAX_TERMS = 100_000


def regularized_gamma_p(a: float, x: float) -> float:
    """P(a, x): the probability that a gamma variable of shape ``a`` is at most ``x``."""
    if a <= 0 or not math.isfinite(a):
        raise ValueError(f"gamma shape must be a positive number, not {a!r}")
    if x <= 0:
        return 0.0
    if math.isinf(x):
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        # Series: sum of x^k / (a (a+1) ... (a+k)), converging fast below the mode.
        term = total = 1.0 / a
        denominator = a
        for _ in range(_MAX_TERMS):
            denominator += 1
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * _EPSILON:
                break
        return min(1.0, total * math.exp(log_front))
    # Continued fraction for Q(a, x) = 1 - P(a, x) (modified Lentz).
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, _MAX_TERMS):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPSILON:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def gamma_quantile(p: float, a: float) -> float:
    """The ``p``-quantile of the gamma distribution of shape ``a`` (scale 1)."""
    if not 0 < p < 1:
        raise ValueError(f"probability must be between 0 and 1 (excluded), not {p!r}")
    # Start from the Wilson-Hilferty approximation (close for all but tiny shapes), bracket
    # the root around it, then bisect: P is monotone, so this cannot fail.
    z = NormalDist().inv_cdf(p)
    guess = a * (1 - 1 / (9 * a) + z / (3 * math.sqrt(a))) ** 3
    guess = guess if guess > 0 else a / 2
    low, high = guess / 1.1, guess * 1.1
    while low > 0 and regularized_gamma_p(a, low) > p:
        low = low / 2 if low > 1e-300 else 0.0
    while regularized_gamma_p(a, high) < p:
        high *= 2
    for _ in range(400):
        middle = (low + high) / 2
        if middle in (low, high) or high - low <= 1e-14 * high:
            break
        if regularized_gamma_p(a, middle) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def poisson_interval(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Garwood's ``confidence`` interval for the mean of a Poisson count ``count`` (>= 0)."""
    if count < 0 or not math.isfinite(count):
        raise ValueError(f"a count must be a finite number of 0 or more, not {count!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (excluded), not {confidence!r}")
    alpha = 1 - confidence
    low = 0.0 if count == 0 else gamma_quantile(alpha / 2, count)
    return low, gamma_quantile(1 - alpha / 2, count + 1)
