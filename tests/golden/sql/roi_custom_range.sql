-- roi_custom_range: social_media_roi, customer_acquisition_cost
-- scan       f0_revenue         revenue by custom period: revenue[source in ('organic_social', 'paid_social')]
-- scan       f0_cost            cost_daily by custom period: cost
-- scan       f0_customer        customer by custom period: customers[source in ('organic_social', 'paid_social')]
-- spine      s0                 every period and key seen, on a full period grid
-- coverage   cov0               periods in which revenue, cost, customer have rows (a missing key then counts 0)
-- combine    b0                 join 3 input(s) on period
-- kpi        v0                 social_media_roi = ((revenue[source in ('organic_social', 'paid_social')] - cost) / cost)
-- kpi        v0                 customer_acquisition_cost = (cost / customers[source in ('organic_social', 'paid_social')])
-- shift      l0_7               compare with the previous period

WITH periods AS (
SELECT * FROM (VALUES (DATE '2026-09-05', DATE '2026-10-05'), (DATE '2026-10-05', DATE '2026-11-04')) AS v(period_start, period_end)
),
f0_revenue AS MATERIALIZED (
SELECT pp.period_start AS period_start, CASE WHEN count(*) FILTER (WHERE (t.source IN ('organic_social', 'paid_social'))) = 0 THEN 0 ELSE sum(t.amount) FILTER (WHERE (t.source IN ('organic_social', 'paid_social'))) END AS m1, count(*) FILTER (WHERE (t.source IN ('organic_social', 'paid_social'))) > 0 AS m1_seen, TRUE AS _present
FROM revenue AS t
  JOIN periods AS pp ON t.local_date >= pp.period_start AND t.local_date < pp.period_end
WHERE t.local_date >= DATE '2026-09-05' AND t.local_date < DATE '2026-11-04'
GROUP BY 1
),
f0_cost AS MATERIALIZED (
SELECT pp.period_start AS period_start, sum(t.amount) AS m2, TRUE AS m2_seen, TRUE AS _present
FROM cost_daily AS t
  JOIN periods AS pp ON t.day >= pp.period_start AND t.day < pp.period_end
WHERE t.day >= DATE '2026-09-05' AND t.day < DATE '2026-11-04'
GROUP BY 1
),
f0_customer AS MATERIALIZED (
SELECT pp.period_start AS period_start, count(*) FILTER (WHERE (t.source IN ('organic_social', 'paid_social'))) AS m3, count(*) FILTER (WHERE (t.source IN ('organic_social', 'paid_social'))) > 0 AS m3_seen, TRUE AS _present
FROM customer AS t
  JOIN periods AS pp ON t.local_date >= pp.period_start AND t.local_date < pp.period_end
WHERE t.local_date >= DATE '2026-09-05' AND t.local_date < DATE '2026-11-04'
GROUP BY 1
),
s0 AS (
SELECT period_start FROM periods
),
cov0 AS (
SELECT period_start, bool_or(f = 0) AS c_revenue, bool_or(f = 1) AS c_cost, bool_or(f = 2) AS c_customer FROM (
SELECT DISTINCT period_start, 0 AS f FROM f0_revenue
UNION ALL
SELECT DISTINCT period_start, 1 AS f FROM f0_cost
UNION ALL
SELECT DISTINCT period_start, 2 AS f FROM f0_customer
) AS u
GROUP BY period_start
),
b0 AS (
SELECT sp.period_start, CASE WHEN i0._present THEN i0.m1 WHEN cv.c_revenue THEN 0 END AS m1, CASE WHEN i1._present THEN i1.m2 WHEN cv.c_cost THEN 0 END AS m2, CASE WHEN i2._present THEN i2.m3 WHEN cv.c_customer THEN 0 END AS m3
FROM s0 AS sp
LEFT JOIN cov0 AS cv ON cv.period_start = sp.period_start
LEFT JOIN f0_revenue AS i0 ON i0.period_start = sp.period_start
LEFT JOIN f0_cost AS i1 ON i1.period_start = sp.period_start
LEFT JOIN f0_customer AS i2 ON i2.period_start = sp.period_start
),
l0_6 AS MATERIALIZED (
SELECT *, (CAST((m1 - m2) AS DOUBLE) / NULLIF(m2, 0)) AS v4, (m1 - m2) AS v4_num, m2 AS v4_den, (CAST(m2 AS DOUBLE) / NULLIF(m3, 0)) AS v5, m2 AS v5_num, m3 AS v5_den
FROM b0
),
l0_7 AS (
SELECT cur.*, p.v4 AS v4_cmp, p.v5 AS v5_cmp
FROM l0_6 AS cur
LEFT JOIN l0_6 AS p ON p.period_start = CAST(cur.period_start - INTERVAL 30 DAY AS DATE)
),
result AS (
SELECT o.period_start, unnest([{'kpi_order': 0, 'kpi': 'social_media_roi', 'value': CAST(o.v4 AS DOUBLE), 'numerator': CAST(o.v4_num AS DOUBLE), 'denominator': CAST(o.v4_den AS DOUBLE), 'previous_value': CAST(o.v4_cmp AS DOUBLE), 'keep': TRUE}, {'kpi_order': 1, 'kpi': 'customer_acquisition_cost', 'value': CAST(o.v5 AS DOUBLE), 'numerator': CAST(o.v5_num AS DOUBLE), 'denominator': CAST(o.v5_den AS DOUBLE), 'previous_value': CAST(o.v5_cmp AS DOUBLE), 'keep': TRUE}], recursive := true)
FROM l0_7 AS o
WHERE o.period_start = DATE '2026-10-05'
)
SELECT r.kpi, r.period_start, r.value, r.numerator, r.denominator, r.previous_value
FROM result AS r
WHERE r.keep
ORDER BY r.kpi_order, r.period_start
