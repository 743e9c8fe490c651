-- 069_tenant_column.sqlite.sql — the tenant key on the twelve tables that had none (issue 20 item 6,
-- docs/scale.md "Distributing by district"): each row now says its district, the district of the
-- row it belongs to (an application's choices, an entitlement's history, a survey's answers...), so
-- it can live on the same shard as that row. Writers take it from that row (INSERT ... SELECT).
-- SQLite adds a NOT NULL column only with a default; every writer names it.
ALTER TABLE application_choice ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE application_choice SET district_code = (SELECT p.district_code FROM application p WHERE p.id = application_choice.application_id);
ALTER TABLE funds_event ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE funds_event SET district_code = (SELECT p.district_code FROM funds_entitlement p WHERE p.id = funds_event.entitlement_id);
ALTER TABLE inspection_item ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE inspection_item SET district_code = (SELECT p.district_code FROM inspection p WHERE p.id = inspection_item.inspection_id);
ALTER TABLE key_task_milestone ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE key_task_milestone SET district_code = (SELECT p.district_code FROM key_task p WHERE p.id = key_task_milestone.task_id);
ALTER TABLE key_task_update ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE key_task_update SET district_code = (SELECT p.district_code FROM key_task p WHERE p.id = key_task_update.task_id);
ALTER TABLE rating_conflict ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE rating_conflict SET district_code = (SELECT p.district_code FROM institution p WHERE p.id = rating_conflict.institution_id);
ALTER TABLE rating_expert ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE rating_expert SET district_code = (SELECT p.district_code FROM rating_assessment p WHERE p.case_id = rating_expert.case_id);
ALTER TABLE rating_objection ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE rating_objection SET district_code = (SELECT p.district_code FROM rating_assessment p WHERE p.case_id = rating_objection.case_id);
ALTER TABLE rectification_evidence ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE rectification_evidence SET district_code = (SELECT p.district_code FROM rectification_item p WHERE p.id = rectification_evidence.item_id);
ALTER TABLE survey_answer ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE survey_answer SET district_code = (SELECT p.district_code FROM survey p WHERE p.id = survey_answer.survey_id);
ALTER TABLE survey_participation ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE survey_participation SET district_code = (SELECT p.district_code FROM survey p WHERE p.id = survey_participation.survey_id);
ALTER TABLE camera_probe_day ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
UPDATE camera_probe_day SET district_code = (SELECT p.district_code FROM camera p WHERE p.id = camera_probe_day.camera_id);
