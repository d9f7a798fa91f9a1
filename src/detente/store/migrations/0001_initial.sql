-- Détente schema, version 1: articles and what ingestion keeps beside them,
-- plus the tables later stages fill (sentences, mentions, events, signals,
-- index points, scenarios). Portable SQL: runs on DuckDB and PostgreSQL.
-- Times are naive UTC.

CREATE TABLE ingest_batches (
    batch_id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    committed_at TIMESTAMP NOT NULL,
    n_articles INTEGER NOT NULL,
    n_near_duplicates INTEGER NOT NULL,
    n_rejects INTEGER NOT NULL,
    n_events INTEGER NOT NULL
);

CREATE TABLE articles (
    id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    url VARCHAR,
    published_at TIMESTAMP NOT NULL,
    title VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    language VARCHAR,
    ingested_at TIMESTAMP NOT NULL,
    batch_id VARCHAR NOT NULL
);

-- MinHash signatures of stored originals, so near-duplicate detection
-- continues across runs (uint32 values, little-endian).
CREATE TABLE article_minhash (
    article_id VARCHAR PRIMARY KEY,
    signature BLOB NOT NULL
);

CREATE TABLE near_duplicates (
    article_id VARCHAR PRIMARY KEY,
    original_id VARCHAR NOT NULL,
    jaccard DOUBLE NOT NULL,
    source VARCHAR NOT NULL,
    url VARCHAR,
    title VARCHAR NOT NULL,
    published_at TIMESTAMP NOT NULL,
    batch_id VARCHAR NOT NULL
);

CREATE TABLE rejects (
    id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    position VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    detail VARCHAR NOT NULL,
    excerpt VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL,
    batch_id VARCHAR NOT NULL
);

CREATE TABLE sentences (
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    PRIMARY KEY (article_id, sentence_index)
);

CREATE TABLE mentions (
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    actor_code VARCHAR,
    country VARCHAR,
    sector VARCHAR,
    person VARCHAR,
    role VARCHAR,
    PRIMARY KEY (article_id, span_start, span_end)
);

CREATE TABLE events (
    id VARCHAR PRIMARY KEY,
    origin VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER,
    source_actor VARCHAR,
    event_type VARCHAR NOT NULL,
    mode VARCHAR,
    cameo_code VARCHAR,
    goldstein DOUBLE,
    target_actor VARCHAR,
    event_date DATE,
    event_date_end DATE,
    place VARCHAR,
    place_country VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    modality VARCHAR NOT NULL,
    confidence DOUBLE NOT NULL,
    trigger_start INTEGER,
    trigger_end INTEGER,
    source_start INTEGER,
    source_end INTEGER,
    target_start INTEGER,
    target_end INTEGER,
    url VARCHAR,
    batch_id VARCHAR
);

CREATE TABLE signals (
    id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER,
    kind VARCHAR NOT NULL,
    actor VARCHAR,
    value DOUBLE,
    label VARCHAR,
    issue VARCHAR,
    stance VARCHAR,
    due DATE,
    status VARCHAR,
    span_start INTEGER,
    span_end INTEGER
);

CREATE TABLE index_points (
    point_date DATE NOT NULL,
    scope VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    PRIMARY KEY (point_date, scope, measure)
);

CREATE TABLE scenarios (
    storyline_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    probability DOUBLE NOT NULL,
    drivers VARCHAR NOT NULL,        -- JSON list of event and signal ids
    asset_impacts VARCHAR NOT NULL,  -- JSON list of AssetImpact
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (storyline_id, name, computed_at)
);

CREATE INDEX articles_published ON articles (published_at);
CREATE INDEX rejects_reason ON rejects (reason);
CREATE INDEX events_date ON events (event_date);
