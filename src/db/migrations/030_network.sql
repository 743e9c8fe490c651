-- 030_network.sql — the health guidance network (C5.1, C5.2; seed 四(二)4): the history of health
-- instructors' assignments to institutions, and the duties they record (on-site visits, health
-- lectures, the yearly review of an institution's health-care work).

-- Every assignment with its dates. instructor_assignment (002) stays the current assignments only:
-- the policy's point lookup of an instructor's jurisdiction reads it; a period here is open
-- (assigned_to NULL) exactly while its pair is in instructor_assignment, and both change in one
-- transaction (src/network/store.c).
CREATE TABLE instructor_assignment_period (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    user_id        BIGINT NOT NULL REFERENCES app_user(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    assigned_from  TEXT NOT NULL,             -- YYYY-MM-DD, the first day
    assigned_to    TEXT,                      -- YYYY-MM-DD, the last day; NULL while current
    assigned_by    BIGINT REFERENCES app_user(id),
    ended_by       BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX instructor_assignment_period_inst ON instructor_assignment_period(institution_id, assigned_from);
CREATE UNIQUE INDEX instructor_assignment_period_open ON instructor_assignment_period(user_id, institution_id)
    WHERE assigned_to IS NULL;
-- assignments made before this migration (demo data) begin on the pilot plan's date
INSERT INTO instructor_assignment_period (district_code, user_id, institution_id, assigned_from, created_at, updated_at)
    SELECT district_code, user_id, institution_id, '2023-03-30', '2023-03-30T00:00:00Z', '2023-03-30T00:00:00Z'
    FROM instructor_assignment;

-- A duty done by a health instructor at an institution.
CREATE TABLE instructor_duty (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    user_id        BIGINT NOT NULL REFERENCES app_user(id),
    kind           TEXT NOT NULL,             -- visit 实地指导 | lecture 健康知识讲座 | review 卫生保健工作梳理
    done_on        TEXT NOT NULL,             -- YYYY-MM-DD
    content        TEXT NOT NULL,             -- what was done (topic of a lecture)
    findings       TEXT NOT NULL DEFAULT '',  -- what was found
    advice         TEXT NOT NULL DEFAULT '',  -- the guidance given
    follow_up      TEXT NOT NULL DEFAULT '',  -- visits: what is to be followed up
    follow_up_by   TEXT,                      -- visits: by when (YYYY-MM-DD)
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX instructor_duty_inst ON instructor_duty(institution_id, done_on);

-- No document gives a grace period: the plan says 每季度至少…1次, so a quarter's visit not done by
-- the quarter's last day is overdue (0 days). A district that allows late entries raises it.
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'health.duty_grace_days', '0', '日', '无文件依据：瓯海区普惠托育基本公共服务试点工作方案 四(二)4 只规定每季度、每半年、每年的次数', 'UNCERTAIN', '健康指导员职责逾期前的宽限天数（自周期最后一天起算）', '2023-03-30', NULL);

-- 养育照护小组活动 (C6.3; seed 四(二)5): activities a growth station, an institution, or a town (its
-- community health centre) schedules; families register, never beyond capacity (registered is
-- taken by one conditional UPDATE, as visit slots are).
CREATE TABLE care_group_activity (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    town_code      TEXT NOT NULL REFERENCES town(code),
    institution_id BIGINT REFERENCES institution(id) ON DELETE CASCADE, -- the station or institution; NULL: the town's
    host           TEXT NOT NULL,             -- who runs it (机构、驿站、社区卫生服务中心、医院)
    topic          TEXT NOT NULL,
    age_band       TEXT NOT NULL,             -- 0_12 | 12_24 | 24_36 | 0_36 (months)
    place          TEXT NOT NULL,
    starts_at      TEXT NOT NULL,             -- UTC timestamp
    capacity       INTEGER NOT NULL,
    registered     INTEGER NOT NULL DEFAULT 0,
    created_by     BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX care_group_activity_start ON care_group_activity(district_code, starts_at);

CREATE TABLE care_group_registration (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    activity_id    BIGINT NOT NULL REFERENCES care_group_activity(id) ON DELETE CASCADE,
    family_user_id BIGINT NOT NULL REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    UNIQUE (activity_id, family_user_id)
);
CREATE INDEX care_group_registration_family ON care_group_registration(family_user_id);
