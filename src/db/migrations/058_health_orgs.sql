-- 058_health_orgs.sql — the three-tier health guidance network (issue 16 item 1; the pilot plan
-- 四(二)4 "区级-镇街卫生院(社区卫生服务中心)-托育机构三级指导网络", 四(二)6): the district's 妇幼保健
-- 中心 as the hub and each town's 卫生院 or 社区卫生服务中心 — those of 新桥、娄桥、三垟 also the
-- "医、防、护三位一体儿童健康管理中心" the plan creates there (四(二)6); every health instructor
-- (儿保医生) belongs to one of them, and is
-- assigned to institutions by the district (instructor_assignment, migration 030). Coordinates
-- are left empty until the district enters them: the platform does not invent a location.

CREATE TABLE health_org (
    id            {{ID}},
    district_code TEXT NOT NULL,
    kind          TEXT NOT NULL,      -- mch_hub | town_health
    name          TEXT NOT NULL,
    child_health_centre INTEGER NOT NULL DEFAULT 0, -- 儿童健康管理中心 (四(二)6)
    town_code     TEXT,               -- NULL for the district's hub
    parent_id     BIGINT REFERENCES health_org(id),
    address       TEXT NOT NULL DEFAULT '',
    lon           DOUBLE PRECISION,
    lat           DOUBLE PRECISION,
    UNIQUE (district_code, name)
);

CREATE TABLE health_org_member (
    district_code TEXT NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES app_user(id),
    org_id        BIGINT NOT NULL REFERENCES health_org(id),
    since         TEXT NOT NULL,
    PRIMARY KEY (district_code, user_id)
);

INSERT INTO health_org (district_code, kind, name, town_code, parent_id) VALUES ('330304', 'mch_hub', '瓯海区妇幼保健中心', NULL, NULL);
-- each town's health centre: a 镇's 卫生院, a 街道's 社区卫生服务中心
INSERT INTO health_org (district_code, kind, name, town_code, parent_id, child_health_centre)
SELECT t.district_code, 'town_health', t.name || CASE WHEN t.kind = 'town' THEN '卫生院' ELSE '社区卫生服务中心' END, t.code,
       (SELECT h.id FROM health_org h WHERE h.district_code = t.district_code AND h.kind = 'mch_hub'),
       CASE WHEN t.name IN ('新桥街道', '娄桥街道', '三垟街道') THEN 1 ELSE 0 END
FROM town t WHERE t.district_code = '330304';
