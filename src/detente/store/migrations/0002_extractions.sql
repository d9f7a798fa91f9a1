-- Schema version 2: which articles extraction has read, and with which
-- extractor version, so `detente extract` resumes and re-runs replace.

CREATE TABLE extractions (
    article_id VARCHAR PRIMARY KEY,
    extractor VARCHAR NOT NULL,
    extracted_at TIMESTAMP NOT NULL,
    n_sentences INTEGER NOT NULL,
    n_mentions INTEGER NOT NULL,
    n_events INTEGER NOT NULL
);

CREATE INDEX events_article ON events (article_id);
CREATE INDEX mentions_article ON mentions (article_id);
