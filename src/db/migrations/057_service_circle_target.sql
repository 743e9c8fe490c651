-- 057_service_circle_target.sql — the target of the dashboard's 15-minute service circle (issue
-- 19 item 1): the pilot plan asks to build the circle (一：构建15分钟托育服务圈) without a share, so
-- every child under 3 within the walk is the target until the district sets another.
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'planning.service_circle_target', '1.0', '比例', '瓯海区普惠托育基本公共服务试点工作方案 一：构建15分钟托育服务圈（未给出覆盖比例，按全覆盖设定，待区卫健局确认）', 'UNCERTAIN', '3岁以下婴幼儿在15分钟步行范围内有托育机构的比例目标', '2023-01-01', NULL);
