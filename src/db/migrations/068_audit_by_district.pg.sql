-- 068_audit_by_district.pg.sql — one audit chain per district in one database (issue 20 item 1):
-- the row number is the district's own chain position (audit_head.seq), so the key is
-- (district_code, id), as it is for every tenant's table on a distributed database (docs/scale.md);
-- and every division of the jurisdiction tree gets its chain head, so a district's, a city's or the
-- province's first audited act has a chain to join.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ADD PRIMARY KEY (district_code, id);
INSERT INTO audit_head (district_code, seq, last_hash)
    SELECT code, 0, '0000000000000000000000000000000000000000000000000000000000000000' FROM jurisdiction WHERE code NOT IN (SELECT district_code FROM audit_head);
