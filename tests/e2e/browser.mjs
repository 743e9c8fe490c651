// browser.mjs — shared helpers for the browser tests: launch Debian's chromium headless through
// playwright-core, collect page errors and console errors, save screenshots to tests/artifacts/,
// log in through the console UI, choose an option of an Element Plus select, and in-page checks for form labels and WCAG AA text contrast.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { root } from '../lib/server.mjs';

export const ARTIFACTS = join(root, 'tests/artifacts');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A new context and page that records problems: uncaught page errors, console errors, failed
 * requests and HTTP errors of the page's own resources. `expect` lists regular expressions of
 * console messages the test provokes on purpose (e.g. the 422 of a refused save).
 */
export async function openPage(browser, { viewport = { width: 1366, height: 900 }, expect = [], timezoneId = 'Asia/Shanghai' } = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId });
  const page = await context.newPage();
  const problems = [];
  const expected = (text) => expect.some((re) => re.test(text));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (!expected(text)) problems.push(`console.error: ${text} @ ${msg.location().url || ''}`);
  });
  page.on('requestfailed', (req) => {
    const f = req.failure();
    if (f && /ERR_ABORTED/.test(f.errorText)) return; // navigation away cancels pending requests
    problems.push(`requestfailed: ${req.method()} ${req.url()} ${f ? f.errorText : ''}`);
  });
  page.on('response', (res) => {
    const url = res.url();
    if (res.status() >= 400 && !url.includes('/api/')) problems.push(`http ${res.status()}: ${url}`);
    if (res.status() >= 500) problems.push(`http ${res.status()}: ${url}`);
  });
  return { context, page, problems };
}

export function assertNoProblems(problems, what = 'page') {
  assert.deepEqual(problems, [], `${what}: errors in the browser:\n${problems.join('\n')}`);
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Log in through the console's login form and wait for the menu. */
// An option of an Element Plus select (a locator of the select, or its data-qa): wait until every
// earlier dropdown has closed, so the option clicked is in the list just opened and not its twin
// fading out of the last one; then check the select shows it — an option clicked while its list is
// still moving in may choose nothing (the list stays open): it is clicked again, at most twice more.
const noDropdownOpen = () => ![...document.querySelectorAll('.el-select-dropdown')].some((d) => d.offsetParent !== null);
export async function chooseOption(page, select, text) {
  const box = typeof select === 'string' ? page.locator(`[data-qa="${select}"]`) : select;
  await page.waitForFunction(noDropdownOpen);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!(await page.evaluate(noDropdownOpen))) await page.waitForTimeout(300); // still open: let it settle
    if (await page.evaluate(noDropdownOpen)) await box.click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
    try {
      await box.filter({ hasText: text }).waitFor({ timeout: 3000 });
      break;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
  await page.waitForFunction(noDropdownOpen);
}

export async function loginUI(page, url, login, password) {
  await page.goto(`${url}/console`);
  await page.locator('[data-qa="login-user"]').fill(login);
  await page.locator('[data-qa="login-password"]').fill(password);
  await page.locator('[data-qa="login-submit"]').click();
  await page.locator('[data-qa="current-user"]').waitFor();
}

/** Form controls without an accessible name (label, aria-label or aria-labelledby). */
export function unlabelledControls(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if ((r.width === 0 && r.height === 0) || style.visibility === 'hidden' || style.display === 'none') continue;
      const named = (el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title');
      if (!named) bad.push(el.outerHTML.slice(0, 160));
    }
    return bad;
  });
}

/** Visible text whose colour against its background is below WCAG AA (4.5:1, 3:1 for large text). */
export function lowContrastText(page) {
  return page.evaluate(() => {
    const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
    const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const blend = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
    function background(el) {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.backgroundImage && s.backgroundImage !== 'none') return null; // text over an image: not judged here
        const c = parse(s.backgroundColor);
        if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
      }
      let bg = { r: 255, g: 255, b: 255, a: 1 };
      for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
      return bg;
    }
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent.trim()) continue;
      seen.add(el);
      if (el.closest('.leaflet-container canvas, [aria-hidden="true"], .sr-only, option, script, style, noscript')) continue;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || Number(s.opacity) === 0) continue;
      if (el.closest('[disabled], .is-disabled')) continue; // disabled controls are exempt (WCAG 1.4.3)
      const fg = parse(s.color);
      const bg = background(el);
      if (!fg || !bg) continue;
      const c = fg.a < 1 ? blend(fg, bg) : fg;
      const l1 = lum(c), l2 = lum(bg);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) bad.push(`${ratio.toFixed(2)} "${n.textContent.trim().slice(0, 30)}" ${s.color} on rgb(${Math.round(bg.r)},${Math.round(bg.g)},${Math.round(bg.b)})`);
    }
    return bad;
  });
}
