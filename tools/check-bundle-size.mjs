#!/usr/bin/env node
// check-bundle-size.mjs — fails the web build when an entry point's initial JavaScript is over
// budget (gzip): the family portal (index.html) ≤ 250 KB, the staff console (console/index.html)
// ≤ 700 KB. "Initial" = the entry chunk plus every chunk it imports statically, read from Vite's
// manifest (dist/.vite/manifest.json); lazily loaded chunks (dynamic imports) are not counted.
// Usage: node tools/check-bundle-size.mjs [dist-dir]   (run by `npm run build` in web/)
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';

const KB = 1024;
export const BUDGETS = [
  { entry: 'index.html', name: '家长门户 (/)', limit: 250 * KB },
  { entry: 'console/index.html', name: '工作台 (/console)', limit: 700 * KB },
];

/** The files an entry loads before first render: itself and its static imports, recursively. */
export function initialFiles(manifest, entry) {
  const seen = new Set();
  const files = [];
  const walk = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest has no chunk ${key}`);
    if (chunk.file.endsWith('.js')) files.push(chunk.file);
    for (const dep of chunk.imports || []) walk(dep);
  };
  walk(entry);
  return files;
}

function main() {
  const dist = resolve(process.argv[2] || 'dist');
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) {
    console.error(`check-bundle-size: ${manifestPath} missing (build with manifest: true)`);
    process.exit(2);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  let failed = false;
  for (const b of BUDGETS) {
    const files = initialFiles(manifest, b.entry);
    let raw = 0, gz = 0;
    for (const f of files) {
      const buf = readFileSync(join(dist, f));
      raw += buf.length;
      gz += gzipSync(buf, { level: 9 }).length;
    }
    const ok = gz <= b.limit;
    if (!ok) failed = true;
    console.log(`${ok ? 'ok  ' : 'OVER'} ${b.name}: initial JS ${(gz / KB).toFixed(1)} KB gzip (${(raw / KB).toFixed(1)} KB raw, ${files.length} files), budget ${b.limit / KB} KB`);
  }
  if (failed) {
    console.error('check-bundle-size: initial JavaScript over budget — lazy-load the extra code or remove it');
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
