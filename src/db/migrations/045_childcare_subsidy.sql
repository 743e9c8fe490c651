-- 045_childcare_subsidy.sql — 育儿补贴 applied for by a family (issue 18 items 4, 6, 7): one
-- application per child while it is live (submitted, or approved: the entitlement is the child's
-- for good), reviewed by the child's town within subsidy.childcare.review_working_days working
-- days (migration 003); approved, its months enter the funds ledger (kind childcare), one row per
-- calendar year, naming the child and the application. The bank account is sealed (crypt_seal)
-- and kept masked for lists; the birth certificate number likewise.

CREATE TABLE childcare_application (
    id               {{ID}},
    district_code    TEXT NOT NULL,
    child_id         BIGINT NOT NULL REFERENCES child(id),
    family_user_id   BIGINT NOT NULL REFERENCES app_user(id),   -- who applied (the family account)
    town_code        TEXT NOT NULL,                             -- the reviewing town (the child's)
    cert_sealed      TEXT NOT NULL,                             -- 出生医学证明编号, sealed
    cert_masked      TEXT NOT NULL,
    relation         TEXT NOT NULL,                             -- father | mother | guardian
    bank_name        TEXT NOT NULL,
    account_sealed   TEXT NOT NULL,                             -- bank account, sealed
    account_masked   TEXT NOT NULL,                             -- 6222 **** **** 1234
    state            TEXT NOT NULL,                             -- submitted | approved | rejected
    months_total     INTEGER NOT NULL,                          -- eligible months when applied
    amount_fen       BIGINT NOT NULL,                           -- their amount when applied
    submitted_on     TEXT NOT NULL,                             -- YYYY-MM-DD
    due_on           TEXT NOT NULL,                             -- the town's deadline (working days)
    decided_by       BIGINT REFERENCES app_user(id),
    decided_at       TEXT,
    reason           TEXT,                                      -- why rejected
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
-- one live application per child: the unique index refuses a second while the first is live
CREATE UNIQUE INDEX childcare_application_live ON childcare_application(child_id)
    WHERE state IN ('submitted', 'approved');
CREATE INDEX childcare_application_queue ON childcare_application(district_code, state, due_on, id);

-- the ledger rows of a child's subsidy name the child and the application they came from
ALTER TABLE funds_entitlement ADD COLUMN child_id BIGINT REFERENCES child(id);
ALTER TABLE funds_entitlement ADD COLUMN childcare_application_id BIGINT REFERENCES childcare_application(id);
-- the basis a payment batch's export shows for the row (NULL: the kind's own, src/funds/ledger.c)
ALTER TABLE funds_entitlement ADD COLUMN basis TEXT;
CREATE INDEX funds_entitlement_child ON funds_entitlement(child_id);
