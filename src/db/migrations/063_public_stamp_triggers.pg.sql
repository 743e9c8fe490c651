-- 063_public_stamp_triggers.pg.sql — the triggers that move institution.public_stamp (migration
-- 062) on every write to what the public answers about an institution are computed from, for
-- PostgreSQL (the other dialect's are in 063_public_stamp_triggers.sqlite.sql). Each bumps the
-- counter of the institution a row belongs to (before and after an update, so a row moved between
-- institutions bumps both); a booking or an offer only when it starts or stops holding a place
-- (its status, institution or class type); a town's new name, every institution of the town.
-- An update of the institution itself moves both of its counters in one trigger (which replaces
-- 060's institution_findings_stamp): a counter moved by another trigger moves nothing else.
DROP TRIGGER institution_findings_stamp ON institution;
DROP FUNCTION institution_findings_stamp();
CREATE FUNCTION institution_stamps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.findings_stamp = OLD.findings_stamp AND NEW.public_stamp = OLD.public_stamp THEN
        NEW.findings_stamp := OLD.findings_stamp + 1;
        NEW.public_stamp := OLD.public_stamp + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER institution_stamps BEFORE UPDATE ON institution
    FOR EACH ROW EXECUTE FUNCTION institution_stamps();
CREATE FUNCTION public_stamp_by_institution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = OLD.institution_id; END IF;
    IF TG_OP <> 'DELETE' THEN UPDATE institution SET public_stamp = public_stamp + 1 WHERE id = NEW.institution_id; END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER institution_class_public_stamp AFTER INSERT OR UPDATE OR DELETE ON institution_class
    FOR EACH ROW EXECUTE FUNCTION public_stamp_by_institution();
CREATE TRIGGER fee_change_public_stamp AFTER INSERT OR UPDATE OR DELETE ON fee_change
    FOR EACH ROW EXECUTE FUNCTION public_stamp_by_institution();
CREATE TRIGGER fee_item_public_stamp AFTER INSERT OR UPDATE OR DELETE ON fee_item
    FOR EACH ROW EXECUTE FUNCTION public_stamp_by_institution();
CREATE TRIGGER booking_public_stamp AFTER INSERT OR DELETE OR UPDATE OF status, institution_id, class_type ON booking
    FOR EACH ROW EXECUTE FUNCTION public_stamp_by_institution();
CREATE TRIGGER offer_public_stamp AFTER INSERT OR DELETE OR UPDATE OF status, institution_id, class_type ON offer
    FOR EACH ROW EXECUTE FUNCTION public_stamp_by_institution();
CREATE FUNCTION public_stamp_by_town() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE institution SET public_stamp = public_stamp + 1 WHERE district_code = NEW.district_code AND town_code = NEW.code;
    RETURN NULL;
END $$;
CREATE TRIGGER town_public_stamp AFTER UPDATE OF name ON town
    FOR EACH ROW EXECUTE FUNCTION public_stamp_by_town();
