-- 047_video.sql — 可视托 video supervision (C12; seed 四(四)13): each institution's cameras by room,
-- their liveness as the server's prober sees it (src/video/probe.c), the outages it opened and
-- closed, every viewing of a stream, and the dated permission an institution may hold for parents
-- to view their child's room. Rules (国卫人口发〔2019〕58号《托育机构管理规范（试行）》第三十二条;
-- WS/T 821-2023): cameras cover every children's area, armed 24 h, recordings kept ≥ 90 days.
CREATE TABLE camera (
    id                 {{ID}},
    district_code      TEXT NOT NULL,
    institution_id     BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,             -- 托小班教室（东）
    area               TEXT NOT NULL,             -- video.c VIDEO_AREAS: class, activity, sleep, dining, outdoor, entrance, other
    class_id           BIGINT REFERENCES institution_class(id) ON DELETE SET NULL, -- the class whose room it covers
    scheme             TEXT NOT NULL,             -- rtsp, http, https
    host               TEXT NOT NULL,
    port               INTEGER NOT NULL,
    path               TEXT NOT NULL DEFAULT '/',
    credentials_sealed TEXT,                      -- "user:password" sealed with the app key; NULL when none
    username_masked    TEXT,                      -- the user name, masked, for display
    retention_days     INTEGER NOT NULL,          -- how long the recorder keeps recordings (the institution's statement)
    active             INTEGER NOT NULL DEFAULT 1,
    state              TEXT NOT NULL DEFAULT 'unknown', -- unknown, up, down (down: an outage is open)
    failures           INTEGER NOT NULL DEFAULT 0,      -- consecutive failed probes
    failing_since      TEXT,                            -- the first failed probe of the current run
    last_probe_at      TEXT,
    last_ok_at         TEXT,
    last_error         TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX camera_institution ON camera(institution_id);
CREATE INDEX camera_district ON camera(district_code, active);

-- probes and successes per camera and day (UTC), for uptime over any window of days
CREATE TABLE camera_probe_day (
    camera_id BIGINT NOT NULL REFERENCES camera(id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    probes    INTEGER NOT NULL DEFAULT 0,
    ok        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (camera_id, day)
);

-- an outage: opened when a camera has failed video.outage_failures probes in a row, closed at
-- the first success after it
CREATE TABLE camera_outage (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    camera_id      BIGINT NOT NULL REFERENCES camera(id) ON DELETE CASCADE,
    institution_id BIGINT NOT NULL,
    started_at     TEXT NOT NULL,  -- the first failed probe of the run
    ended_at       TEXT,           -- the first successful probe after it; NULL while open
    failures       INTEGER NOT NULL,
    reason         TEXT NOT NULL   -- the last failure: refused, timeout, bad_reply, status_401 …
);
CREATE INDEX camera_outage_camera ON camera_outage(camera_id, ended_at);
CREATE INDEX camera_outage_district ON camera_outage(district_code, id);

-- every viewing of a stream: who, which camera, when and for how long
CREATE TABLE camera_view (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    camera_id      BIGINT NOT NULL REFERENCES camera(id) ON DELETE CASCADE,
    institution_id BIGINT NOT NULL,
    user_id        BIGINT NOT NULL REFERENCES app_user(id),
    role           TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    ended_at       TEXT,
    seconds        INTEGER
);
CREATE INDEX camera_view_district ON camera_view(district_code, id);

-- parents' viewing of their child's room: off unless the district grants it to an institution
-- for dated period and daily hours (each grant a row; the one in force is the latest valid today)
CREATE TABLE camera_parent_access (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,            -- last day, NULL: open-ended
    hours_from     TEXT NOT NULL,   -- HH:MM, local time
    hours_to       TEXT NOT NULL,
    basis          TEXT NOT NULL,   -- the local decision that allows it
    created_by     BIGINT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX camera_parent_access_inst ON camera_parent_access(institution_id, valid_from);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'video.retention_min_days', '90', '天', '国卫人口发〔2019〕58号《托育机构管理规范（试行）》第三十二条；WS/T 821-2023（监控录像资料保存期不少于90天）', 'VERIFIED-P', '监控录像最短保存天数；低于此值记为不合规', '2019-10-08', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'video.probe_interval_s', '60', '秒', '平台运行设定（可视托在线巡检周期，非文件规定）', 'UNCERTAIN', '每路摄像头在线检测的间隔', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'video.probe_timeout_ms', '3000', '毫秒', '平台运行设定（非文件规定）', 'UNCERTAIN', '一次在线检测（连接并等待 RTSP OPTIONS 或 HTTP HEAD 应答）的超时', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'video.outage_failures', '3', '次', '平台运行设定（非文件规定）', 'UNCERTAIN', '连续检测失败达到此次数即记为离线并通知机构和监管中心', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'video.probe_concurrency', '256', '路', '平台运行设定（非文件规定）', 'UNCERTAIN', '同时进行的在线检测连接数上限', '2023-01-01', NULL);
