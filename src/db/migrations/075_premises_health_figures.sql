-- 075_premises_health_figures.sql — two figures of an institution's premises the 托育机构卫生评价
-- (国家卫生健康委办公厅《关于做好托育机构卫生评价工作的通知》, 2022) assesses, now in its record so the
-- registry's findings check them against premises.health_room_min_m2 and premises.window_area_min_share:
--   health_room_m2      保健观察室使用面积 (m²; 0 when there is none)
--   window_floor_ratio  婴幼儿生活用房窗地面积比, that of the room with the least daylight (0.2 = 1:5)
-- NULL: the record does not say (a low finding asks for it).
ALTER TABLE institution ADD COLUMN health_room_m2 DOUBLE PRECISION;
ALTER TABLE institution ADD COLUMN window_floor_ratio DOUBLE PRECISION;

-- 074 said the platform did not check these two yet; it does now.
UPDATE param SET description = replace(description, '（平台尚未据此检查：机构档案未登记保健观察室面积）', '')
 WHERE key = 'premises.health_room_min_m2';
UPDATE param SET description = replace(description, '（平台尚未据此检查：机构档案未登记窗地面积）', '')
 WHERE key = 'premises.window_area_min_share';
