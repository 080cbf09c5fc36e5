-- Costs and conversions the ad platforms and web analytics report (issue #6).
--
-- * Meta Ads spend counts as ads costs: cost_daily adds the spend of the campaign reports
--   (breakdown 'none' only: the age and gender breakdowns share out the same money), spread
--   evenly over each report's days, as paid_social costs of the campaign (origin 'ad_report';
--   the recorded costs, spread as in 0004, are recorded_cost_daily). A cost recorded in the
--   cost table wins: on the days an 'ads' cost of the same campaign covers, the report's spend
--   is not added (the same invoice is not counted twice).
-- * Meta Ads purchases are the platform's own attribution (its window, its model): ad_daily
--   keeps them beside the spend and they never enter Cadran's conversions.
-- * GA4 key events count as qualified interactions (qualified_interaction_daily), once the
--   workspace names the events that count ([conversions] ga4_key_events in cadran.toml, which
--   the services mirror into ga4_key_event and cadran_meta). Per day, one GA4 source is used:
--   the "Key events" of a Traffic acquisition report (session channel group), else of a User
--   acquisition report (first-user channel group), else the Events report's counts of the
--   named events. Channel groups become traffic sources through ga4_channel_source (mirrored
--   from definitions/ga4_channels.yaml). On days with recorded qualified_interaction rows, the
--   recorded rows win and GA4 adds nothing.
-- * Figures reported for a whole window are spread evenly over its days. When windows of one
--   series (a campaign's spend, an event's count, a channel's key events) overlap, they are not
--   added up: taken from the shortest, each report's figure, less what shorter reports already
--   put on its days, is spread over its days that no shorter report covers (never below 0).
--   Ties go to the later window, then to the later import.

CREATE TABLE ga4_key_event (event VARCHAR PRIMARY KEY);
CREATE TABLE ga4_channel_source (channel_group VARCHAR PRIMARY KEY, source traffic_source NOT NULL);

-- Figures reported for a whole window: one row per series and window.
CREATE VIEW reported_figure AS
SELECT f.figure, a.ad_network, a.campaign_id, CAST(NULL AS VARCHAR) AS segment,
       coalesce(a.platform, c.platform) AS platform, a.currency, a.period_start, a.period_end,
       CASE f.figure WHEN 'ad_spend' THEN a.spend
            ELSE CAST(coalesce(a.purchases, 0) AS DOUBLE) END AS value,  -- empty: none
       a.batch_id
FROM ad_insight AS a
LEFT JOIN campaign AS c USING (campaign_id)
CROSS JOIN (VALUES ('ad_spend'), ('ad_purchases')) AS f(figure)
WHERE a.breakdown = 'none' AND a.spend IS NOT NULL
UNION ALL
SELECT CASE WHEN s.dimension LIKE 'session%' THEN 'ga4_session_channel'
            ELSE 'ga4_user_channel' END,
       NULL, NULL, s.segment, NULL, NULL, s.period_start, s.period_end, s.value, s.batch_id
FROM segment_metric AS s
WHERE s.report = 'ga4' AND s.metric = 'key_events' AND s.value IS NOT NULL
  AND (s.dimension LIKE 'session %channel group%' OR s.dimension LIKE 'first user %channel group%')
  AND EXISTS (SELECT 1 FROM ga4_key_event)
  AND coalesce((SELECT value FROM cadran_meta WHERE key = 'ga4_by_channel'), 'true') = 'true'
UNION ALL
SELECT 'ga4_event', NULL, NULL, s.segment, NULL, NULL, s.period_start, s.period_end, s.value,
       s.batch_id
FROM segment_metric AS s
WHERE s.report = 'ga4' AND s.dimension = 'event name' AND s.metric = 'event_count'
  AND s.value IS NOT NULL AND s.segment IN (SELECT event FROM ga4_key_event);

-- The figures of `figures` per day (the rule above): figure, series columns, day, value, and
-- the report (batch) each day's value comes from.
CREATE MACRO reported_daily(figures) AS TABLE
WITH RECURSIVE keyed AS (
    SELECT *, concat_ws('|', figure, ad_network, campaign_id, segment) AS series
    FROM reported_figure WHERE list_contains(figures, figure)
),
reports AS (
    SELECT *, row_number() OVER (
        PARTITION BY series
        ORDER BY period_end - period_start, period_end DESC, period_start DESC, batch_id DESC
    ) AS rk
    FROM keyed
),
covered AS (
    SELECT r.series, r.rk, CAST(g.d AS DATE) AS day
    FROM reports AS r, LATERAL generate_series(r.period_start, r.period_end, INTERVAL 1 DAY) AS g(d)
),
owners AS (SELECT series, day, min(rk) AS owner FROM covered GROUP BY series, day),
-- For each report: how many of its days it gives the value of, and how many days each
-- shorter report owns inside it.
owned AS (
    SELECT c.series, c.rk, o.owner, count(*) AS n
    FROM covered AS c JOIN owners AS o ON o.series = c.series AND o.day = c.day
    GROUP BY c.series, c.rk, o.owner
),
steps AS MATERIALIZED (
    SELECT o.series, o.rk, any_value(r.value) AS value,
           coalesce(sum(o.n) FILTER (WHERE o.owner = o.rk), 0) AS owned,
           coalesce(list({'k': o.owner, 'n': o.n}) FILTER (WHERE o.owner < o.rk), []) AS others
    FROM owned AS o JOIN reports AS r ON r.series = o.series AND r.rk = o.rk
    GROUP BY o.series, o.rk
),
-- Daily values of the reports, shortest first: rates[k] is the value per day of report k.
rates(series, rk, rates) AS (
    SELECT DISTINCT series, 0, CAST([] AS DOUBLE[]) FROM steps
    UNION ALL
    SELECT p.series, p.rk + 1, list_append(p.rates, CASE WHEN s.owned > 0 THEN
               greatest(s.value - coalesce(list_sum(list_transform(s.others, lambda o: p.rates[o.k] * o.n)), 0), 0)
               / s.owned END)
    FROM rates AS p JOIN steps AS s ON s.series = p.series AND s.rk = p.rk + 1
),
final AS (SELECT series, arg_max(rates, rk) AS rates FROM rates GROUP BY series)
SELECT r.figure, r.ad_network, r.campaign_id, r.segment, r.platform, r.currency, r.batch_id,
       o.day, f.rates[o.owner] AS value
FROM owners AS o
JOIN final AS f ON f.series = o.series
JOIN reports AS r ON r.series = o.series AND r.rk = o.owner;

-- Ad results per campaign and day: spend and the purchases the platform attributes to the ads.
-- Ads on a social platform are paid social: the source lets them sit beside the other costs.
CREATE VIEW ad_daily AS
SELECT ad_network, campaign_id, platform, currency, batch_id, day, 'paid_social' AS source,
       sum(value) FILTER (WHERE figure = 'ad_spend') AS spend,
       sum(value) FILTER (WHERE figure = 'ad_purchases') AS purchases
FROM reported_daily(['ad_spend', 'ad_purchases'])
GROUP BY ad_network, campaign_id, platform, currency, batch_id, day;

-- The costs recorded in the cost table, spread as before (0004), then the reports' spend.
ALTER VIEW cost_daily RENAME TO recorded_cost_daily;
CREATE VIEW cost_daily AS
SELECT cost_id, 'recorded' AS origin, category, platform, campaign_id, currency, batch_id, pillar,
       source, day, amount
FROM recorded_cost_daily
UNION ALL
SELECT CAST(NULL AS BIGINT), 'ad_report', CAST('ads' AS cost_category), a.platform,
       a.campaign_id, a.currency, a.batch_id, CAST(NULL AS VARCHAR), 'paid_social', a.day,
       a.spend
FROM ad_daily AS a
WHERE a.spend IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM cost AS c
    WHERE c.category = 'ads' AND c.campaign_id = a.campaign_id
      AND a.day BETWEEN c.period_start AND c.period_end
);

