-- engagement_rate_month_by_platform: engagement_rate
-- scan       f0_post            post by month, platform: engagements{where impressions known}, impressions{where engagements known}
-- spine      s0                 every period and key seen, on a full period grid
-- coverage   cov0               periods in which post have rows (a missing key then counts 0)
-- combine    b0                 join 1 input(s) on period, platform
-- kpi        v0                 engagement_rate = ((engagements{where impressions known} / impressions{where engagements known}) * 100)
-- shift      l0_5               compare with the previous period

WITH f0_post AS MATERIALIZED (
SELECT CAST(date_trunc('month', t.local_date) AS DATE) AS period_start, t.platform AS k_platform, CASE WHEN count(*) FILTER (WHERE (t.impressions IS NOT NULL)) = 0 THEN 0 ELSE sum(coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0)))) FILTER (WHERE (t.impressions IS NOT NULL)) END AS m1, TRUE AS m1_seen, CASE WHEN count(*) FILTER (WHERE (coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0))) IS NOT NULL)) = 0 THEN 0 ELSE sum(t.impressions) FILTER (WHERE (coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0))) IS NOT NULL)) END AS m2, TRUE AS m2_seen, TRUE AS _present
FROM post AS t
WHERE t.local_date >= DATE '2026-09-01' AND t.local_date < DATE '2026-11-01'
GROUP BY 1, 2
),
s0 AS (
SELECT g.period_start, d.* FROM (SELECT CAST(unnest(generate_series(DATE '2026-09-01', DATE '2026-11-01' - INTERVAL 1 DAY, INTERVAL 1 MONTH)) AS DATE) AS period_start) AS g CROSS JOIN (
SELECT k_platform, bool_or(s_m1) AS s_m1, bool_or(s_m2) AS s_m2 FROM (
SELECT k_platform, bool_or(m1_seen) AS s_m1, bool_or(m2_seen) AS s_m2 FROM f0_post GROUP BY k_platform
) AS u
GROUP BY k_platform) AS d
),
cov0 AS (
SELECT period_start, bool_or(f = 0) AS c_post FROM (
SELECT DISTINCT period_start, 0 AS f FROM f0_post
) AS u
GROUP BY period_start
),
b0 AS (
SELECT sp.period_start, sp.k_platform, sp.s_m1, sp.s_m2, CASE WHEN i0._present THEN i0.m1 WHEN cv.c_post THEN 0 END AS m1, CASE WHEN i0._present THEN i0.m2 WHEN cv.c_post THEN 0 END AS m2
FROM s0 AS sp
LEFT JOIN cov0 AS cv ON cv.period_start = sp.period_start
LEFT JOIN f0_post AS i0 ON i0.period_start = sp.period_start AND i0.k_platform IS NOT DISTINCT FROM sp.k_platform
),
l0_4 AS MATERIALIZED (
SELECT *, ((CAST(m1 AS DOUBLE) / NULLIF(m2, 0)) * 100) AS v3, m1 AS v3_num, m2 AS v3_den
FROM b0
),
l0_5 AS (
SELECT cur.*, p.v3 AS v3_cmp
FROM l0_4 AS cur
LEFT JOIN l0_4 AS p ON p.period_start = CAST(cur.period_start - INTERVAL 1 MONTH AS DATE) AND p.k_platform IS NOT DISTINCT FROM cur.k_platform
),
result AS (
SELECT o.period_start, o.k_platform, unnest([{'kpi_order': 0, 'kpi': 'engagement_rate', 'value': CAST(o.v3 AS DOUBLE), 'numerator': CAST(o.v3_num AS DOUBLE), 'denominator': CAST(o.v3_den AS DOUBLE), 'previous_value': CAST(o.v3_cmp AS DOUBLE), 'keep': (o.s_m1 OR o.s_m2)}], recursive := true)
FROM l0_5 AS o
WHERE o.period_start >= DATE '2026-10-01' AND o.period_start < DATE '2026-11-01'
)
SELECT r.kpi, r.period_start, CAST(r.k_platform AS VARCHAR) AS platform, r.value, r.numerator, r.denominator, r.previous_value
FROM result AS r
WHERE r.keep
ORDER BY r.kpi_order, r.period_start, r.k_platform NULLS LAST
