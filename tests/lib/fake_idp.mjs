// fake_idp.mjs — a fake OpenID Connect provider (浙里办 stand-in) on loopback for the single
// sign-on tests: discovery, an authorization endpoint that redirects back with a code at once (as
// if the person had logged in), a token endpoint (client_secret_basic, PKCE S256 checked, codes
// spent once) and a JWKS with an RSA key made here. `idp.person` is who logs in next; `idp.tamper`
// changes the next ID token (claims, or `signWith: 'other'` for a key the JWKS does not hold).
import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

export async function startFakeIdp({ clientId = 'tuoyu-test', clientSecret = 'idp-secret-9271' } = {}) {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'k1';
  const codes = new Map();
  const idp = {
    clientId, clientSecret, issuer: null, person: null, tamper: {}, tokenRequests: [],
    stop: () => new Promise((r) => server.close(r)),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url, idp.issuer);
    const json = (status, obj) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(obj));
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: idp.issuer, authorization_endpoint: `${idp.issuer}/authorize`, token_endpoint: `${idp.issuer}/token`,
        jwks_uri: `${idp.issuer}/jwks`, response_types_supported: ['code'], id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== clientId || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' ||
          !q.get('code_challenge') || !q.get('nonce') || !q.get('state') || !(q.get('scope') || '').split(' ').includes('openid')) {
        return json(400, { error: 'invalid_request' });
      }
      const code = b64url(randomBytes(24));
      codes.set(code, { nonce: q.get('nonce'), challenge: q.get('code_challenge'), redirect: q.get('redirect_uri'), person: idp.person });
      const back = new URL(q.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state'));
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const f = new URLSearchParams(body);
        idp.tokenRequests.push({ auth: req.headers.authorization, form: Object.fromEntries(f) });
        const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
        if (req.headers.authorization !== `Basic ${basic}`) return json(401, { error: 'invalid_client' });
        const c = codes.get(f.get('code'));
        codes.delete(f.get('code'));
        if (!c || f.get('grant_type') !== 'authorization_code' || f.get('redirect_uri') !== c.redirect ||
            b64url(createHash('sha256').update(f.get('code_verifier') || '').digest()) !== c.challenge) {
          return json(400, { error: 'invalid_grant' });
        }
        const now = Math.floor(Date.now() / 1000);
        const { signWith, ...claims } = idp.tamper;
        idp.tamper = {};
        const payload = { iss: idp.issuer, aud: clientId, sub: c.person.sub, iat: now, exp: now + 300, nonce: c.nonce,
          name: c.person.name, id_number: c.person.id_number, ...claims };
        const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(payload))}`;
        const sig = sign('sha256', Buffer.from(input), (signWith === 'other' ? other : key).privateKey);
        return json(200, { access_token: b64url(randomBytes(16)), token_type: 'Bearer', expires_in: 300, id_token: `${input}.${b64url(sig)}` });
      });
      return undefined;
    }
    return json(404, { error: 'not_found' });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  idp.issuer = `http://127.0.0.1:${server.address().port}`;
  return idp;
}
