// burst.mjs — requests released at the same instant, for race tests. Each request gets its own
// connection and is written whole except its last byte; once every connection holds its request,
// the last bytes go out together, so the server has them all at once (a "last-byte barrier"),
// however slowly the connections were opened. Replies: [{ status, body, text }] in order.
import net from 'node:net';

export async function burst(url, requests) {
  const { hostname, port } = new URL(url);
  const conns = await Promise.all(requests.map(({ method, path, body, headers = {} }) => new Promise((resolve, reject) => {
    const payload = Buffer.from(body === undefined ? '' : JSON.stringify(body));
    const head = [`${method} ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close'];
    for (const [k, v] of Object.entries(headers)) head.push(`${k}: ${v}`);
    if (body !== undefined) head.push('Content-Type: application/json');
    head.push(`Content-Length: ${payload.length}`, '', '');
    const whole = Buffer.concat([Buffer.from(head.join('\r\n')), payload]);
    const socket = net.connect(Number(port), hostname);
    const chunks = [];
    const reply = new Promise((res, rej) => {
      socket.on('data', (c) => chunks.push(c));
      socket.on('end', () => res(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', rej);
    });
    reply.catch(() => {});
    socket.once('error', reject);
    socket.once('connect', () => socket.write(whole.subarray(0, whole.length - 1), () => resolve({ socket, last: whole.subarray(whole.length - 1), reply })));
  })));
  for (const c of conns) c.socket.write(c.last);
  return Promise.all(conns.map(async ({ reply }) => {
    const raw = await reply;
    const split = raw.indexOf('\r\n\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1]);
    const text = split < 0 ? '' : raw.slice(split + 4);
    let body = null;
    try { body = JSON.parse(text); } catch { body = null; }
    return { status, body, text };
  }));
}
