-- 021_staff.sql — the staff registry (issue 14, requirements C2.1): the people who work in each
-- institution (names and ID numbers sealed, a keyed lookup hash of the number, masked copies for
-- display), the classes a caregiver is assigned to, and their certificates; the figures of the
-- staff rules as parameters.

CREATE TABLE staff_member (
    id                 {{ID}},
    district_code      TEXT NOT NULL,
    institution_id     BIGINT NOT NULL REFERENCES institution(id),
    name_sealed        TEXT NOT NULL,
    name_masked        TEXT NOT NULL,
    id_sealed          TEXT NOT NULL,
    id_lookup          TEXT NOT NULL,                  -- keyed hash of "id_number:<number>"
    id_masked          TEXT NOT NULL,
    role               TEXT NOT NULL,                  -- director | caregiver | health | security | cook | other
    employment         TEXT NOT NULL,                  -- full_time | part_time
    start_date         TEXT NOT NULL,
    end_date           TEXT,                           -- NULL while employed
    health_cert_date   TEXT,                           -- last health check (管理规范 Art. 28)
    health_cert_expiry TEXT,                           -- date + staff.health_check_interval_months in force then
    no_crime_cert_date TEXT,                           -- 无犯罪记录证明
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (institution_id, id_lookup)
);
CREATE INDEX staff_member_institution ON staff_member(institution_id);
CREATE INDEX staff_member_lookup ON staff_member(id_lookup);
CREATE INDEX staff_member_health_expiry ON staff_member(district_code, health_cert_expiry);
-- one open-ended full-time employment per person across the district: the handler names the
-- other institution (409 full_time_elsewhere); this index holds when two requests race
CREATE UNIQUE INDEX staff_member_one_full_time ON staff_member(id_lookup)
    WHERE employment = 'full_time' AND end_date IS NULL;

CREATE TABLE staff_class (
    district_code TEXT NOT NULL,
    staff_id      BIGINT NOT NULL REFERENCES staff_member(id) ON DELETE CASCADE,
    class_id      BIGINT NOT NULL REFERENCES institution_class(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, class_id)
);
CREATE INDEX staff_class_class ON staff_class(class_id);

CREATE TABLE staff_certificate (
    id            {{ID}},
    district_code TEXT NOT NULL,
    staff_id      BIGINT NOT NULL REFERENCES staff_member(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,                       -- childcare_worker | infant_carer | teacher | nurse | doctor | health_training | security_guard | cook | director_training
    grade         INTEGER,                             -- 保育师/育婴员: 国家职业技能等级 1 (一级) … 5 (五级)
    number        TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    issue_date    TEXT NOT NULL,
    expiry_date   TEXT                                 -- NULL: does not expire
);
CREATE INDEX staff_certificate_staff ON staff_certificate(staff_id);
CREATE INDEX staff_certificate_expiry ON staff_certificate(district_code, expiry_date);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'staff.cert_expiry_warning_days', '30', '天', '本平台设定（证书到期前提醒机构续办）', 'LOCAL', '证书到期前多少天提醒（健康证、资格证书）', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'staff.no_criminal_record_required', '1', '开关', '《托育机构管理规范（试行）》（国卫人口发〔2019〕58号，条款待确认）；《家庭托育点管理办法（试行）》(2023-11-14)：照护人员无性侵、虐待、拐卖、暴力伤害等违法犯罪记录', 'UNCERTAIN', '工作人员须提供无犯罪记录证明', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'staff.director_required', '1', '开关', '国卫人口发〔2019〕58号《托育机构设置标准（试行）》第十八条', 'VERIFIED-S', '托育机构须有负责人', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'staff.certified_posts_required', '1', '开关', '瓯海区普惠托育基本公共服务试点工作方案 四(五)16：依法实行婴幼儿照护服务工作人员职业资格准入和持证上岗制度', 'VERIFIED-P', '持证上岗：资格证书须在有效期内', '2023-03-30', NULL);
