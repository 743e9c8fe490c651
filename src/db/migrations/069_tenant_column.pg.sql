-- 069_tenant_column.pg.sql — the tenant key on the twelve tables that had none (issue 20 item 6,
-- docs/scale.md "Distributing by district"): each row now says its district, the district of the
-- row it belongs to (an application's choices, an entitlement's history, a survey's answers...), so
-- it can live on the same shard as that row. Writers take it from that row (INSERT ... SELECT).
ALTER TABLE application_choice ADD COLUMN district_code TEXT;
UPDATE application_choice SET district_code = (SELECT p.district_code FROM application p WHERE p.id = application_choice.application_id);
ALTER TABLE application_choice ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE funds_event ADD COLUMN district_code TEXT;
UPDATE funds_event SET district_code = (SELECT p.district_code FROM funds_entitlement p WHERE p.id = funds_event.entitlement_id);
ALTER TABLE funds_event ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE inspection_item ADD COLUMN district_code TEXT;
UPDATE inspection_item SET district_code = (SELECT p.district_code FROM inspection p WHERE p.id = inspection_item.inspection_id);
ALTER TABLE inspection_item ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE key_task_milestone ADD COLUMN district_code TEXT;
UPDATE key_task_milestone SET district_code = (SELECT p.district_code FROM key_task p WHERE p.id = key_task_milestone.task_id);
ALTER TABLE key_task_milestone ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE key_task_update ADD COLUMN district_code TEXT;
UPDATE key_task_update SET district_code = (SELECT p.district_code FROM key_task p WHERE p.id = key_task_update.task_id);
ALTER TABLE key_task_update ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE rating_conflict ADD COLUMN district_code TEXT;
UPDATE rating_conflict SET district_code = (SELECT p.district_code FROM institution p WHERE p.id = rating_conflict.institution_id);
ALTER TABLE rating_conflict ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE rating_expert ADD COLUMN district_code TEXT;
UPDATE rating_expert SET district_code = (SELECT p.district_code FROM rating_assessment p WHERE p.case_id = rating_expert.case_id);
ALTER TABLE rating_expert ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE rating_objection ADD COLUMN district_code TEXT;
UPDATE rating_objection SET district_code = (SELECT p.district_code FROM rating_assessment p WHERE p.case_id = rating_objection.case_id);
ALTER TABLE rating_objection ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE rectification_evidence ADD COLUMN district_code TEXT;
UPDATE rectification_evidence SET district_code = (SELECT p.district_code FROM rectification_item p WHERE p.id = rectification_evidence.item_id);
ALTER TABLE rectification_evidence ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE survey_answer ADD COLUMN district_code TEXT;
UPDATE survey_answer SET district_code = (SELECT p.district_code FROM survey p WHERE p.id = survey_answer.survey_id);
ALTER TABLE survey_answer ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE survey_participation ADD COLUMN district_code TEXT;
UPDATE survey_participation SET district_code = (SELECT p.district_code FROM survey p WHERE p.id = survey_participation.survey_id);
ALTER TABLE survey_participation ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE camera_probe_day ADD COLUMN district_code TEXT;
UPDATE camera_probe_day SET district_code = (SELECT p.district_code FROM camera p WHERE p.id = camera_probe_day.camera_id);
ALTER TABLE camera_probe_day ALTER COLUMN district_code SET NOT NULL;
