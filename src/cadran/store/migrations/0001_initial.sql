-- Cadran canonical data model, version 1.
--
-- Conventions
-- * Instants are TIMESTAMPTZ (UTC). Each dated fact also stores `local_date`, the date in the
--   workspace's time zone, computed when the row is written: periods follow the workspace's
--   zone without converting time zones at query time.
-- * Every row records the import batch it came from (`batch_id`).
-- * Every measured value `x` has a sibling `x_origin`: 'native' when the platform gave it,
--   'computed' when Cadran derived it, 'estimated' when it was estimated; NULL when `x` is NULL.
-- * Post metrics are lifetime figures of each post, kept on the post row (the latest known
--   values; superseded values move to post_metrics_history). Account metrics are daily figures.
--   The two do not reconcile in real data and are never forced to.

CREATE TYPE platform AS ENUM ('facebook', 'instagram', 'linkedin', 'x', 'tiktok', 'youtube');
CREATE TYPE value_origin AS ENUM ('native', 'computed', 'estimated');
CREATE TYPE audience_dimension AS ENUM (
    'age', 'gender', 'age_gender', 'country', 'city', 'language', 'active_hour', 'active_weekday'
);
CREATE TYPE message_channel AS ENUM ('public', 'private');
CREATE TYPE sentiment_label AS ENUM ('negative', 'neutral', 'positive');
CREATE TYPE mention_kind AS ENUM ('mention', 'tag');
CREATE TYPE traffic_source AS ENUM (
    'organic_social', 'paid_social', 'organic_search', 'paid_search', 'direct', 'referral',
    'email', 'other'
);
CREATE TYPE cost_category AS ENUM ('ads', 'content', 'tools', 'staff', 'other');

CREATE TABLE import_batch (
    batch_id      INTEGER PRIMARY KEY,
    kind          VARCHAR NOT NULL,      -- 'demo', 'api', 'export:<type>' ...
    source        VARCHAR NOT NULL,      -- file name, 'cadran demo --seed 42', 'python api'
    platform      platform,
    file_hash     VARCHAR,
    rows_read     BIGINT NOT NULL DEFAULT 0,
    rows_accepted BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    user_name     VARCHAR,
    status        VARCHAR NOT NULL,      -- 'done', 'undone'
    note          VARCHAR
);

CREATE TABLE account (
    account_id INTEGER PRIMARY KEY,
    platform   platform NOT NULL,
    handle     VARCHAR NOT NULL,
    name       VARCHAR,
    batch_id   INTEGER NOT NULL,
    UNIQUE (platform, handle)
);

CREATE TABLE campaign (
    campaign_id INTEGER PRIMARY KEY,
    name        VARCHAR NOT NULL UNIQUE,
    platform    platform,                -- NULL: runs on several platforms
    objective   VARCHAR,                 -- awareness, engagement, leads, sales, care
    starts_on   DATE,
    ends_on     DATE,
    batch_id    INTEGER NOT NULL
);

CREATE TABLE post (
    post_id       BIGINT NOT NULL,
    account_id    INTEGER NOT NULL,
    platform      platform NOT NULL,
    native_id     VARCHAR NOT NULL,      -- the platform's id, unique per account
    published_at  TIMESTAMPTZ NOT NULL,
    local_date    DATE NOT NULL,
    text          VARCHAR,
    language      VARCHAR,
    format        VARCHAR,               -- text, image, video, carousel, reel, story, short, live, article, document, poll
    topic         VARCHAR,               -- content pillar
    campaign_id   INTEGER,
    is_paid       BOOLEAN NOT NULL DEFAULT false,
    url           VARCHAR,
    -- lifetime metrics, latest known values
    impressions        BIGINT,
    reach              BIGINT,
    likes              BIGINT,           -- likes and reactions
    comments           BIGINT,
    shares             BIGINT,
    saves              BIGINT,
    clicks             BIGINT,
    video_views        BIGINT,
    profile_visits     BIGINT,
    follows            BIGINT,
    engagements_native BIGINT,           -- the platform's own engagements figure, when it gives one
    impressions_origin        value_origin,
    reach_origin              value_origin,
    likes_origin              value_origin,
    comments_origin           value_origin,
    shares_origin             value_origin,
    saves_origin              value_origin,
    clicks_origin             value_origin,
    video_views_origin        value_origin,
    profile_visits_origin     value_origin,
    follows_origin            value_origin,
    engagements_native_origin value_origin,
    -- text analytics, computed by Cadran
    readability        DOUBLE,           -- Kandel-Moles (fr) or Flesch reading ease (en)
    quality_score      DOUBLE,           -- content quality index
    readability_origin   value_origin,
    quality_score_origin value_origin,
    metrics_as_of    TIMESTAMPTZ,
    batch_id         INTEGER NOT NULL,   -- batch that wrote the post's attributes
    metrics_batch_id INTEGER             -- batch that wrote the current metrics
);

