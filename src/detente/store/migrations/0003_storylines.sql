-- Schema version 3: signals keep who said it and to whom, storylines group
-- articles into ongoing stories with a phase timeline, and the ledger keeps
-- every status change of a condition or commitment with its evidence.

ALTER TABLE signals ADD COLUMN counterpart VARCHAR;
ALTER TABLE signals ADD COLUMN quote VARCHAR;
ALTER TABLE signals ADD COLUMN source_start INTEGER;
ALTER TABLE signals ADD COLUMN source_end INTEGER;
CREATE INDEX signals_article ON signals (article_id);

-- One row per storyline; `profile` is the JSON the online clusterer resumes
-- from (decayed term and actor weights), so assignment continues across runs.
CREATE TABLE storylines (
    id VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    actors VARCHAR NOT NULL,         -- JSON list of the main actor countries
    theme VARCHAR NOT NULL,          -- the profile's top terms
    first_published TIMESTAMP NOT NULL,
    last_published TIMESTAMP NOT NULL,
    n_articles INTEGER NOT NULL,
    merged_into VARCHAR,             -- set when the storyline grew into another one
    phase VARCHAR,
    phase_since DATE,
    profile VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE storyline_articles (
    article_id VARCHAR PRIMARY KEY,
    storyline_id VARCHAR,            -- NULL: read, but names no actor, so in no storyline
    similarity DOUBLE NOT NULL,      -- score against the storyline when it joined (1 for the opener)
    published_at TIMESTAMP NOT NULL,
    assigned_at TIMESTAMP NOT NULL
);

-- A phase holds from phase_date until the next row of the same storyline.
CREATE TABLE storyline_phases (
    storyline_id VARCHAR NOT NULL,
    phase_date DATE NOT NULL,
    phase VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    evidence VARCHAR NOT NULL,       -- JSON list of event and signal ids
    PRIMARY KEY (storyline_id, phase_date)
);

-- Each status a condition or commitment took, with what moved it there.
CREATE TABLE ledger (
    signal_id VARCHAR NOT NULL,
    storyline_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,           -- commitment or condition
    actor VARCHAR,
    counterpart VARCHAR,
    action VARCHAR,                  -- PLOVER type promised or required
    issue VARCHAR,
    due DATE,
    status VARCHAR NOT NULL,         -- open, met, broken, superseded
    status_date DATE NOT NULL,
    evidence_id VARCHAR,             -- the event or signal that moved it
    reason VARCHAR NOT NULL,
    PRIMARY KEY (signal_id, status)
);

CREATE INDEX storyline_articles_storyline ON storyline_articles (storyline_id);
