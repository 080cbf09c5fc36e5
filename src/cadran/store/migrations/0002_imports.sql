-- Imports of platform exports (issue #3).
--
-- * account_daily gains the engagement counts platforms report per day (X "by day", LinkedIn
--   aggregated update metrics, TikTok overview...). They describe activity seen on that day and
--   never reconcile with the lifetime counts of the posts: the two are kept apart on purpose.
-- * Native figures: rates a platform computed itself (X and LinkedIn engagement rate, LinkedIn
--   CTR, Meta Ads frequency, CTR and CPC) are kept beside the raw counts, so that Cadran's KPIs
--   can be checked against them row by row.
-- * ad_insight: Ads Manager results per campaign and reporting window, with age / gender
--   breakdowns. Reach is a unique count: it is stored per row and never summed.
-- * segment_metric: reports of figures per segment over a period (GA4 tables, YouTube geography,
--   LinkedIn visitor demographics), stored long: one row per segment and metric.
-- * <table>_history: the previous version of every row an import replaced, so that
--   `cadran import undo` restores it exactly.

ALTER TABLE import_batch ADD COLUMN export_type VARCHAR;
ALTER TABLE import_batch ADD COLUMN rows_skipped BIGINT DEFAULT 0;
ALTER TABLE import_batch ADD COLUMN options VARCHAR;     -- JSON: --platform, --account, --year ...

ALTER TABLE account_daily ADD COLUMN posts_published BIGINT;
ALTER TABLE account_daily ADD COLUMN engagements_native BIGINT;
ALTER TABLE account_daily ADD COLUMN likes BIGINT;
ALTER TABLE account_daily ADD COLUMN comments BIGINT;
ALTER TABLE account_daily ADD COLUMN shares BIGINT;
ALTER TABLE account_daily ADD COLUMN clicks BIGINT;
ALTER TABLE account_daily ADD COLUMN video_views BIGINT;
ALTER TABLE account_daily ADD COLUMN engagement_rate_native DOUBLE;   -- a fraction
ALTER TABLE account_daily ADD COLUMN posts_published_origin value_origin;
ALTER TABLE account_daily ADD COLUMN engagements_native_origin value_origin;
ALTER TABLE account_daily ADD COLUMN likes_origin value_origin;
ALTER TABLE account_daily ADD COLUMN comments_origin value_origin;
ALTER TABLE account_daily ADD COLUMN shares_origin value_origin;
ALTER TABLE account_daily ADD COLUMN clicks_origin value_origin;
ALTER TABLE account_daily ADD COLUMN video_views_origin value_origin;
ALTER TABLE account_daily ADD COLUMN engagement_rate_native_origin value_origin;

ALTER TABLE post ADD COLUMN engagement_rate_native DOUBLE;   -- a fraction
ALTER TABLE post ADD COLUMN ctr_native DOUBLE;               -- a fraction
ALTER TABLE post ADD COLUMN duration_seconds DOUBLE;         -- videos
ALTER TABLE post ADD COLUMN engagement_rate_native_origin value_origin;
ALTER TABLE post ADD COLUMN ctr_native_origin value_origin;
ALTER TABLE post ADD COLUMN duration_seconds_origin value_origin;

ALTER TABLE audience ADD COLUMN share DOUBLE;                -- fraction of the followers
ALTER TABLE audience ADD COLUMN share_origin value_origin;

CREATE TABLE ad_insight (
    ad_network    VARCHAR NOT NULL,      -- 'meta'
    campaign_id   INTEGER NOT NULL,
    platform      platform,              -- when the export says where the ads ran
    period_start  DATE NOT NULL,         -- reporting window
    period_end    DATE NOT NULL,
    breakdown     VARCHAR NOT NULL,      -- 'none', 'age', 'gender'
    segment       VARCHAR NOT NULL,      -- 'all' when breakdown = 'none'
    reach         BIGINT,                -- unique people: never summed
    impressions   BIGINT,
    clicks        BIGINT,                -- clicks (all)
    link_clicks   BIGINT,
    spend         DOUBLE,                -- kept unrounded, as the platform gives it
    currency      VARCHAR,
    adds_to_cart  BIGINT,
    checkouts     BIGINT,
    purchases     BIGINT,
    frequency_native DOUBLE,
    ctr_native       DOUBLE,             -- a fraction (Ads Manager shows a percentage)
    cpc_native       DOUBLE,             -- per link click
    cpc_all_native   DOUBLE,             -- per click (all)
    reach_origin        value_origin,
    impressions_origin  value_origin,
    clicks_origin       value_origin,
    link_clicks_origin  value_origin,
    spend_origin        value_origin,
    adds_to_cart_origin value_origin,
    checkouts_origin    value_origin,
    purchases_origin    value_origin,
    frequency_native_origin value_origin,
    ctr_native_origin       value_origin,
    cpc_native_origin       value_origin,
    cpc_all_native_origin   value_origin,
    batch_id      INTEGER NOT NULL,
    CHECK (period_end >= period_start)
);

CREATE VIEW ad_campaign AS SELECT * FROM ad_insight WHERE breakdown = 'none';
CREATE VIEW ad_segment AS SELECT * FROM ad_insight WHERE breakdown <> 'none';

CREATE TABLE segment_metric (
    report       VARCHAR NOT NULL,       -- the export type it came from: 'ga4_report', 'youtube_geography'...
    platform     platform,               -- NULL for web analytics
    account_id   INTEGER,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    dimension    VARCHAR NOT NULL,       -- 'country', 'First user primary channel group'...
    segment      VARCHAR NOT NULL,
    metric       VARCHAR NOT NULL,       -- 'views', 'active_users'...
    value        DOUBLE,
    value_origin value_origin,
    batch_id     INTEGER NOT NULL,
    CHECK (period_end >= period_start)
);

CREATE TABLE account_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM account LIMIT 0;
CREATE TABLE campaign_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM campaign LIMIT 0;
CREATE TABLE post_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM post LIMIT 0;
CREATE TABLE account_daily_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM account_daily LIMIT 0;
CREATE TABLE audience_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM audience LIMIT 0;
CREATE TABLE message_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM message LIMIT 0;
CREATE TABLE mention_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM mention LIMIT 0;
CREATE TABLE web_traffic_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM web_traffic LIMIT 0;
CREATE TABLE lead_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM lead LIMIT 0;
CREATE TABLE qualified_interaction_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM qualified_interaction LIMIT 0;
CREATE TABLE customer_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM customer LIMIT 0;
CREATE TABLE revenue_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM revenue LIMIT 0;
CREATE TABLE cost_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM cost LIMIT 0;
CREATE TABLE recommendation_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM recommendation LIMIT 0;
CREATE TABLE ad_insight_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM ad_insight LIMIT 0;
CREATE TABLE segment_metric_history AS SELECT *, CAST(NULL AS INTEGER) AS superseded_by FROM segment_metric LIMIT 0;
