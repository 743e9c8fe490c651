-- 022_training.sql — training of staff (一网办; issue 14 item 3, requirements C2.2; 试点方案
-- 四(五)16: 岗前培训和定期培训制度): courses the district or a town publishes, their sessions with
-- places and class hours, operators' enrolments of their own staff with the attendance the
-- publisher records; the figures of the training rules as parameters.

CREATE TABLE training_course (
    id            {{ID}},
    district_code TEXT NOT NULL,
    town_code     TEXT,                                -- NULL: the district's, open to every institution
    kind          TEXT NOT NULL,                       -- prejob | periodic | first_aid | infectious | health_lecture
    title         TEXT NOT NULL,
    provider      TEXT NOT NULL,                       -- who teaches (温州市急救中心, a health instructor …)
    description   TEXT NOT NULL,
    created_by    BIGINT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX training_course_town ON training_course(district_code, town_code);

CREATE TABLE training_session (
    id            {{ID}},
    district_code TEXT NOT NULL,
    course_id     BIGINT NOT NULL REFERENCES training_course(id),
    day           TEXT NOT NULL,
    start_time    TEXT NOT NULL,                       -- HH:MM, local time
    end_time      TEXT NOT NULL,
    place         TEXT NOT NULL,
    places        INTEGER NOT NULL,
    taken         INTEGER NOT NULL DEFAULT 0,          -- enrolments; taken <= places held by the enrolling UPDATE
    hours         INTEGER NOT NULL,                    -- class hours (学时) credited on attendance
    created_at    TEXT NOT NULL,
    CHECK (taken >= 0 AND taken <= places)
);
CREATE INDEX training_session_course ON training_session(course_id);

CREATE TABLE training_enrolment (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    session_id     BIGINT NOT NULL REFERENCES training_session(id),
    staff_id       BIGINT NOT NULL REFERENCES staff_member(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    status         TEXT NOT NULL,                      -- enrolled | attended | absent
    created_at     TEXT NOT NULL,
    marked_at      TEXT,                               -- when the publisher recorded attendance
    UNIQUE (session_id, staff_id)
);
CREATE INDEX training_enrolment_staff ON training_enrolment(staff_id);
CREATE INDEX training_enrolment_institution ON training_enrolment(institution_id);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'training.annual_hours_min', '12', '学时', '未找到每人每年培训学时的规定（试点方案 四(五)16 只要求定期培训）：本平台暂定，待区卫健局确认', 'UNCERTAIN', '托育从业人员每人每年应完成的培训学时', '2023-03-30', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'training.prejob_required', '1', '开关', '瓯海区普惠托育试点方案 四(五)16：建立从业人员岗前培训和定期培训制度（全员岗前培训）', 'VERIFIED-P', '在岗人员须完成岗前培训', '2023-03-30', NULL);
