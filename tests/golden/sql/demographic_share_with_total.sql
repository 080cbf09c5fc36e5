-- demographic_share_with_total: followers_by_country
-- stock      f0_audience_s1     audience: per account, dimension, segment in each month (stocks: last or first value), then added up: audience_followers[dimension = 'country']
-- spine      s0                 every period and key seen
-- combine    b0                 join 1 input(s) on period, platform, segment
-- window     l0_6               total:audience_followers[dimension = 'country'] over segment
-- kpi        v0                 followers_by_country = ((audience_followers[dimension = 'country'] / total(audience_followers[dimension = 'country'])) * 100)

WITH f0_audience_s1 AS MATERIALIZED (
SELECT period_start, k_platform, k_segment, sum(CASE WHEN (e_1 = 'country') THEN g3 END) AS m2, bool_or((e_1 = 'country')) AS m2_seen, TRUE AS _present
FROM (
  SELECT CAST(date_trunc('month', t.as_of) AS DATE) AS period_start, t.platform AS k_platform, t.segment AS k_segment, t.account_id AS e_0, t.dimension AS e_1, t.segment AS e_2, arg_max(t.followers, t.as_of) FILTER (WHERE t.followers IS NOT NULL) AS g3
  FROM audience AS t
  WHERE t.as_of >= DATE '2026-10-01' AND t.as_of < DATE '2026-11-01'
  GROUP BY 1, 2, 3, 4, 5, 6
) AS per_entity
GROUP BY 1, 2, 3
),
s0 AS (
SELECT period_start, k_platform, k_segment FROM f0_audience_s1
),
b0 AS (
SELECT sp.period_start, sp.k_platform, sp.k_segment, coalesce(i0.m2_seen, FALSE) AS s_m2, i0.m2
FROM s0 AS sp
LEFT JOIN f0_audience_s1 AS i0 ON i0.period_start = sp.period_start AND i0.k_platform IS NOT DISTINCT FROM sp.k_platform AND i0.k_segment IS NOT DISTINCT FROM sp.k_segment
),
l0_5 AS (
SELECT *, m2 AS x4
FROM b0
),
l0_6 AS (
SELECT *, sum(x4) OVER (PARTITION BY period_start, k_platform) AS x4_total
FROM l0_5
),
l0_8 AS MATERIALIZED (
SELECT *, ((CAST(m2 AS DOUBLE) / NULLIF(x4_total, 0)) * 100) AS v7, m2 AS v7_num, x4_total AS v7_den
FROM l0_6
),
result AS (
SELECT o.period_start, o.k_platform, o.k_segment, unnest([{'kpi_order': 0, 'kpi': 'followers_by_country', 'value': CAST(o.v7 AS DOUBLE), 'numerator': CAST(o.v7_num AS DOUBLE), 'denominator': CAST(o.v7_den AS DOUBLE), 'previous_value': CAST(NULL AS DOUBLE), 'keep': (o.s_m2)}], recursive := true)
FROM l0_8 AS o
WHERE o.period_start >= DATE '2026-10-01' AND o.period_start < DATE '2026-11-01'
)
SELECT r.kpi, r.period_start, CAST(r.k_platform AS VARCHAR) AS platform, CAST(r.k_segment AS VARCHAR) AS segment, r.value, r.numerator, r.denominator, r.previous_value
FROM result AS r
WHERE r.keep
ORDER BY r.kpi_order, r.period_start, r.k_platform NULLS LAST, r.k_segment NULLS LAST
