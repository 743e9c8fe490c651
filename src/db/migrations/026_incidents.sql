-- 026_incidents.sql — incidents and injuries of children in care, and mandatory reports (issue 15
-- item 4, requirements C3.2). An institution records what happened to a child in its care (kind,
-- time, place, injury, first aid, hospital, whether and when the guardian was told), adds
-- follow-ups (append-only) and closes it. A kind that must be reported (incidents.c: suspected
-- domestic violence, 托育机构管理规范（试行） Art. 25; suspected abuse, Art. 35) opens a report to the
-- town and the district, which acknowledge it within incident.report.ack_days and record how it
-- was handled (the states and the deadline run on the cases engine's transition function).

CREATE TABLE incident (
    id                   {{ID}},
    district_code        TEXT NOT NULL,
    institution_id       BIGINT NOT NULL REFERENCES institution(id),
    child_id             BIGINT NOT NULL REFERENCES child(id),
    class_id             BIGINT REFERENCES institution_class(id),
    kind                 TEXT NOT NULL,                  -- incidents.c kinds
    occurred_at          TEXT NOT NULL,                  -- UTC timestamp
    place                TEXT NOT NULL,
    description          TEXT NOT NULL,
    body_part            TEXT,                           -- coded; NULL: no injury
    severity             TEXT NOT NULL,                  -- none | minor | moderate | severe
    first_aid            TEXT,
    hospital             INTEGER NOT NULL DEFAULT 0,
    hospital_note        TEXT,
    guardian_notified_at TEXT,                           -- NULL: not yet told
    guardian_channel     TEXT,                           -- inbox | phone | in_person
    police_reported_at   TEXT,                           -- Art. 25: the report to the police, when made
    police_note          TEXT,
    mandatory            INTEGER NOT NULL DEFAULT 0,     -- a report went to the town and the district
    family_visible       INTEGER NOT NULL DEFAULT 1,     -- 0: withheld from the family (incidents.c)
    status               TEXT NOT NULL,                  -- open | closed
    closed_at            TEXT,
    closed_by            BIGINT REFERENCES app_user(id),
    close_note           TEXT,
    recorded_by          BIGINT NOT NULL REFERENCES app_user(id),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX incident_institution ON incident(institution_id, occurred_at);
CREATE INDEX incident_child ON incident(child_id, occurred_at);

-- follow-ups: appended, never changed
CREATE TABLE incident_follow_up (
    id            {{ID}},
    district_code TEXT NOT NULL,
    incident_id   BIGINT NOT NULL REFERENCES incident(id),
    note          TEXT NOT NULL,
    recorded_by   BIGINT NOT NULL REFERENCES app_user(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX incident_follow_up_incident ON incident_follow_up(incident_id, id);

-- the mandatory report of an incident: one per incident, seen by the town of the institution and
-- the district (never by another institution, nor by the family)
CREATE TABLE incident_report (
    id              {{ID}},
    district_code   TEXT NOT NULL,
    incident_id     BIGINT NOT NULL UNIQUE REFERENCES incident(id),
    institution_id  BIGINT NOT NULL REFERENCES institution(id),
    town_code       TEXT NOT NULL,
    state           TEXT NOT NULL,                       -- reported | acknowledged | handled
    due_on          TEXT,                                -- the open step's deadline, NULL none
    reported_at     TEXT NOT NULL,
    acknowledged_by BIGINT REFERENCES app_user(id),
    acknowledged_at TEXT,
    handled_by      BIGINT REFERENCES app_user(id),
    handled_at      TEXT,
    outcome         TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX incident_report_state ON incident_report(district_code, state, due_on);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'incident.report.ack_days', '1', '天', '管理规范第二十五条（疑似家暴向公安报案）、第三十五条未定签收时限；按次日签收设定，待区卫健局确认', 'UNCERTAIN', '镇街、区卫健局签收强制报告的期限（自报告之日起的自然日）', '2019-10-08', NULL);
