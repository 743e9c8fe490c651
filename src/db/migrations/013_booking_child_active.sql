-- 013_booking_child_active.sql — at most one active first-come booking per child, kept by the
-- database. create_booking checks it before inserting; this index is what holds when two requests
-- for the same child race (PostgreSQL: the second INSERT waits for the first to commit, then fails
-- as a duplicate and is answered 409 already_booked), so the booking needs no lock on the child row.
CREATE UNIQUE INDEX booking_child_active ON booking(child_id) WHERE status = 'booked';
