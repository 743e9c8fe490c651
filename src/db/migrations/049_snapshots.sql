-- 049_snapshots.sql — the dashboard's indicators kept month by month (issue 19 item 1: trends): each
-- town's institutions, places, inclusive places, residents (and their year) and open compliance
-- findings as the dashboard computed them in that month, taken once a month (the first time the
-- dashboard is read in it: src/supervision/snapshot.c); the district's are their sums.
CREATE TABLE indicator_snapshot (
    district_code          TEXT NOT NULL,
    month                  TEXT NOT NULL,   -- YYYY-MM
    town_code              TEXT NOT NULL,
    institutions           INTEGER NOT NULL,
    inclusive_institutions INTEGER NOT NULL,
    places                 BIGINT NOT NULL,
    inclusive_places       BIGINT NOT NULL,
    residents              BIGINT NOT NULL,
    population_year        INTEGER,
    open_findings          INTEGER NOT NULL,
    taken_at               TEXT NOT NULL,
    PRIMARY KEY (district_code, month, town_code)
);
