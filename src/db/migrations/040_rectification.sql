-- 040_rectification.sql — rectification items (整改清单, issue 19 item 5, requirements C11). A
-- district or town officer raises an item against an institution from a finding (an inspection's,
-- or a live compliance finding: the findings list's stable key — source, rule, subject — is kept
-- so the two join); the deadline is rectify.deadline_days after raising; the operator answers with
-- evidence (the institution's materials); the officer closes it, never without evidence. The town
-- and the district are told by the inbox the day after the deadline (withdrawn on closure).

CREATE TABLE rectification_item (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    source         TEXT NOT NULL,                  -- inspection | registry | duty | staff | …
    rule           TEXT NOT NULL,                  -- the finding's rule code
    subject        TEXT NOT NULL,                  -- the finding's subject (a record key; '' for the institution)
    finding        TEXT NOT NULL,                  -- what was found, as the officer wrote it
    due_on         TEXT NOT NULL,                  -- YYYY-MM-DD
    status         TEXT NOT NULL,                  -- open | responded | closed
    response       TEXT,                           -- the operator's account of what was done
    responded_at   TEXT,
    review_note    TEXT,
    closed_at      TEXT,
    raised_by      BIGINT NOT NULL REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX rectification_item_inst ON rectification_item (institution_id, status);
-- one open item per finding: raising the same finding again while it is open is a conflict
CREATE UNIQUE INDEX rectification_item_open ON rectification_item (institution_id, source, rule, subject)
    WHERE status <> 'closed';

-- the evidence of a response: the institution's materials (src/materials/, owner institution)
CREATE TABLE rectification_evidence (
    item_id     BIGINT NOT NULL REFERENCES rectification_item(id),
    material_id BIGINT NOT NULL REFERENCES material(id),
    PRIMARY KEY (item_id, material_id)
);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'rectify.deadline_days', '30', '天', '督查整改期限未见文件规定；按 30 日设定，待区卫健局确认', 'UNCERTAIN', '督查或监管发现问题后限期整改的期限（自下达之日起的自然日）', '2024-01-01', NULL);
