-- Reported figures spread over days, stored (issue #6).
--
-- The views of 0005 spread every Meta Ads and GA4 report over its days on every query: every
-- KPI that reads costs or qualified interactions paid for the recursion of the overlap rule,
-- even in a workspace without any such report. The spreading (the macro reported_daily, its
-- rule unchanged) is now stored in reported_daily_figure, and the views read that table.
--
-- * The table holds every figure of every series, whatever the workspace's [conversions]
--   settings: a setting keeps or drops whole series (the GA4 events that count, the
--   acquisition reports by channel group), never a report within a series, so the views apply
--   the settings and changing them needs no refresh.
-- * It holds the platform the report gives; the views fall back to the campaign's platform,
--   which a later import of campaigns may set.
-- * It is recomputed from ad_insight and segment_metric in the transaction of every change of
--   those tables (cadran.store.reported.refresh_reported_figures: imports, undo, the Python
--   API), and filled here for the reports a workspace already holds.

CREATE TABLE reported_daily_figure (
    figure      VARCHAR NOT NULL,        -- ad_spend, ad_purchases, ga4_session_channel,
                                         -- ga4_user_channel, ga4_event
    ad_network  VARCHAR,                 -- the series: figure, ad_network, campaign_id, segment
    campaign_id INTEGER,
    segment     VARCHAR,
    platform    platform,                -- as the report gives it (NULL: see the campaign)
    currency    VARCHAR,
    batch_id    INTEGER NOT NULL,        -- the report the day's value comes from
    day         DATE NOT NULL,
    value       DOUBLE
);

-- Every figure reported for a whole window, before the settings choose among them.
CREATE OR REPLACE VIEW reported_figure AS
SELECT f.figure, a.ad_network, a.campaign_id, CAST(NULL AS VARCHAR) AS segment, a.platform,
       a.currency, a.period_start, a.period_end,
       CASE f.figure WHEN 'ad_spend' THEN a.spend
            ELSE CAST(coalesce(a.purchases, 0) AS DOUBLE) END AS value,  -- empty: none
       a.batch_id
FROM ad_insight AS a
CROSS JOIN (VALUES ('ad_spend'), ('ad_purchases')) AS f(figure)
WHERE a.breakdown = 'none' AND a.spend IS NOT NULL
UNION ALL
SELECT CASE WHEN s.dimension LIKE 'session%' THEN 'ga4_session_channel'
            ELSE 'ga4_user_channel' END,
       NULL, NULL, s.segment, NULL, NULL, s.period_start, s.period_end, s.value, s.batch_id
FROM segment_metric AS s
WHERE s.report = 'ga4' AND s.metric = 'key_events' AND s.value IS NOT NULL
  AND (s.dimension LIKE 'session %channel group%' OR s.dimension LIKE 'first user %channel group%')
UNION ALL
SELECT 'ga4_event', NULL, NULL, s.segment, NULL, NULL, s.period_start, s.period_end, s.value,
       s.batch_id
FROM segment_metric AS s
WHERE s.report = 'ga4' AND s.dimension = 'event name' AND s.metric = 'event_count'
  AND s.value IS NOT NULL;

-- What reported_daily_figure holds: the spreading of every figure.
CREATE MACRO all_reported_daily() AS TABLE
SELECT * FROM reported_daily(['ad_spend', 'ad_purchases', 'ga4_session_channel',
                              'ga4_user_channel', 'ga4_event']);

INSERT INTO reported_daily_figure BY NAME SELECT * FROM all_reported_daily();

-- The views of 0005, reading the stored spread: same columns, same rows.
CREATE OR REPLACE VIEW ad_daily AS
SELECT r.ad_network, r.campaign_id, coalesce(r.platform, c.platform) AS platform, r.currency,
       r.batch_id, r.day, 'paid_social' AS source,
       sum(r.value) FILTER (WHERE r.figure = 'ad_spend') AS spend,
       sum(r.value) FILTER (WHERE r.figure = 'ad_purchases') AS purchases
FROM reported_daily_figure AS r
LEFT JOIN campaign AS c USING (campaign_id)
WHERE r.figure IN ('ad_spend', 'ad_purchases')
GROUP BY r.ad_network, r.campaign_id, coalesce(r.platform, c.platform), r.currency, r.batch_id,
         r.day;

-- The spend rows of ad_daily read straight from the table (a campaign's spend and purchases
-- come from the same reports, so each day has one spend row): the grouping would cost every
-- query that reads costs. An anti join, not NOT EXISTS: DuckDB plans it faster.
CREATE OR REPLACE VIEW cost_daily AS
SELECT cost_id, 'recorded' AS origin, category, platform, campaign_id, currency, batch_id, pillar,
       source, day, amount
FROM recorded_cost_daily
UNION ALL
SELECT CAST(NULL AS BIGINT), 'ad_report', CAST('ads' AS cost_category),
       coalesce(r.platform, c.platform), r.campaign_id, r.currency, r.batch_id,
       CAST(NULL AS VARCHAR), 'paid_social', r.day, r.value
FROM reported_daily_figure AS r
LEFT JOIN campaign AS c USING (campaign_id)
ANTI JOIN cost AS k  -- a recorded cost of the campaign's ads wins on the days it covers
       ON k.category = 'ads' AND k.campaign_id = r.campaign_id
      AND r.day BETWEEN k.period_start AND k.period_end
WHERE r.figure = 'ad_spend';

-- The settings choose the GA4 series: the channel groups once events are named (unless the
-- workspace leaves acquisition reports out), and the named events of the Events report. One
-- source per day as in 0005, told by window flags rather than lists of days (cheaper to plan).
CREATE OR REPLACE VIEW ga4_qualified_daily AS
WITH ga4 AS (
    SELECT *,
           bool_or(figure = 'ga4_session_channel') OVER (PARTITION BY day) AS session_day,
           bool_or(figure <> 'ga4_event') OVER (PARTITION BY day) AS channel_day
    FROM reported_daily_figure
    WHERE (figure IN ('ga4_session_channel', 'ga4_user_channel')
           AND EXISTS (SELECT 1 FROM ga4_key_event)
           AND coalesce((SELECT value FROM cadran_meta WHERE key = 'ga4_by_channel'), 'true')
               = 'true')
       OR (figure = 'ga4_event' AND segment IN (SELECT event FROM ga4_key_event))
)
SELECT p.day, p.figure,
       CASE WHEN p.figure = 'ga4_event' THEN p.segment ELSE 'key_events' END AS kind,
       p.segment,
       CASE WHEN p.figure <> 'ga4_event'
            THEN coalesce(m.source, CAST('other' AS traffic_source)) END AS source,
       p.batch_id, p.value
FROM ga4 AS p
LEFT JOIN ga4_channel_source AS m
       ON p.figure <> 'ga4_event' AND lower(m.channel_group) = lower(p.segment)
WHERE (p.figure = 'ga4_session_channel'
       OR (p.figure = 'ga4_user_channel' AND NOT p.session_day)
       OR (p.figure = 'ga4_event' AND NOT p.channel_day))
  AND p.day NOT IN (SELECT local_date FROM qualified_interaction);
