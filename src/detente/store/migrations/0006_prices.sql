-- Schema version 6: market prices (one row per asset and date, as loaded),
-- what is known of each series, and the repairs made while loading it
-- (duplicates dropped, cells that were not numbers, re-sorted rows, gaps),
-- so a study can say what its data went through. Scenarios go to the
-- `scenarios` table of version 1.

CREATE TABLE prices (
    asset VARCHAR NOT NULL,
    price_date DATE NOT NULL,        -- the trading day; a monthly series uses the month's first day
    value DOUBLE NOT NULL,
    PRIMARY KEY (asset, price_date)
);

CREATE TABLE price_series (
    asset VARCHAR PRIMARY KEY,
    unit VARCHAR NOT NULL,           -- USD/bbl, USD/MMBtu, USD/ozt, index points, percent ...
    frequency VARCHAR NOT NULL,      -- D (trading days) or M (months)
    source VARCHAR NOT NULL,         -- the file it was loaded from (last load)
    price_column VARCHAR NOT NULL,   -- the column of that file the values came from
    loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE price_repairs (
    asset VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,           -- duplicate, duplicate_conflict, non_numeric, bad_date, unsorted, gap, ...
    position VARCHAR NOT NULL,       -- line of the file, or the dates concerned
    detail VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (asset, source, kind, position)
);
