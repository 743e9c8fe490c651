// totp.mjs — RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second steps), computed independently of the
// server for API and browser tests, and the secret of an otpauth:// URI.
import { createHmac } from 'node:crypto';

export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of s.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The code of secret (base32) at unixSeconds, `steps` 30-second steps later. */
export function totp(secret, unixSeconds = Date.now() / 1000, steps = 0) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30) + steps));
  const h = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return ((h.readUInt32BE(o) & 0x7fffffff) % 1000000).toString().padStart(6, '0');
}

/** The base32 secret of an otpauth://totp/… URI. */
export function secretOf(uri) {
  const m = /[?&]secret=([A-Z2-7]+)/.exec(uri);
  if (!m) throw new Error(`no secret in ${uri}`);
  return m[1];
}