-- Superseded lifetime metrics, kept so that undoing a later import restores them.
CREATE TABLE post_metrics_history (
    post_id            BIGINT NOT NULL,
    impressions        BIGINT,
    reach              BIGINT,
    likes              BIGINT,
    comments           BIGINT,
    shares             BIGINT,
    saves              BIGINT,
    clicks             BIGINT,
    video_views        BIGINT,
    profile_visits     BIGINT,
    follows            BIGINT,
    engagements_native BIGINT,
    impressions_origin        value_origin,
    reach_origin              value_origin,
    likes_origin              value_origin,
    comments_origin           value_origin,
    shares_origin             value_origin,
    saves_origin              value_origin,
    clicks_origin             value_origin,
    video_views_origin        value_origin,
    profile_visits_origin     value_origin,
    follows_origin            value_origin,
    engagements_native_origin value_origin,
    metrics_as_of      TIMESTAMPTZ,
    metrics_batch_id   INTEGER,
    superseded_by      INTEGER NOT NULL
);

CREATE TABLE account_daily (
    account_id       INTEGER NOT NULL,
    platform         platform NOT NULL,
    day              DATE NOT NULL,      -- local date of the platform's reporting day
    followers        BIGINT,             -- at the end of the day
    followers_gained BIGINT,
    followers_lost   BIGINT,
    impressions      BIGINT,
    reach            BIGINT,             -- unique accounts reached that day: never summed
    profile_visits   BIGINT,
    followers_origin        value_origin,
    followers_gained_origin value_origin,
    followers_lost_origin   value_origin,
    impressions_origin      value_origin,
    reach_origin            value_origin,
    profile_visits_origin   value_origin,
    batch_id         INTEGER NOT NULL
);

CREATE TABLE audience (
    account_id INTEGER NOT NULL,
    platform   platform NOT NULL,
    as_of      DATE NOT NULL,
    dimension  audience_dimension NOT NULL,
    segment    VARCHAR NOT NULL,         -- '25-34', 'F', 'F.25-34', 'FR', 'Paris', 'fr', '18', 'monday'
    followers  DOUBLE,                   -- followers (or active followers) in the segment
    followers_origin value_origin,
    batch_id   INTEGER NOT NULL
);

-- Public comments and private messages received by the brand's accounts.
CREATE TABLE message (
    message_id      BIGINT NOT NULL,
    account_id      INTEGER NOT NULL,
    platform        platform NOT NULL,
    native_id       VARCHAR NOT NULL,
    channel         message_channel NOT NULL,
    post_id         BIGINT,              -- the commented post (public comments)
    author          VARCHAR,
    text            VARCHAR,
    language        VARCHAR,
    created_at      TIMESTAMPTZ NOT NULL,
    local_date      DATE NOT NULL,
    first_reply_at  TIMESTAMPTZ,         -- the brand's first reply
    is_question     BOOLEAN,
    is_complaint    BOOLEAN,
    resolved_at     TIMESTAMPTZ,         -- complaint resolved
    sentiment_score DOUBLE,              -- in [-1, 1]
    sentiment_label sentiment_label,
    sentiment_method VARCHAR,
    is_question_origin     value_origin,
    is_complaint_origin    value_origin,
    sentiment_score_origin value_origin,
    sentiment_label_origin value_origin,
    batch_id        INTEGER NOT NULL
);

-- Brand mentions by others, and people who tagged the brand.
CREATE TABLE mention (
    mention_id      BIGINT NOT NULL,
    account_id      INTEGER,             -- the brand account mentioned or tagged, when known
    platform        platform NOT NULL,
    native_id       VARCHAR NOT NULL,
    kind            mention_kind NOT NULL,
    author          VARCHAR,
    text            VARCHAR,
    language        VARCHAR,
    url             VARCHAR,
    created_at      TIMESTAMPTZ NOT NULL,
    local_date      DATE NOT NULL,
    sentiment_score DOUBLE,
    sentiment_label sentiment_label,
    sentiment_method VARCHAR,
    sentiment_score_origin value_origin,
    sentiment_label_origin value_origin,
    batch_id        INTEGER NOT NULL
);

