-- 053_inspections.sql — 督查 (issue 19 item 5): an inspection of an institution (planned or
-- unannounced, the team, the day) with its checklist — the compliance rules the platform checks
-- (registry and staff rule codes) and any further points the team writes — each passed, failed
-- with what was found, or not applicable. Every failed point becomes a rectification item
-- (source inspection, subject "inspection:<id>") in the same transaction, so 待整改 counts
-- inspections' findings and the live findings alike.

CREATE TABLE inspection (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    kind           TEXT NOT NULL,            -- planned | unannounced
    inspected_on   TEXT NOT NULL,            -- YYYY-MM-DD, not after the day it is recorded
    team           TEXT NOT NULL,            -- the inspectors, as the team signs
    summary        TEXT NOT NULL DEFAULT '',
    created_by     BIGINT NOT NULL REFERENCES app_user(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX inspection_inst ON inspection(institution_id, inspected_on);

CREATE TABLE inspection_item (
    inspection_id    BIGINT NOT NULL REFERENCES inspection(id),
    position         INTEGER NOT NULL,
    code             TEXT NOT NULL,          -- a rule code of the checklist, or "other"
    name             TEXT NOT NULL,
    result           TEXT NOT NULL,          -- pass | fail | na
    note             TEXT NOT NULL DEFAULT '',
    rectification_id BIGINT REFERENCES rectification_item(id),
    PRIMARY KEY (inspection_id, position)
);
