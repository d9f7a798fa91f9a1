-- Schema version 10: the index stage gained the ``combined_and`` measures
-- (the AND variant of the GPR query or coded events, per article). No table
-- changes; every article is marked not counted, so the next index update
-- recomputes the daily components of every day with the new measures.

UPDATE article_gpr SET indexed_at = NULL;
