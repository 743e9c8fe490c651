// growth.js — a child's growth evaluation (GET /api/v1/children/{id}/growth) turned into what the
// growth chart draws and says in Chinese: the indicators, the WHO curves the server computed
// (−3…+3 SD; the 2006 standards by day to 60 months, then the 2007 reference by month), the
// child's points with z-score, percentile, WHO class and the WS/T 423—2022 grade and what the
// grade means. No WHO table is held here: every number comes from the server.

export const DAYS_PER_MONTH = 30.4375;

/** The charts: their curves (2006 key, 2007 key), the z-score keys and the measured value. */
export const INDICATORS = [
  { key: 'wfa', title: '体重/年龄', unit: 'kg', curves: ['wfa', 'wfa2007'], z: 'wfa', z07: 'wfa', value: (m) => m.weight_kg },
  { key: 'lhfa', title: '身长(身高)/年龄', unit: 'cm', curves: ['lhfa', 'hfa2007'], z: 'lhfa', z07: 'hfa', value: (m) => (m.zscores_2007 ? m.lenhei_cm : m.clenhei_cm) },
  { key: 'wflh', title: '体重/身长(身高)', unit: 'kg', byLength: true, curves: ['wfl', 'wfh'], z: 'wflh', value: (m) => m.weight_kg },
  { key: 'bmifa', title: 'BMI/年龄', unit: 'kg/m²', curves: ['bmifa', 'bfa2007'], z: 'bmifa', z07: 'bfa', value: (m) => m.bmi },
  { key: 'hcfa', title: '头围/年龄', unit: 'cm', curves: ['hcfa'], z: 'hcfa', value: (m) => m.headc_cm },
];

export const SD_NAMES = ['−3SD', '−2SD', '−1SD', '中位数', '+1SD', '+2SD', '+3SD'];

/** WHO classes (the server's codes) in Chinese. */
export const GROWTH_CLASSES = {
  normal: '正常', underweight: '低体重', severe_underweight: '重度低体重', stunting: '生长迟缓',
  severe_stunting: '重度生长迟缓', wasting: '消瘦', severe_wasting: '重度消瘦', thinness: '消瘦',
  severe_thinness: '重度消瘦', overweight: '超重', obesity: '肥胖',
};

/** What each WS/T 423—2022 grade (by SD of the WHO z-score) means, for a family. */
export const GRADE_MEANINGS = {
  上: '高于同龄儿童 +2SD（约前 2%），明显偏高，建议请儿童保健医生评估',
  中上: '在 +1SD 至 +2SD 之间，高于同龄儿童平均水平',
  中: '在 −1SD 至 +1SD 之间，处于同龄儿童平均水平（约 68% 的儿童在此范围）',
  中下: '在 −2SD 至 −1SD 之间，低于同龄儿童平均水平，注意营养与定期测量',
  下: '低于 −2SD（约后 2%），明显偏低，建议请儿童保健医生评估',
};

export const POSITIONS = { l: '卧位身长', h: '立位身高' };

/** The z-score object of a measurement for an indicator: 2006 below 60 months, else 2007. */
export function zOf(m, ind) {
  const z06 = m.zscores && m.zscores[ind.z];
  if (z06) return z06;
  return (ind.z07 && m.zscores_2007 && m.zscores_2007[ind.z07]) || null;
}

/** Age in months (1 decimal) from age in days. */
export const ageMonths = (days) => Math.round((days / DAYS_PER_MONTH) * 10) / 10;

/** '1岁3个月' from age in days. */
export function ageWords(days) {
  const months = Math.floor(days / DAYS_PER_MONTH);
  const y = Math.floor(months / 12), mo = months % 12;
  if (!y) return `${mo}个月`;
  return mo ? `${y}岁${mo}个月` : `${y}岁`;
}

/**
 * The chart of one indicator: { xName, curves: 7 arrays of [x, y], points: [{x, y, m, z}] }.
 * x is the age in months, or the length/height in cm for weight-for-length/height (the length
 * table below 24 months, the height table from then, as WHO chooses by age).
 */
export function chartData(growth, ind) {
  const ms = growth.measurements.filter((m) => !m.error);
  let keys = ind.curves;
  let toX = (x, key) => (key.endsWith('2007') ? x : x / DAYS_PER_MONTH);
  if (ind.byLength) {
    const last = ms[ms.length - 1];
    keys = [last && last.age_days >= 731 ? 'wfh' : 'wfl'];
    toX = (x) => x;
  }
  const curves = SD_NAMES.map(() => []);
  for (const key of keys) {
    for (const p of growth.curves[key] || []) {
      for (let k = 0; k < 7; k++) curves[k].push([Math.round(toX(p[0], key) * 100) / 100, Math.round(p[k + 1] * 100) / 100]);
    }
  }
  const points = [];
  for (const m of ms) {
    const y = ind.value(m);
    if (y === null || y === undefined) continue;
    const x = ind.byLength ? m.clenhei_cm : ageMonths(m.age_days);
    if (x === null || x === undefined) continue;
    points.push({ x, y, m, z: zOf(m, ind) });
  }
  return { xName: ind.byLength ? '身长/身高（cm）' : '月龄', curves, points };
}
