-- 064_dashboard_stamp.sql — a counter per district that moves with every write to what the
-- dashboard (一屏掌控) is made from besides the institutions (whose own stamps, migrations 059 and
-- 062, move with theirs): towns and their populations, the planning results (the 15-minute circle),
-- the monthly snapshots, filing cases and their tasks, filings, the key tasks, the progress reports,
-- the parameters and the working-day calendar. The server keeps the dashboard's answer per
-- jurisdiction and serves it again while none of them moved (src/http/kept.c); triggers move it
-- (065_dashboard_stamp_triggers.sqlite.sql and .pg.sql: the dialects differ).
CREATE TABLE dashboard_stamp (
    district_code TEXT PRIMARY KEY,
    n             BIGINT NOT NULL DEFAULT 0
);
