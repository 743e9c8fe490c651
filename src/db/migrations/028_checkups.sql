-- 028_checkups.sql — the health-check schedule and screening results (issue 15 item 8,
-- requirements C5.4): the periodic health checks recorded for a child (which scheduled check,
-- when, where, by whom; the measurements taken go to the growth store, table measurement, and the
-- check points at them), development and autism-sign screening results, and the reminders sent
-- to families once per check window. The schedule itself is computed (src/checkups/checkups.c)
-- from the child's birth date and the checkup.* parameters below (domain-rules §5).

CREATE TABLE checkup_record (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    child_id       BIGINT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    check_code     TEXT NOT NULL,                        -- m3 … m36 | care | other (checkups.c)
    checked_on     TEXT NOT NULL,
    place          TEXT NOT NULL,                        -- where: 社区卫生服务中心, the institution …
    examiner       TEXT NOT NULL,                        -- by whom (doctor or health worker, as written)
    result         TEXT NOT NULL,                        -- normal | abnormal
    note           TEXT,
    measurement_id BIGINT REFERENCES measurement(id) ON DELETE SET NULL,
    institution_id BIGINT REFERENCES institution(id),    -- the child's institution when recorded
    recorded_by    BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX checkup_record_child ON checkup_record(child_id, checked_on);

CREATE TABLE checkup_screening (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    child_id       BIGINT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    tool           TEXT NOT NULL,                        -- asq3 | asq_se2 | mchat_rf | warning_signs | other
    screened_on    TEXT NOT NULL,
    result         TEXT NOT NULL,                        -- normal | abnormal | refer
    referral_to    TEXT,                                 -- where the child was referred (result refer)
    follow_up      TEXT,
    note           TEXT,
    institution_id BIGINT REFERENCES institution(id),
    recorded_by    BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX checkup_screening_child ON checkup_screening(child_id, screened_on);

-- one reminder per child and check window: a second run finds the row and sends nothing
CREATE TABLE checkup_reminder (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    child_id       BIGINT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    check_code     TEXT NOT NULL,
    window_opens   TEXT NOT NULL,
    sent_at        TEXT NOT NULL,
    UNIQUE (child_id, check_code, window_opens)
);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'checkup.ages_months', '3,6,8,12,18,24,30,36', '月龄', '国家基本公共卫生服务规范（第三版）0～6岁儿童健康管理，国卫基层发〔2017〕13号', 'VERIFIED-S', '婴幼儿健康检查的月龄（逗号分隔，递增）', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'checkup.window_months', '1', '月', '国卫基层发〔2017〕13号：各次检查在该月龄内完成（如满3月至不满4月）', 'VERIFIED-S', '检查窗口自达到月龄之日起的长度', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'checkup.window_before_days', '0', '天', '未见提前检查的规定，按达到月龄之日开始，待核实', 'UNCERTAIN', '检查窗口在达到月龄前几天开始', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'checkup.care_from_months', '12', '月龄', '托儿所幼儿园卫生保健工作规范（2012）：1～3岁每年2次', 'VERIFIED-S', '在园定期健康检查（每年2次）起始月龄', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'checkup.care_to_months', '36', '月龄', '托儿所幼儿园卫生保健工作规范（2012）：1～3岁每年2次', 'VERIFIED-S', '在园定期健康检查（每年2次）截止月龄（不含）', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'checkup.care_interval_months', '6', '月', '托儿所幼儿园卫生保健工作规范（2012）：每次间隔6个月', 'VERIFIED-S', '在园1～3岁婴幼儿两次健康检查的最长间隔', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'checkup.remind_before_days', '7', '天', '未见规定，本平台按提前一周提醒设定，待区卫健局确认', 'UNCERTAIN', '检查窗口开始前几天提醒家长', '2019-10-08', NULL);
