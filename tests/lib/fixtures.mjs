// fixtures.mjs — records API tests create through the API itself: a unified social credit code
// with a valid GB 32100 check character, a filed 托大班 program of a given capacity, and a child;
// and text as the GBK bytes a spreadsheet saves on Chinese Windows.
import assert from 'node:assert/strict';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

// The 17 characters of body followed by their check character.
export function uscc(body) {
  const sum = [...body].reduce((a, ch, i) => a + CHARSET.indexOf(ch) * WEIGHTS[i], 0);
  return body + CHARSET[(31 - (sum % 31)) % 31];
}

let usccNo = 0;
// A filed institution in 梧田街道 with one 托大班 of `capacity` places and none taken (extra members
// override the others, e.g. { status: 'pending' }); returns its id.
export async function toddlerProgram(admin, name, capacity, extra = {}) {
  const r = await admin.post('/api/v1/institutions', {
    name, uscc: uscc(`91330304MA2${String(++usccNo).padStart(6, '0')}`), town_code: '330304002',
    address: '梧田街道测试路8号', lon: 120.683, lat: 27.962, operating_model: 'market', ownership: 'private', status: 'filed',
    inclusive: true, premises: { tenure: 'owned', floor: 1 },
    classes: [{ class_type: 'toddler_old', capacity, enrolled: 0, caregivers: 3 }],
    fees: [{ item: '保育费', category: 'basic', amount_fen: 200000, unit: '月' }],
    ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

let certNo = 100000000;
// A child registered by who (a family's or an institution's client) with a birth certificate
// number of its own, born on birth; extra members override the others. Returns its id.
export async function child(who, birth = '2024-01-15', extra = {}) {
  const r = await who.post('/api/v1/children', { name: '测试宝宝', birth_date: birth, sex: 1, birth_cert: `F${++certNo}`, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

let consentNo = 0;
// A guardian's consent to the processing of child id's health data (purposes: care_health,
// growth), which every write of health data needs: given by who — the family itself, or the
// child's institution recording the signed paper form (its scan uploaded as a material).
export async function consent(who, id, purposes = ['care_health', 'growth']) {
  const kid = await who.get(`/api/v1/children/${id}`);
  assert.equal(kid.status, 200, kid.text);
  let body = { purposes };
  if (kid.body.family_user_id !== who.user?.id) {
    const up = await uploadMaterial(who, kid.body.institution_id, pdfBytes(`consent-${id}-${++consentNo}`), '监护人同意书.pdf');
    assert.equal(up.status, 201, up.text);
    body = { ...body, guardian_name: '王监护', relation: '母亲', material_id: up.body.id };
  }
  const r = await who.post(`/api/v1/children/${id}/consent`, body);
  assert.equal(r.status, 201, r.text);
  return r.body;
}

// A small PDF whose content differs by tag (materials are stored by content).
export function pdfBytes(tag = '') {
  return Buffer.from(`%PDF-1.7\n% ${tag}\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n`);
}

// Upload bytes as a material of institution instId with the client's session, as a browser form
// does (multipart/form-data, part "file"); the reply as Client.request gives it.
export async function uploadMaterial(c, instId, bytes, name = '材料.pdf', type = 'application/pdf') {
  return uploadTo(c, `/api/v1/institutions/${instId}/materials`, bytes, name, type);
}

/** Upload a file to an upload route's path (an institution's or a case's materials). */
export async function uploadTo(c, path, bytes, name = '材料.pdf', type = 'application/pdf') {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const headers = {};
  if (c.cookie) headers.cookie = c.cookie;
  if (c.csrf) headers['X-CSRF-Token'] = c.csrf;
  const res = await fetch(`${c.url}${path}`, { method: 'POST', headers, body: form });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = null; }
  return { status: res.status, body, text, headers: res.headers };
}

/** A resident ID number (GB 11643) of a person born on birth (YYYY-MM-DD) in 瓯海区 with the
 * three-digit sequence seq (odd: male, even: female), its check character computed. */
export function residentId(birth, seq) {
  const body = `330304${birth.replaceAll('-', '')}${seq}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...body].reduce((a, ch, i) => a + Number(ch) * w[i], 0);
  return body + '10X98765432'[s % 11];
}

// Text as GBK bytes, as Excel on a Chinese Windows machine saves a CSV: Node decodes GBK but does
// not encode it, so the table is built once by decoding every two-byte code.
let gbkTable = null;
export function gbkBytes(text) {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk', { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        try {
          const ch = dec.decode(Uint8Array.of(lead, trail));
          if (!gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
        } catch { /* not a GBK code */ }
      }
    }
  }
  const out = [];
  for (const ch of text) {
    if (ch.codePointAt(0) < 0x80) out.push(ch.codePointAt(0));
    else if (gbkTable.has(ch)) out.push(...gbkTable.get(ch));
    else throw new Error(`no GBK code for ${ch}`);
  }
  return Buffer.from(out);
}
