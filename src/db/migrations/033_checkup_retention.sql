-- 033_checkup_retention.sql — how long scheduled health-check records and development screenings
-- (src/checkups/, migration 028) are kept before `tuoyu purge` deletes them (src/privacy/).
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'retention.checkup_months', '72', '月', '《个人信息保护法》第十九条、第二十八条；0～6岁儿童健康管理（国家基本公共卫生服务规范（第三版））覆盖至6岁，体检与筛查记录的保存期限无全国性规定，待区卫健局确认', 'UNCERTAIN', '儿童健康检查与发育筛查记录保存月数（自检查/筛查日期起），期满由 tuoyu purge 删除', '2021-11-01', NULL);
