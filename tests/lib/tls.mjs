// tls.mjs — a throwaway certificate authority for tests of outbound HTTPS: `openssl` makes a CA
// and a server certificate for 127.0.0.1 signed by it, in dir (the caller removes dir).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// { caFile, key, cert } — PEM paths/texts for an HTTPS server on 127.0.0.1 and the CA that signs it.
export function loopbackCertificate(dir, name = 'ca') {
  const ssl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const p = (f) => join(dir, `${name}-${f}`);
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=tuoyu test ${name}`,
    '-keyout', p('ca.key'), '-out', p('ca.pem'));
  ssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', p('server.key'), '-out', p('server.csr'));
  writeFileSync(p('ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  ssl('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', p('ext'), '-out', p('server.pem'));
  return { caFile: p('ca.pem'), key: readFileSync(p('server.key')), cert: readFileSync(p('server.pem')) };
}
