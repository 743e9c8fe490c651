// fake_cameras.mjs — small camera servers on loopback for the 可视托 prober's tests: one answers
// RTSP OPTIONS with 200, one accepts and never answers, and a port where nothing listens.
import net from 'node:net';

function listen(server, port = 0) {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server.address().port)));
}

// An RTSP device: every request answered "RTSP/1.0 200 OK" with its CSeq.
export async function rtspCamera(port = 0) {
  const sockets = new Set();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.on('data', (d) => {
      const cseq = /CSeq:\s*(\d+)/i.exec(d.toString())?.[1] ?? '1';
      s.end(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n`);
    });
  });
  const p = await listen(server, port);
  return { port: p, close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }) };
}

// A device that accepts the connection and never says a word.
export async function hangingCamera() {
  const sockets = new Set();
  const server = net.createServer((s) => { sockets.add(s); s.on('error', () => {}); s.on('close', () => sockets.delete(s)); });
  const p = await listen(server);
  return { port: p, close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }) };
}

// A loopback port with nothing listening (connections refused).
export async function refusedPort() {
  const server = net.createServer();
  const p = await listen(server);
  await new Promise((r) => server.close(() => r()));
  return p;
}
