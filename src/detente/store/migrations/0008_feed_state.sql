-- Schema version 8: what `detente watch` remembers of each feed or page URL.
-- Validators of the last good answer for conditional GET (ETag,
-- Last-Modified), failures in a row for exponential back-off, and when to
-- poll next. One row per URL, replaced after every poll. Times are naive UTC.
-- Not exported with the other tables: it is the watcher's state, not news.

CREATE TABLE feed_state (
    url VARCHAR PRIMARY KEY,
    etag VARCHAR,
    last_modified VARCHAR,
    last_status INTEGER,
    last_error VARCHAR,
    failures INTEGER NOT NULL,
    polls INTEGER NOT NULL,
    articles_added INTEGER NOT NULL,
    last_polled_at TIMESTAMP,
    last_success_at TIMESTAMP,
    next_poll_at TIMESTAMP
);
