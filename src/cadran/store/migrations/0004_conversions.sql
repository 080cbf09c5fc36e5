-- Conversions, ROI and attribution (issue #6).
--
-- * touchpoint: each contact a lead or customer had with the brand before converting (a visit
--   from a post, an ad click, a newsletter click...), with its channel (the traffic source),
--   its utm source / medium / campaign, and the platform, campaign and post when known. The
--   attribution models share each conversion out over the touchpoints that preceded it.
-- * cost: `channel` says which traffic source a cost pays for (ads on a platform are paid
--   social, an SEO agency organic search...), `pillar` the content pillar it produced, so that
--   the cost per qualified interaction can be compared by source and ROI ranked by pillar.
--   When `channel` is empty, cost_daily derives it: ads on a platform are paid_social, other
--   costs of a platform organic_social, shared costs have none.
-- * customer_base_daily: customers at the start of each day and customers lost that day, for
--   the churn rate and the churn-based lifetime value. Churn days are local dates in the
--   workspace's time zone (kept in cadran_meta). Days run to the last customer event or order,
--   not to today, so that a period's figures do not move with the date they are read on.

CREATE TABLE touchpoint (
    touchpoint_id BIGINT NOT NULL,
    native_id     VARCHAR NOT NULL,
    occurred_at   TIMESTAMPTZ NOT NULL,
    local_date    DATE NOT NULL,
    lead_id       BIGINT,                -- whose journey it belongs to: a lead,
    customer_id   BIGINT,                -- or a customer (or both)
    channel       traffic_source NOT NULL,
    source        VARCHAR,               -- utm_source / GA4 session source: facebook.com, google
    medium        VARCHAR,               -- utm_medium: social, cpc, email
    utm_campaign  VARCHAR,
    platform      platform,
    campaign_id   INTEGER,
    post_id       BIGINT,
    interaction   VARCHAR,               -- visit, click, view, open... (free text)
    batch_id      INTEGER NOT NULL
);

CREATE TABLE touchpoint_history AS
SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM touchpoint LIMIT 0;

ALTER TABLE cost ADD COLUMN channel traffic_source;
ALTER TABLE cost ADD COLUMN pillar VARCHAR;
ALTER TABLE cost_history ADD COLUMN channel traffic_source;
ALTER TABLE cost_history ADD COLUMN pillar VARCHAR;

DROP VIEW cost_daily;
CREATE VIEW cost_daily AS
SELECT c.cost_id, c.category, c.platform, c.campaign_id, c.currency, c.batch_id, c.pillar,
       coalesce(
           CAST(c.channel AS VARCHAR),
           CASE WHEN c.platform IS NULL THEN NULL
                WHEN c.category = 'ads' THEN 'paid_social'
                ELSE 'organic_social' END
       ) AS source,
       CAST(d AS DATE) AS day,
       CAST(c.amount AS DOUBLE) / (date_diff('day', c.period_start, c.period_end) + 1) AS amount
FROM cost AS c, LATERAL generate_series(c.period_start, c.period_end, INTERVAL 1 DAY) AS g(d);

CREATE VIEW customer_base_daily AS
WITH events AS (
    SELECT local_date AS day, 1 AS acquired, 0 AS churned FROM customer
    UNION ALL
    SELECT CAST(timezone((SELECT value FROM cadran_meta WHERE key = 'timezone'), churned_at)
                AS DATE), 0, 1
    FROM customer WHERE churned_at IS NOT NULL
),
per_day AS (
    SELECT day, sum(acquired) AS acquired, sum(churned) AS churned FROM events GROUP BY day
),
days AS (
    SELECT CAST(d AS DATE) AS day
    FROM (SELECT min(day) AS lo, max(day) AS hi FROM per_day) b,
         LATERAL generate_series(
             b.lo,
             greatest(b.hi, coalesce((SELECT max(local_date) FROM revenue), b.hi)),
             INTERVAL 1 DAY
         ) AS g(d)
)
SELECT days.day,
       coalesce(sum(coalesce(p.acquired, 0) - coalesce(p.churned, 0))
           OVER (ORDER BY days.day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
           AS active_at_start,
       coalesce(p.acquired, 0) AS acquired,
       coalesce(p.churned, 0) AS churned
FROM days LEFT JOIN per_day p USING (day);
