-- followers_stock_by_account: followers, audience_growth_velocity
-- stock      f0_account_daily_s1 account_daily: per account in each quarter (stocks: last or first value), then added up: followers, followers_opening, followers_gained{where followers_lost known}, followers_lost{where followers_gained known}
-- spine      s0                 every period and key seen, on a full period grid
-- coverage   cov0               periods in which account_daily have rows (a missing key then counts 0)
-- combine    b0                 join 1 input(s) on period, account
-- kpi        v0                 followers = followers
-- kpi        v0                 audience_growth_velocity = (((followers_gained{where followers_lost known} - followers_lost{where followers_gained known}) / followers_opening) * 100)

WITH f0_account_daily_s1 AS MATERIALIZED (
SELECT period_start, k_account, sum(m2) AS m2, bool_or(m2_seen) AS m2_seen, sum(m3) AS m3, bool_or(m3_seen) AS m3_seen, sum(m4) AS m4, bool_or(m4_seen) AS m4_seen, sum(m5) AS m5, bool_or(m5_seen) AS m5_seen, TRUE AS _present
FROM (
  SELECT CAST(date_trunc('quarter', t.day) AS DATE) AS period_start, t.account_id AS k_account, t.account_id AS e_0, arg_max(t.followers, t.day) FILTER (WHERE t.followers IS NOT NULL) AS m2, TRUE AS m2_seen, arg_min(t.followers, t.day) FILTER (WHERE t.followers IS NOT NULL) AS m3, TRUE AS m3_seen, CASE WHEN count(*) FILTER (WHERE (t.followers_lost IS NOT NULL)) = 0 THEN 0 ELSE sum(t.followers_gained) FILTER (WHERE (t.followers_lost IS NOT NULL)) END AS m4, TRUE AS m4_seen, CASE WHEN count(*) FILTER (WHERE (t.followers_gained IS NOT NULL)) = 0 THEN 0 ELSE sum(t.followers_lost) FILTER (WHERE (t.followers_gained IS NOT NULL)) END AS m5, TRUE AS m5_seen
  FROM account_daily AS t
  WHERE t.day >= DATE '2026-07-01' AND t.day < DATE '2026-10-01'
  GROUP BY 1, 2, 3
) AS per_entity
GROUP BY 1, 2
),
s0 AS (
SELECT g.period_start, d.* FROM (SELECT CAST(unnest(generate_series(DATE '2026-07-01', DATE '2026-10-01' - INTERVAL 1 DAY, INTERVAL 3 MONTH)) AS DATE) AS period_start) AS g CROSS JOIN (
SELECT k_account, bool_or(s_m2) AS s_m2, bool_or(s_m3) AS s_m3, bool_or(s_m4) AS s_m4, bool_or(s_m5) AS s_m5 FROM (
SELECT k_account, bool_or(m2_seen) AS s_m2, bool_or(m3_seen) AS s_m3, bool_or(m4_seen) AS s_m4, bool_or(m5_seen) AS s_m5 FROM f0_account_daily_s1 GROUP BY k_account
) AS u
GROUP BY k_account) AS d
),
cov0 AS (
SELECT period_start, bool_or(f = 0) AS c_account_daily FROM (
SELECT DISTINCT period_start, 0 AS f FROM f0_account_daily_s1
) AS u
GROUP BY period_start
),
b0 AS (
SELECT sp.period_start, sp.k_account, sp.s_m2, sp.s_m3, sp.s_m4, sp.s_m5, i0.m2, i0.m3, CASE WHEN i0._present THEN i0.m4 WHEN cv.c_account_daily THEN 0 END AS m4, CASE WHEN i0._present THEN i0.m5 WHEN cv.c_account_daily THEN 0 END AS m5
FROM s0 AS sp
LEFT JOIN cov0 AS cv ON cv.period_start = sp.period_start
LEFT JOIN f0_account_daily_s1 AS i0 ON i0.period_start = sp.period_start AND i0.k_account IS NOT DISTINCT FROM sp.k_account
),
l0_8 AS MATERIALIZED (
SELECT *, m2 AS v6, m2 AS v6_num, NULL AS v6_den, ((CAST((m4 - m5) AS DOUBLE) / NULLIF(m3, 0)) * 100) AS v7, (m4 - m5) AS v7_num, m3 AS v7_den
FROM b0
),
result AS (
SELECT o.period_start, o.k_account, unnest([{'kpi_order': 0, 'kpi': 'followers', 'value': CAST(o.v6 AS DOUBLE), 'numerator': CAST(o.v6_num AS DOUBLE), 'denominator': CAST(o.v6_den AS DOUBLE), 'previous_value': CAST(NULL AS DOUBLE), 'keep': (o.s_m2)}, {'kpi_order': 1, 'kpi': 'audience_growth_velocity', 'value': CAST(o.v7 AS DOUBLE), 'numerator': CAST(o.v7_num AS DOUBLE), 'denominator': CAST(o.v7_den AS DOUBLE), 'previous_value': CAST(NULL AS DOUBLE), 'keep': (o.s_m3 OR o.s_m4 OR o.s_m5)}], recursive := true)
FROM l0_8 AS o
WHERE o.period_start >= DATE '2026-07-01' AND o.period_start < DATE '2026-10-01'
)
SELECT r.kpi, r.period_start, CAST(lk_account.platform AS VARCHAR) || ':' || CAST(lk_account.handle AS VARCHAR) AS account, r.value, r.numerator, r.denominator, r.previous_value
FROM result AS r
LEFT JOIN account AS lk_account ON lk_account.account_id = r.k_account
WHERE r.keep
ORDER BY r.kpi_order, r.period_start, r.k_account NULLS LAST
