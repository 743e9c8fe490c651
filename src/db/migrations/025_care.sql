-- 025_care.sql — daily care of the children in an institution (issue 15 items 1–2, requirements
-- C3.1–C3.2): a child's place in a class (from admission to leaving), the entry checks the
-- admission gate asks for (管理规范 Art. 11: health check and vaccination certificate), the
-- people authorised to bring and collect a child (names sealed), and attendance per child per
-- day. The re-check after an absence uses child.recheck_absence_months (migration 003).

CREATE TABLE care_placement (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    child_id       BIGINT NOT NULL REFERENCES child(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    class_id       BIGINT NOT NULL REFERENCES institution_class(id),
    start_date     TEXT NOT NULL,
    end_date       TEXT,                                 -- NULL while the child is in the class
    leave_reason   TEXT,                                 -- why the child left (or "class_change")
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
-- one open placement per child: a second placement racing the first gets 409
CREATE UNIQUE INDEX care_placement_open ON care_placement(child_id) WHERE end_date IS NULL;
CREATE INDEX care_placement_class ON care_placement(class_id, end_date);

CREATE TABLE care_entry_check (
    id            {{ID}},
    district_code TEXT NOT NULL,
    child_id      BIGINT NOT NULL REFERENCES child(id),
    kind          TEXT NOT NULL,                         -- health_check | vaccination
    checked_on    TEXT NOT NULL,
    result        TEXT NOT NULL,                         -- pass | fail
    note          TEXT,
    material_id   BIGINT REFERENCES material(id),        -- the scanned form or certificate
    recorded_by   BIGINT REFERENCES app_user(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX care_entry_check_child ON care_entry_check(child_id, kind, checked_on);

CREATE TABLE care_pickup (
    id            {{ID}},
    district_code TEXT NOT NULL,
    child_id      BIGINT NOT NULL REFERENCES child(id),
    name_sealed   TEXT NOT NULL,
    name_masked   TEXT NOT NULL,
    relation      TEXT NOT NULL,                         -- 父亲, 母亲, 祖父母 … (free text)
    created_at    TEXT NOT NULL
);
CREATE INDEX care_pickup_child ON care_pickup(child_id);

CREATE TABLE care_attendance (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    child_id       BIGINT NOT NULL REFERENCES child(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    class_id       BIGINT NOT NULL REFERENCES institution_class(id),
    day            TEXT NOT NULL,
    status         TEXT NOT NULL,                        -- present | absent
    check_in       TEXT,                                 -- HH:MM, Beijing time
    brought_by     BIGINT REFERENCES care_pickup(id),
    check_out      TEXT,
    collected_by   BIGINT REFERENCES care_pickup(id),
    absence_cause  TEXT,                                 -- illness | family | other | NULL: unexplained
    symptom        TEXT,                                 -- illness: what the family said
    note           TEXT,
    recorded_by    BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (child_id, day)                               -- a check-in racing another gets 409
);
CREATE INDEX care_attendance_class_day ON care_attendance(class_id, day);
CREATE INDEX care_attendance_institution_day ON care_attendance(institution_id, day);


-- 晨午检 and all-day observation (管理规范 Art. 24): temperature, coded symptoms (care.c), what
-- was done; the guardian is told through the inbox in the same transaction
CREATE TABLE care_health_check (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    child_id       BIGINT NOT NULL REFERENCES child(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    class_id       BIGINT NOT NULL REFERENCES institution_class(id),
    day            TEXT NOT NULL,
    slot           TEXT NOT NULL,                        -- morning | noon | day
    temperature_c  DOUBLE PRECISION,
    symptoms       TEXT NOT NULL,                        -- comma-separated codes, "" when none
    action         TEXT NOT NULL,                        -- none | observe | send_home | notify_guardian
    note           TEXT,
    guardian_told  INTEGER NOT NULL DEFAULT 0,
    recorded_by    BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX care_health_check_child ON care_health_check(child_id, day);
CREATE INDEX care_health_check_institution_day ON care_health_check(institution_id, day);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'care.fever_threshold_c', '37.3', '℃', '腋温发热界值（临床通用）；管理规范第二十四条要求晨午检但未定数值，待核实', 'UNCERTAIN', '晨午检体温达到此值记为发热', '2019-10-08', NULL);

-- the outbreak early warning (C3.3): an alert per institution, class (NULL: the institution) and
-- symptom group while it is live; the cases it counts (masked names), the rule that fired and
-- its basis; acknowledged, then closed with what was done
CREATE TABLE care_alert (
    id              {{ID}},
    district_code   TEXT NOT NULL,
    institution_id  BIGINT NOT NULL REFERENCES institution(id),
    class_id        BIGINT REFERENCES institution_class(id),
    grp             TEXT NOT NULL,                       -- outbreak group code (outbreak.c)
    first_day       TEXT NOT NULL,
    last_day        TEXT NOT NULL,
    cases           INTEGER NOT NULL,                    -- distinct children
    children        TEXT NOT NULL,                       -- JSON [{child_id, name (masked), class_name}]
    rule            TEXT NOT NULL,                       -- the rule that fired, in words
    basis           TEXT NOT NULL,
    status          TEXT NOT NULL,                       -- open | acknowledged | closed
    raised_at       TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    acknowledged_by BIGINT REFERENCES app_user(id),
    acknowledged_at TEXT,
    closed_by       BIGINT REFERENCES app_user(id),
    closed_at       TEXT,
    close_action    TEXT
);
-- one live alert per institution, class and group: a second raise updates it
CREATE UNIQUE INDEX care_alert_live ON care_alert(institution_id, COALESCE(class_id, 0), grp) WHERE status <> 'closed';
CREATE INDEX care_alert_status ON care_alert(district_code, status);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'care.outbreak.class_cases', '3', '人', '参照卫办疾控发〔2006〕65号：同一班级短期内3例相似症状须报告（待核实）', 'UNCERTAIN', '同一班级多少名婴幼儿出现同类症状即预警', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'care.outbreak.institution_cases', '5', '人', '参照卫办疾控发〔2006〕65号：连续3天内5例以上相似症状须报告（待核实）', 'UNCERTAIN', '同一机构多少名婴幼儿出现同类症状即预警', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'care.outbreak.window_days', '3', '天', '参照卫办疾控发〔2006〕65号：连续3天内（待核实）', 'UNCERTAIN', '同类症状病例的统计窗口（含当天）', '2019-10-08', NULL);
