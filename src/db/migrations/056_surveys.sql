-- 056_surveys.sql — surveys (需求调查 and 满意度测评, issue 19 item 6; requirements C11.4: third-party
-- satisfaction assessment). The 第三方测评 evaluator writes a survey — its questions are data — for
-- the families of one institution or of a town, publishes it (a link with a random token) and
-- closes it. Families answer once each, anonymously: who answered is kept apart from what was
-- answered. survey_participation holds (survey, family, the day) and nothing else; survey_answer
-- holds the answers with the institution and town they count for, under a random key — no family,
-- account, address or time — so the two cannot be joined back. src/surveys/ says how.

CREATE TABLE survey (
    id                      {{ID}},
    district_code           TEXT NOT NULL,
    kind                    TEXT NOT NULL,        -- demand | satisfaction
    title                   TEXT NOT NULL,
    intro                   TEXT NOT NULL DEFAULT '',
    audience_institution_id BIGINT REFERENCES institution(id), -- the families of one institution, or
    town_code               TEXT NOT NULL,        -- … of a town (the institution's town when it is one)
    opens_on                TEXT NOT NULL,
    closes_on               TEXT NOT NULL,
    questions               TEXT NOT NULL,        -- JSON: [{type, text, options, required, max_length}]
    state                   TEXT NOT NULL,        -- draft | published | closed
    token                   TEXT UNIQUE,          -- the link's random token, set when published
    created_by              BIGINT NOT NULL REFERENCES app_user(id),
    created_at              TEXT NOT NULL,
    published_at            TEXT,
    closed_at               TEXT,
    updated_at              TEXT NOT NULL
);
CREATE INDEX survey_town ON survey (district_code, town_code);

CREATE TABLE survey_participation (
    survey_id      BIGINT NOT NULL REFERENCES survey(id),
    family_user_id BIGINT NOT NULL REFERENCES app_user(id),
    answered_on    TEXT NOT NULL,                 -- the day only
    PRIMARY KEY (survey_id, family_user_id)
);

CREATE TABLE survey_answer (
    answer_key     TEXT PRIMARY KEY,              -- random: no order to join on
    survey_id      BIGINT NOT NULL REFERENCES survey(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    town_code      TEXT NOT NULL,
    answers        TEXT NOT NULL                  -- JSON: one value per question, null when skipped
);
CREATE INDEX survey_answer_survey ON survey_answer (survey_id);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'survey.min_responses', '10', '份', '瓯海区普惠托育基本公共服务试点工作方案 四(二)7（星级评定按年度考核结果）；满意度计入考核所需的最少答卷数未见文件规定，本平台设定，待区卫健局确认', 'UNCERTAIN', '一家机构一年的满意度测评答卷少于此数时，满意度得分不计入年度考核', '2023-01-01', NULL);
