-- 009_visits.sql — visit appointments (预约参观, issue 5 part 2) and the in-app inbox.
-- An institution publishes time slots with a capacity (families per slot); a family books one
-- place in a slot. visit_slot.booked is kept equal to the slot's active bookings and a booking only
-- succeeds through a conditional UPDATE ... WHERE booked < capacity, so a slot is never overbooked.
-- outbox holds every message to a user: the in-app inbox shows those already due; a later SMS or
-- WeChat gateway drains the same rows (sent_at), so there is one queue of notifications.

CREATE TABLE visit_slot (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    starts_at      TEXT NOT NULL,              -- UTC "YYYY-MM-DDTHH:MM:SSZ"
    ends_at        TEXT NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    booked         INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
    note           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,              -- open | cancelled
    created_by     BIGINT NOT NULL REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX visit_slot_institution ON visit_slot(institution_id, starts_at);

CREATE TABLE visit_booking (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    slot_id        BIGINT NOT NULL REFERENCES visit_slot(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    family_user_id BIGINT NOT NULL REFERENCES app_user(id),
    child_id       BIGINT REFERENCES child(id),
    visitors       INTEGER NOT NULL CHECK (visitors > 0),
    status         TEXT NOT NULL,              -- booked | cancelled | slot_cancelled
    created_at     TEXT NOT NULL,
    cancelled_at   TEXT
);
-- one active booking per family and slot
CREATE UNIQUE INDEX visit_booking_one_active ON visit_booking(slot_id, family_user_id) WHERE status = 'booked';
CREATE INDEX visit_booking_family ON visit_booking(family_user_id, status);

CREATE TABLE outbox (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    user_id        BIGINT NOT NULL REFERENCES app_user(id),
    kind           TEXT NOT NULL,              -- visit.booked | visit.reminder | visit.slot_cancelled | offer.made | offer.reminder ...
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    ref_type       TEXT NOT NULL,              -- visit_booking | offer ...
    ref_id         BIGINT NOT NULL,
    due_at         TEXT NOT NULL,              -- UTC; shown in the inbox from then on
    created_at     TEXT NOT NULL,
    read_at        TEXT,
    cancelled_at   TEXT,                       -- withdrawn before it was due (e.g. a cancelled visit's reminder)
    sent_at        TEXT                        -- delivered by an external gateway (SMS, WeChat)
);
CREATE INDEX outbox_user ON outbox(user_id, due_at);
CREATE INDEX outbox_ref ON outbox(ref_type, ref_id);
CREATE INDEX outbox_pending ON outbox(sent_at, due_at);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'visit.reminder_hours_before', '24', '小时', '本平台设定（预约参观）', 'LOCAL', '参观前多少小时发送提醒', '2023-03-30', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'visit.max_visitors_per_booking', '3', '人', '本平台设定（预约参观）', 'LOCAL', '每个预约最多参观人数', '2023-03-30', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'enrol.offer_reminder_days_before', '2', '天', '本平台设定（入托一件事）', 'LOCAL', '录取确认截止前多少天提醒家长', '2023-03-30', NULL);
