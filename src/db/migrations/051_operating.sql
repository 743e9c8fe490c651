-- 051_operating.sql — the quarterly operating subsidies of 普惠 institutions (issue 18 item 1;
-- seed 四(五)15 生均保育经费, 四(二)7 星级运营奖补): the per-child operating subsidy (children in care
-- on a counting day of each month × the monthly standard) and the award by the star level in force
-- at the quarter's end, withheld while a 保育费 is outside its price guidance (the seed ties the
-- money to 普惠性收费). Amounts go into the ledger (funds_entitlement, kinds operating and
-- star_award, period "YYYY-Qn"); the figures are parameters. The Ouhai standard (参照当地幼儿园生均
-- 补助公用经费标准) and the award amounts were not found: placeholders marked UNCERTAIN.

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.operating.per_child_month_fen', '10000', '分/人/月', '试点方案 四(五)15（参照当地幼儿园生均补助公用经费标准）；瓯海标准未找到，此为示例值，待区财政核定', 'UNCERTAIN', '普惠托育机构生均保育经费补助：每名在托婴幼儿每月', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.operating.count_day', '15', '日', '本平台设定：每月以该日在托（有在班记录）的婴幼儿计数，待区卫健局确认', 'UNCERTAIN', '生均保育经费的计数日（每月几号在托）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.award.star1_fen', '0', '分/年', '试点方案 四(二)7（按等级评定和年度考核结果进行运营奖补）；金额未找到，此为示例值', 'UNCERTAIN', '一星级托育机构运营奖补（每年，按季度发放四分之一）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.award.star2_fen', '1000000', '分/年', '试点方案 四(二)7；金额未找到，此为示例值', 'UNCERTAIN', '二星级托育机构运营奖补（每年）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.award.star3_fen', '3000000', '分/年', '试点方案 四(二)7；金额未找到，此为示例值', 'UNCERTAIN', '三星级托育机构运营奖补（每年）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.award.star4_fen', '5000000', '分/年', '试点方案 四(二)7；金额未找到，此为示例值', 'UNCERTAIN', '四星级托育机构运营奖补（每年）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.award.star5_fen', '8000000', '分/年', '试点方案 四(二)7；金额未找到，此为示例值', 'UNCERTAIN', '五星级托育机构运营奖补（每年）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.award.requires_prices_within', '1', '开关', '试点方案 四(二)7（资金补助与普惠性收费、服务质量等挂钩）；以保育费在价格政策范围内为条件是本平台的理解', 'UNCERTAIN', '保育费超出价格政策（fee_band）时当季不发运营奖补', '2023-01-01', NULL);
-- 岗位补贴 (seed 四(五)16 持证上岗; issue 18 item 1 "post subsidies by qualification grade per month
-- employed"): each caregiver of a 普惠 institution employed on a month's counting day with a valid
-- 保育师 or 育婴员 certificate is paid that month at the amount of their best grade (一级 highest)
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.post.grade1_fen', '100000', '分/人/月', '试点方案 四(五)16（持证上岗）；岗位补贴标准未找到，此为示例值', 'UNCERTAIN', '持一级（高级技师）保育师/育婴员证书的保育人员岗位补贴（每月）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.post.grade2_fen', '80000', '分/人/月', '试点方案 四(五)16；岗位补贴标准未找到，此为示例值', 'UNCERTAIN', '持二级（技师）证书的保育人员岗位补贴（每月）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.post.grade3_fen', '60000', '分/人/月', '试点方案 四(五)16；岗位补贴标准未找到，此为示例值', 'UNCERTAIN', '持三级（高级工）证书的保育人员岗位补贴（每月）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.post.grade4_fen', '40000', '分/人/月', '试点方案 四(五)16；岗位补贴标准未找到，此为示例值', 'UNCERTAIN', '持四级（中级工）证书的保育人员岗位补贴（每月）', '2023-01-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'subsidy.post.grade5_fen', '20000', '分/人/月', '试点方案 四(五)16；岗位补贴标准未找到，此为示例值', 'UNCERTAIN', '持五级（初级工）证书的保育人员岗位补贴（每月）', '2023-01-01', NULL);
