-- 063_public_stamp_triggers.sqlite.sql — the triggers that move institution.public_stamp (migration
-- 062) on every write to what the public answers about an institution are computed from, for
-- SQLite (the other dialect's are in 063_public_stamp_triggers.pg.sql). Each bumps the counter of
-- the institution a row belongs to (before and after an update, so a row moved between
-- institutions bumps both); a booking or an offer only when it starts or stops holding a place
-- (its status, institution or class type); a town's new name, every institution of the town.
-- An update of the institution itself moves both of its counters in one trigger (which replaces
-- 060's institution_findings_stamp): a counter moved by another trigger moves nothing else.
DROP TRIGGER institution_findings_stamp;
CREATE TRIGGER institution_stamps AFTER UPDATE ON institution
    WHEN NEW.findings_stamp = OLD.findings_stamp AND NEW.public_stamp = OLD.public_stamp
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1, public_stamp = public_stamp + 1 WHERE id = NEW.id; END;
CREATE TRIGGER institution_class_public_stamp_insert AFTER INSERT ON institution_class
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER institution_class_public_stamp_update AFTER UPDATE ON institution_class
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER institution_class_public_stamp_delete AFTER DELETE ON institution_class
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; END;
CREATE TRIGGER fee_change_public_stamp_insert AFTER INSERT ON fee_change
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER fee_change_public_stamp_update AFTER UPDATE ON fee_change
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER fee_change_public_stamp_delete AFTER DELETE ON fee_change
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; END;
CREATE TRIGGER fee_item_public_stamp_insert AFTER INSERT ON fee_item
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER fee_item_public_stamp_update AFTER UPDATE ON fee_item
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER fee_item_public_stamp_delete AFTER DELETE ON fee_item
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; END;
CREATE TRIGGER booking_public_stamp_insert AFTER INSERT ON booking
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER booking_public_stamp_update AFTER UPDATE OF status, institution_id, class_type ON booking
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER booking_public_stamp_delete AFTER DELETE ON booking
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; END;
CREATE TRIGGER offer_public_stamp_insert AFTER INSERT ON offer
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER offer_public_stamp_update AFTER UPDATE OF status, institution_id, class_type ON offer
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER offer_public_stamp_delete AFTER DELETE ON offer
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; END;
CREATE TRIGGER town_public_stamp AFTER UPDATE OF name ON town
    BEGIN UPDATE institution SET public_stamp = public_stamp + 1 WHERE district_code = NEW.district_code AND town_code = NEW.code; END;
