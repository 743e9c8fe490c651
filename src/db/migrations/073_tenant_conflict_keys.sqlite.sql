-- 073_tenant_conflict_keys.sqlite.sql — the keys the writers name in ON CONFLICT now carry the
-- tenant key (073_tenant_conflict_keys.pg.sql says why): SQLite keeps its narrower keys, which the
-- wider ones cannot contradict, and gains the wide ones the ON CONFLICT clauses name.
CREATE UNIQUE INDEX camera_probe_day_tenant ON camera_probe_day (district_code, camera_id, day);
CREATE UNIQUE INDEX exchange_institution_tenant ON exchange_institution (district_code, institution_id);
CREATE UNIQUE INDEX care_group_registration_tenant ON care_group_registration (activity_id, family_user_id, district_code);
CREATE UNIQUE INDEX duty_finding_tenant ON duty_finding (class_id, day, broken_from, district_code);
