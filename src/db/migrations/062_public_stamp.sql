-- 062_public_stamp.sql — a counter on each institution that moves with every write to what the
-- public answers about it are computed from (the parents' search list and the vacancies): the
-- institution, its classes (capacity, enrolled), its fee catalogue, the places held by bookings and
-- open offers, and its town's name. The server keeps those answers per process and serves them
-- again while no institution's counter of the district moved (src/http/kept.c); triggers move
-- it, so every writer does, whatever path it takes (063_public_stamp_triggers.sqlite.sql and
-- .pg.sql: the dialects differ).
ALTER TABLE institution ADD COLUMN public_stamp BIGINT NOT NULL DEFAULT 0;
-- The version of a district's kept answers is read from this index alone (count, sums of the stamps
-- and of the ids), once a request.
CREATE INDEX institution_stamps ON institution(district_code, id, public_stamp, findings_stamp);
