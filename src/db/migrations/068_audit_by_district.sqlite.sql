-- 068_audit_by_district.sqlite.sql — one audit chain per district in one database (issue 20 item 1):
-- the row number is the district's own chain position (audit_head.seq), so the key is
-- (district_code, id), as it is for every tenant's table on a distributed database (docs/scale.md);
-- and every division of the jurisdiction tree gets its chain head, so a district's, a city's or the
-- province's first audited act has a chain to join. SQLite changes a key by copying the table.
CREATE TABLE audit_log_by_district (
    id            BIGINT NOT NULL,           -- = audit_head.seq of the district at append time: gapless
    district_code TEXT NOT NULL,
    at            TEXT NOT NULL,
    user_id       BIGINT,
    login         TEXT,
    action        TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    target_id     TEXT,
    fields        TEXT NOT NULL,
    request_id    TEXT,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    PRIMARY KEY (district_code, id)
);
INSERT INTO audit_log_by_district (id, district_code, at, user_id, login, action, target_type, target_id, fields,
                                   request_id, prev_hash, hash)
    SELECT id, district_code, at, user_id, login, action, target_type, target_id, fields, request_id, prev_hash, hash
    FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_by_district RENAME TO audit_log;
INSERT INTO audit_head (district_code, seq, last_hash)
    SELECT code, 0, '0000000000000000000000000000000000000000000000000000000000000000' FROM jurisdiction WHERE code NOT IN (SELECT district_code FROM audit_head);
