-- 031_rating.sql — quality assessment and star-rating schemes as data (issue 17 item 1,
-- requirements C7.1, domain-rules §2): a scheme's dimensions, items (points, or a baseline
-- requirement that vetoes: 一票否决), levels with their thresholds, how experts' scores combine
-- and what a failed veto does — each figure with its basis and certainty. A scheme is versioned by
-- valid_from: a change is a new version, and an assessment keeps the version it was made under.
-- Points are held in tenths (一分 = 10). The level is derived by src/rating/rating.c, never typed.

CREATE TABLE rating_scheme (
    id            {{ID}},
    district_code TEXT NOT NULL,
    code          TEXT NOT NULL,                 -- ouhai_star | wst821 …
    name          TEXT NOT NULL,
    basis         TEXT NOT NULL,
    certainty     TEXT NOT NULL,                 -- VERIFIED | UNCERTAIN (domain-rules' grades)
    combine       TEXT NOT NULL,                 -- mean | trimmed_mean (experts' points per item)
    trim_from     INTEGER NOT NULL DEFAULT 0,    -- trimmed_mean: experts needed to drop the extremes
    veto_cap      TEXT,                          -- level code a failed veto caps at; NULL: no level
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    UNIQUE (district_code, code, valid_from)
);

CREATE TABLE rating_dimension (
    scheme_id  BIGINT NOT NULL REFERENCES rating_scheme(id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    basis      TEXT NOT NULL,
    certainty  TEXT NOT NULL,
    PRIMARY KEY (scheme_id, code)
);

CREATE TABLE rating_item (
    scheme_id      BIGINT NOT NULL REFERENCES rating_scheme(id) ON DELETE CASCADE,
    code           TEXT NOT NULL,
    dimension_code TEXT NOT NULL,
    position       INTEGER NOT NULL,
    text           TEXT NOT NULL,                -- what is assessed
    kind           TEXT NOT NULL,                -- points | veto
    max_tenths     INTEGER NOT NULL,             -- points: the full points ×10; veto: 0
    evidence       TEXT,                         -- the evidence the institution attaches; NULL none
    maps_to        TEXT,                         -- the WS/T 821 dimension it corresponds to
    basis          TEXT NOT NULL,
    certainty      TEXT NOT NULL,
    PRIMARY KEY (scheme_id, code),
    FOREIGN KEY (scheme_id, dimension_code) REFERENCES rating_dimension(scheme_id, code)
);

CREATE TABLE rating_level (
    scheme_id  BIGINT NOT NULL REFERENCES rating_scheme(id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    position   INTEGER NOT NULL,                 -- 0 the best
    name       TEXT NOT NULL,
    min_tenths INTEGER NOT NULL,                 -- the total at or above which it is reached
    meaning    TEXT NOT NULL,                    -- what the level means, for families
    basis      TEXT NOT NULL,
    certainty  TEXT NOT NULL,
    PRIMARY KEY (scheme_id, code)
);

-- The national standard WS/T 821—2023 《托育机构质量评估标准》 (国卫通〔2023〕13号, effective
-- 2024-04-01): seven dimensions of 1,000 points (VERIFIED-S), grades A–D (VERIFIED-S). The
-- standard's item-level breakdown, its sixteen baseline indicators and the grade thresholds were
-- not found (domain-rules §2.1): each dimension is one item scored to its points, the clauses
-- domain-rules lists are the baseline items, and the thresholds are placeholders — UNCERTAIN,
-- to be replaced from the standard's text.
INSERT INTO rating_scheme (district_code, code, name, basis, certainty, combine, trim_from, veto_cap, valid_from, valid_to)
VALUES ('330304', 'wst821', '托育机构质量评估（WS/T 821—2023）', 'WS/T 821—2023《托育机构质量评估标准》（国卫通〔2023〕13号）', 'UNCERTAIN', 'mean', 0, 'D', '2024-04-01', NULL);

INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'conditions', 1, '办托条件', 'WS/T 821—2023：100 分', 'VERIFIED' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'staff', 2, '托育队伍', 'WS/T 821—2023：140 分', 'VERIFIED' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'care', 3, '保育照护', 'WS/T 821—2023：200 分', 'VERIFIED' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'health', 4, '卫生保健', 'WS/T 821—2023：210 分', 'VERIFIED' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'parenting', 5, '养育支持', 'WS/T 821—2023：80 分', 'VERIFIED' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'safety', 6, '安全保障', 'WS/T 821—2023：200 分', 'VERIFIED' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'management', 7, '机构管理', 'WS/T 821—2023：70 分', 'VERIFIED' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';

INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'conditions', 'conditions', 1, '办托条件（按标准细则评分）', 'points', 1000, '场地、设施设备照片与证明', 'conditions', 'WS/T 821—2023 第 4 章；细则未取得', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'staff', 'staff', 2, '托育队伍（按标准细则评分）', 'points', 1400, '人员花名册、资格证书、培训记录', 'staff', 'WS/T 821—2023 第 5 章；细则未取得', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'care', 'care', 3, '保育照护（按标准细则评分）', 'points', 2000, '一日生活安排、观察记录', 'care', 'WS/T 821—2023 第 6 章；细则未取得', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'health', 'health', 4, '卫生保健（按标准细则评分）', 'points', 2100, '卫生保健制度、晨午检与膳食记录', 'health', 'WS/T 821—2023 第 7 章；细则未取得', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'parenting', 'parenting', 5, '养育支持（按标准细则评分）', 'points', 800, '家长活动与指导记录', 'parenting', 'WS/T 821—2023 第 8 章；细则未取得', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'safety', 'safety', 6, '安全保障（按标准细则评分）', 'points', 2000, '安全制度、检查与演练记录', 'safety', 'WS/T 821—2023 第 9 章；细则未取得', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'management', 'management', 7, '机构管理（按标准细则评分）', 'points', 700, '管理制度、收费公示', 'management', 'WS/T 821—2023 第 10 章；细则未取得', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'b4.1.4', 'conditions', 11, '当年消防安全检查合格', 'veto', 0, '消防检查合格证明', 'conditions', 'WS/T 821—2023 4.1.4；是否属 16 项基础指标待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'b5.1.5', 'staff', 12, '全体工作人员持有效健康证明（每年至少体检 1 次）', 'veto', 0, '健康证明', 'staff', 'WS/T 821—2023 5.1.5；是否属 16 项基础指标待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'b5.1.6', 'staff', 13, '工作人员均有无犯罪记录证明', 'veto', 0, '无犯罪记录证明', 'staff', 'WS/T 821—2023 5.1.6；是否属 16 项基础指标待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'b5.2.1', 'staff', 14, '机构负责人岗位培训不少于 60 学时', 'veto', 0, '培训证明', 'staff', 'WS/T 821—2023 5.2.1；是否属 16 项基础指标待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'b7.2.1', 'health', 15, '入托时查验预防接种证和入托体检表', 'veto', 0, '查验记录', 'health', 'WS/T 821—2023 7.2.1；是否属 16 项基础指标待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'b7.2.3', 'health', 16, '每日晨午检和全日健康观察并记录', 'veto', 0, '晨午检记录', 'health', 'WS/T 821—2023 7.2.3；是否属 16 项基础指标待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'b9.4.3', 'safety', 17, '一键式报警、视频监控全覆盖，录像保存不少于 90 天', 'veto', 0, '监控与报警设施说明', 'safety', 'WS/T 821—2023 9.4.3；是否属 16 项基础指标待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'b9.7.1', 'safety', 18, '至少投保一项责任保险', 'veto', 0, '保险单', 'safety', 'WS/T 821—2023 9.7.1；是否属 16 项基础指标待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';

INSERT INTO rating_level (scheme_id, code, position, name, min_tenths, meaning, basis, certainty) SELECT id, 'A', 0, 'A 级', 9000, '质量优秀', 'WS/T 821—2023 评估结果分 A、B、C、D 四级；分数线未取得，暂定', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_level (scheme_id, code, position, name, min_tenths, meaning, basis, certainty) SELECT id, 'B', 1, 'B 级', 7500, '质量良好', 'WS/T 821—2023；分数线未取得，暂定', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_level (scheme_id, code, position, name, min_tenths, meaning, basis, certainty) SELECT id, 'C', 2, 'C 级', 6000, '质量合格', 'WS/T 821—2023；分数线未取得，暂定', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';
INSERT INTO rating_level (scheme_id, code, position, name, min_tenths, meaning, basis, certainty) SELECT id, 'D', 3, 'D 级', 0, '质量不合格，须整改', 'WS/T 821—2023；基础指标不达标者评为 D 级（待核实）', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'wst821';

-- The Ouhai star rating (seed 四(二)7: 办园条件、保教队伍、保教水平、安全卫生、管理绩效). No
-- Zhejiang, Wenzhou or Ouhai scoring text is published (domain-rules §2.2): the weights, the
-- star thresholds and the baseline items below are placeholders the district replaces with the
-- 评分细则 from 瓯海区卫健局 — every figure UNCERTAIN. Five experts' points combine by the mean
-- without the highest and the lowest (a usual 第三方测评 practice, UNCERTAIN); a failed
-- baseline item withholds any star.
INSERT INTO rating_scheme (district_code, code, name, basis, certainty, combine, trim_from, veto_cap, valid_from, valid_to)
VALUES ('330304', 'ouhai_star', '瓯海区托育机构星级评定', '瓯海区托育服务普惠扩容试点方案（2023）四(二)7；评分细则未公布', 'UNCERTAIN', 'trimmed_mean', 5, NULL, '2023-01-01', NULL);

INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'conditions', 1, '办园条件', '试点方案四(二)7；权重暂定 20 分', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'staff', 2, '保教队伍', '试点方案四(二)7；权重暂定 20 分', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'quality', 3, '保教水平', '试点方案四(二)7；权重暂定 25 分', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'safety', 4, '安全卫生', '试点方案四(二)7；权重暂定 25 分', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_dimension (scheme_id, code, position, name, basis, certainty) SELECT id, 'performance', 5, '管理绩效', '试点方案四(二)7；权重暂定 10 分', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';

INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'c1', 'conditions', 1, '场地面积、功能分区与户外活动场地', 'points', 100, '平面图、场地照片', 'conditions', '试点方案四(二)7；细则未公布', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'c2', 'conditions', 2, '设施设备、玩教具与适龄环境创设', 'points', 100, '设施设备清单、照片', 'conditions', '试点方案四(二)7；细则未公布', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 's1', 'staff', 3, '保育人员配比与持证上岗', 'points', 100, '人员花名册、资格证书', 'staff', '试点方案四(二)7；细则未公布', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 's2', 'staff', 4, '培训与队伍稳定', 'points', 100, '培训记录、劳动合同', 'staff', '试点方案四(二)7；细则未公布', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'q1', 'quality', 5, '一日生活安排与回应性照护', 'points', 150, '一日生活安排、观察记录', 'care', '试点方案四(二)7；细则未公布', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'q2', 'quality', 6, '家庭养育指导与医育结合', 'points', 100, '家长活动记录、健康指导记录', 'parenting', '试点方案四(二)7；细则未公布', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'h1', 'safety', 7, '卫生保健：晨午检、膳食、传染病防控', 'points', 150, '晨午检与膳食记录', 'health', '试点方案四(二)7；细则未公布', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'h2', 'safety', 8, '安全管理：检查、演练与应急处置', 'points', 100, '检查与演练记录', 'safety', '试点方案四(二)7；细则未公布', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'p1', 'performance', 9, '制度管理、收费公示与家长满意度', 'points', 100, '管理制度、收费公示、满意度调查', 'management', '试点方案四(二)7；细则未公布', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'v1', 'safety', 10, '消防安全检查合格', 'veto', 0, '消防检查合格证明', 'conditions', '参照 WS/T 821—2023 4.1.4；作为否决项待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'v2', 'staff', 11, '工作人员无犯罪记录、持有效健康证明', 'veto', 0, '无犯罪记录证明、健康证明', 'staff', '参照 WS/T 821—2023 5.1.5、5.1.6；作为否决项待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_item (scheme_id, code, dimension_code, position, text, kind, max_tenths, evidence, maps_to, basis, certainty) SELECT id, 'v3', 'safety', 12, '评定周期内未发生责任事故', 'veto', 0, '情况说明', 'safety', '以评促建的通行做法；作为否决项待核实', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';

INSERT INTO rating_level (scheme_id, code, position, name, min_tenths, meaning, basis, certainty) SELECT id, 'star5', 0, '五星级', 900, '办园条件、保教质量和安全管理全面优秀，可作为示范', '分数线暂定，待瓯海区评分细则', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_level (scheme_id, code, position, name, min_tenths, meaning, basis, certainty) SELECT id, 'star4', 1, '四星级', 800, '各方面良好，部分方面优秀', '分数线暂定，待瓯海区评分细则', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_level (scheme_id, code, position, name, min_tenths, meaning, basis, certainty) SELECT id, 'star3', 2, '三星级', 700, '各方面达到良好水平', '分数线暂定，待瓯海区评分细则', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_level (scheme_id, code, position, name, min_tenths, meaning, basis, certainty) SELECT id, 'star2', 3, '二星级', 650, '基本规范，个别方面有待提升', '分数线暂定，待瓯海区评分细则', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
INSERT INTO rating_level (scheme_id, code, position, name, min_tenths, meaning, basis, certainty) SELECT id, 'star1', 4, '一星级', 600, '达到托育机构基本要求', '分数线暂定，待瓯海区评分细则', 'UNCERTAIN' FROM rating_scheme WHERE district_code = '330304' AND code = 'ouhai_star';
