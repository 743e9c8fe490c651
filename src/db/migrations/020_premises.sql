-- 020_premises.sql — the register of idle state premises (国有闲置房源, requirements C1.4; seed
-- 四(一)2: 依据《瓯海区3岁以下婴幼儿照护服务机构租赁国有资产管理暂行办法》… 减免租金 … 优先支持普惠性
-- 托育服务机构) and the link from an application case (process "premises" of the cases engine) to
-- the entry it asks for. docs/decisions.md "Idle state premises" says why it is shaped so.

-- One entry. status is what the district decided: available, allocated (to institution_id by
-- case_id), withdrawn. "applied" is not stored: an available entry with a submitted application
-- still open shows so. version goes up with every change.
CREATE TABLE premises (
    id               {{ID}},
    district_code    TEXT NOT NULL,
    town_code        TEXT NOT NULL,
    address          TEXT NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,   -- WGS-84
    lat              DOUBLE PRECISION NOT NULL,
    area_m2          DOUBLE PRECISION NOT NULL,   -- 建筑面积
    floor            INTEGER NOT NULL,            -- negative: underground
    owner_unit       TEXT NOT NULL,               -- 产权单位
    relief_terms     TEXT NOT NULL DEFAULT '',    -- 减免租金条款
    rent_free_months INTEGER NOT NULL DEFAULT 0,  -- 免租期（月）
    status           TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'allocated', 'withdrawn')),
    institution_id   BIGINT REFERENCES institution(id),
    case_id          BIGINT REFERENCES case_file(id),
    allocated_on     TEXT,
    withdrawn_reason TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX premises_by_town ON premises(district_code, town_code, id);
CREATE INDEX premises_by_status ON premises(district_code, status, id);

-- An application: the case of process "premises" and the entry it asks for (one entry per case).
CREATE TABLE premises_application (
    case_id        BIGINT PRIMARY KEY REFERENCES case_file(id),
    district_code  TEXT NOT NULL,
    premises_id    BIGINT NOT NULL REFERENCES premises(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id)
);
CREATE INDEX premises_application_by_premises ON premises_application(premises_id, case_id);

-- Not from a policy document (the 暂行办法 sets no review period): the district's own deadline for
-- deciding an application, counted in working days from its submission; confirm with 区卫健局.
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'premises.review_working_days', '15', '工作日', '本平台设定（issue 13 item 7：房源申请审核分配期限，参照备案告知期限）', 'LOCAL', '国有闲置房源申请的审核分配期限（自提交之日起）', '2023-01-01', NULL);

-- Planning's idle_premises candidates (src/planning/) for state premises come from this register:
-- each available entry has one candidate_site row, written in the register's own transaction and
-- removed when the entry is allocated or withdrawn. Rows with no premises_id are the sites
-- planners enter by hand (new communities, premises outside the state register).
ALTER TABLE candidate_site ADD COLUMN premises_id BIGINT REFERENCES premises(id);
CREATE UNIQUE INDEX candidate_site_premises ON candidate_site(premises_id);
