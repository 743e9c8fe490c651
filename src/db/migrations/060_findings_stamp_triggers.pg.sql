-- 060_findings_stamp_triggers.pg.sql — the triggers that move institution.findings_stamp (migration
-- 059) on every write to what an institution's compliance findings are computed from, for
-- PostgreSQL (the other dialect's are in 060_findings_stamp_triggers.sqlite.sql; db_migrate_files
-- applies a migration named *.sqlite.sql or *.pg.sql only to its dialect). Each bumps the counter
-- of the institution a row belongs to (before and after an update, so a row moved between
-- institutions bumps both); a training session or course, that of every institution whose staff
-- enrolled in it; a camera, only through the columns its findings read (not the prober's state
-- columns, written every minute).
CREATE FUNCTION institution_findings_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.findings_stamp = OLD.findings_stamp THEN NEW.findings_stamp := OLD.findings_stamp + 1; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER institution_findings_stamp BEFORE UPDATE ON institution
    FOR EACH ROW EXECUTE FUNCTION institution_findings_stamp();
CREATE FUNCTION findings_stamp_by_institution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; END IF;
    IF TG_OP <> 'DELETE' THEN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION findings_stamp_by_staff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = OLD.staff_id); END IF;
    IF TG_OP <> 'DELETE' THEN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = NEW.staff_id); END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER institution_class_findings_stamp AFTER INSERT OR UPDATE OR DELETE ON institution_class
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_institution();
CREATE TRIGGER fee_change_findings_stamp AFTER INSERT OR UPDATE OR DELETE ON fee_change
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_institution();
CREATE TRIGGER fee_item_findings_stamp AFTER INSERT OR UPDATE OR DELETE ON fee_item
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_institution();
CREATE TRIGGER staff_member_findings_stamp AFTER INSERT OR UPDATE OR DELETE ON staff_member
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_institution();
CREATE TRIGGER staff_certificate_findings_stamp AFTER INSERT OR UPDATE OR DELETE ON staff_certificate
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_staff();
CREATE TRIGGER staff_class_findings_stamp AFTER INSERT OR UPDATE OR DELETE ON staff_class
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_staff();
CREATE TRIGGER training_enrolment_findings_stamp AFTER INSERT OR UPDATE OR DELETE ON training_enrolment
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_staff();
CREATE FUNCTION findings_stamp_by_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id IN (SELECT s.institution_id FROM training_enrolment te JOIN staff_member s ON s.id = te.staff_id WHERE te.session_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER training_session_findings_stamp AFTER UPDATE OF day, course_id ON training_session
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_session();
CREATE FUNCTION findings_stamp_by_course() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id IN (SELECT s.institution_id FROM training_enrolment te JOIN training_session ts ON ts.id = te.session_id JOIN staff_member s ON s.id = te.staff_id WHERE ts.course_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER training_course_findings_stamp AFTER UPDATE OF kind ON training_course
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_course();
CREATE TRIGGER camera_findings_stamp AFTER INSERT OR DELETE OR UPDATE OF institution_id, name, area, class_id, retention_days, active ON camera
    FOR EACH ROW EXECUTE FUNCTION findings_stamp_by_institution();
