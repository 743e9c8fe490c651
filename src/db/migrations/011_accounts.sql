-- 011_accounts.sql — account security (issue 10 items 3, 8, 9): two-person approval of changes to
-- privileged accounts, sessions limited to enrolling a second factor, a pending TOTP secret, the
-- mark of a demonstration database, and the parameters of request expiry and login back-off.

-- A change to a privileged account (district_admin, security_admin, auditor) asked for by one
-- person and decided by another. kind 'create': a new account (target_user_id is set when it is
-- approved); 'update': role, scope, password or disabled of target_user_id. The new password is
-- kept only as its Argon2id hash, and only while the request is pending.
CREATE TABLE account_request (
    id              {{ID}},
    district_code   TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('create', 'update')),
    target_user_id  BIGINT REFERENCES app_user(id),
    login           TEXT NOT NULL,              -- the account's login (new or existing)
    role            TEXT NOT NULL,              -- the role the account holds once the change is made
    changes         TEXT NOT NULL,              -- JSON of what changes; a password shows as "password": true
    password_hash   TEXT,                       -- the new password's hash while pending, NULL after
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected', 'expired')),
    requested_by    BIGINT NOT NULL REFERENCES app_user(id),
    requested_at    TEXT NOT NULL,              -- UTC timestamps
    expires_at      TEXT NOT NULL,
    decided_by      BIGINT REFERENCES app_user(id),  -- NULL when it expired
    decided_at      TEXT,
    note            TEXT
);
CREATE INDEX account_request_pending ON account_request(district_code, state, expires_at);

-- A session opened with the password alone by someone who must use a second factor but has not
-- enrolled one: it may only enrol (src/auth/session.c).
ALTER TABLE user_session ADD COLUMN enrolment_only INTEGER NOT NULL DEFAULT 0;
-- A TOTP secret (sealed) shown for enrolment, until the first code from it confirms it.
ALTER TABLE app_user ADD COLUMN totp_pending TEXT;

-- Facts about this installation. 'demo_data' = '1': the database was made by `tuoyu demo`; the
-- server then does not require the second factor of privileged staff unless told to.
CREATE TABLE instance_flag (
    district_code TEXT NOT NULL,
    name          TEXT NOT NULL,
    value         TEXT NOT NULL,
    set_at        TEXT NOT NULL,
    PRIMARY KEY (district_code, name)
);
-- demo databases made before this migration carry their mark in the audit log
INSERT INTO instance_flag (district_code, name, value, set_at)
    SELECT district_code, 'demo_data', '1', MIN(at) FROM audit_log WHERE action = 'demo.generate' GROUP BY district_code;

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'auth.account_request_expiry_hours', '72', '小时', 'GB/T 22239—2019 三级：三员分立、特权账号变更双人审批（本平台设定）', 'LOCAL', '特权账号变更申请未审批自动失效时间', '2019-12-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'login.backoff_base_seconds', '1', '秒', 'GB/T 22239—2019 三级：登录失败处理（本平台设定）', 'LOCAL', '其他地址多次登录失败后，再次尝试的起始等待时间（每多失败一次加倍）', '2019-12-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'login.backoff_max_seconds', '300', '秒', 'GB/T 22239—2019 三级：登录失败处理（本平台设定）', 'LOCAL', '其他地址多次登录失败后的最长等待时间', '2019-12-01', NULL);
-- failures now lock the account only at the address they came from (src/auth/session.c)
UPDATE param SET description = '同一账号从同一来源地址在时间窗内的最多失败次数（达到后锁定该账号在该地址的登录）' WHERE key = 'login.max_failures';
UPDATE param SET description = '账号在某一来源地址被锁定的时长（15分钟）' WHERE key = 'login.lock_seconds';
