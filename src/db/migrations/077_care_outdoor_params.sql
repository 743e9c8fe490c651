-- 077_care_outdoor_params.sql — the parameters of a class's outdoor time (migration 076, both
-- dialects): the review window of the findings, set wherever the outdoor rule is set (Ouhai's seed,
-- a province's or city's copy of the parameters, the province demo's districts), so no level reads
-- the rule without the window beside it; and the rule's description no longer saying it is unchecked
-- (the boarding one is: the platform runs no boarding care).
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to)
SELECT DISTINCT district_code, 'care.outdoor_review_days', '7', '日', '本平台设定：监管按此前若干日的户外活动记录核查（不含当日），待区卫健局确认', 'LOCAL', '户外活动核查的天数（此前几日）', '2023-01-01', NULL
  FROM param WHERE key = 'care.outdoor_min_hours_full_day';
UPDATE param SET description = replace(description, '（平台尚未据此检查：日常照护未记录户外活动时间）', '')
 WHERE key = 'care.outdoor_min_hours_full_day';
UPDATE param SET description = replace(description, '（平台尚未据此检查：日常照护未记录户外活动时间）', '（平台尚未据此检查：本平台未开展寄宿制托育）')
 WHERE key = 'care.outdoor_min_hours_boarding';
