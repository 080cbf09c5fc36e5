-- sentiment_across_facts: brand_sentiment_evolution
-- scan       f0_message         message by month, platform: messages[sentiment_label = 'positive'], messages[sentiment_label = 'negative']
-- scan       f0_mention         mention by month, platform: mentions[sentiment_label = 'positive'], mentions[sentiment_label = 'negative']
-- spine      s0                 every period and key seen, on a full period grid
-- coverage   cov0               periods in which message, mention have rows (a missing key then counts 0)
-- combine    b0                 join 2 input(s) on period, platform
-- shift      l0_7               1 value(s) of the period 1 step(s) earlier
-- kpi        v0                 brand_sentiment_evolution = ((((((coalesce(messages[sentiment_label = 'positive'], 0) + coalesce(mentions[sentiment_label = 'positive'], 0)) / (((coalesce(messages[sentiment_label = 'positive'], 0) + coalesce(messages[sentiment_label = 'negative'], 0)) + coalesce(mentions[sentiment_label = 'positive'], 0)) + coalesce(mentions[sentiment_label = 'negative'], 0))) * 100) - previous((((coalesce(messages[sentiment_label = 'positive'], 0) + coalesce(mentions[sentiment_label = 'positive'], 0)) / (((coalesce(messages[sentiment_label = 'positive'], 0) + coalesce(messages[sentiment_label = 'negative'], 0)) + coalesce(mentions[sentiment_label = 'positive'], 0)) + coalesce(mentions[sentiment_label = 'negative'], 0))) * 100))) / previous((((coalesce(messages[sentiment_label = 'positive'], 0) + coalesce(mentions[sentiment_label = 'positive'], 0)) / (((coalesce(messages[sentiment_label = 'positive'], 0) + coalesce(messages[sentiment_label = 'negative'], 0)) + coalesce(mentions[sentiment_label = 'positive'], 0)) + coalesce(mentions[sentiment_label = 'negative'], 0))) * 100))) * 100)
-- shift      l0_10              compare with the previous period

