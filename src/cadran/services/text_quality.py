"""How the content quality index relates to engagement, post by post.

Seed 001 asks for an internal content quality score; the question a team then asks is whether
better-scored posts engage more. Cadran answers with the correlation between each post's
quality score and its engagement, Pearson (linear) and Spearman (rank), each with a 95 %
confidence interval and a p-value, plus the mean engagement per quality score. A correlation
is not a cause: formats, topics and paid boosts move both.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadran.core.correlation import Correlation, pearson, spearman
from cadran.core.errors import UsageError
from cadran.services.workspace import Workspace

# Engagements as the semantic layer defines them; the rate is per reach, else per impression.
_ENGAGEMENTS = (
    "coalesce(engagements_native, coalesce(likes, 0) + coalesce(comments, 0) + "
    "coalesce(shares, 0) + coalesce(saves, 0) + coalesce(clicks, 0))"
)
METRICS = {
    "engagement_rate": f"{_ENGAGEMENTS} * 100.0 / nullif(coalesce(reach, impressions), 0)",
    "engagements": _ENGAGEMENTS,
}


@dataclass(frozen=True)
class QualityRelation:
    """The relation of quality to one engagement metric over the scored posts."""

    metric: str
    posts: int
    pearson: Correlation
    spearman: Correlation
    by_score: tuple[tuple[float, int, float], ...]  # (quality score, posts, mean metric)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description."""
        return {
            "metric": self.metric,
            "posts": self.posts,
            "pearson": _corr(self.pearson),
            "spearman": _corr(self.spearman),
            "by_score": [
                {"quality_score": s, "posts": n, "mean": round(m, 4)} for s, n, m in self.by_score
            ],
        }

    def lines(self) -> list[str]:
        """A plain-text report."""
        out = [f"Content quality score vs {self.metric}, {self.posts:,} posts"]
        for name, c in (("Pearson", self.pearson), ("Spearman", self.spearman)):
            if c.r is None:
                out.append(f"  {name}: not computable ({c.reason})")
            else:
                out.append(
                    f"  {name} r = {c.r:+.3f}, 95 % CI [{c.ci_low:+.3f}, {c.ci_high:+.3f}], "
                    f"p = {c.p_value:.3g}"
                )
        out.append("  quality score   posts   mean " + self.metric)
        out.extend(f"  {s:>13g} {n:>7,}   {m:.3f}" for s, n, m in self.by_score)
        out.append("  (a correlation, not a cause: formats, topics and boosts move both)")
        return out


def _corr(c: Correlation) -> dict[str, object]:
    return {
        "r": c.r,
        "ci_low": c.ci_low,
        "ci_high": c.ci_high,
        "p_value": c.p_value,
        "n": c.n,
        "reason": c.reason,
    }


def quality_relation(ws: Workspace, metric: str = "engagement_rate") -> QualityRelation:
    """Correlate each post's quality score with ``metric`` (see :data:`METRICS`)."""
    expression = METRICS.get(metric)
    if expression is None:
        raise UsageError(f"--against must be one of {', '.join(METRICS)}, not {metric!r}")
    rows = ws.warehouse.rows(
        f"SELECT quality_score, {expression} AS m FROM post "
        f"WHERE quality_score IS NOT NULL AND {expression} IS NOT NULL"
    )
    if not rows and not ws.warehouse.scalar("SELECT count(quality_score) FROM post"):
        raise UsageError("no post has a quality score yet: run `cadran text analyze` first")
    xs = [float(r[0]) for r in rows]
    ys = [float(r[1]) for r in rows]
    groups: dict[float, list[float]] = {}
    for x, y in zip(xs, ys, strict=True):
        groups.setdefault(x, []).append(y)
    by_score = tuple((s, len(v), sum(v) / len(v)) for s, v in sorted(groups.items()))
    return QualityRelation(metric, len(rows), pearson(xs, ys), spearman(xs, ys), by_score)
