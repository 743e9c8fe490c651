-- 001_core.sql — jurisdiction, accounts, sessions, login throttling, audit chain, policy parameters.
-- Every table carries district_code (the tenant key). Macros: {{ID}} {{BLOB}} {{NOW}} (see db.h).

CREATE TABLE town (
    code          TEXT PRIMARY KEY,
    district_code TEXT NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,            -- street | town
    population    BIGINT NOT NULL DEFAULT 0, -- resident population (常住人口)
    population_year INTEGER
);

CREATE TABLE app_user (
    id              {{ID}},
    district_code   TEXT NOT NULL,
    login           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    town_code       TEXT REFERENCES town(code),
    institution_id  BIGINT,
    password_hash   TEXT NOT NULL,
    totp_secret     TEXT,                   -- sealed (crypt_seal), NULL when not enrolled
    totp_last_step  BIGINT NOT NULL DEFAULT 0,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE user_session (
    id              {{ID}},
    district_code   TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,    -- SHA-256 of the cookie token; the token itself is never stored
    user_id         BIGINT NOT NULL REFERENCES app_user(id),
    created_at      BIGINT NOT NULL,         -- unix seconds
    last_seen_at    BIGINT NOT NULL,
    remote_addr     TEXT
);
CREATE INDEX user_session_user ON user_session(user_id);

CREATE TABLE login_attempt (
    id            {{ID}},
    district_code TEXT NOT NULL,
    login         TEXT NOT NULL,
    remote_addr   TEXT NOT NULL,
    at            BIGINT NOT NULL,
    ok            INTEGER NOT NULL
);
CREATE INDEX login_attempt_login ON login_attempt(login, at);
CREATE INDEX login_attempt_addr ON login_attempt(remote_addr, at);

CREATE TABLE audit_head (
    district_code TEXT PRIMARY KEY,
    seq           BIGINT NOT NULL,
    last_hash     TEXT NOT NULL
);

CREATE TABLE audit_log (
    id            BIGINT PRIMARY KEY,        -- = audit_head.seq at append time: gapless
    district_code TEXT NOT NULL,
    at            TEXT NOT NULL,
    user_id       BIGINT,
    login         TEXT,
    action        TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    target_id     TEXT,
    fields        TEXT NOT NULL,             -- JSON of changed fields, personal data masked
    request_id    TEXT,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);

CREATE TABLE param (
    id            {{ID}},
    district_code TEXT NOT NULL,
    key           TEXT NOT NULL,
    value         TEXT NOT NULL,
    unit          TEXT NOT NULL,
    basis         TEXT NOT NULL,             -- basis document
    certainty     TEXT NOT NULL,             -- VERIFIED-P | VERIFIED-S | UNCERTAIN | LOCAL
    description   TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,                      -- NULL = open-ended
    UNIQUE (district_code, key, valid_from)
);
CREATE INDEX param_key ON param(key, valid_from);
