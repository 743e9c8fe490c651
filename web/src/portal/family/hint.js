// hint.js — whether this browser has a family logged in, so that anonymous visitors never call
// GET /api/v1/me (which would answer 401). Holds no personal data: the session itself stays in
// the HttpOnly cookie; a stale hint only costs one /me call that clears it.
const KEY = 'tuoyu.family';
export const rememberFamily = () => localStorage.setItem(KEY, '1');
export const forgetFamily = () => localStorage.removeItem(KEY);
export const familyRemembered = () => localStorage.getItem(KEY) === '1';
