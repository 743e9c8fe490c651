-- 010_held_places.sql — places of a program held before enrolment: active first-come bookings and
-- open offers of an allocation round. Free places = capacity − enrolled − held; every reader
-- counts held places through this view.
CREATE VIEW held_place AS
    SELECT institution_id, class_type FROM booking WHERE status = 'booked'
    UNION ALL
    SELECT institution_id, class_type FROM offer WHERE status = 'offered';
