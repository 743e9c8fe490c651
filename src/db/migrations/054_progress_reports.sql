-- 054_progress_reports.sql — quarterly progress reports (每季进度报送, issue 19 item 4; the pilot
-- plan 五(五) "建立每季进度报送制度"). Each town reports a quarter: the indicators the platform
-- pulls from its data (frozen when the report is submitted), what was done, the problems and the
-- next steps, with attachments (src/materials/, owner progress_report). The district approves or
-- returns it; an approved report locks the town's quarter: a correction is a new version reopened
-- by the district with its reason, the approved one kept as superseded. src/reports/ says how.

CREATE TABLE progress_report (
    id            {{ID}},
    district_code TEXT NOT NULL,
    town_code     TEXT NOT NULL,
    period        TEXT NOT NULL,           -- YYYY-Qn
    version       INTEGER NOT NULL,        -- 1, 2 … (a reopened correction is the next)
    state         TEXT NOT NULL,           -- draft | submitted | returned | approved | superseded
    progress      TEXT NOT NULL DEFAULT '',  -- 工作进展
    problems      TEXT NOT NULL DEFAULT '',  -- 存在问题
    next_steps    TEXT NOT NULL DEFAULT '',  -- 下步计划
    indicators    TEXT,                    -- JSON, frozen at submission; NULL while drafted (computed live)
    review_note   TEXT,                    -- the district's reason for returning it
    reopen_reason TEXT,                    -- why this version reopened an approved one
    created_by    BIGINT NOT NULL REFERENCES app_user(id),
    created_at    TEXT NOT NULL,
    submitted_by  BIGINT REFERENCES app_user(id),
    submitted_at  TEXT,
    reviewed_by   BIGINT REFERENCES app_user(id),
    reviewed_at   TEXT,
    updated_at    TEXT NOT NULL,
    UNIQUE (district_code, town_code, period, version)
);
-- one current report per town and quarter: a second draft of the same quarter is a conflict
CREATE UNIQUE INDEX progress_report_current ON progress_report (district_code, town_code, period)
    WHERE state <> 'superseded';
CREATE INDEX progress_report_period ON progress_report (district_code, period);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'report.quarterly_due_days', '10', '天', '瓯海区普惠托育服务试点实施方案（2023）五(五)：建立每季进度报送制度；报送期限未见文件规定，按季度结束后 10 日设定，待区卫健局确认', 'UNCERTAIN', '镇街每季进度报告的报送期限（季度最后一日后的自然日）', '2023-01-01', NULL);
