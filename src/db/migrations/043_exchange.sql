-- 043_exchange.sql — the provincial data exchange (issue 21 item 5; docs/exchange.md): machine
-- clients that read the exchange feed with a bearer token, the feed's change log, and the ids
-- other platforms give the records they send.

-- A machine client (浙有善育, 安心托, a city platform): an account of role exchange_client that
-- never logs in with a password, reached by a token of which only the SHA-256 is kept.
CREATE TABLE api_client (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    user_id        BIGINT NOT NULL REFERENCES app_user(id),
    token_hash     TEXT NOT NULL UNIQUE,
    created_at     TEXT NOT NULL,
    revoked_at     TEXT,                      -- NULL while the token is valid
    last_used_at   TEXT                       -- the last day (YYYY-MM-DD) it was used
);
CREATE INDEX api_client_user ON api_client(user_id);

-- The feed's view of each institution: the hash of the record it last published and the change
-- number at which that record changed. A feed request first compares every institution's record
-- with its hash and gives the changed ones the next numbers, under the district's counter row, so
-- numbers are handed out in commit order and a client that reads "after N" misses nothing.
CREATE TABLE exchange_counter (
    district_code  TEXT PRIMARY KEY,
    last_seq       BIGINT NOT NULL
);
CREATE TABLE exchange_institution (
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    record_hash    TEXT NOT NULL,
    seq            BIGINT NOT NULL,
    changed_at     TEXT NOT NULL,             -- when the feed first saw this version
    PRIMARY KEY (institution_id)
);
CREATE INDEX exchange_institution_seq ON exchange_institution(district_code, seq);

-- A record another platform sent, by that platform's id (source: the sending account's login),
-- beside ours: a second delivery of the same record updates ours instead of adding another.
CREATE TABLE external_ref (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    source         TEXT NOT NULL,
    kind           TEXT NOT NULL,             -- institution
    external_id    TEXT NOT NULL,
    local_id       BIGINT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (district_code, source, kind, external_id)
);
