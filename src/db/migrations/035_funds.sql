-- 035_funds.sql — the subsidy ledger (issue 18 item 3, requirements C8.7): every entitlement a row
-- with its amount in fen and the explanation it was computed with (the rule, each input, each cap,
-- the parameters and their basis: src/funds/ledger.c), moving computed → applied → reviewed →
-- approved → batched → paid, or rejected with a reason; each move a history row (and an audit
-- row). Nothing is edited in place: a correction is a reversal row of the opposite amount naming
-- the row it reverses (at most one each). Payment batches gather approved rows.

CREATE TABLE funds_batch (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    name           TEXT NOT NULL,
    state          TEXT NOT NULL,                        -- open | paid
    created_by     BIGINT NOT NULL REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    paid_by        BIGINT REFERENCES app_user(id),
    paid_at        TEXT
);

CREATE TABLE funds_entitlement (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    kind           TEXT NOT NULL,                        -- construction | … (src/funds/)
    institution_id BIGINT REFERENCES institution(id),    -- the beneficiary institution, when one
    town_code      TEXT NOT NULL,                        -- the beneficiary's town (jurisdiction)
    beneficiary    TEXT NOT NULL,                        -- the name shown on the batch
    period         TEXT NOT NULL,                        -- what it covers: a date, a year, months
    amount_fen     BIGINT NOT NULL,
    explanation    TEXT NOT NULL,                        -- JSON: rule, inputs, steps, caps, params
    state          TEXT NOT NULL,
    reason         TEXT,                                 -- why rejected
    reverses_id    BIGINT REFERENCES funds_entitlement(id),
    batch_id       BIGINT REFERENCES funds_batch(id),
    created_by     BIGINT NOT NULL REFERENCES app_user(id),
    applied_by     BIGINT REFERENCES app_user(id),
    reviewed_by    BIGINT REFERENCES app_user(id),
    approved_by    BIGINT REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX funds_entitlement_list ON funds_entitlement(district_code, state, id);
CREATE INDEX funds_entitlement_institution ON funds_entitlement(institution_id);
CREATE INDEX funds_entitlement_batch ON funds_entitlement(batch_id);
CREATE UNIQUE INDEX funds_entitlement_reversal ON funds_entitlement(reverses_id) WHERE reverses_id IS NOT NULL;

CREATE TABLE funds_event (
    id             {{ID}},
    entitlement_id BIGINT NOT NULL REFERENCES funds_entitlement(id),
    from_state     TEXT,                                 -- NULL: created
    to_state       TEXT NOT NULL,
    by_user        BIGINT NOT NULL REFERENCES app_user(id),
    at             TEXT NOT NULL,
    comment        TEXT
);
CREATE INDEX funds_event_entitlement ON funds_event(entitlement_id, id);
