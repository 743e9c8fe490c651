-- 076_care_outdoor.sqlite.sql — a class's outdoor time on a day of care (托育机构管理规范（试行）
-- 第十八条: at least care.outdoor_min_hours_full_day hours outdoors a day in full-day care, adjusted in
-- cold, hot or bad weather), recorded by the institution with the weather that shortened it; the
-- findings (src/care/outdoor.c) count the days of the last care.outdoor_review_days with children
-- present and no record, or short without the weather (its parameters: 077_care_outdoor_params.sql).
-- SQLite's shape (the PostgreSQL one, with the tenant key in every key, is 076_care_outdoor.pg.sql).
-- The triggers move the institution's findings stamp (migration 059) on what the findings read:
-- these records, and a day's attendance.
CREATE TABLE care_outdoor (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    class_id       BIGINT NOT NULL REFERENCES institution_class(id),
    day            TEXT NOT NULL,
    minutes        INTEGER NOT NULL,                     -- outdoors that day, in all
    weather        TEXT,                                 -- cold | heat | rain | air | NULL: none
    note           TEXT,
    recorded_by    BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (district_code, class_id, day)
);
CREATE INDEX care_outdoor_institution_day ON care_outdoor(institution_id, day);
CREATE TRIGGER care_outdoor_findings_stamp_insert AFTER INSERT ON care_outdoor
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER care_outdoor_findings_stamp_update AFTER UPDATE ON care_outdoor
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER care_outdoor_findings_stamp_delete AFTER DELETE ON care_outdoor
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; END;
-- attendance: who was there (a check-out, written every afternoon, changes nothing the findings read)
CREATE TRIGGER care_attendance_findings_stamp_insert AFTER INSERT ON care_attendance
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER care_attendance_findings_stamp_update AFTER UPDATE OF status, class_id, day, institution_id ON care_attendance
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER care_attendance_findings_stamp_delete AFTER DELETE ON care_attendance
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; END;
