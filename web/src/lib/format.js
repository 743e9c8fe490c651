// format.js — how values read in Chinese, the web app's one formatter: dates (2024年3月1日,
// 12月18日), months (2027年1月), times, money in yuan from fen, percentages, and the labels of the
// codes in docs/api.md (role names, class age bands, audit actions, fields and finding rules come
// from the server: labels.js). The server's own messages use date_words (src/base/date.c).

export const OPERATING_MODELS = {
  health_center: '卫生中心专业办', community: '社区小区配套办', kindergarten: '幼儿园托幼一体办',
  agency: '机关事业带头办', employer: '企业单位鼓励办', market: '社会机构市场办',
  family_point: '家庭托育点', station: '社区驿站',
};
export const OWNERSHIP = { public: '公办', private: '民办' };
export const CLASS_TYPES = { infant: '乳儿班', toddler_young: '托小班', toddler_old: '托大班', mixed: '混合班' };
export const SERVICE_TYPES = { full_day: '全日托', half_day: '半日托', hourly: '计时托', occasional: '临时托' };
export const STATUSES = { filed: '已备案', pending: '备案中', closed: '已注销' };
export const FEE_CATEGORIES = { basic: '基本服务费', other: '其他服务费' };
export const TENURES = { owned: '自有', leased: '租赁' };
export const SEVERITIES = { high: '严重', medium: '一般', low: '提示' };

export function label(map, code) {
  if (code === null || code === undefined || code === '') return '—';
  return map[code] || code;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})/;

/** '2024-03-01' (or a timestamp) → '2024年3月1日'; empty → '—'. */
export function formatDate(value) {
  if (!value) return '—';
  if (typeof value === 'string' && value.length === 10) {
    const m = DATE_RE.exec(value);
    if (m) return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = shanghaiParts(d);
  return `${p.year}年${p.month}月${p.day}日`;
}

/** 'YYYY-MM' (or a date) → '2027年1月'; empty → '—'. */
export function formatMonth(value) {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})/.exec(String(value));
  return m ? `${Number(m[1])}年${Number(m[2])}月` : String(value);
}

/** A date or timestamp → '12月18日' (the year left out where it is plain, e.g. this week's visits). */
export function formatMonthDay(value) {
  const full = formatDate(value);
  const m = /^\d+年(\d+月\d+日)$/.exec(full);
  return m ? m[1] : full;
}

/** An ISO timestamp (UTC) → its day in China Standard Time, 'YYYY-MM-DD'. */
export function beijingDay(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const p = shanghaiParts(d);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** An ISO timestamp (UTC) → '14:05' in China Standard Time. */
export function formatTime(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  const p = shanghaiParts(d);
  return `${p.hour}:${p.minute}`;
}

/** An ISO timestamp (UTC) → '2024年3月1日 14:05' in China Standard Time. */
export function formatDateTime(value) {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = shanghaiParts(d);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

// China has had no daylight saving time since 1991: UTC+8 throughout.
const CST_OFFSET_MS = 8 * 3600 * 1000;

function shanghaiParts(d) {
  const t = new Date(d.getTime() + CST_OFFSET_MS);
  return {
    year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(),
    hour: String(t.getUTCHours()).padStart(2, '0'), minute: String(t.getUTCMinutes()).padStart(2, '0'),
  };
}

/** The month `offset` months from now in China Standard Time, as 'YYYY-MM'. */
export function beijingMonth(offset = 0) {
  const t = new Date(Date.now() + CST_OFFSET_MS);
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
}

/** This year in China Standard Time (a browser elsewhere has another year for eight hours of 31 December). */
export function beijingYear() {
  return Number(beijingMonth().slice(0, 4));
}

/** Integer fen → '¥2,980' or '¥2,980.50'. */
export function formatYuan(fen) {
  if (fen === null || fen === undefined) return '—';
  const yuan = fen / 100;
  return '¥' + yuan.toLocaleString('zh-CN', { minimumFractionDigits: fen % 100 ? 2 : 0, maximumFractionDigits: 2 });
}

export function formatInt(n) {
  if (n === null || n === undefined) return '—';
  return Number(n).toLocaleString('zh-CN');
}

/** A share 0–1 from the API → '58.3%'. Display only: the value itself comes from the server. */
export function formatShare(share, digits = 1) {
  if (share === null || share === undefined) return '—';
  return (share * 100).toFixed(digits) + '%';
}

export function formatNumber(n, digits = 2) {
  if (n === null || n === undefined) return '—';
  return Number(n).toFixed(digits);
}

/** A price with its unit: "¥5,200/月", "¥42/小时" (an hourly price is never shown as a monthly one). */
export function formatFee(fen, unit) {
  return unit ? `${formatYuan(fen)}/${unit}` : formatYuan(fen);
}

/**
 * What a card says about an institution's fees: the full-day monthly 保育费 (monthly_fee_fen) as
 * "全日托 ¥5,200/月", then the other 保育费 prices by service type with their units ("半日托
 * ¥3,000/月 · 计时托 ¥42/小时"); "" when it lists none.
 */
export function feeSummary(inst) {
  const parts = [];
  if (inst.monthly_fee_fen !== null && inst.monthly_fee_fen !== undefined) parts.push(`全日托 ${formatFee(inst.monthly_fee_fen, '月')}`);
  for (const f of inst.basic_fees || []) {
    if (f.service_type === 'full_day' && f.unit === '月') continue;
    parts.push(`${f.service_name || f.item} ${formatFee(f.amount_fen, f.unit)}`);
  }
  return parts.join(' · ');
}

export function formatKm(km) {
  if (km === null || km === undefined) return '';
  return km < 1 ? `${Math.round(km * 1000)} 米` : `${km.toFixed(1)} 公里`;
}

export function stars(level) {
  if (!level) return '未评级';
  return `${level}星级`;
}

/** States of enrolment records by kind (docs/api.md "Applications and rounds", "Visit appointments"). */
export const ENROL_STATUS = {
  application: {
    draft: '草稿', submitted: '已提交', in_round: '分配中', offered: '已录取待确认', accepted: '已接受',
    declined: '已放弃', lapsed: '逾期未确认', withdrawn: '已撤回', waitlisted: '候补中',
  },
  offer: { offered: '待确认', accepted: '已接受', declined: '已放弃', lapsed: '已逾期', withdrawn: '已撤回', superseded: '已改录更优志愿' },
  slot: { open: '开放预约', cancelled: '已取消', full: '已约满' },
  visit: { booked: '已预约', cancelled: '已取消', slot_cancelled: '机构已取消该时段' },
  booking: { booked: '已预约', cancelled: '已取消' },
};

/** A file size: 980 B, 12.5 KB, 3.2 MB (1 KB = 1024 B). */
export function formatBytes(n) {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
