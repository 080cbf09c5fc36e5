"""Garwood intervals and the incomplete gamma function, against SciPy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cadran.core.poisson import gamma_quantile, poisson_interval, regularized_gamma_p


@given(st.floats(0.05, 5000), st.floats(0.0, 10000))
@settings(max_examples=300, deadline=None)
def test_regularized_gamma_matches_scipy(a: float, x: float) -> None:
    assert regularized_gamma_p(a, x) == pytest.approx(stats.gamma.cdf(x, a), abs=1e-10)


@given(st.floats(1e-4, 1 - 1e-4), st.floats(0.05, 5000))
@settings(max_examples=200, deadline=None)
def test_gamma_quantile_matches_scipy(p: float, a: float) -> None:
    assert gamma_quantile(p, a) == pytest.approx(stats.gamma.ppf(p, a), rel=1e-8, abs=1e-10)


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [
        # Garwood 95 % intervals as tabulated (e.g. Ulm 1990): 0 -> [0, 3.689], 1 -> [0.0253,
        # 5.572], 10 -> [4.795, 18.39].
        (0, 0.0, 3.6889),
        (1, 0.02532, 5.5716),
        (10, 4.7954, 18.390),
    ],
)
def test_garwood_interval_known_values(count: int, low: float, high: float) -> None:
    got = poisson_interval(count, 0.95)
    assert got == pytest.approx((low, high), rel=1e-3, abs=1e-4)


@given(st.one_of(st.integers(0, 5000).map(float), st.floats(0.01, 2000)), st.floats(0.5, 0.999))
@settings(max_examples=100, deadline=None)
def test_interval_contains_the_count(count: float, level: float) -> None:
    low, high = poisson_interval(count, level)
    assert low <= count <= high


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="count"):
        poisson_interval(-1)
    with pytest.raises(ValueError, match="confidence"):
        poisson_interval(3, 1.0)
    with pytest.raises(ValueError, match="shape"):
        regularized_gamma_p(0, 1)