-- GA4 qualified interactions per day (and channel): one GA4 source per day, none on days with
-- recorded qualified interactions.
CREATE VIEW ga4_qualified_daily AS
WITH ga4 AS (
    SELECT * FROM reported_daily(['ga4_session_channel', 'ga4_user_channel', 'ga4_event'])
),
session_days AS (SELECT DISTINCT day FROM ga4 WHERE figure = 'ga4_session_channel'),
channel_days AS (SELECT DISTINCT day FROM ga4 WHERE figure <> 'ga4_event'),
picked AS (
    SELECT * FROM ga4 WHERE figure = 'ga4_session_channel'
    UNION ALL
    SELECT * FROM ga4
    WHERE figure = 'ga4_user_channel' AND day NOT IN (SELECT day FROM session_days)
    UNION ALL
    SELECT * FROM ga4 WHERE figure = 'ga4_event' AND day NOT IN (SELECT day FROM channel_days)
)
SELECT p.day, p.figure,
       CASE WHEN p.figure = 'ga4_event' THEN p.segment ELSE 'key_events' END AS kind,
       p.segment,
       CASE WHEN p.figure <> 'ga4_event'
            THEN coalesce(m.source, CAST('other' AS traffic_source)) END AS source,
       p.batch_id, p.value
FROM picked AS p
LEFT JOIN ga4_channel_source AS m
       ON p.figure <> 'ga4_event' AND lower(m.channel_group) = lower(p.segment)
WHERE p.day NOT IN (SELECT local_date FROM qualified_interaction);

-- What the qualified_interactions measure counts: recorded rows (weight 1) and GA4's daily
-- shares of its period counts (fractional weights).
CREATE VIEW qualified_interaction_daily AS
SELECT interaction_id, local_date, kind, source, platform, campaign_id, lead_id, batch_id,
       'recorded' AS origin, CAST(1 AS DOUBLE) AS weight
FROM qualified_interaction
UNION ALL
SELECT CAST(NULL AS BIGINT), day, kind, source, CAST(NULL AS platform), CAST(NULL AS INTEGER),
       CAST(NULL AS BIGINT), batch_id, 'ga4', value
FROM ga4_qualified_daily;
