-- 017_offer_child.sql — a child's offers by state: booking and accepting an offer read what the
-- child already holds (one place per child, enrol_may_book), on the hot path of the booking rush.
CREATE INDEX offer_child ON offer(child_id, status);
