// institution-form.js — the institution record as the console's form holds it (InstitutionForm.vue)
// and back: yuan for fees, text for coordinates; the request body built one way for creating
// (POST, every member) and editing (PUT, the members that changed).

const num = (v) => {
  if (typeof v === 'number') return v;
  const s = String(v ?? '').trim();
  return s !== '' && !Number.isNaN(Number(s)) ? Number(s) : s; // the server reports what is not a number
};
const text = (v) => String(v ?? '').trim();

export const newClass = () => ({ class_type: 'toddler_young', capacity: 15, enrolled: 0, caregivers: 3 });
export const newFee = () => ({ item: '保育费', category: 'basic', amount_yuan: '', unit: '月' });

/** The form of a record read from the API, or of a new institution when record is null. */
export function formFrom(record) {
  const r = record || {};
  const p = r.premises || {};
  return {
    name: r.name ?? '', uscc: r.uscc ?? '', town_code: r.town_code ?? '', address: r.address ?? '',
    lon: r.lon === undefined || r.lon === null ? '' : String(r.lon),
    lat: r.lat === undefined || r.lat === null ? '' : String(r.lat),
    operating_model: r.operating_model ?? 'market', ownership: r.ownership ?? 'private', status: r.status ?? 'pending',
    inclusive: Boolean(r.inclusive), profit: Boolean(r.profit), demonstration: Boolean(r.demonstration),
    opening_hours: r.opening_hours ?? '', phone: r.phone ?? '', director: r.director ?? '',
    health_workers: r.health_workers ?? 0,
    service_types: record ? [...(r.service_types || [])] : ['full_day'],
    premises: {
      tenure: p.tenure ?? (record ? null : 'leased'), lease_start: p.lease_start ?? '', lease_end: p.lease_end ?? '',
      floor: p.floor ?? 1,
      // null: the record does not say; the ratio is entered as a percentage (0.2 = 20 %, i.e. 1:5)
      health_room_m2: p.health_room_m2 ?? null,
      window_pct: p.window_floor_ratio === undefined || p.window_floor_ratio === null ? null : Math.round(p.window_floor_ratio * 1000) / 10,
    },
    classes: record ? (r.classes || []).map((c) => ({
      id: c.id, name: c.name, class_type: c.class_type, capacity: c.capacity, enrolled: c.enrolled, caregivers: c.caregivers,
    })) : [newClass()],
    fees: record ? (r.fees || []).map((f) => ({ item: f.item, category: f.category, amount_yuan: String(f.amount_fen / 100), unit: f.unit }))
      : [newFee()],
  };
}

/** The request body of a form: every member, as POST /api/v1/institutions takes it. */
export function bodyFrom(f) {
  return {
    name: text(f.name), uscc: text(f.uscc).toUpperCase(), town_code: f.town_code, address: text(f.address),
    lon: num(f.lon), lat: num(f.lat), operating_model: f.operating_model, ownership: f.ownership, status: f.status,
    inclusive: f.inclusive, profit: f.profit, demonstration: f.demonstration,
    opening_hours: text(f.opening_hours), phone: text(f.phone), director: text(f.director), health_workers: f.health_workers,
    service_types: f.service_types,
    premises: {
      tenure: f.premises.tenure, floor: f.premises.floor,
      health_room_m2: typeof f.premises.health_room_m2 === 'number' ? f.premises.health_room_m2 : null,
      window_floor_ratio: typeof f.premises.window_pct === 'number' ? Math.round(f.premises.window_pct * 10) / 1000 : null,
      lease_start: text(f.premises.lease_start) || null, lease_end: text(f.premises.lease_end) || null,
    },
    classes: f.classes.map((c) => ({
      ...(c.id ? { id: c.id } : {}), ...(text(c.name) ? { name: text(c.name) } : {}),
      class_type: c.class_type, capacity: c.capacity, enrolled: c.enrolled, caregivers: c.caregivers,
    })),
    fees: f.fees.map((x) => ({
      item: text(x.item), category: x.category, unit: text(x.unit),
      amount_fen: typeof num(x.amount_yuan) === 'number' ? Math.round(num(x.amount_yuan) * 100) : text(x.amount_yuan),
    })),
  };
}

/** The members of form that differ from record (for PUT); {} when nothing changed. */
export function changesFrom(record, form) {
  const before = bodyFrom(formFrom(record)), after = bodyFrom(form);
  return Object.fromEntries(Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k])).map((k) => [k, after[k]]));
}
