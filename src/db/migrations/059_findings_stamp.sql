-- 059_findings_stamp.sql — a counter on each institution that moves with every write to what its
-- compliance findings are computed from: the institution, its classes and fee catalogue, its staff
-- with their certificates, classes and pre-job training, and its cameras. The district's findings list
-- and dashboard keep each institution's findings of the day and recompute only when its counter, the
-- day or the parameters moved (src/supervision/scan.c). Triggers move it, so every writer does,
-- whatever path it takes (060_findings_stamp_triggers.sqlite.sql and .pg.sql: the dialects differ).
ALTER TABLE institution ADD COLUMN findings_stamp BIGINT NOT NULL DEFAULT 0;
