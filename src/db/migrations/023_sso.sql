-- 023_sso.sql — single sign-on with 浙里办 (issue 12 item 1): an OpenID Connect authorization-code
-- client (src/auth/sso.c). Its configuration, the logins under way, the provider subjects linked
-- to accounts, and a parent's real-name identity the provider vouched for.

-- The provider (`tuoyu sso`): issuer (discovery at {issuer}/.well-known/openid-configuration),
-- client id, client secret sealed with the personal-data key, the redirect URI registered with the
-- provider (the web app's address; it finishes the login), the scopes asked for.
CREATE TABLE sso_config (
    district_code        TEXT PRIMARY KEY,
    issuer               TEXT NOT NULL,
    client_id            TEXT NOT NULL,
    client_secret_sealed TEXT NOT NULL,
    redirect_uri         TEXT NOT NULL,
    scopes               TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

-- A login under way: found by the keyed hash of its state, bound to the browser that started it
-- by the keyed hash of a cookie, with the nonce the ID token must carry and the PKCE verifier
-- (sealed). Short-lived and spent once (used_at). link_user_id: a signed-in parent linking the
-- provider to the account; privacy_version: the notice consented to when it started.
CREATE TABLE sso_login (
    id               {{ID}},
    district_code    TEXT NOT NULL,
    state_hash       TEXT NOT NULL UNIQUE,
    browser_hash     TEXT NOT NULL,
    nonce            TEXT NOT NULL,
    verifier_sealed  TEXT NOT NULL,
    privacy_version  INTEGER NOT NULL,
    link_user_id     BIGINT REFERENCES app_user(id),
    created_at       BIGINT NOT NULL,            -- unix seconds
    expires_at       BIGINT NOT NULL,
    used_at          BIGINT
);
CREATE INDEX sso_login_expires ON sso_login(expires_at);

-- The provider's subject (iss, sub) an account logs in as: one account per subject, one subject
-- per account and issuer.
CREATE TABLE sso_identity (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    issuer         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    user_id        BIGINT NOT NULL REFERENCES app_user(id),
    linked_at      TEXT NOT NULL,
    UNIQUE (issuer, subject),
    UNIQUE (issuer, user_id)
);

-- A parent's real-name identity (实名核验) from the provider: the name is app_user.name, the
-- resident ID number stored as children's are (sealed, keyed lookup hash, masked copy;
-- crypt_protect_id_number), and when and by whom it was verified.
ALTER TABLE app_user ADD COLUMN id_sealed TEXT;
ALTER TABLE app_user ADD COLUMN id_lookup TEXT;
ALTER TABLE app_user ADD COLUMN id_masked TEXT;
ALTER TABLE app_user ADD COLUMN real_name_verified_at TEXT;
ALTER TABLE app_user ADD COLUMN real_name_source TEXT;
CREATE UNIQUE INDEX app_user_id_lookup ON app_user(id_lookup);
