"""Pearson and Spearman correlations with confidence intervals, checked against SciPy."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cadran.core.correlation import (
    Correlation,
    average_ranks,
    pearson,
    regularized_beta,
    spearman,
    student_t_cdf,
)

from .formula.strategies import SETTINGS


def _sample(seed: int, n: int, slope: float, ties: bool = False) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    xs = [rng.gauss(0, 1) for _ in range(n)]
    ys = [slope * x + rng.gauss(0, 1) for x in xs]
    if ties:  # quality scores are whole points: many ties
        xs = [float(round(x * 2)) for x in xs]
    return xs, ys


CASES = [
    (seed, n, slope, ties)
    for seed, (n, slope) in enumerate([(4, 0.5), (5, 2.0), (12, 0.0), (40, 0.4), (300, -0.3),
                                       (2000, 0.1), (50, 5.0)])
    for ties in (False, True)
]  # fmt: skip


@pytest.mark.parametrize(("seed", "n", "slope", "ties"), CASES)
def test_pearson_matches_scipy(seed: int, n: int, slope: float, ties: bool) -> None:
    stats = pytest.importorskip("scipy.stats")
    xs, ys = _sample(seed, n, slope, ties)
    ours = pearson(xs, ys)
    theirs = stats.pearsonr(xs, ys)
    ci = theirs.confidence_interval(confidence_level=0.95)
    assert ours.r == pytest.approx(theirs.statistic, abs=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-300)
    assert ours.ci_low == pytest.approx(ci.low, abs=1e-12)
    assert ours.ci_high == pytest.approx(ci.high, abs=1e-12)
    assert (ours.n, ours.method, ours.reason) == (n, "pearson", None)
    wider = pearson(xs, ys, confidence=0.99)
    ci99 = theirs.confidence_interval(confidence_level=0.99)
    assert (wider.ci_low, wider.ci_high) == pytest.approx((ci99.low, ci99.high), abs=1e-12)


@pytest.mark.parametrize(("seed", "n", "slope", "ties"), CASES)
def test_spearman_matches_scipy(seed: int, n: int, slope: float, ties: bool) -> None:
    stats = pytest.importorskip("scipy.stats")
    xs, ys = _sample(seed, n, slope, ties)
    ours = spearman(xs, ys)
    theirs = stats.spearmanr(xs, ys)
    assert ours.r == pytest.approx(theirs.statistic, abs=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-300)
    # Bonett–Wright: Fisher z with standard error sqrt((1 + r²/2)/(n − 3)).
    r = theirs.statistic
    half = stats.norm.ppf(0.975) * math.sqrt((1 + r * r / 2) / (n - 3))
    assert ours.ci_low == pytest.approx(math.tanh(math.atanh(r) - half), abs=1e-12)
    assert ours.ci_high == pytest.approx(math.tanh(math.atanh(r) + half), abs=1e-12)


def test_spearman_interval_is_wider_than_fisher_alone() -> None:
    xs, ys = _sample(7, 60, 0.8)
    s = spearman(xs, ys)
    assert s.r is not None and s.ci_low is not None and s.ci_high is not None
    z = math.atanh(s.r)
    plain = math.tanh(z + 1.959963984540054 / math.sqrt(57))
    assert s.ci_high > plain


@pytest.mark.parametrize("df", [1, 2, 3.5, 9, 30, 250, 1e5])
@pytest.mark.parametrize("t", [-40.0, -3.0, -1.0, -0.05, 0.0, 0.7, 2.1, 12.0, 400.0])
def test_student_t_cdf_matches_scipy(t: float, df: float) -> None:
    stats = pytest.importorskip("scipy.stats")
    expected = stats.t.cdf(t, df)
    assert student_t_cdf(t, df) == pytest.approx(expected, rel=1e-10, abs=1e-15)


@pytest.mark.parametrize(
    ("x", "a", "b"),
    [(0.3, 2, 3), (0.999, 0.5, 0.5), (1e-8, 40, 0.5), (0.5, 1000, 1000), (0.97, 25000, 0.5)],
)
def test_regularized_beta_matches_scipy(x: float, a: float, b: float) -> None:
    special = pytest.importorskip("scipy.special")
    assert regularized_beta(x, a, b) == pytest.approx(special.betainc(a, b, x), rel=1e-10)


def test_distribution_edges_and_misuse() -> None:
    assert student_t_cdf(math.inf, 3) == 1.0
    assert student_t_cdf(-math.inf, 3) == 0.0
    assert student_t_cdf(0.0, 5) == pytest.approx(0.5)
    assert regularized_beta(0.0, 2, 3) == 0.0
    assert regularized_beta(1.0, 2, 3) == 1.0
    with pytest.raises(ValueError, match="degrees of freedom"):
        student_t_cdf(1.0, 0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        regularized_beta(1.5, 1, 1)
    with pytest.raises(ValueError, match="positive"):
        regularized_beta(0.5, 0, 1)


def test_average_ranks_share_ties() -> None:
    assert average_ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert average_ranks([3, 1, 2]) == [3, 1, 2]
    assert average_ranks([5, 5, 5]) == [2, 2, 2]
    assert average_ranks([]) == []


def test_too_few_pairs_give_no_coefficient() -> None:
    result = pearson([1, 2, 3], [2, 4, 7])
    assert result == Correlation(
        None, 3, None, None, None, "pearson", 0.95, "needs at least 4 complete pairs, got 3"
    )


def test_missing_values_are_left_out_pairwise() -> None:
    xs = [1.0, 2.0, None, 4.0, 5.0, math.nan, 7.0]
    ys = [2.0, 1.0, 3.0, None, 6.0, 8.0, 9.0]
    result = pearson(xs, ys)
    assert result.n == 4
    assert result.r == pytest.approx(pearson([1, 2, 5, 7], [2, 1, 6, 9]).r)


def test_a_measure_that_does_not_vary_has_no_correlation() -> None:
    result = spearman([3.0, 3.0, 3.0, 3.0, 3.0], [1.0, 2.0, 3.0, 4.0, 5.0])
    assert result.r is None and result.p_value is None
    assert result.reason is not None and "first measure does not vary" in result.reason
    assert "second" in (pearson([1, 2, 3, 4], [0.1] * 4).reason or "")


def test_a_perfect_relation() -> None:
    result = pearson([1, 2, 3, 4, 5], [3, 5, 7, 9, 11])
    assert (result.r, result.ci_low, result.ci_high) == pytest.approx((1, 1, 1), abs=1e-12)
    assert result.p_value == pytest.approx(0, abs=1e-12)
    exact = spearman([1, 2, 3, 4], [40, 30, 20, 10])  # ranks: exactly −1, a point interval
    assert (exact.r, exact.ci_low, exact.ci_high, exact.p_value) == (-1.0, -1.0, -1.0, 0.0)


def test_misuse_is_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        pearson([1, 2], [1])
    with pytest.raises(ValueError, match="confidence"):
        spearman([1, 2, 3, 4], [1, 2, 3, 4], confidence=1.0)
    with pytest.raises(ValueError, match="finite"):
        pearson([1, 2, 3, math.inf], [1, 2, 3, 4])


# -- properties -------------------------------------------------------------------------------

Pairs = list[tuple[int, int]]
Method = Callable[[list[float], list[float]], Correlation]
values = st.lists(
    st.tuples(st.integers(-1000, 1000), st.integers(-1000, 1000)), min_size=4, max_size=60
)


def _varied(pairs: list[tuple[int, int]]) -> tuple[list[float], list[float]]:
    xs = [float(p[0]) for p in pairs]
    ys = [float(p[1]) for p in pairs]
    assume(len(set(xs)) > 1 and len(set(ys)) > 1)
    return xs, ys


@SETTINGS
@given(pairs=values, method=st.sampled_from([pearson, spearman]))
def test_r_lies_in_its_interval_within_minus_one_and_one(pairs: Pairs, method: Method) -> None:
    xs, ys = _varied(pairs)
    result = method(xs, ys)
    assert result.r is not None and result.ci_low is not None and result.ci_high is not None
    assert -1 <= result.ci_low <= result.r <= result.ci_high <= 1
    assert result.p_value is not None and 0 <= result.p_value <= 1


@SETTINGS
@given(pairs=values, method=st.sampled_from([pearson, spearman]))
def test_correlation_is_symmetric(pairs: Pairs, method: Method) -> None:
    xs, ys = _varied(pairs)
    a, b = method(xs, ys), method(ys, xs)
    assert a.r == pytest.approx(b.r, abs=1e-12)
    assert a.p_value == pytest.approx(b.p_value, rel=1e-9, abs=1e-12)


@SETTINGS
@given(
    pairs=values,
    method=st.sampled_from([pearson, spearman]),
    scale=st.floats(0.01, 100),
    shift=st.floats(-1000, 1000),
)
def test_positive_linear_transforms_change_nothing(
    pairs: Pairs, method: Method, scale: float, shift: float
) -> None:
    xs, ys = _varied(pairs)
    before = method(xs, ys)
    after = method([scale * x + shift for x in xs], ys)
    assert before.r is not None
    assert after.r == pytest.approx(before.r, abs=1e-9)
    assert after.ci_low == pytest.approx(before.ci_low, abs=1e-9)
    flipped = method([-x for x in xs], ys)
    assert flipped.r == pytest.approx(-before.r, abs=1e-9)
