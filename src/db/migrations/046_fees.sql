-- 046_fees.sql — the fee catalogue as dated, published versions (issue 17 items 4–6; 发改价格〔2024〕
-- 1477号: a catalogue is compulsory, nothing outside it may be charged). A change is a whole new
-- catalogue in force from a date that is never in the past; the catalogue in force on a day is the
-- latest change that day has reached, so an announced change takes over on its date without a job,
-- and no change ever alters what was charged before it. A new change withdraws the announced ones
-- dated on or after its own day (kept, marked withdrawn); fee_item rows belong to one change.
-- The price guidance (公办: government-guided benchmark and floating band; 社会办普惠: the city's
-- reference range) and the cost worksheet's margin and local income are dated parameters below.

CREATE TABLE fee_change (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    institution_id BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    effective_from TEXT NOT NULL,              -- YYYY-MM-DD, never before the day it was made
    note           TEXT NOT NULL DEFAULT '',   -- why (调价说明)
    changed_by     BIGINT REFERENCES app_user(id),  -- NULL: made with the record (creation, filing, import)
    changed_at     TEXT NOT NULL,
    withdrawn_at   TEXT                        -- set when a later-made change replaced it before its day
);
CREATE INDEX fee_change_inst ON fee_change(institution_id, effective_from, id);

ALTER TABLE fee_item ADD COLUMN change_id BIGINT REFERENCES fee_change(id) ON DELETE CASCADE;
-- 保育费 by service type: full_day 全日托 | half_day 半日托 | hourly 计时托 | temporary 临时托 |
-- boarding 住宿费; NULL for other fees (伙食费, 材料费 …)
ALTER TABLE fee_item ADD COLUMN service_type TEXT;

-- every institution's present catalogue becomes its first change, in force since the record was made
INSERT INTO fee_change (district_code, institution_id, effective_from, note, changed_at)
SELECT i.district_code, i.id, substr(i.created_at, 1, 10), '启用收费目录版本管理前的目录', i.updated_at
FROM institution i WHERE EXISTS (SELECT 1 FROM fee_item f WHERE f.institution_id = i.id);
UPDATE fee_item SET change_id = (SELECT c.id FROM fee_change c WHERE c.institution_id = fee_item.institution_id);
UPDATE fee_item SET service_type = CASE
    WHEN category <> 'basic' THEN NULL
    WHEN unit = '月' THEN 'full_day'
    WHEN unit = '小时' THEN 'hourly'
    WHEN unit IN ('日', '次') THEN 'temporary'
    ELSE NULL END;
CREATE INDEX fee_item_change ON fee_item(change_id);

-- 成本核算 (price-formation worksheet): one per institution and year, money in fen
CREATE TABLE fee_worksheet (
    id               {{ID}},
    district_code    TEXT NOT NULL,
    institution_id   BIGINT NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
    year             INTEGER NOT NULL,
    staff_fen        BIGINT NOT NULL,   -- 人员经费
    rent_fen         BIGINT NOT NULL,   -- 场地租金
    utilities_fen    BIGINT NOT NULL,   -- 水电物业
    materials_fen    BIGINT NOT NULL,   -- 保教材料
    depreciation_fen BIGINT NOT NULL,   -- 固定资产折旧
    other_fen        BIGINT NOT NULL,   -- 其他
    food_fen         BIGINT NOT NULL,   -- 伙食成本 (伙食费 is charged at cost, outside 保育费)
    subsidy_fen      BIGINT NOT NULL,   -- 政府补助（运营补贴、租金减免折算等）
    places           INTEGER NOT NULL,
    avg_enrolled     INTEGER NOT NULL,  -- average children in care over the year
    months           INTEGER NOT NULL,  -- months of service in the year
    note             TEXT NOT NULL DEFAULT '',
    updated_by       BIGINT REFERENCES app_user(id),
    updated_at       TEXT NOT NULL,
    UNIQUE (institution_id, year)
);

INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.guided.full_day_fen', '200000', '分/月', '发改价格〔2024〕1477号（公办托育机构保育费实行政府指导价）；温州市基准价未找到，此为示例值，待核定', 'UNCERTAIN', '公办机构全日托保育费基准价（每月）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.guided.half_day_fen', '120000', '分/月', '发改价格〔2024〕1477号；温州市基准价未找到，此为示例值，待价格主管部门核定', 'UNCERTAIN', '公办机构半日托保育费基准价（每月）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.guided.hourly_fen', '3000', '分/小时', '发改价格〔2024〕1477号；温州市基准价未找到，此为示例值，待价格主管部门核定', 'UNCERTAIN', '公办机构计时托保育费基准价（每小时）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.guided.temporary_fen', '12000', '分/日', '发改价格〔2024〕1477号；温州市基准价未找到，此为示例值，待价格主管部门核定', 'UNCERTAIN', '公办机构临时托保育费基准价（每日）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.guided.float_pct', '10', '%', '发改价格〔2024〕1477号（基准价和浮动幅度）；幅度数值未找到，此为示例值', 'UNCERTAIN', '公办机构保育费可在基准价上下浮动的幅度', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.reference.full_day_min_fen', '150000', '分/月', '发改价格〔2024〕1477号（社会办普惠保育费由设区市制定参考区间）；温州市区间未找到，此为示例值', 'UNCERTAIN', '社会办普惠机构全日托保育费参考区间下限（每月）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.reference.full_day_max_fen', '350000', '分/月', '发改价格〔2024〕1477号；温州市区间未找到，此为示例值', 'UNCERTAIN', '社会办普惠机构全日托保育费参考区间上限（每月）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.reference.half_day_min_fen', '90000', '分/月', '发改价格〔2024〕1477号；温州市区间未找到，此为示例值', 'UNCERTAIN', '社会办普惠机构半日托保育费参考区间下限（每月）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.reference.half_day_max_fen', '210000', '分/月', '发改价格〔2024〕1477号；温州市区间未找到，此为示例值', 'UNCERTAIN', '社会办普惠机构半日托保育费参考区间上限（每月）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.reference.hourly_min_fen', '2000', '分/小时', '发改价格〔2024〕1477号；温州市区间未找到，此为示例值', 'UNCERTAIN', '社会办普惠机构计时托保育费参考区间下限（每小时）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.reference.hourly_max_fen', '6000', '分/小时', '发改价格〔2024〕1477号；温州市区间未找到，此为示例值', 'UNCERTAIN', '社会办普惠机构计时托保育费参考区间上限（每小时）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.reference.temporary_min_fen', '8000', '分/日', '发改价格〔2024〕1477号；温州市区间未找到，此为示例值', 'UNCERTAIN', '社会办普惠机构临时托保育费参考区间下限（每日）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.reference.temporary_max_fen', '20000', '分/日', '发改价格〔2024〕1477号；温州市区间未找到，此为示例值', 'UNCERTAIN', '社会办普惠机构临时托保育费参考区间上限（每日）', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.margin_pct.public', '0', '%', '发改价格〔2024〕1477号（公办托育机构保育费按非营利原则定价）', 'VERIFIED-P', '成本核算：公办机构建议价在单位成本上的加成', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.margin_pct.private', '5', '%', '发改价格〔2024〕1477号（社会办普惠按成本加合理利润协商定价）；合理利润率数值未找到，此为示例值', 'UNCERTAIN', '成本核算：社会办机构建议价在单位成本上的合理利润率', '2024-10-01', NULL);
INSERT INTO param (district_code, key, value, unit, basis, certainty, description, valid_from, valid_to) VALUES ('330304', 'fees.local_income_fen', '7544800', '分/年', '瓯海区统计局《2023年瓯海区居民收支情况》（ouhai.gov.cn，2024-03-08）：全区全体居民人均可支配收入 75448 元', 'VERIFIED-P', '成本核算：当地居民人均可支配收入（年），用于比较建议价占收入的比例', '2024-03-08', NULL);
