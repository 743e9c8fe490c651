-- 019_cases.sql — the cases engine (issue 13): instances of the processes src/cases/processes.c
-- defines (办托一件事 filing, change filing, cancellation …), their tasks and their history; the
-- departments that review in parallel and the reviewers who belong to them; the filing register
-- the public 公示 list reads. docs/decisions.md "Cases engine" says why it is shaped so.

-- The departments of a filing's parallel review (备案办法, domain-rules §6.1). A list of data, not
-- code: the district adds one with a row. A 部门审核员 belongs to exactly one (staff_department).
CREATE TABLE department (
    district_code TEXT NOT NULL,
    code          TEXT NOT NULL,            -- fire, market, health, education, civil_affairs, housing, emergency
    name          TEXT NOT NULL,            -- 消防救援 …
    PRIMARY KEY (district_code, code)
);
INSERT INTO department (district_code, code, name) VALUES ('330304', 'fire', '消防救援');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'market', '市场监管');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'health', '卫生评价（妇幼保健）');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'education', '教育');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'civil_affairs', '民政');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'housing', '住建');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'emergency', '应急管理');

CREATE TABLE staff_department (
    district_code TEXT NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES app_user(id),
    department    TEXT NOT NULL,
    PRIMARY KEY (district_code, user_id),
    FOREIGN KEY (district_code, department) REFERENCES department (district_code, code)
);
CREATE INDEX staff_department_by_department ON staff_department(district_code, department);

-- One case: an instance of a process about a subject (an institution), in a state. data is the
-- process's own JSON (a filing's institution record and its checklist of materials). version
-- goes up with every transition: a transition writes only when the version it read is still
-- there, so of two decisions at once one wins and the other is told 409.
CREATE TABLE case_file (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    process        TEXT NOT NULL,           -- filing, change, cancel (src/cases/processes.c)
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    town_code      TEXT NOT NULL,           -- the institution's town when the case was opened
    state          TEXT NOT NULL,
    data           TEXT NOT NULL,           -- JSON
    version        INTEGER NOT NULL DEFAULT 1,
    submitted_on   TEXT,                    -- YYYY-MM-DD of the last submission (deadlines count from it)
    created_by     BIGINT NOT NULL REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    closed_at      TEXT                     -- set when the case reaches a final state
);
CREATE INDEX case_file_by_institution ON case_file(district_code, institution_id, id);
CREATE INDEX case_file_by_state ON case_file(district_code, state, id);

-- A task: one step of a case waiting for someone whose role the policy lets perform action (and,
-- when department is set, who belongs to it). Parallel steps are several open tasks of a case.
CREATE TABLE case_task (
    id            {{ID}},
    district_code TEXT NOT NULL,
    case_id       BIGINT NOT NULL REFERENCES case_file(id),
    institution_id BIGINT NOT NULL,         -- the case's, copied so the inbox scopes and counts
    town_code     TEXT NOT NULL,            -- from this table and its index alone
    step          TEXT NOT NULL,            -- receipt, review_fire, decision, correct …
    action        TEXT NOT NULL,            -- the policy action that may act on it (case.review …)
    department    TEXT NOT NULL DEFAULT '', -- the department whose reviewers act on it; '': none
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'cancelled')),
    opened_on     TEXT NOT NULL,            -- YYYY-MM-DD
    due_on        TEXT NOT NULL,            -- YYYY-MM-DD; '9999-12-31' when the step has no deadline
                                            -- (NOT NULL so that the inbox walks its index in due order)
    outcome       TEXT,                     -- the event that closed it
    comment       TEXT,
    done_by       BIGINT REFERENCES app_user(id),
    done_at       TEXT
);
CREATE INDEX case_task_inbox ON case_task(district_code, state, department, action, due_on, id);
CREATE INDEX case_task_by_case ON case_task(case_id, id);

-- History: every transition, who, when, what, with the comment and the items a deficiency names.
CREATE TABLE case_event (
    id            {{ID}},
    district_code TEXT NOT NULL,
    case_id       BIGINT NOT NULL REFERENCES case_file(id),
    at            TEXT NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES app_user(id),
    user_name     TEXT NOT NULL,
    event         TEXT NOT NULL,
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    task_id       BIGINT,
    comment       TEXT NOT NULL DEFAULT '',
    items         TEXT                      -- JSON array of the items a deficiency notice names
);
CREATE INDEX case_event_by_case ON case_event(case_id, id);

-- The filing register (备案): what the public 公示 list shows of a filed institution.
CREATE TABLE institution_filing (
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    filing_no      TEXT NOT NULL,           -- 330304-2024-0001
    filed_on       TEXT NOT NULL,           -- YYYY-MM-DD of the decision
    changed_on     TEXT,                    -- the last change filing (变更备案) decided
    cancelled_on   TEXT,                    -- 注销
    case_id        BIGINT REFERENCES case_file(id), -- the deciding case; NULL: filed before the platform
    PRIMARY KEY (district_code, institution_id)
);
CREATE UNIQUE INDEX institution_filing_no ON institution_filing(district_code, filing_no);

-- 托育机构登记和备案办法（试行） Art. 9: a receipt within 5 working days; a notice of what does not
-- comply within 15 working days.
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'filing.receipt_working_days', '5', '工作日', '国卫办人口发〔2019〕25号《托育机构登记和备案办法（试行）》第九条', 'VERIFIED-S', '提交备案后出具回执的期限（自提交之日起）', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'filing.notice_working_days', '15', '工作日', '国卫办人口发〔2019〕25号《托育机构登记和备案办法（试行）》第九条', 'VERIFIED-S', '备案材料不符合要求时告知的期限（自提交之日起）：部门审核与备案决定须在此前完成', '2019-10-08', NULL);
-- Not from a policy document: how long an operator has to correct a deficient filing before the
-- case is shown overdue; the district's own setting.
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'filing.correction_days', '30', '日', '本平台设定（issue 13：补正材料期限，自然日）', 'LOCAL', '收到补正告知后补正材料并重新提交的期限（自然日）', '2019-10-08', NULL);
