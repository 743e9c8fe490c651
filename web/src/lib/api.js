// api.js — the one HTTP client of the web app (docs/api.md): JSON in and out, file uploads with
// their progress, the CSRF token in X-CSRF-Token on every state-changing request, errors as
// ApiError with the server's code, field and Chinese message, and one hook for 401 (no session or
// an expired one).

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || (status ? `请求失败（${status}）` : '无法连接服务器，请检查网络后重试'));
    this.status = status;
    this.code = e.code || (status ? 'http_' + status : 'network');
    this.field = e.field || '';
    this.rows = e.rows || []; // an import's rows in error: { row, field, value, code, reason }
    this.missing = e.missing || []; // what a step still lacks, e.g. an assessment's evidence: { item, text, evidence }
  }
}

let csrfToken = null;
let unauthorizedHandler = null;

/** Remember the CSRF token from POST /session or GET /me (null on logout). */
export function setCsrfToken(token) { csrfToken = token || null; }

/** The district the next requests work in — a province or city administrator's choice on 区县比较;
 * null: the server's default. A cookie (tuoyu_district), so that downloads by plain links carry it
 * as well as the calls made here (src/auth/session.c, choose_district). */
export function setDistrict(code) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = code ? `tuoyu_district=${code}; Path=/; SameSite=Strict${secure}`
    : `tuoyu_district=; Path=/; Max-Age=0; SameSite=Strict${secure}`;
}

/** fn(err) is called when any call other than the login itself answers 401. */
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  // a file (Blob) goes as its raw bytes, anything else as JSON
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = raw ? body.type || 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null);
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, json);
    const isLogin = method === 'POST' && path === '/api/v1/session';
    if (res.status === 401 && !isLogin && unauthorizedHandler) unauthorizedHandler(err);
    throw err;
  }
  return json;
}

/**
 * Upload a file as a browser form does (multipart/form-data, part "file") with XMLHttpRequest, so
 * that onProgress(fraction 0–1) can follow the bytes as they are sent (fetch cannot report an
 * upload's progress). Resolves with the JSON reply; rejects with ApiError like api().
 */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable && onProgress) onProgress(ev.loaded / ev.total); };
    xhr.onload = () => {
      let json = null;
      try { json = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { json = null; }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(json); return; }
      const err = new ApiError(xhr.status, json);
      if (xhr.status === 401 && unauthorizedHandler) unauthorizedHandler(err);
      reject(err);
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Send a file as upload() does and take the reply as a file to save (a report workbook): its Blob. */
export async function uploadForFile(path, file) {
  const form = new FormData();
  form.append('file', file, file.name);
  let res;
  try {
    res = await fetch(path, { method: 'POST', headers: csrfToken ? { 'X-CSRF-Token': csrfToken } : {}, credentials: 'same-origin', body: form });
  } catch {
    throw new ApiError(0, null);
  }
  if (!res.ok) {
    let json = null;
    try { json = await res.json(); } catch { json = null; }
    const err = new ApiError(res.status, json);
    if (res.status === 401 && unauthorizedHandler) unauthorizedHandler(err);
    throw err;
  }
  return res.blob();
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

/** Build a query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** Every item of a cursor-paginated list (docs/api.md "Lists"), up to max items. */
export async function getAll(path, params = {}, max = 20000) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(path + query({ ...params, limit: 500, cursor }));
    items.push(...page.items);
    cursor = page.next;
  } while (cursor && items.length < max);
  return items;
}
