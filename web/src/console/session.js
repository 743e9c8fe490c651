// session.js — the console's session is the shared one (web/src/lib/session.js).
export * from '../lib/session.js';
