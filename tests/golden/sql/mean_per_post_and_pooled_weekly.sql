-- mean_per_post_and_pooled_weekly: engagement_rate_reach, avg_clicks_per_post, engagement_rate
-- scan       f0_post            post by week, format: engagements{where impressions known}, impressions{where engagements known}, avg_per(((engagements / reach) * 100), post), avg_per(clicks, post)
-- spine      s0                 every period and key seen, on a full period grid
-- coverage   cov0               periods in which post have rows (a missing key then counts 0)
-- combine    b0                 join 1 input(s) on period, format
-- kpi        v0                 engagement_rate_reach = avg_per(((engagements / reach) * 100), post)
-- kpi        v0                 avg_clicks_per_post = avg_per(clicks, post)
-- kpi        v0                 engagement_rate = ((engagements{where impressions known} / impressions{where engagements known}) * 100)
-- shift      l0_9               compare with the previous period

WITH f0_post AS MATERIALIZED (
SELECT CAST(date_trunc('week', t.local_date) AS DATE) AS period_start, t.format AS k_format, CASE WHEN count(*) FILTER (WHERE (t.impressions IS NOT NULL)) = 0 THEN 0 ELSE sum(coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0)))) FILTER (WHERE (t.impressions IS NOT NULL)) END AS m1, TRUE AS m1_seen, CASE WHEN count(*) FILTER (WHERE (coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0))) IS NOT NULL)) = 0 THEN 0 ELSE sum(t.impressions) FILTER (WHERE (coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0))) IS NOT NULL)) END AS m2, TRUE AS m2_seen, avg(((CAST(coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0))) AS DOUBLE) / NULLIF(t.reach, 0)) * 100)) AS a3, sum(((CAST(coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0))) AS DOUBLE) / NULLIF(t.reach, 0)) * 100)) AS a3_sum, count(((CAST(coalesce(t.engagements_native, ((((coalesce(t.likes, 0) + coalesce(t.comments, 0)) + coalesce(t.shares, 0)) + coalesce(t.saves, 0)) + coalesce(t.clicks, 0))) AS DOUBLE) / NULLIF(t.reach, 0)) * 100)) AS a3_n, TRUE AS a3_seen, avg(t.clicks) AS a4, sum(t.clicks) AS a4_sum, count(t.clicks) AS a4_n, TRUE AS a4_seen, TRUE AS _present
FROM post AS t
WHERE t.local_date >= DATE '2026-08-31' AND t.local_date < DATE '2026-09-28' AND t.platform IN ('instagram')
GROUP BY 1, 2
),
s0 AS (
SELECT g.period_start, d.* FROM (SELECT CAST(unnest(generate_series(DATE '2026-08-31', DATE '2026-09-28' - INTERVAL 1 DAY, INTERVAL 7 DAY)) AS DATE) AS period_start) AS g CROSS JOIN (
SELECT k_format, bool_or(s_m1) AS s_m1, bool_or(s_m2) AS s_m2, bool_or(s_a3) AS s_a3, bool_or(s_a4) AS s_a4 FROM (
SELECT k_format, bool_or(m1_seen) AS s_m1, bool_or(m2_seen) AS s_m2, bool_or(a3_seen) AS s_a3, bool_or(a4_seen) AS s_a4 FROM f0_post GROUP BY k_format
) AS u
GROUP BY k_format) AS d
),
cov0 AS (
SELECT period_start, bool_or(f = 0) AS c_post FROM (
SELECT DISTINCT CAST(date_trunc('week', t.local_date) AS DATE) AS period_start, 0 AS f
FROM post AS t
WHERE t.local_date >= DATE '2026-08-31' AND t.local_date < DATE '2026-09-28'
) AS u
GROUP BY period_start
),
b0 AS (
SELECT sp.period_start, sp.k_format, sp.s_m1, sp.s_m2, sp.s_a3, sp.s_a4, CASE WHEN i0._present THEN i0.m1 WHEN cv.c_post THEN 0 END AS m1, CASE WHEN i0._present THEN i0.m2 WHEN cv.c_post THEN 0 END AS m2, i0.a3, CASE WHEN i0._present THEN i0.a3_sum WHEN cv.c_post THEN 0 END AS a3_sum, CASE WHEN i0._present THEN i0.a3_n WHEN cv.c_post THEN 0 END AS a3_n, i0.a4, CASE WHEN i0._present THEN i0.a4_sum WHEN cv.c_post THEN 0 END AS a4_sum, CASE WHEN i0._present THEN i0.a4_n WHEN cv.c_post THEN 0 END AS a4_n
FROM s0 AS sp
LEFT JOIN cov0 AS cv ON cv.period_start = sp.period_start
LEFT JOIN f0_post AS i0 ON i0.period_start = sp.period_start AND i0.k_format IS NOT DISTINCT FROM sp.k_format
),
l0_8 AS MATERIALIZED (
SELECT *, a3 AS v5, a3_sum AS v5_num, a3_n AS v5_den, a4 AS v6, a4_sum AS v6_num, a4_n AS v6_den, ((CAST(m1 AS DOUBLE) / NULLIF(m2, 0)) * 100) AS v7, m1 AS v7_num, m2 AS v7_den
FROM b0
),
l0_9 AS (
SELECT cur.*, p.v5 AS v5_cmp, p.v6 AS v6_cmp, p.v7 AS v7_cmp
FROM l0_8 AS cur
LEFT JOIN l0_8 AS p ON p.period_start = CAST(cur.period_start - INTERVAL 7 DAY AS DATE) AND p.k_format IS NOT DISTINCT FROM cur.k_format
),
result AS (
SELECT o.period_start, o.k_format, unnest([{'kpi_order': 0, 'kpi': 'engagement_rate_reach', 'value': CAST(o.v5 AS DOUBLE), 'numerator': CAST(o.v5_num AS DOUBLE), 'denominator': CAST(o.v5_den AS DOUBLE), 'previous_value': CAST(o.v5_cmp AS DOUBLE), 'keep': (o.s_a3)}, {'kpi_order': 1, 'kpi': 'avg_clicks_per_post', 'value': CAST(o.v6 AS DOUBLE), 'numerator': CAST(o.v6_num AS DOUBLE), 'denominator': CAST(o.v6_den AS DOUBLE), 'previous_value': CAST(o.v6_cmp AS DOUBLE), 'keep': (o.s_a4)}, {'kpi_order': 2, 'kpi': 'engagement_rate', 'value': CAST(o.v7 AS DOUBLE), 'numerator': CAST(o.v7_num AS DOUBLE), 'denominator': CAST(o.v7_den AS DOUBLE), 'previous_value': CAST(o.v7_cmp AS DOUBLE), 'keep': (o.s_m1 OR o.s_m2)}], recursive := true)
FROM l0_9 AS o
WHERE o.period_start >= DATE '2026-09-07' AND o.period_start < DATE '2026-09-28'
)
SELECT r.kpi, r.period_start, CAST(r.k_format AS VARCHAR) AS format, r.value, r.numerator, r.denominator, r.previous_value
FROM result AS r
WHERE r.keep
ORDER BY r.kpi_order, r.period_start, r.k_format NULLS LAST
