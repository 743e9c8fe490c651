-- 027_duty.sql — caregivers on duty (issue 15 item 5): a caregiver of an institution checks in on
-- duty for a class on a day and checks out again (recorded by the institution's operator); the
-- live ratio per class (present children against caregivers on duty, src/duty/ratio.c) reads these
-- rows with the registry's ratio.<type>.children_per_caregiver parameters (migration 003), and a
-- ratio broken for longer than duty.ratio_broken_minutes becomes a finding.

CREATE TABLE duty_shift (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    staff_id       BIGINT NOT NULL REFERENCES staff_member(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    class_id       BIGINT NOT NULL REFERENCES institution_class(id),
    day            TEXT NOT NULL,
    check_in       TEXT NOT NULL,                        -- HH:MM, Beijing time
    check_out      TEXT,                                 -- NULL while on duty
    covering       INTEGER NOT NULL DEFAULT 0,           -- 1: covering a class not assigned in staff_class
    recorded_by    BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
-- one open duty per staff member and day: a second check-in racing the first gets 409
CREATE UNIQUE INDEX duty_shift_open ON duty_shift(staff_id, day) WHERE check_out IS NULL;
CREATE INDEX duty_shift_staff_day ON duty_shift(staff_id, day);
-- the day pages: an institution's day, and the district's day (day first)
CREATE INDEX duty_shift_day ON duty_shift(day, institution_id);

-- a class's ratio broken for longer than duty.ratio_broken_minutes on a day: one row per break
-- (from its first minute), kept up to date while it runs by `tuoyu duty-scan` and the duty writes;
-- the operator is told when it is found, the town's officers when it lasts duty.ratio_town_minutes
CREATE TABLE duty_finding (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    class_id       BIGINT NOT NULL REFERENCES institution_class(id),
    day            TEXT NOT NULL,
    broken_from    TEXT NOT NULL,                        -- HH:MM the break began
    broken_to      TEXT,                                 -- HH:MM it ended, NULL while it runs
    minutes        INTEGER NOT NULL,                     -- its length so far
    rule           TEXT NOT NULL,                        -- what was found, in words, naming its parameters
    basis          TEXT NOT NULL,
    town_told      INTEGER NOT NULL DEFAULT 0,
    withdrawn_at   TEXT,                                 -- a later entry of the day's records (a duty
                                                         -- backfilled) showed the break was shorter
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (class_id, day, broken_from)
);
CREATE INDEX duty_finding_day ON duty_finding(day, institution_id);

-- the day pages read a day's attendance and morning checks of the whole district (day first; the
-- institution's own page uses migration 025's (institution_id, day) indexes), and the live alerts
CREATE INDEX care_attendance_day ON care_attendance(day, institution_id);
CREATE INDEX care_health_check_day ON care_health_check(day, institution_id);
CREATE INDEX care_alert_institution_status ON care_alert(institution_id, status);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'duty.ratio_broken_minutes', '15', '分钟', '国家与浙江省文件均未规定配比不足可持续的时长；暂定15分钟，待瓯海区卫健局确认', 'UNCERTAIN', '班级师幼比低于标准持续超过此时长即形成发现（通知机构）', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'duty.ratio_town_minutes', '60', '分钟', '国家与浙江省文件均未规定；暂定60分钟（配比不足持续一小时即报镇街），待瓯海区卫健局确认', 'UNCERTAIN', '班级师幼比低于标准持续超过此时长即报所在镇街', '2019-10-08', NULL);
