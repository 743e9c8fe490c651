-- 060_findings_stamp_triggers.sqlite.sql — the triggers that move institution.findings_stamp
-- (migration 059) on every write to what an institution's compliance findings are computed from,
-- for SQLite (the other dialect's are in 060_findings_stamp_triggers.pg.sql; db_migrate_files
-- applies a migration named *.sqlite.sql or *.pg.sql only to its dialect). Each bumps the counter
-- of the institution a row belongs to (before and after an update, so a row moved between
-- institutions bumps both); a training session or course, that of every institution whose staff
-- enrolled in it; a camera, only through the columns its findings read (not the prober's state
-- columns, written every minute).
CREATE TRIGGER institution_findings_stamp AFTER UPDATE ON institution
    WHEN NEW.findings_stamp = OLD.findings_stamp
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.id; END;
CREATE TRIGGER institution_class_findings_stamp_insert AFTER INSERT ON institution_class
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER institution_class_findings_stamp_update AFTER UPDATE ON institution_class
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER institution_class_findings_stamp_delete AFTER DELETE ON institution_class
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; END;
CREATE TRIGGER fee_change_findings_stamp_insert AFTER INSERT ON fee_change
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER fee_change_findings_stamp_update AFTER UPDATE ON fee_change
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER fee_change_findings_stamp_delete AFTER DELETE ON fee_change
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; END;
CREATE TRIGGER fee_item_findings_stamp_insert AFTER INSERT ON fee_item
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER fee_item_findings_stamp_update AFTER UPDATE ON fee_item
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER fee_item_findings_stamp_delete AFTER DELETE ON fee_item
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; END;
CREATE TRIGGER staff_member_findings_stamp_insert AFTER INSERT ON staff_member
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER staff_member_findings_stamp_update AFTER UPDATE ON staff_member
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER staff_member_findings_stamp_delete AFTER DELETE ON staff_member
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; END;
CREATE TRIGGER staff_certificate_findings_stamp_insert AFTER INSERT ON staff_certificate
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = NEW.staff_id); END;
CREATE TRIGGER staff_certificate_findings_stamp_update AFTER UPDATE ON staff_certificate
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = OLD.staff_id); UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = NEW.staff_id); END;
CREATE TRIGGER staff_certificate_findings_stamp_delete AFTER DELETE ON staff_certificate
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = OLD.staff_id); END;
CREATE TRIGGER staff_class_findings_stamp_insert AFTER INSERT ON staff_class
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = NEW.staff_id); END;
CREATE TRIGGER staff_class_findings_stamp_update AFTER UPDATE ON staff_class
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = OLD.staff_id); UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = NEW.staff_id); END;
CREATE TRIGGER staff_class_findings_stamp_delete AFTER DELETE ON staff_class
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = OLD.staff_id); END;
CREATE TRIGGER training_enrolment_findings_stamp_insert AFTER INSERT ON training_enrolment
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = NEW.staff_id); END;
CREATE TRIGGER training_enrolment_findings_stamp_update AFTER UPDATE ON training_enrolment
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = OLD.staff_id); UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = NEW.staff_id); END;
CREATE TRIGGER training_enrolment_findings_stamp_delete AFTER DELETE ON training_enrolment
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = (SELECT institution_id FROM staff_member WHERE id = OLD.staff_id); END;
CREATE TRIGGER training_session_findings_stamp AFTER UPDATE OF day, course_id ON training_session
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id IN (SELECT s.institution_id FROM training_enrolment te JOIN staff_member s ON s.id = te.staff_id WHERE te.session_id = NEW.id); END;
CREATE TRIGGER training_course_findings_stamp AFTER UPDATE OF kind ON training_course
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id IN (SELECT s.institution_id FROM training_enrolment te JOIN training_session ts ON ts.id = te.session_id JOIN staff_member s ON s.id = te.staff_id WHERE ts.course_id = NEW.id); END;
CREATE TRIGGER camera_findings_stamp_insert AFTER INSERT ON camera
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER camera_findings_stamp_update AFTER UPDATE OF institution_id, name, area, class_id, retention_days, active ON camera
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = NEW.institution_id; END;
CREATE TRIGGER camera_findings_stamp_delete AFTER DELETE ON camera
    BEGIN UPDATE institution SET findings_stamp = findings_stamp + 1 WHERE id = OLD.institution_id; END;
