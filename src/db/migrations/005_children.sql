-- 005_children.sql — children (sensitive personal information: names and ID numbers sealed,
-- searchable only through keyed hashes, shown masked) and their growth measurements (C3.1, C5.3).

CREATE TABLE child (
    id              {{ID}},
    district_code   TEXT NOT NULL,
    institution_id  BIGINT REFERENCES institution(id),   -- NULL until enrolled somewhere
    family_user_id  BIGINT REFERENCES app_user(id),      -- the guardian's account, when registered by a family
    name_sealed     TEXT NOT NULL,
    name_masked     TEXT NOT NULL,
    sex             INTEGER NOT NULL,                    -- 1 male, 2 female (GB/T 2261.1)
    birth_date      TEXT NOT NULL,
    id_kind         TEXT NOT NULL,                       -- resident_id | birth_cert
    id_sealed       TEXT NOT NULL,
    id_lookup       TEXT NOT NULL UNIQUE,
    id_masked       TEXT NOT NULL,
    hukou_town      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX child_institution ON child(institution_id);
CREATE INDEX child_family ON child(family_user_id);

CREATE TABLE measurement (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    child_id       BIGINT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    measured_on    TEXT NOT NULL,
    weight_kg      DOUBLE PRECISION,
    lenhei_cm      DOUBLE PRECISION,
    measure        TEXT,                                 -- l (lying) | h (standing) | NULL
    headc_cm       DOUBLE PRECISION,
    armc_cm        DOUBLE PRECISION,
    triskin_mm     DOUBLE PRECISION,
    subskin_mm     DOUBLE PRECISION,
    oedema         INTEGER NOT NULL DEFAULT 0,
    measured_by    BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX measurement_child ON measurement(child_id, measured_on);
