-- 073_tenant_conflict_keys.pg.sql — the last four keys without the tenant key that were not global by
-- design (issue 20 item 6, src/db/distribution.txt): the ones their writers name in ON CONFLICT. The
-- writers now name (district_code, …) and the keys carry it: a camera's probes of a day, an
-- institution's place in the exchange feed, a family's registration for an activity, a class's break
-- of the ratio found on a day. Inside a district nothing changes (a camera, an institution, an
-- activity and a class belong to one district). SQLite: 073_tenant_conflict_keys.sqlite.sql.
ALTER TABLE camera_probe_day DROP CONSTRAINT camera_probe_day_pkey;
ALTER TABLE camera_probe_day ADD PRIMARY KEY (district_code, camera_id, day);
ALTER TABLE exchange_institution DROP CONSTRAINT exchange_institution_pkey;
ALTER TABLE exchange_institution ADD PRIMARY KEY (district_code, institution_id);
ALTER TABLE care_group_registration DROP CONSTRAINT care_group_registration_activity_id_family_user_id_key;
ALTER TABLE care_group_registration ADD CONSTRAINT care_group_registration_activity_id_family_user_id_key
    UNIQUE (activity_id, family_user_id, district_code);
ALTER TABLE duty_finding DROP CONSTRAINT duty_finding_class_id_day_broken_from_key;
ALTER TABLE duty_finding ADD CONSTRAINT duty_finding_class_id_day_broken_from_key
    UNIQUE (class_id, day, broken_from, district_code);