WITH f0_message AS MATERIALIZED (
SELECT CAST(date_trunc('month', t.local_date) AS DATE) AS period_start, t.platform AS k_platform, count(*) FILTER (WHERE (t.sentiment_label = 'positive')) AS m1, count(*) FILTER (WHERE (t.sentiment_label = 'positive')) > 0 AS m1_seen, count(*) FILTER (WHERE (t.sentiment_label = 'negative')) AS m2, count(*) FILTER (WHERE (t.sentiment_label = 'negative')) > 0 AS m2_seen, TRUE AS _present
FROM message AS t
WHERE t.local_date >= DATE '2026-08-01' AND t.local_date < DATE '2026-11-01'
GROUP BY 1, 2
),
f0_mention AS MATERIALIZED (
SELECT CAST(date_trunc('month', t.local_date) AS DATE) AS period_start, t.platform AS k_platform, count(*) FILTER (WHERE (t.sentiment_label = 'positive')) AS m3, count(*) FILTER (WHERE (t.sentiment_label = 'positive')) > 0 AS m3_seen, count(*) FILTER (WHERE (t.sentiment_label = 'negative')) AS m4, count(*) FILTER (WHERE (t.sentiment_label = 'negative')) > 0 AS m4_seen, TRUE AS _present
FROM mention AS t
WHERE t.local_date >= DATE '2026-08-01' AND t.local_date < DATE '2026-11-01'
GROUP BY 1, 2
),
s0 AS (
SELECT g.period_start, d.* FROM (SELECT CAST(unnest(generate_series(DATE '2026-08-01', DATE '2026-11-01' - INTERVAL 1 DAY, INTERVAL 1 MONTH)) AS DATE) AS period_start) AS g CROSS JOIN (
SELECT k_platform, bool_or(s_m1) AS s_m1, bool_or(s_m2) AS s_m2, bool_or(s_m3) AS s_m3, bool_or(s_m4) AS s_m4 FROM (
SELECT k_platform, bool_or(m1_seen) AS s_m1, bool_or(m2_seen) AS s_m2, FALSE AS s_m3, FALSE AS s_m4 FROM f0_message GROUP BY k_platform
UNION ALL
SELECT k_platform, FALSE AS s_m1, FALSE AS s_m2, bool_or(m3_seen) AS s_m3, bool_or(m4_seen) AS s_m4 FROM f0_mention GROUP BY k_platform
) AS u
GROUP BY k_platform) AS d
),
cov0 AS (
SELECT period_start, bool_or(f = 0) AS c_message, bool_or(f = 1) AS c_mention FROM (
SELECT DISTINCT period_start, 0 AS f FROM f0_message
UNION ALL
SELECT DISTINCT period_start, 1 AS f FROM f0_mention
) AS u
GROUP BY period_start
),
b0 AS (
SELECT sp.period_start, sp.k_platform, sp.s_m1, sp.s_m2, sp.s_m3, sp.s_m4, CASE WHEN i0._present THEN i0.m1 WHEN cv.c_message THEN 0 END AS m1, CASE WHEN i0._present THEN i0.m2 WHEN cv.c_message THEN 0 END AS m2, CASE WHEN i1._present THEN i1.m3 WHEN cv.c_mention THEN 0 END AS m3, CASE WHEN i1._present THEN i1.m4 WHEN cv.c_mention THEN 0 END AS m4
FROM s0 AS sp
LEFT JOIN cov0 AS cv ON cv.period_start = sp.period_start
LEFT JOIN f0_message AS i0 ON i0.period_start = sp.period_start AND i0.k_platform IS NOT DISTINCT FROM sp.k_platform
LEFT JOIN f0_mention AS i1 ON i1.period_start = sp.period_start AND i1.k_platform IS NOT DISTINCT FROM sp.k_platform
),
l0_6 AS MATERIALIZED (
SELECT *, ((CAST((coalesce(m1, 0) + coalesce(m3, 0)) AS DOUBLE) / NULLIF((((coalesce(m1, 0) + coalesce(m2, 0)) + coalesce(m3, 0)) + coalesce(m4, 0)), 0)) * 100) AS x5
FROM b0
),
l0_7 AS (
SELECT cur.*, p.x5 AS x5_p1
FROM l0_6 AS cur
LEFT JOIN l0_6 AS p ON p.period_start = CAST(cur.period_start - INTERVAL 1 MONTH AS DATE) AND p.k_platform IS NOT DISTINCT FROM cur.k_platform
),
l0_9 AS MATERIALIZED (
SELECT *, ((CAST((((CAST((coalesce(m1, 0) + coalesce(m3, 0)) AS DOUBLE) / NULLIF((((coalesce(m1, 0) + coalesce(m2, 0)) + coalesce(m3, 0)) + coalesce(m4, 0)), 0)) * 100) - x5_p1) AS DOUBLE) / NULLIF(x5_p1, 0)) * 100) AS v8, (((CAST((coalesce(m1, 0) + coalesce(m3, 0)) AS DOUBLE) / NULLIF((((coalesce(m1, 0) + coalesce(m2, 0)) + coalesce(m3, 0)) + coalesce(m4, 0)), 0)) * 100) - x5_p1) AS v8_num, x5_p1 AS v8_den
FROM l0_7
),
l0_10 AS (
SELECT cur.*, p.v8 AS v8_cmp
FROM l0_9 AS cur
LEFT JOIN l0_9 AS p ON p.period_start = CAST(cur.period_start - INTERVAL 1 MONTH AS DATE) AND p.k_platform IS NOT DISTINCT FROM cur.k_platform
),
result AS (
SELECT o.period_start, o.k_platform, unnest([{'kpi_order': 0, 'kpi': 'brand_sentiment_evolution', 'value': CAST(o.v8 AS DOUBLE), 'numerator': CAST(o.v8_num AS DOUBLE), 'denominator': CAST(o.v8_den AS DOUBLE), 'previous_value': CAST(o.v8_cmp AS DOUBLE), 'keep': (o.s_m1 OR o.s_m2 OR o.s_m3 OR o.s_m4)}], recursive := true)
FROM l0_10 AS o
WHERE o.period_start >= DATE '2026-10-01' AND o.period_start < DATE '2026-11-01'
)
SELECT r.kpi, r.period_start, CAST(r.k_platform AS VARCHAR) AS platform, r.value, r.numerator, r.denominator, r.previous_value
FROM result AS r
WHERE r.keep
ORDER BY r.kpi_order, r.period_start, r.k_platform NULLS LAST
