// session.js — who is logged in (console and family portal): the user, the CSRF token and the actions from
// GET /api/v1/me (the menu and the page guards are built from them, never from the role name).
import { reactive } from 'vue';
import { get, post, del, setCsrfToken, setDistrict } from './api.js';

// enrolmentRequired: this session may only bind a second factor (the console shows only that page)
export const session = reactive({ user: null, actions: [], loaded: false, expired: false, enrolmentRequired: false });

export function can(action) { return session.actions.includes(action); }

/** Load /me; resolves false when there is no session (401). */
export async function loadSession() {
  try {
    const me = await get('/api/v1/me');
    session.user = me.user;
    session.actions = me.actions || [];
    session.enrolmentRequired = Boolean(me.enrolment_required);
    setCsrfToken(me.csrf_token);
    session.loaded = true;
    return true;
  } catch (e) {
    if (e.status === 401) {
      clearSession();
      if (e.code === 'session_expired') session.expired = true;
      session.loaded = true;
      return false;
    }
    throw e;
  }
}

export async function login(loginName, password, totp) {
  const body = { login: loginName, password };
  if (totp) body.totp = totp;
  const r = await post('/api/v1/session', body);
  setCsrfToken(r.csrf_token);
  session.expired = false;
  await loadSession();
  return r.user;
}

export async function logout() {
  try { await del('/api/v1/session'); } catch { /* the session may already be gone */ }
  clearSession();
}

export function clearSession() {
  session.user = null;
  session.actions = [];
  session.enrolmentRequired = false;
  setCsrfToken(null);
  setDistrict(null);
}
