-- 034_rating_workflow.sql — the star-rating workflow (issue 17 item 2) on the cases engine: an
-- assessment is a case of process "rating" (src/cases/processes.c) — the institution's
-- self-assessment with evidence per item, the town's check, the experts' independent sheets, the
-- combined result judged by src/rating/rating.c, publicity with objections, then the level in
-- force from a day until the next assessment. Sheets are JSON {item_code: points | true | false}
-- validated through the engine; the scheme version an assessment was made under is kept, so a
-- scheme change never alters it.

CREATE TABLE rating_assessment (
    case_id        BIGINT PRIMARY KEY REFERENCES case_file(id),
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    scheme_id      BIGINT NOT NULL REFERENCES rating_scheme(id),
    self_sheet     TEXT NOT NULL DEFAULT '{}',   -- the institution's own scores
    evidence       TEXT NOT NULL DEFAULT '{}',   -- {item_code: [material_id …]} (the case's materials)
    combined_sheet TEXT,                         -- the experts' sheets combined (on concluding)
    total_tenths   INTEGER,
    level_code     TEXT,                         -- NULL: no level (below the lowest, or a veto withholds it)
    concluded_on   TEXT,
    in_force_from  TEXT,                         -- set when the result is confirmed after publicity
    in_force_to    TEXT,                         -- the day before the next assessment's level took force
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX rating_assessment_by_institution ON rating_assessment(district_code, institution_id, in_force_from);

-- The experts (第三方测评 evaluators) the district assigns; each scores alone.
CREATE TABLE rating_expert (
    case_id      BIGINT NOT NULL REFERENCES rating_assessment(case_id),
    user_id      BIGINT NOT NULL REFERENCES app_user(id),
    assigned_by  BIGINT NOT NULL REFERENCES app_user(id),
    assigned_at  TEXT NOT NULL,
    sheet        TEXT NOT NULL DEFAULT '{}',
    submitted_at TEXT,                           -- NULL while the expert is still scoring
    PRIMARY KEY (case_id, user_id)
);

-- The institutions an evaluator declares a link to (employment, family, shareholding, consulting):
-- they are never assigned to assess it.
CREATE TABLE rating_conflict (
    user_id        BIGINT NOT NULL REFERENCES app_user(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    reason         TEXT NOT NULL,
    declared_at    TEXT NOT NULL,
    PRIMARY KEY (user_id, institution_id)
);

-- An objection filed during publicity; the district answers it. One upheld sends the assessment
-- back to expert review (reviewed set when it did).
CREATE TABLE rating_objection (
    id          {{ID}},
    case_id     BIGINT NOT NULL REFERENCES rating_assessment(case_id),
    filed_by    BIGINT NOT NULL REFERENCES app_user(id),
    filed_at    TEXT NOT NULL,
    text        TEXT NOT NULL,
    answer      TEXT,
    upheld      INTEGER,                         -- NULL while unanswered
    answered_by BIGINT REFERENCES app_user(id),
    answered_at TEXT,
    reviewed    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX rating_objection_by_case ON rating_objection(case_id, id);

-- No provincial or district text sets the publicity period of a star rating (domain-rules §2.2):
-- five to seven days is the usual practice for 评定结果公示; calendar days from the day the
-- result is published. UNCERTAIN — confirm with 区卫健局.
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'rating.publicity_days', '7', '天', '通行做法（评定结果公示 5–7 天）；瓯海区未见规定，待核实', 'UNCERTAIN', '星级评定结果的公示期（自公示之日起，自然日）', '2023-01-01', NULL);
