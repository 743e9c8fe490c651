-- 008_rounds.sql — ranked applications, allocation rounds and offers (入托一件事, issue 5 parts 3
-- and 5), and the priority points table as dated parameters (values are placeholders, UNCERTAIN).

CREATE TABLE application (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    child_id       BIGINT NOT NULL REFERENCES child(id),
    family_user_id BIGINT NOT NULL REFERENCES app_user(id),
    intake         TEXT NOT NULL,              -- start month YYYY-MM
    status         TEXT NOT NULL,              -- draft | submitted | in_round | offered | accepted | declined | lapsed | withdrawn | waitlisted
    criteria       TEXT NOT NULL,              -- JSON object of declared booleans
    round_id       BIGINT,
    lottery        BIGINT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX application_child ON application(child_id, status);
CREATE INDEX application_family ON application(family_user_id);
CREATE INDEX application_intake ON application(intake, status);

CREATE TABLE application_choice (
    id             {{ID}},
    application_id BIGINT NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    choice_rank    INTEGER NOT NULL,           -- 1 = first choice
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    class_type     TEXT NOT NULL,
    points         DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX application_choice_app ON application_choice(application_id, choice_rank);
CREATE INDEX application_choice_inst ON application_choice(institution_id);

CREATE TABLE alloc_round (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    intake         TEXT NOT NULL,
    seed           TEXT NOT NULL,              -- 64 hex digits, published
    runs           INTEGER NOT NULL DEFAULT 1, -- 1 + number of waitlist re-runs
    inputs         TEXT NOT NULL,              -- JSON: programs with capacities, applications in lottery order
    outputs        TEXT NOT NULL,              -- JSON: assignment of the latest run
    cutoffs        TEXT NOT NULL,              -- JSON: per program cut-off of the latest run
    created_by     BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE offer (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    round_id       BIGINT NOT NULL REFERENCES alloc_round(id),
    application_id BIGINT NOT NULL REFERENCES application(id),
    child_id       BIGINT NOT NULL REFERENCES child(id),
    family_user_id BIGINT NOT NULL REFERENCES app_user(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    class_type     TEXT NOT NULL,
    status         TEXT NOT NULL,              -- offered | accepted | declined | lapsed | withdrawn | superseded
    deadline       TEXT NOT NULL,              -- YYYY-MM-DD, last day to accept
    created_at     TEXT NOT NULL,
    decided_at     TEXT
);
CREATE INDEX offer_program ON offer(institution_id, class_type, status);
CREATE INDEX offer_application ON offer(application_id, status);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'enrol.points.multi_child', '2', '分', '待瓯海区卫健局确认（本平台示例值）', 'UNCERTAIN', '入托积分：多孩家庭（二孩及以上）', '2024-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'enrol.points.both_parents_working', '1', '分', '待瓯海区卫健局确认（本平台示例值）', 'UNCERTAIN', '入托积分：父母双方均在职', '2024-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'enrol.points.ouhai_residence', '2', '分', '待瓯海区卫健局确认（本平台示例值）', 'UNCERTAIN', '入托积分：瓯海区户籍或在瓯海区缴纳社保', '2024-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'enrol.points.disability', '3', '分', '待瓯海区卫健局确认（本平台示例值）', 'UNCERTAIN', '入托积分：婴幼儿或父母一方持残疾证', '2024-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'enrol.points.hardship', '3', '分', '待瓯海区卫健局确认（本平台示例值）', 'UNCERTAIN', '入托积分：低保、低边或特困家庭', '2024-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'enrol.points.sibling_at_institution', '2', '分', '待瓯海区卫健局确认（本平台示例值）', 'UNCERTAIN', '入托积分：兄姐已在该机构入托（由系统根据数据计算）', '2024-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'enrol.points.same_town', '1', '分', '待瓯海区卫健局确认（本平台示例值）', 'UNCERTAIN', '入托积分：户籍所在镇街与机构所在镇街相同（由系统计算）', '2024-01-01', NULL);
