-- 027_duty.sql — caregivers on duty (issue 15 item 5): a staff member checks in on duty for a
-- class of their institution on a day and checks out again; the live ratio per class (present
-- children against caregivers on duty, src/duty/ratio.c) reads these rows with the registry's
-- ratio.<type>.children_per_caregiver parameters (migration 003), and a ratio broken for longer
-- than duty.ratio_broken_minutes becomes a finding.

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
CREATE INDEX duty_shift_class_day ON duty_shift(class_id, day);
CREATE INDEX duty_shift_institution_day ON duty_shift(institution_id, day);

-- the day pages: open alerts of an institution, and the district's day read per institution
CREATE INDEX care_alert_institution_status ON care_alert(institution_id, status);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'duty.ratio_broken_minutes', '15', '分钟', '国家与浙江省文件均未规定配比不足可持续的时长；暂定15分钟，待瓯海区卫健局确认', 'UNCERTAIN', '班级师幼比低于标准持续超过此时长即形成发现（通知机构负责人，并报所在街道）', '2019-10-08', NULL);
