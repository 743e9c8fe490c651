-- 002_registry.sql — institutions (C1.1, C1.3): classes, fee catalogue, premises.

CREATE TABLE institution (
    id              {{ID}},
    district_code   TEXT NOT NULL,
    town_code       TEXT NOT NULL REFERENCES town(code),
    name            TEXT NOT NULL,
    uscc            TEXT NOT NULL UNIQUE,
    address         TEXT NOT NULL,
    lon             DOUBLE PRECISION NOT NULL,
    lat             DOUBLE PRECISION NOT NULL,
    operating_model TEXT NOT NULL,
    ownership       TEXT NOT NULL,
    profit          INTEGER NOT NULL DEFAULT 0,
    inclusive       INTEGER NOT NULL DEFAULT 0,
    inclusive_since TEXT,
    inclusive_basis TEXT,
    status          TEXT NOT NULL,
    star_level      INTEGER NOT NULL DEFAULT 0,
    demonstration   INTEGER NOT NULL DEFAULT 0,
    opening_hours   TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    director        TEXT NOT NULL DEFAULT '',
    service_types   TEXT NOT NULL DEFAULT '[]',  -- JSON array of codes
    premises_tenure TEXT NOT NULL,               -- owned | leased
    lease_start     TEXT,
    lease_end       TEXT,
    floor           INTEGER NOT NULL DEFAULT 1,
    health_workers  INTEGER NOT NULL DEFAULT 0,  -- full-time 卫生保健人员
    demo            INTEGER NOT NULL DEFAULT 0,  -- 演示数据
    version         BIGINT NOT NULL DEFAULT 1,   -- bumped by every update: read caches key on it
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX institution_town ON institution(town_code, id);

CREATE TABLE institution_class (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    class_type     TEXT NOT NULL,
    name           TEXT NOT NULL,
    capacity       INTEGER NOT NULL,
    enrolled       INTEGER NOT NULL,
    caregivers     INTEGER NOT NULL
);
CREATE INDEX institution_class_inst ON institution_class(institution_id);

CREATE TABLE fee_item (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    item           TEXT NOT NULL,
    category       TEXT NOT NULL,              -- basic | other
    amount_fen     BIGINT NOT NULL,
    unit           TEXT NOT NULL               -- 月 | 日 | 次 | 学期
);
CREATE INDEX fee_item_inst ON fee_item(institution_id);

-- health instructors (健康指导员) are assigned to institutions (C5.1); their scope follows this table
CREATE TABLE instructor_assignment (
    district_code  TEXT NOT NULL,
    user_id        BIGINT NOT NULL REFERENCES app_user(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, institution_id)
);
