-- 061_activity_attendance.sql — a care-group activity's attendance (issue 16 item 4; C6.3): once it
-- has begun, its host marks which registered families came; the year's figures count attendance as
-- well as registrations. A family may cancel a registration before the start (the row is deleted,
-- the place given back and the reminder withdrawn: src/network/activities.c).
ALTER TABLE care_group_registration ADD COLUMN attended INTEGER;   -- NULL until taken; 1 came, 0 did not
ALTER TABLE care_group_registration ADD COLUMN marked_at TEXT;
ALTER TABLE care_group_activity ADD COLUMN attendance_taken_at TEXT; -- the last time the host took it
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'activities.reminder_hours_before', '24', '小时', '本平台设定（与预约参观的提醒相同）', 'LOCAL', '养育照护小组活动开始前多少小时提醒报名的家庭', '2023-03-30', NULL);
