-- 071_tenant_unique.pg.sql — the tenant key in the "once per ..." keys (issue 20 item 6, docs/scale.md
-- "Distributing by district"): a child's one open placement, one attendance row a day, one active
-- booking, one open rectification item per rule... each unique key that was written without the
-- district gets district_code as its last column. Inside a district nothing changes (a child, a class
-- or an institution belongs to one district); the keys can now be enforced by one shard each. Keys
-- that are global by law or design (an institution's credit code, a child's or staff member's ID
-- lookup, a survey's token, a voucher's code) and the two named by ON CONFLICT clauses keep theirs
-- (src/db/distribution.txt). PostgreSQL only; written from the catalog of a database migrated to 070.
DROP INDEX booking_child_active;
CREATE UNIQUE INDEX booking_child_active ON booking (child_id, district_code) WHERE (status = 'booked'::text);
DROP INDEX candidate_site_premises;
CREATE UNIQUE INDEX candidate_site_premises ON candidate_site (premises_id, district_code);
DROP INDEX care_alert_live;
CREATE UNIQUE INDEX care_alert_live ON care_alert (institution_id, COALESCE(class_id, (0)::bigint), grp, district_code) WHERE (status <> 'closed'::text);
ALTER TABLE care_attendance DROP CONSTRAINT care_attendance_child_id_day_key;
ALTER TABLE care_attendance ADD CONSTRAINT care_attendance_child_id_day_key UNIQUE (child_id, day, district_code);
DROP INDEX care_placement_open;
CREATE UNIQUE INDEX care_placement_open ON care_placement (child_id, district_code) WHERE (end_date IS NULL);
ALTER TABLE checkup_reminder DROP CONSTRAINT checkup_reminder_child_id_check_code_window_opens_key;
ALTER TABLE checkup_reminder ADD CONSTRAINT checkup_reminder_child_id_check_code_window_opens_key UNIQUE (child_id, check_code, window_opens, district_code);
DROP INDEX child_consent_live;
CREATE UNIQUE INDEX child_consent_live ON child_consent (child_id, district_code) WHERE (withdrawn_at IS NULL);
DROP INDEX childcare_application_live;
CREATE UNIQUE INDEX childcare_application_live ON childcare_application (child_id, district_code) WHERE (state = ANY (ARRAY['submitted'::text, 'approved'::text]));
DROP INDEX duty_shift_open;
CREATE UNIQUE INDEX duty_shift_open ON duty_shift (staff_id, day, district_code) WHERE (check_out IS NULL);
ALTER TABLE fee_worksheet DROP CONSTRAINT fee_worksheet_institution_id_year_key;
ALTER TABLE fee_worksheet ADD CONSTRAINT fee_worksheet_institution_id_year_key UNIQUE (institution_id, year, district_code);
DROP INDEX funds_entitlement_reversal;
CREATE UNIQUE INDEX funds_entitlement_reversal ON funds_entitlement (reverses_id, district_code) WHERE (reverses_id IS NOT NULL);
ALTER TABLE incident_report DROP CONSTRAINT incident_report_incident_id_key;
ALTER TABLE incident_report ADD CONSTRAINT incident_report_incident_id_key UNIQUE (incident_id, district_code);
DROP INDEX instructor_assignment_period_open;
CREATE UNIQUE INDEX instructor_assignment_period_open ON instructor_assignment_period (user_id, institution_id, district_code) WHERE (assigned_to IS NULL);
DROP INDEX rectification_item_open;
CREATE UNIQUE INDEX rectification_item_open ON rectification_item (institution_id, source, rule, subject, district_code) WHERE (status <> 'closed'::text);
ALTER TABLE staff_member DROP CONSTRAINT staff_member_institution_id_id_lookup_key;
ALTER TABLE staff_member ADD CONSTRAINT staff_member_institution_id_id_lookup_key UNIQUE (institution_id, id_lookup, district_code);
ALTER TABLE training_enrolment DROP CONSTRAINT training_enrolment_session_id_staff_id_key;
ALTER TABLE training_enrolment ADD CONSTRAINT training_enrolment_session_id_staff_id_key UNIQUE (session_id, staff_id, district_code);
DROP INDEX visit_booking_one_active;
CREATE UNIQUE INDEX visit_booking_one_active ON visit_booking (slot_id, family_user_id, district_code) WHERE (status = 'booked'::text);
ALTER TABLE voucher DROP CONSTRAINT voucher_issue_id_child_id_key;
ALTER TABLE voucher ADD CONSTRAINT voucher_issue_id_child_id_key UNIQUE (issue_id, child_id, district_code);
