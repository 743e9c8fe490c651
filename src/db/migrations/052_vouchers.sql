-- 052_vouchers.sql — 托育券 (issue 18 item 5; seed 四(五)15 "为符合条件的对象发放家庭托育券"): the
-- district opens an issue (face value, validity, the children's ages it is for, its basis) and
-- issues one voucher to each eligible child of a family account; the family redeems it at a filed
-- 普惠 institution where the child is in care — once: the state moves issued → redeemed in one
-- conditional update, so two redemptions racing get one success and one 409; the institution
-- claims it, which puts its face value in the ledger (kind voucher) for approval and a payment
-- batch. A voucher unredeemed after its issue's last day reads as expired (no job).

CREATE TABLE voucher_issue (
    id              {{ID}},
    district_code   TEXT NOT NULL,
    name            TEXT NOT NULL,
    face_fen        BIGINT NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT NOT NULL,
    min_age_months  INTEGER NOT NULL,
    max_age_months  INTEGER NOT NULL,          -- eligible while min ≤ age in months < max on the issuing day
    basis           TEXT NOT NULL,             -- the document the district issues it under
    issued_on       TEXT,                      -- the day vouchers were issued (NULL: not yet)
    created_by      BIGINT NOT NULL REFERENCES app_user(id),
    created_at      TEXT NOT NULL
);

CREATE TABLE voucher (
    id               {{ID}},
    district_code    TEXT NOT NULL,
    issue_id         BIGINT NOT NULL REFERENCES voucher_issue(id),
    child_id         BIGINT NOT NULL REFERENCES child(id),
    family_user_id   BIGINT NOT NULL REFERENCES app_user(id),
    code             TEXT NOT NULL UNIQUE,     -- shown to the family and the institution
    state            TEXT NOT NULL,            -- issued | redeemed | claimed
    institution_id   BIGINT REFERENCES institution(id),   -- where redeemed
    redeemed_at      TEXT,
    claimed_at       TEXT,
    entitlement_id   BIGINT REFERENCES funds_entitlement(id),
    created_at       TEXT NOT NULL,
    UNIQUE (issue_id, child_id)
);
CREATE INDEX voucher_family ON voucher(family_user_id, id);
CREATE INDEX voucher_institution ON voucher(institution_id, id);
