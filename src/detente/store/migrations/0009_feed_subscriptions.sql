-- Schema version 9: feeds and pages subscribed to over the REST API
-- (POST /api/v1/feeds). `detente watch` polls them besides the URLs of its
-- watch file; their polling state is in feed_state, keyed by the same URL.
-- kind is auto, feed or page; interval_s NULL means the watcher's default.
-- created_by is the name of the API key that subscribed. Times are naive UTC.

CREATE TABLE feed_subscriptions (
    url VARCHAR PRIMARY KEY,
    source VARCHAR,
    kind VARCHAR NOT NULL,
    interval_s INTEGER,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR NOT NULL
);
