-- 029_privacy.sql — children's health data under 《个人信息保护法》 (issue 15 item 9, requirement
-- C14): a guardian's consent to processing before any is stored, and how long each kind of
-- record is kept before `tuoyu purge` deletes it.
--
-- A consent: for which purposes (src/privacy/privacy.c: care_health, growth), the privacy notice
-- version in force (privacy.notice_version, as at sign-up), when and by whom — the family's own
-- account (source family), or the institution recording a guardian's signed paper form (source
-- paper: the guardian's name sealed, the scanned form in the materials store). At most one live
-- consent per child; a withdrawal ends it (withdrawn_at), the row stays as the record of what
-- was agreed and when (Art. 15: processing before a withdrawal stays lawful).
CREATE TABLE child_consent (
    id                   {{ID}},
    district_code        TEXT NOT NULL,
    child_id             BIGINT NOT NULL REFERENCES child(id),
    purposes             TEXT NOT NULL,                  -- comma-separated purpose codes
    notice_version       INTEGER NOT NULL,
    source               TEXT NOT NULL CHECK (source IN ('family', 'paper')),
    guardian_name_sealed TEXT,                           -- paper: who signed
    guardian_name_masked TEXT,
    relation             TEXT,                           -- paper: 父亲, 母亲 … (free text)
    material_id          BIGINT REFERENCES material(id), -- paper: the scanned signed form
    given_by             BIGINT REFERENCES app_user(id), -- the family account, or the staff member who recorded it
    given_at             TEXT NOT NULL,
    withdrawn_by         BIGINT REFERENCES app_user(id),
    withdrawn_at         TEXT,
    withdrawal_material_id BIGINT REFERENCES material(id) -- paper: the scanned withdrawal
);
-- one live consent per child: a second one racing the first gets 409
CREATE UNIQUE INDEX child_consent_live ON child_consent(child_id) WHERE withdrawn_at IS NULL;
CREATE INDEX child_consent_child ON child_consent(child_id, id);

-- Retention (《个人信息保护法》第十九条: no longer than the purpose needs). No national rule sets
-- these periods for childcare records: they are the platform's proposal, marked UNCERTAIN until
-- the health bureau confirms them. Counted back from the day purge runs; a record dated on the
-- cut-off day is kept. The audit log is never purged (GB/T 22239—2019, 安全审计).
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'retention.attendance_months', '36', '月', '《个人信息保护法》第十九条（保存期限为实现处理目的所必要的最短时间）；托育机构考勤记录的保存期限无全国性规定，本平台建议在托3年，待区卫健局确认', 'UNCERTAIN', '考勤记录（入园、离园、缺勤）保存月数，期满由 tuoyu purge 删除', '2021-11-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'retention.health_check_months', '36', '月', '《个人信息保护法》第十九条、第二十八条（医疗健康信息为敏感个人信息）；晨午检记录的保存期限无全国性规定，待区卫健局确认', 'UNCERTAIN', '晨午检与全日健康观察记录保存月数，期满由 tuoyu purge 删除', '2021-11-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'retention.entry_check_months', '60', '月', '《个人信息保护法》第十九条；入托体检与预防接种证查验（托育机构管理规范（试行）第十一条）的保存期限无全国性规定，本平台建议至婴幼儿离园后，待区卫健局确认', 'UNCERTAIN', '入托体检与预防接种证查验记录保存月数（自查验日期起），期满由 tuoyu purge 删除', '2021-11-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'retention.growth_months', '72', '月', '《个人信息保护法》第十九条；生长发育监测（WS/T 423—2022）覆盖0–6岁，测量记录的保存期限无全国性规定，待区卫健局确认', 'UNCERTAIN', '生长发育测量记录保存月数（自测量日期起），期满由 tuoyu purge 删除', '2021-11-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'retention.sms_code_days', '7', '天', '本平台设定：验证码5分钟内有效（sms.code_ttl_seconds），频次限制最长看24小时（sms.max_per_number_per_day），此后无用', 'LOCAL', '短信验证码记录（仅存散列）保存天数，期满由 tuoyu purge 删除', '2021-11-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'retention.sms_sent_days', '30', '天', '本平台设定：已发送的验证码短信（号码密封、正文已清除）保留30天以便核查投诉', 'LOCAL', '已发送验证码短信的发送记录保存天数，期满由 tuoyu purge 删除', '2021-11-01', NULL);
