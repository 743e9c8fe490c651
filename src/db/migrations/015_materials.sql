-- 015_materials.sql — materials (附件材料, issue 13 part 3): files attached to an owner record
-- (an institution now; a case of the cases engine next), stored by content (SHA-256) and kept once
-- per district however often they are attached. docs/decisions.md "Materials" says why.
--
-- material_blob: one row per stored content. SQLite deployments keep the bytes in a file beside
-- the database (<db>.materials/ab/cd/<sha256>, mode 0600); PostgreSQL deployments in
-- material_chunk, 128 KiB per row, so that neither storing nor reading one needs the whole file
-- in memory. The row is also what a delete and a concurrent upload of the same content lock.
CREATE TABLE material_blob (
    district_code TEXT NOT NULL,
    sha256        TEXT NOT NULL,              -- 64 lower-case hex digits
    size          BIGINT NOT NULL CHECK (size > 0),
    content_type  TEXT NOT NULL,              -- detected from the content: application/pdf, image/jpeg, image/png, application/ofd
    created_at    TEXT NOT NULL,
    PRIMARY KEY (district_code, sha256)
);

CREATE TABLE material_chunk (
    district_code TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    seq           INTEGER NOT NULL,           -- 0, 1, … in order
    data          {{BLOB}} NOT NULL,
    PRIMARY KEY (district_code, sha256, seq),
    FOREIGN KEY (district_code, sha256) REFERENCES material_blob (district_code, sha256) ON DELETE CASCADE
);

-- The record materials are attached to, by type and id ('institution', 12), and whether its
-- materials are locked: the cases engine locks a case's materials when the case is submitted;
-- while locked none is added or deleted (409 owner_locked). Uploads and deletes lock this row
-- first, so a submission and an upload to the same case never interleave.
CREATE TABLE material_owner (
    district_code TEXT NOT NULL,
    owner_type    TEXT NOT NULL,
    owner_id      BIGINT NOT NULL,
    locked        INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    locked_at     TEXT,
    PRIMARY KEY (district_code, owner_type, owner_id)
);

-- One attachment. A deleted material keeps its row (who uploaded what, when, who deleted it); its
-- content goes when no active material of the district refers to it any more.
CREATE TABLE material (
    id            {{ID}},
    district_code TEXT NOT NULL,
    owner_type    TEXT NOT NULL,
    owner_id      BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL,
    content_type  TEXT NOT NULL,
    name          TEXT NOT NULL,              -- the client's file name, checked and trimmed (src/materials/materials.c)
    state         TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deleted')),
    uploaded_by   BIGINT NOT NULL REFERENCES app_user(id),
    uploaded_at   TEXT NOT NULL,
    deleted_by    BIGINT REFERENCES app_user(id),
    deleted_at    TEXT,
    FOREIGN KEY (district_code, owner_type, owner_id) REFERENCES material_owner (district_code, owner_type, owner_id)
);
CREATE INDEX material_by_owner ON material(district_code, owner_type, owner_id, id);
CREATE INDEX material_by_content ON material(district_code, sha256) WHERE state = 'active';

-- The largest file accepted (bytes). Not from a policy document: the platform's own setting,
-- a parameter so that the district can change it without a new release.
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'materials.max_file_bytes', '20971520', '字节', '本平台设定（issue 13：办托一件事材料上传，默认 20 MiB）', 'LOCAL', '上传的单个附件材料（PDF、JPEG、PNG、OFD）最大字节数', '2019-12-01', NULL);
