-- 007_enrol.sql — first-come booking of free places (入托网上约, C4.5). A program is one
-- institution × one class type; its free places are capacity − enrolled − active bookings.

CREATE TABLE booking (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    child_id       BIGINT NOT NULL REFERENCES child(id),
    institution_id BIGINT NOT NULL REFERENCES institution(id),
    class_type     TEXT NOT NULL,
    start_month    TEXT NOT NULL,              -- YYYY-MM
    status         TEXT NOT NULL,              -- booked | cancelled
    family_user_id BIGINT NOT NULL REFERENCES app_user(id),
    created_at     TEXT NOT NULL,
    cancelled_at   TEXT
);
CREATE INDEX booking_program ON booking(institution_id, class_type, status);
CREATE INDEX booking_child ON booking(child_id, status);
