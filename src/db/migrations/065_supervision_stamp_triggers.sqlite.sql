-- 065_supervision_stamp_triggers.sqlite.sql — the triggers that move supervision_stamp (migration
-- 064) on every write to what the dashboard and the findings list are made from besides the
-- institutions, for SQLite (the other dialect's are in 065_supervision_stamp_triggers.pg.sql): the
-- district of the row written (before and after an update).
CREATE TRIGGER town_supervision_stamp_insert AFTER INSERT ON town
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER town_supervision_stamp_update AFTER UPDATE ON town
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER town_supervision_stamp_delete AFTER DELETE ON town
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER town_population_supervision_stamp_insert AFTER INSERT ON town_population
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER town_population_supervision_stamp_update AFTER UPDATE ON town_population
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER town_population_supervision_stamp_delete AFTER DELETE ON town_population
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER planning_result_supervision_stamp_insert AFTER INSERT ON planning_result
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER planning_result_supervision_stamp_update AFTER UPDATE ON planning_result
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER planning_result_supervision_stamp_delete AFTER DELETE ON planning_result
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER indicator_snapshot_supervision_stamp_insert AFTER INSERT ON indicator_snapshot
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER indicator_snapshot_supervision_stamp_update AFTER UPDATE ON indicator_snapshot
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER indicator_snapshot_supervision_stamp_delete AFTER DELETE ON indicator_snapshot
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER case_file_supervision_stamp_insert AFTER INSERT ON case_file
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER case_file_supervision_stamp_update AFTER UPDATE ON case_file
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER case_file_supervision_stamp_delete AFTER DELETE ON case_file
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER case_task_supervision_stamp_insert AFTER INSERT ON case_task
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER case_task_supervision_stamp_update AFTER UPDATE ON case_task
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER case_task_supervision_stamp_delete AFTER DELETE ON case_task
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER institution_filing_supervision_stamp_insert AFTER INSERT ON institution_filing
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER institution_filing_supervision_stamp_update AFTER UPDATE ON institution_filing
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER institution_filing_supervision_stamp_delete AFTER DELETE ON institution_filing
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER key_task_supervision_stamp_insert AFTER INSERT ON key_task
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER key_task_supervision_stamp_update AFTER UPDATE ON key_task
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER key_task_supervision_stamp_delete AFTER DELETE ON key_task
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER progress_report_supervision_stamp_insert AFTER INSERT ON progress_report
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER progress_report_supervision_stamp_update AFTER UPDATE ON progress_report
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER progress_report_supervision_stamp_delete AFTER DELETE ON progress_report
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER param_supervision_stamp_insert AFTER INSERT ON param
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER param_supervision_stamp_update AFTER UPDATE ON param
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER param_supervision_stamp_delete AFTER DELETE ON param
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER calendar_day_supervision_stamp_insert AFTER INSERT ON calendar_day
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER calendar_day_supervision_stamp_update AFTER UPDATE ON calendar_day
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER calendar_day_supervision_stamp_delete AFTER DELETE ON calendar_day
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
CREATE TRIGGER rectification_item_supervision_stamp_insert AFTER INSERT ON rectification_item
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER rectification_item_supervision_stamp_update AFTER UPDATE ON rectification_item
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (NEW.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = NEW.district_code; END;
CREATE TRIGGER rectification_item_supervision_stamp_delete AFTER DELETE ON rectification_item
    BEGIN INSERT OR IGNORE INTO supervision_stamp (district_code, n) VALUES (OLD.district_code, 0); UPDATE supervision_stamp SET n = n + 1 WHERE district_code = OLD.district_code; END;
