"""First-order Markov removal effects, solved exactly from the transition matrix.

The chain of Anderl et al. (IJRM 2016) has a state per channel plus three special states:
:data:`START`, where every journey begins, and the absorbing :data:`CONVERSION` and
:data:`NULL` (the journey ended without converting). Transition probabilities are the observed
transition counts, normalised per row. The removal effect of a channel ``k`` is

    RE_k = 1 − P(conversion | k removed) / P(conversion)

where removing ``k`` turns it into a dead end: a journey that reaches it is lost.

ChannelAttribution estimates these probabilities by simulating paths; here they are exact.
With ``Q`` the transitions among the transient states (START and the channels), ``r`` the
one-step probabilities of converting and ``N = (I − Q)⁻¹`` the fundamental matrix, ``x = N r``
holds the probability of converting from each state. A journey from START either converts
without ever meeting ``k``, or meets ``k`` (with probability ``h_k = N[start, k] / N[k, k]``)
and from there converts with probability ``x_k``; so

    P(conversion | k removed) = x_start − h_k · x_k.

One LU factorisation of ``I − Q`` (partial pivoting, plain Python floats) gives ``x``, the
start row of ``N`` and its diagonal, hence every removal effect in O(n³) for ``n`` states
rather than O(n⁴) for one linear solve per removed state. :func:`conversion_probability` does
the direct solve; the tests check one against the other.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from cadran.core.attribution import AttributionError

__all__ = [
    "CONVERSION",
    "NULL",
    "START",
    "MarkovResult",
    "RemovalEffect",
    "Transitions",
    "conversion_probability",
    "removal_effects",
    "transitions_from_paths",
]

START = "(start)"
CONVERSION = "(conversion)"
NULL = "(null)"
_SPECIAL = (START, CONVERSION, NULL)


@dataclass(frozen=True)
class Transitions:
    """Observed transitions: ``counts[(from_state, to_state)]`` is their total weight.

    States are channel keys plus :data:`START`, :data:`CONVERSION` and :data:`NULL`. Nothing
    leads into START and nothing leaves CONVERSION or NULL; weights are finite and ≥ 0. A
    channel with no outgoing transition is a dead end (a journey reaching it is lost), and a
    transition from START straight to CONVERSION counts in P(conversion) but credits nobody.
    The mapping is copied, so later changes to the caller's dictionary do not leak in.
    """

    counts: Mapping[tuple[str, str], float]

    def __post_init__(self) -> None:
        checked: dict[tuple[str, str], float] = {}
        for key, weight in self.counts.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise AttributionError(f"transition key must be a (from, to) pair, got {key!r}")
            source, target = key
            if source in (CONVERSION, NULL):
                raise AttributionError(
                    f"transition {source!r} -> {target!r}: nothing may leave an absorbing state"
                )
            if target == START:
                raise AttributionError(
                    f"transition {source!r} -> {target!r}: nothing may lead back into {START!r}"
                )
            if not (math.isfinite(weight) and weight >= 0):
                raise AttributionError(
                    f"transition {source!r} -> {target!r} has weight {weight!r}, "
                    "expected a finite number >= 0"
                )
            checked[key] = float(weight)
        object.__setattr__(self, "counts", MappingProxyType(checked))

    @property
    def states(self) -> tuple[str, ...]:
        """The channel states (every state but the three special ones), sorted."""
        seen = {state for key in self.counts for state in key}
        return tuple(sorted(seen.difference(_SPECIAL)))


@dataclass(frozen=True)
class RemovalEffect:
    """What one channel state contributes to conversion.

    ``probability_without`` is P(conversion) once the state is removed; ``effect`` is
    ``1 − probability_without / P(conversion)``, in [0, 1] (0 when P(conversion) is 0);
    ``share`` is ``effect`` over the sum of all effects (0 when that sum is 0).
    """

    state: str
    probability_without: float
    effect: float
    share: float


@dataclass(frozen=True)
class MarkovResult:
    """P(conversion) of the full chain and one :class:`RemovalEffect` per channel state."""

    probability: float
    effects: tuple[RemovalEffect, ...]


def transitions_from_paths(paths: Iterable[tuple[Sequence[str], float, float]]) -> Transitions:
    """Count transitions from ``(path, conversions, non_conversions)`` triples.

    Each path ``c1 … cn`` adds ``k + m`` (its conversions plus non-conversions) to
    START → c1 and to each ci → ci+1, ``k`` to cn → CONVERSION and ``m`` to cn → NULL.
    Identical paths may come aggregated or one by one: the counts are the same.
    """
    counts: dict[tuple[str, str], float] = {}

    def add(key: tuple[str, str], weight: float) -> None:
        if weight > 0:  # zero weights would only clutter the states with unreachable ones
            counts[key] = counts.get(key, 0.0) + weight

    for path, conversions, non_conversions in paths:
        if not path:
            raise AttributionError(
                "a path has no touch: expected at least one channel before conversion or null"
            )
        for label, amount in (("conversions", conversions), ("non-conversions", non_conversions)):
            if not (math.isfinite(amount) and amount >= 0):
                raise AttributionError(
                    f"path {' > '.join(path)!r} has {label} {amount!r}, "
                    "expected a finite number >= 0"
                )
        for channel in path:
            if channel in _SPECIAL:
                raise AttributionError(
                    f"path {' > '.join(path)!r} uses the reserved state name {channel!r}"
                )
        total = conversions + non_conversions
        # Repeated consecutive channels make self-loops. They are kept because they are what
        # was observed; they change neither absorption nor visit probabilities (a self-loop
        # only delays the next move), so removal effects come out the same either way.
        for source, target in zip((START, *path), path, strict=False):
            add((source, target), total)
        add((path[-1], CONVERSION), conversions)
        add((path[-1], NULL), non_conversions)
    return Transitions(counts)


def conversion_probability(t: Transitions, removed: Collection[str] = ()) -> float:
    """P(absorbed in CONVERSION | START), solved directly; ``removed`` states are dead ends.

    This solves ``(I − Q) x = r`` by Gaussian elimination for the given removal. It is the
    reference for :func:`removal_effects`, which gets all removals from one factorisation.
    """
    chain = _Chain(t, frozenset(removed))
    if chain.start is None:
        return 0.0
    lu = _factor(chain.matrix())
    return _clamp(_solve(lu, chain.r)[chain.start], 0.0, 1.0)


def removal_effects(t: Transitions) -> MarkovResult:
    """P(conversion) and the removal effect of every channel state, from one factorisation."""
    states = t.states
    chain = _Chain(t, frozenset())
    if chain.start is None:  # START never leads to a conversion: there is nothing to share
        return MarkovResult(0.0, tuple(RemovalEffect(k, 0.0, 0.0, 0.0) for k in states))
    n, s = len(chain.order), chain.start
    lu = _factor(chain.matrix())
    x = _solve(lu, chain.r)
    start_row = _solve_transposed(lu, [1.0 if i == s else 0.0 for i in range(n)])  # N[s, :]
    diagonal = _inverse_diagonal(lu)  # N[k, k] >= 1: each state counts its own visit
    probability = _clamp(x[s], 0.0, 1.0)

    without: dict[str, float] = {}
    for k, state in enumerate(chain.order):
        if k != s:
            visit = start_row[k] / diagonal[k]  # P(ever reaching k from START)
            without[state] = _clamp(x[s] - visit * x[k], 0.0, probability)
    # States outside the solved chain never lie between START and a conversion: removing
    # them changes nothing.
    raw = [(state, without.get(state, probability)) for state in states]
    # P(conversion) > 0 once START reaches a conversion; the guard only covers underflow.
    effects = [
        (state, p, _clamp(1 - p / probability, 0.0, 1.0) if probability > 0 else 0.0)
        for state, p in raw
    ]
    total = math.fsum(e for _, _, e in effects)
    return MarkovResult(
        probability,
        tuple(
            RemovalEffect(state, p, e, e / total if total > 0 else 0.0) for state, p, e in effects
        ),
    )


class _Chain:
    """The transient states that matter, indexed, with their transitions normalised per row.

    Only states that START can reach and that can still reach CONVERSION enter the linear
    system: every other state converts with probability 0 (or is never visited), so it acts
    as a dead end. Keeping only these states also keeps ``I − Q`` invertible, because from
    each of them absorption is reachable; a closed loop that never exits would make it
    singular. ``start`` is None when START cannot reach CONVERSION at all.
    """

    def __init__(self, t: Transitions, removed: frozenset[str]) -> None:
        outgoing: dict[str, dict[str, float]] = {}
        row_totals: dict[str, float] = {}
        for (source, target), weight in t.counts.items():
            if weight > 0:
                row_totals[source] = row_totals.get(source, 0.0) + weight
                if source not in removed:
                    row = outgoing.setdefault(source, {})
                    row[target] = row.get(target, 0.0) + weight
        forward = _reachable(START, outgoing)
        backward: dict[str, dict[str, float]] = {}
        for source, row in outgoing.items():
            for target in row:
                backward.setdefault(target, {})[source] = 1.0
        keep = forward & _reachable(CONVERSION, backward)
        keep.discard(CONVERSION)
        self.order: list[str] = sorted(keep - {START})
        self.start: int | None = None
        if START in keep:
            self.order.insert(0, START)
            self.start = 0
        index = {state: i for i, state in enumerate(self.order)}
        n = len(self.order)
        self.q: list[dict[int, float]] = [{} for _ in range(n)]
        self.r = [0.0] * n
        for state, i in index.items():
            # The row total includes moves into dropped and removed states: they are the
            # probability of being lost, which the linear system leaves out of both Q and r.
            total = row_totals[state]
            for target, weight in outgoing[state].items():
                if target == CONVERSION:
                    self.r[i] += weight / total
                elif target in index:
                    self.q[i][index[target]] = self.q[i].get(index[target], 0.0) + weight / total

    def matrix(self) -> list[list[float]]:
        """The dense matrix ``I − Q``."""
        n = len(self.order)
        rows = []
        for i, row in enumerate(self.q):
            dense = [0.0] * n
            for j, p in row.items():
                dense[j] = -p
            dense[i] += 1.0
            rows.append(dense)
        return rows


def _reachable(origin: str, edges: Mapping[str, Mapping[str, float]]) -> set[str]:
    seen = {origin}
    todo = [origin]
    while todo:
        for nxt in edges.get(todo.pop(), {}):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


# The LU factorisation is kept as (rows, perm): rows hold U on and above the diagonal and the
# multipliers of the unit lower triangle L below it; row i of P·A is row perm[i] of A.
_LU = tuple[list[list[float]], list[int]]


def _factor(a: list[list[float]]) -> _LU:
    """LU factorisation with partial pivoting, in place on ``a`` (rows as lists)."""
    n = len(a)
    perm = list(range(n))
    for k in range(n):
        pivot = max(range(k, n), key=lambda i: abs(a[i][k]))
        if a[pivot][k] == 0:
            # Cannot happen for the chains _Chain builds; a clear message beats ZeroDivisionError.
            raise AttributionError(f"the Markov chain is singular at state index {k}")
        if pivot != k:
            a[k], a[pivot] = a[pivot], a[k]
            perm[k], perm[pivot] = perm[pivot], perm[k]
        head = a[k]
        tail = head[k + 1 :]
        for i in range(k + 1, n):
            row = a[i]
            if row[k] != 0:  # paths make sparse chains: most rows need no update
                m = row[k] / head[k]
                row[k] = m
                row[k + 1 :] = [v - m * u for v, u in zip(row[k + 1 :], tail, strict=True)]
    return a, perm


def _solve(lu: _LU, b: Sequence[float]) -> list[float]:
    """Solve ``A x = b``: forward substitution with L, then back substitution with U."""
    a, perm = lu
    n = len(a)
    y = [b[p] for p in perm]
    for i in range(n):
        row = a[i]
        y[i] -= math.fsum(row[j] * y[j] for j in range(i) if row[j] != 0)
    for i in range(n - 1, -1, -1):
        row = a[i]
        y[i] = (y[i] - math.fsum(row[j] * y[j] for j in range(i + 1, n) if row[j] != 0)) / row[i]
    return y


def _solve_transposed(lu: _LU, b: Sequence[float]) -> list[float]:
    """Solve ``Aᵀ y = b``, i.e. ``y = bᵀ A⁻¹``: one row of the inverse when ``b`` is a unit."""
    a, perm = lu
    n = len(a)
    # Aᵀ = Uᵀ Lᵀ P. Uᵀ z = b goes forward, Lᵀ w = z backward; both walk the rows of the
    # factors and subtract a multiple of each solved row from the rest (row-oriented saxpy).
    z = list(b)
    for i in range(n):
        row = a[i]
        z[i] /= row[i]
        if z[i] != 0:
            zi = z[i]
            z[i + 1 :] = [v - zi * u for v, u in zip(z[i + 1 :], row[i + 1 :], strict=True)]
    for i in range(n - 1, -1, -1):
        row = a[i]
        if z[i] != 0:
            zi = z[i]
            z[:i] = [v - zi * u for v, u in zip(z[:i], row[:i], strict=True)]
    y = [0.0] * n
    for i, p in enumerate(perm):
        y[p] = z[i]
    return y


def _inverse_diagonal(lu: _LU) -> list[float]:
    """The diagonal of ``A⁻¹ = U⁻¹ L⁻¹ P``, from the inverses of the two triangular factors."""
    a, perm = lu
    n = len(a)
    # L⁻¹ is unit lower triangular: row i keeps columns 0..i only (n³/6 multiplications).
    l_inv: list[list[float]] = []
    for i in range(n):
        row = a[i]
        acc = [0.0] * i + [1.0]
        for j in range(i):
            m = row[j]
            if m != 0:
                acc[: j + 1] = [v - m * u for v, u in zip(acc, l_inv[j], strict=False)]
        l_inv.append(acc)
    # U⁻¹ is upper triangular: row i keeps columns i..n-1, stored from offset i.
    u_inv: list[list[float]] = [[] for _ in range(n)]
    for i in range(n - 1, -1, -1):
        row = a[i]
        acc = [1.0] + [0.0] * (n - 1 - i)
        for j in range(i + 1, n):
            u = row[j]
            if u != 0:
                off = j - i
                acc[off:] = [v - u * w for v, w in zip(acc[off:], u_inv[j], strict=True)]
        pivot = row[i]
        u_inv[i] = [v / pivot for v in acc]
    # A⁻¹[k, perm[j]] = Σ_m U⁻¹[k, m] · L⁻¹[m, j], over m ≥ max(k, j) where both are non-zero.
    column_of = [0] * n
    for j, p in enumerate(perm):
        column_of[p] = j
    diagonal = []
    for k in range(n):
        j = column_of[k]
        first = max(k, j)
        diagonal.append(math.fsum(u_inv[k][m - k] * l_inv[m][j] for m in range(first, n)))
    return diagonal


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
