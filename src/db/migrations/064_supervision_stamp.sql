-- 064_supervision_stamp.sql — a counter per district that moves with every write to what the
-- dashboard (一屏掌控) and the district's findings list are made from besides the institutions
-- (whose own stamps, migrations 059 and 062, move with theirs): towns and their populations, the
-- planning results (the 15-minute circle), the monthly snapshots, filing cases and their tasks,
-- filings, the key tasks, the progress reports, the parameters, the working-day calendar and the
-- rectification items. The server keeps their answers per jurisdiction and serves them again while
-- none of them moved (src/http/kept.c); triggers move it (065_supervision_stamp_triggers.sqlite.sql
-- and .pg.sql: the dialects differ).
CREATE TABLE supervision_stamp (
    district_code TEXT PRIMARY KEY,
    n             BIGINT NOT NULL DEFAULT 0
);
