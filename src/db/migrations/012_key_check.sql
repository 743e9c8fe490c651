-- 012_key_check.sql — which personal-data key this database's sealed fields belong to: the key
-- check value (crypt_key_check: keyed BLAKE2b of a fixed label under each key), never the key.
-- One row for the whole database, like schema_migrations: the key file belongs to the database,
-- not to a district. Written by the first start with a key (src/app_key.c: at once for a
-- database without sealed data, after every sealed value was opened for one that has some),
-- compared at every start; a start with another key is refused.
CREATE TABLE key_check (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    enc_check     TEXT NOT NULL,            -- under the encryption key, 64 hex digits
    lookup_check  TEXT NOT NULL,            -- under the lookup-hash key, 64 hex digits
    created_at    TEXT NOT NULL DEFAULT {{NOW}}
);
