// rawhttp.mjs — raw TCP exchanges with the server, for tests that need exact bytes on the wire
// (request framing, slow clients, connection limits) where fetch would normalise or hide them.
import net from 'node:net';

export function endpoint(url) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

// A socket to the server, connected (from localAddress when given, e.g. '127.0.0.2'). It records
// what it receives (sock.received), and sock.ended resolves with the time (ms after connecting)
// when the server closed it.
export function connect(url, { localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ ...endpoint(url), localAddress });
    sock.received = '';
    let t0 = 0;
    sock.ended = new Promise((r) => sock.once('close', () => r(performance.now() - t0)));
    sock.on('data', (d) => { sock.received += d.toString('latin1'); });
    sock.on('error', () => {}); // a reset shows as 'close'
    sock.once('connect', () => { t0 = performance.now(); sock.setNoDelay(true); resolve(sock); });
    sock.once('error', reject);
  });
}

// Send bytes (string or Buffer) and collect everything until the server closes the connection
// or `timeout` ms pass. { text, closed (true when the server closed), ms }.
export async function exchange(url, bytes, { localAddress, timeout = 3000 } = {}) {
  const t0 = performance.now();
  const sock = await connect(url, { localAddress });
  sock.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  const closed = await Promise.race([sock.ended.then(() => true), sleep(timeout).then(() => false)]);
  sock.destroy();
  return { text: sock.received, closed, ms: performance.now() - t0 };
}

// The responses in text, in order: [{ status, headers (lower-case names), body }]. Bodies are
// framed by Content-Length (every reply of this server has one).
export function parseResponses(text) {
  const out = [];
  let rest = text;
  while (rest.length) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const lines = rest.slice(0, end).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!m) break;
    const headers = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const len = Number(headers['content-length'] || 0);
    const body = Buffer.from(rest.slice(end + 4, end + 4 + len), 'latin1').toString('utf8');
    out.push({ status: Number(m[1]), headers, body });
    rest = rest.slice(end + 4 + len);
  }
  return out;
}

// One GET over a fresh connection; resolves with { status, ms }.
export async function timedGet(url, path, { localAddress, timeout = 5000 } = {}) {
  const t0 = performance.now();
  const sock = await connect(url, { localAddress });
  sock.write(`GET ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
  await Promise.race([sock.ended, sleep(timeout)]);
  sock.destroy();
  const [r] = parseResponses(sock.received);
  return { status: r ? r.status : 0, ms: performance.now() - t0 };
}

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

// The value of a Prometheus sample (the line starting with `name`), or NaN; asked from
// localAddress (another than the one a test fills up).
export async function metric(url, name, { localAddress = '127.0.0.9' } = {}) {
  const r = await exchange(url, 'GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', { localAddress });
  const [reply] = parseResponses(r.text);
  const line = reply ? reply.body.split('\n').find((l) => l.startsWith(name + ' ')) : null;
  return line ? Number(line.slice(name.length + 1)) : NaN;
}
