-- 016_signup.sql — parents' own accounts (issue 12 items 1 and 2): sign-up and login by mobile
-- number and a one-time SMS code, the privacy notice they consented to, and the SMS channel of
-- the outbox (src/inbox/sms.c).

-- A family's verified mobile number, sealed like a child's ID number (crypt_seal), found through
-- a keyed lookup hash ("mobile:<number>"), shown masked ("138****1234") where the policy does not
-- allow the whole number. The privacy notice version the parent consented to at sign-up.
ALTER TABLE app_user ADD COLUMN mobile_sealed TEXT;
ALTER TABLE app_user ADD COLUMN mobile_lookup TEXT;
ALTER TABLE app_user ADD COLUMN mobile_masked TEXT;
ALTER TABLE app_user ADD COLUMN mobile_verified_at TEXT;
ALTER TABLE app_user ADD COLUMN privacy_version INTEGER;
ALTER TABLE app_user ADD COLUMN privacy_consent_at TEXT;
CREATE UNIQUE INDEX app_user_mobile ON app_user(mobile_lookup);

-- One-time codes sent by SMS. Only a keyed hash of the code is kept ("sms_code:<lookup>:<code>"
-- under the lookup key), never the code. purpose: signup | login | reset. A code is spent when it
-- is used (used_at) or has been tried sms.max_tries times; only the newest code of a number and
-- purpose counts.
CREATE TABLE sms_code (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    mobile_lookup  TEXT NOT NULL,
    purpose        TEXT NOT NULL CHECK (purpose IN ('signup', 'login', 'reset')),
    code_hash      TEXT NOT NULL,
    remote_addr    TEXT NOT NULL,
    created_at     BIGINT NOT NULL,            -- unix seconds
    expires_at     BIGINT NOT NULL,
    tries          INTEGER NOT NULL DEFAULT 0,
    used_at        BIGINT
);
CREATE INDEX sms_code_mobile ON sms_code(mobile_lookup, created_at);
CREATE INDEX sms_code_addr ON sms_code(remote_addr, created_at);

-- Text messages waiting for the gateway: the codes (the only messages not in the outbox, as they
-- go to a number that has no account yet). The number and text are sealed, and the text is wiped
-- once sent. Messages of the outbox reach a family's verified number through outbox.sent_at.
CREATE TABLE sms_queue (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    mobile_sealed  TEXT NOT NULL,
    body_sealed    TEXT NOT NULL,              -- '' once sent
    created_at     TEXT NOT NULL,
    sent_at        TEXT
);
CREATE INDEX sms_queue_pending ON sms_queue(sent_at);

-- The HTTP SMS gateway of a production deployment (`tuoyu sms-gateway`): its URL and the
-- credentials it wants in the Authorization header, sealed with the personal-data key.
CREATE TABLE sms_gateway (
    district_code      TEXT PRIMARY KEY,
    url                TEXT NOT NULL,
    credentials_sealed TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'sms.code_ttl_seconds', '300', '秒', 'GB/T 22239—2019 三级 身份鉴别（短信验证码一次性、限时有效；本平台设定）', 'LOCAL', '短信验证码有效时间（5分钟）', '2019-12-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'sms.max_tries', '5', '次', 'GB/T 22239—2019 三级 身份鉴别（登录失败处理；本平台设定）', 'LOCAL', '每个短信验证码最多可尝试的次数，用完须重新获取', '2019-12-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'sms.resend_seconds', '60', '秒', '本平台设定（防止短信轰炸）', 'LOCAL', '同一手机号两次获取验证码的最短间隔', '2019-12-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'sms.max_per_number_per_day', '10', '条', '本平台设定（防止短信轰炸；参照《通信短信息服务管理规定》不得向用户发送未经同意的短信）', 'LOCAL', '同一手机号24小时内最多获取验证码的次数', '2019-12-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'sms.max_per_address_per_hour', '20', '条', '本平台设定（防止短信轰炸）', 'LOCAL', '同一来源地址1小时内最多获取验证码的次数（任何手机号）', '2019-12-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'privacy.notice_version', '1', '版', '《个人信息保护法》第十四条、第十七条、第三十一条（不满十四周岁未成年人的个人信息须取得监护人同意；告知内容变更应重新告知）', 'LOCAL', '家长注册时须阅读并同意的隐私政策版本（改版后新注册者同意新版本）', '2021-11-01', NULL);
