-- improvement_with_previous_and_year: engagement_rate_improvement
-- scan       f0_post            post by month: engagements{where impressions known}, impressions{where engagements known}
-- spine      s0                 every period and key seen, on a full period grid
-- coverage   cov0               periods in which post have rows (a missing key then counts 0)
-- combine    b0                 join 1 input(s) on period
-- shift      l0_5               1 value(s) of the period 1 step(s) earlier
-- kpi        v0                 engagement_rate_improvement = (((((engagements{where impressions known} / impressions{where engagements known}) * 100) - previous(((engagements{where impressions known} / impressions{where engagements known}) * 100))) / previous(((engagements{where impressions known} / impressions{where engagements known}) * 100))) * 100)
-- shift      l0_8               compare with the year period

WITH f0_post AS MATERIALIZED (
SELECT CAST(date_trunc('month', t.local_date) AS DATE) AS period_start, CASE WHEN count(*) FILTER (WHERE (t.impressions IS NOT NULL)) = 0 THEN 0 ELSE sum(coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0)))) FILTER (WHERE (t.impressions IS NOT NULL)) END AS m1, TRUE AS m1_seen, CASE WHEN count(*) FILTER (WHERE (coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0))) IS NOT NULL)) = 0 THEN 0 ELSE sum(t.impressions) FILTER (WHERE (coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0))) IS NOT NULL)) END AS m2, TRUE AS m2_seen, TRUE AS _present
FROM post AS t
WHERE t.local_date >= DATE '2025-09-01' AND t.local_date < DATE '2026-11-01'
GROUP BY 1
),
s0 AS (
SELECT CAST(unnest(generate_series(DATE '2025-09-01', DATE '2026-11-01' - INTERVAL 1 DAY, INTERVAL 1 MONTH)) AS DATE) AS period_start
),
cov0 AS (
SELECT period_start, bool_or(f = 0) AS c_post FROM (
SELECT DISTINCT period_start, 0 AS f FROM f0_post
) AS u
GROUP BY period_start
),
b0 AS (
SELECT sp.period_start, CASE WHEN i0._present THEN i0.m1 WHEN cv.c_post THEN 0 END AS m1, CASE WHEN i0._present THEN i0.m2 WHEN cv.c_post THEN 0 END AS m2
FROM s0 AS sp
LEFT JOIN cov0 AS cv ON cv.period_start = sp.period_start
LEFT JOIN f0_post AS i0 ON i0.period_start = sp.period_start
),
l0_4 AS MATERIALIZED (
SELECT *, ((CAST(m1 AS DOUBLE) / NULLIF(m2, 0)) * 100) AS x3
FROM b0
),
l0_5 AS (
SELECT cur.*, p.x3 AS x3_p1
FROM l0_4 AS cur
LEFT JOIN l0_4 AS p ON p.period_start = CAST(cur.period_start - INTERVAL 1 MONTH AS DATE)
),
l0_7 AS MATERIALIZED (
SELECT *, ((CAST((((CAST(m1 AS DOUBLE) / NULLIF(m2, 0)) * 100) - x3_p1) AS DOUBLE) / NULLIF(x3_p1, 0)) * 100) AS v6, (((CAST(m1 AS DOUBLE) / NULLIF(m2, 0)) * 100) - x3_p1) AS v6_num, x3_p1 AS v6_den
FROM l0_5
),
l0_8 AS (
SELECT cur.*, p.v6 AS v6_cmp
FROM l0_7 AS cur
LEFT JOIN l0_7 AS p ON p.period_start = CAST(cur.period_start - INTERVAL 12 MONTH AS DATE)
),
result AS (
SELECT o.period_start, unnest([{'kpi_order': 0, 'kpi': 'engagement_rate_improvement', 'value': CAST(o.v6 AS DOUBLE), 'numerator': CAST(o.v6_num AS DOUBLE), 'denominator': CAST(o.v6_den AS DOUBLE), 'previous_value': CAST(o.v6_cmp AS DOUBLE), 'keep': TRUE}], recursive := true)
FROM l0_8 AS o
WHERE o.period_start >= DATE '2026-10-01' AND o.period_start < DATE '2026-11-01'
)
SELECT r.kpi, r.period_start, r.value, r.numerator, r.denominator, r.previous_value
FROM result AS r
WHERE r.keep
ORDER BY r.kpi_order, r.period_start
