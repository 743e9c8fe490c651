#!/usr/bin/env node
// web_load.mjs — first meaningful content of the family portal (/) and the console dashboard
// (/console#/dashboard) in headless Chromium on a throttled phone profile set through the Chrome
// DevTools Protocol: 4× CPU slowdown, 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, 390×844.
// Every run starts with a cold cache (a new browser context); the dashboard run logs in first,
// unthrottled, so only the page load is timed. "First meaningful content" is the time from the
// navigation start until the page shows what its user came for: the first institution card on /,
// the first indicator (托育机构 KPI) on the dashboard. First contentful paint and the bytes the
// page transferred are reported too.
//   node bench/web_load.mjs [RUNS]      default 5 runs per page; needs build/tuoyu and web/dist
// Environment: TUOYU_BIN, TUOYU_WEB (default web/dist), CHROMIUM (default /usr/bin/chromium).
// Talks only to a server it starts on 127.0.0.1 and stops at the end.
import { chromium } from '../tests/node_modules/playwright-core/index.mjs';
import { startServer } from '../tests/lib/server.mjs';

const RUNS = Number(process.argv[2] || 5);
const PROFILE = { cpu: 4, latencyMs: 150, downKbit: 1600, upKbit: 750, viewport: { width: 390, height: 844 } };

const PAGES = [
  { name: '/', path: '/', ready: '[data-qa="institution-card"]', login: null },
  { name: '/console#/dashboard', path: '/console#/dashboard', ready: '[data-qa="kpi-institutions"]', login: 'district-admin' },
];

async function measure(browser, srv, p) {
  const context = await browser.newContext({ viewport: PROFILE.viewport, locale: 'zh-CN', isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    if (p.login) {
      const r = await context.request.post(`${srv.url}/api/v1/session`, { data: { login: p.login, password: srv.password } });
      if (r.status() !== 200) throw new Error(`login ${p.login}: ${r.status()}`);
    }
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: PROFILE.latencyMs,
      downloadThroughput: (PROFILE.downKbit * 1000) / 8,
      uploadThroughput: (PROFILE.upKbit * 1000) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpu });
    let bytes = 0;
    const encodings = new Set();
    cdp.on('Network.loadingFinished', (ev) => { bytes += ev.encodedDataLength; });
    cdp.on('Network.responseReceived', (ev) => {
      const h = ev.response.headers;
      const ce = h['content-encoding'] || h['Content-Encoding'];
      if (/\.(js|css)$/.test(new URL(ev.response.url).pathname)) encodings.add(ce || 'identity');
    });
    await page.goto(`${srv.url}${p.path}`, { waitUntil: 'commit' });
    await page.locator(p.ready).first().waitFor({ state: 'visible', timeout: 60000 });
    const t = await page.evaluate((sel) => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { ready: performance.now() - (nav ? nav.startTime : 0), fcp: fcp ? fcp.startTime : null, sel };
    }, p.ready);
    await page.waitForLoadState('networkidle', { timeout: 60000 }).catch(() => {});
    return { ready: t.ready, fcp: t.fcp, kb: bytes / 1024, encodings: [...encodings].join('/') };
  } finally {
    await context.close();
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };

const srv = await startServer({ web: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  console.log(`profile: CPU ×${PROFILE.cpu}, ${PROFILE.downKbit / 1000} Mbit/s down, ${PROFILE.upKbit} kbit/s up, ${PROFILE.latencyMs} ms latency, ${PROFILE.viewport.width}×${PROFILE.viewport.height}; ${RUNS} cold runs per page`);
  for (const p of PAGES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, srv, p));
    const fmt = (ms) => (ms / 1000).toFixed(2);
    console.log(`${p.name.padEnd(20)} first meaningful content median ${fmt(median(runs.map((r) => r.ready)))} s ` +
      `(runs ${runs.map((r) => fmt(r.ready)).join(' ')}), FCP median ${fmt(median(runs.map((r) => r.fcp || 0)))} s, ` +
      `transferred ${median(runs.map((r) => r.kb)).toFixed(0)} KB, js/css encoding ${runs[0].encodings}`);
  }
} finally {
  await browser.close();
  await srv.stop();
}
