-- 055_key_tasks.sql — the pilot's key-task plan (重点工作计划, issue 19 item 3; the pilot plan's
-- 附件2 and its tasks 四(一)1 … 四(五)18): each task with its owner — the district (区卫健局, which
-- leads), a department, or a town — its deadline and milestones; the owner reports progress with
-- evidence (src/materials/, owner key_task); a task is done only with evidence; past its deadline
-- and not done it is overdue. src/plan_tasks/ says how.

-- the departments the plan names beside those that review filings (五(四): 发改、教育、公安、民政、
-- 财政、人力社保、自然资源、住建、税务、市场监管)
INSERT INTO department (district_code, code, name) VALUES ('330304', 'development', '发展改革');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'finance', '财政');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'human_resources', '人力社保');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'natural_resources', '自然资源');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'public_security', '公安');
INSERT INTO department (district_code, code, name) VALUES ('330304', 'tax', '税务');

CREATE TABLE key_task (
    id            {{ID}},
    district_code TEXT NOT NULL,
    item          TEXT NOT NULL DEFAULT '',   -- the plan's item it carries out ("四(一)2")
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    owner_kind    TEXT NOT NULL,              -- district | department | town
    owner_code    TEXT NOT NULL DEFAULT '',   -- a department's code or a town's; '' for the district
    due_on        TEXT NOT NULL,              -- YYYY-MM-DD
    state         TEXT NOT NULL,              -- planned | in_progress | done | cancelled
    done_on       TEXT,
    created_by    BIGINT NOT NULL REFERENCES app_user(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX key_task_owner ON key_task (district_code, owner_kind, owner_code);

CREATE TABLE key_task_milestone (
    task_id  BIGINT NOT NULL REFERENCES key_task(id),
    position INTEGER NOT NULL,
    title    TEXT NOT NULL,
    due_on   TEXT NOT NULL,
    done_on  TEXT,
    PRIMARY KEY (task_id, position)
);

-- the owner's progress reports, newest last: what was done, the state it left the task in
CREATE TABLE key_task_update (
    id         {{ID}},
    task_id    BIGINT NOT NULL REFERENCES key_task(id),
    state      TEXT NOT NULL,
    note       TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX key_task_update_task ON key_task_update (task_id, id);
