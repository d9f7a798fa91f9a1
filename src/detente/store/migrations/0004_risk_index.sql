-- Schema version 4: the GPR search categories each article matched
-- (Caldara and Iacoviello 2022, Table 1), scored once per article, and what
-- the index stage saw when it last counted the article (its extraction and
-- storyline), so an index update recomputes only the days that changed.
-- The daily index components themselves go to `index_points`.

CREATE TABLE article_gpr (
    article_id VARCHAR PRIMARY KEY,
    published_day DATE NOT NULL,
    categories INTEGER NOT NULL,     -- bit n-1 set: category n matched (the published N/2 query)
    categories_and INTEGER NOT NULL, -- the same with N/2 replaced by AND (the paper's GPR_AND variant)
    excluded_by VARCHAR,             -- the exclusion word that dropped an otherwise matching article
    extracted_at TIMESTAMP,          -- the extraction counted by the last index update
    storyline_id VARCHAR,            -- the storyline counted by the last index update
    indexed_at TIMESTAMP             -- NULL: not counted in index_points yet
);

CREATE INDEX article_gpr_day ON article_gpr (published_day);

-- Ingest batches whose articles have all been scored, so finding the
-- articles to score reads one column instead of joining every article.
CREATE TABLE index_batches (
    batch_id VARCHAR PRIMARY KEY,
    scored_at TIMESTAMP NOT NULL
);
