-- 065_supervision_stamp_triggers.pg.sql — the triggers that move supervision_stamp (migration 064)
-- on every write to what the dashboard and the findings list are made from besides the
-- institutions, for PostgreSQL (the other dialect's are in 065_supervision_stamp_triggers.sqlite.sql):
-- the district of the row written (before and after an update).
CREATE FUNCTION supervision_stamp_by_district() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 1)
            ON CONFLICT (district_code) DO UPDATE SET n = supervision_stamp.n + 1;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 1)
            ON CONFLICT (district_code) DO UPDATE SET n = supervision_stamp.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER town_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON town
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER town_population_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON town_population
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER planning_result_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON planning_result
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER indicator_snapshot_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON indicator_snapshot
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER case_file_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON case_file
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER case_task_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON case_task
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER institution_filing_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON institution_filing
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER key_task_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON key_task
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER progress_report_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON progress_report
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER param_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON param
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER calendar_day_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON calendar_day
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
CREATE TRIGGER rectification_item_supervision_stamp AFTER INSERT OR UPDATE OR DELETE ON rectification_item
    FOR EACH ROW EXECUTE FUNCTION supervision_stamp_by_district();
