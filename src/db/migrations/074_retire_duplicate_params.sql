-- 074_retire_duplicate_params.sql — four seeded parameters that no code reads, each a second copy of
-- a figure that is read under another key: changing one on the parameters page changed nothing.
-- They end the day before this release (history kept: a parameter's versions are never deleted,
-- except one dated after that day, which never took effect); the figure in force stays under its key:
--   cctv.retention_min_days         = video.retention_min_days (90 days, 管理规范 第三十二条)
--   filing.deficiency_working_days  = filing.notice_working_days (15 working days, 备案办法 第九条)
--   subsidy.childcare.per_year_fen  : paid by the month as subsidy.childcare.per_month_fen (3,600 元 / 12)
--   population.district_residents   : the population register (src/population/, by town and year)
-- tests/api/params_readers.test.mjs checks that every parameter in force has a reader.
DELETE FROM param WHERE key IN ('cctv.retention_min_days', 'filing.deficiency_working_days',
    'subsidy.childcare.per_year_fen', 'population.district_residents') AND valid_from > '2026-12-06';
UPDATE param SET valid_to = '2026-12-06'
 WHERE key IN ('cctv.retention_min_days', 'filing.deficiency_working_days', 'subsidy.childcare.per_year_fen',
               'population.district_residents')
   AND (valid_to IS NULL OR valid_to > '2026-12-06');

-- Four rules the platform keeps no data for yet (no outdoor time in daily care, no health-room or
-- window area in an institution's record): their parameters say so, so nobody expects a check.
UPDATE param SET description = description || '（平台尚未据此检查：日常照护未记录户外活动时间）'
 WHERE key IN ('care.outdoor_min_hours_full_day', 'care.outdoor_min_hours_boarding');
UPDATE param SET description = description || '（平台尚未据此检查：机构档案未登记保健观察室面积）'
 WHERE key = 'premises.health_room_min_m2';
UPDATE param SET description = description || '（平台尚未据此检查：机构档案未登记窗地面积）'
 WHERE key = 'premises.window_area_min_share';