CREATE TABLE web_traffic (
    day                DATE NOT NULL,
    source             VARCHAR NOT NULL,  -- utm / GA4 session source: google, facebook.com, (direct)
    medium             VARCHAR NOT NULL,  -- organic, cpc, social, paid_social, referral, (none)
    utm_campaign       VARCHAR,
    channel_group      VARCHAR,           -- GA4 default channel group: Direct, Organic Search, ...
    is_brand_search    BOOLEAN,           -- organic search on the brand's name ("indirect" traffic)
    platform           platform,          -- the social platform the visit came from, if any
    campaign_id        INTEGER,
    sessions           BIGINT,
    engaged_sessions   BIGINT,
    engagement_seconds DOUBLE,            -- total time on site
    bounces            BIGINT,
    sessions_origin           value_origin,
    engaged_sessions_origin   value_origin,
    engagement_seconds_origin value_origin,
    bounces_origin            value_origin,
    batch_id           INTEGER NOT NULL
);

CREATE TABLE lead (
    lead_id      BIGINT NOT NULL,
    native_id    VARCHAR NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    local_date   DATE NOT NULL,
    source       traffic_source NOT NULL,
    platform     platform,
    campaign_id  INTEGER,
    post_id      BIGINT,
    is_qualified BOOLEAN NOT NULL DEFAULT false,
    qualified_at TIMESTAMPTZ,
    customer_id  BIGINT,                 -- set when the lead became a customer
    batch_id     INTEGER NOT NULL
);

-- Interactions the workspace counts as qualified: newsletter signup, trial, demo request...
CREATE TABLE qualified_interaction (
    interaction_id BIGINT NOT NULL,
    native_id      VARCHAR NOT NULL,
    occurred_at    TIMESTAMPTZ NOT NULL,
    local_date     DATE NOT NULL,
    kind           VARCHAR NOT NULL,
    source         traffic_source NOT NULL,
    platform       platform,
    campaign_id    INTEGER,
    lead_id        BIGINT,
    batch_id       INTEGER NOT NULL
);

CREATE TABLE customer (
    customer_id BIGINT NOT NULL,
    native_id   VARCHAR NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL,
    local_date  DATE NOT NULL,
    source      traffic_source NOT NULL,
    platform    platform,
    campaign_id INTEGER,
    lead_id     BIGINT,
    churned_at  TIMESTAMPTZ,
    batch_id    INTEGER NOT NULL
);

-- Orders: revenue with the source of the customer who paid it.
CREATE TABLE revenue (
    revenue_id  BIGINT NOT NULL,
    native_id   VARCHAR NOT NULL,
    customer_id BIGINT,
    occurred_at TIMESTAMPTZ NOT NULL,
    local_date  DATE NOT NULL,
    amount      DECIMAL(18, 2) NOT NULL,
    currency    VARCHAR NOT NULL,
    source      traffic_source NOT NULL,
    platform    platform,
    campaign_id INTEGER,
    amount_origin value_origin,
    batch_id    INTEGER NOT NULL
);

-- Costs of a period (both ends included). Spread evenly over its days by cost_daily.
CREATE TABLE cost (
    cost_id      BIGINT NOT NULL,
    native_id    VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    category     cost_category NOT NULL,
    platform     platform,               -- NULL: shared by all platforms
    campaign_id  INTEGER,
    amount       DECIMAL(18, 2) NOT NULL,
    currency     VARCHAR NOT NULL,
    description  VARCHAR,
    amount_origin value_origin,
    batch_id     INTEGER NOT NULL,
    CHECK (period_end >= period_start)
);

CREATE VIEW cost_daily AS
SELECT c.cost_id, c.category, c.platform, c.campaign_id, c.currency, c.batch_id,
       CAST(d AS DATE) AS day,
       CAST(c.amount AS DOUBLE) / (date_diff('day', c.period_start, c.period_end) + 1) AS amount
FROM cost AS c, LATERAL generate_series(c.period_start, c.period_end, INTERVAL 1 DAY) AS g(d);

-- Recommendations made to users, and how many acted on them.
CREATE TABLE recommendation (
    recommendation_id BIGINT NOT NULL,
    native_id     VARCHAR NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    local_date    DATE NOT NULL,
    platform      platform,
    account_id    INTEGER,
    kind          VARCHAR,               -- best_time, format, topic, budget ...
    text          VARCHAR,
    users_exposed BIGINT,
    users_acted   BIGINT,
    users_exposed_origin value_origin,
    users_acted_origin   value_origin,
    batch_id      INTEGER NOT NULL
);
