#!/usr/bin/env node
// precompress.mjs — writes a brotli (.br) and a gzip (.gz) sibling beside every text file of the
// built web app, so the server sends the smaller one the browser accepts without compressing per
// request (src/http/static.c picks .br, then .gz, and ignores a sibling older than its file).
// Node's own zlib does both, at their highest settings (brotli quality 11, gzip level 9); a
// sibling that would not save at least 5% is not written. Files under 1 KB are left alone, and so
// is map-config.json, which a deployment edits in place.
// Usage: node tools/precompress.mjs [dist-dir]   (run by `npm run build` in web/)
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/;
const MIN_BYTES = 1024;
const EDITED_IN_PLACE = new Set(['map-config.json']);

/** The compressed variants of buf: { br, gz } (Buffers). */
export function compress(buf) {
  return {
    br: brotliCompressSync(buf, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }),
    gz: gzipSync(buf, { level: 9 }),
  };
}

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

function main() {
  const dist = resolve(process.argv[2] || 'dist');
  let n = 0, raw = 0, br = 0, gz = 0;
  for (const path of [...files(dist)]) {
    const rel = relative(dist, path);
    if (!TEXT.test(path) || EDITED_IN_PLACE.has(rel) || rel.startsWith('.vite/')) continue;
    for (const ext of ['.br', '.gz']) { // no stale sibling from an earlier build
      try { unlinkSync(path + ext); } catch { /* none */ }
    }
    const buf = readFileSync(path);
    if (buf.length < MIN_BYTES) continue;
    const out = compress(buf);
    for (const [ext, data] of [['.br', out.br], ['.gz', out.gz]]) {
      if (data.length > buf.length * 0.95) continue;
      writeFileSync(path + ext, data);
    }
    n++;
    raw += buf.length;
    br += Math.min(out.br.length, buf.length);
    gz += Math.min(out.gz.length, buf.length);
  }
  const KB = 1024;
  console.log(`precompress: ${n} files, ${(raw / KB).toFixed(0)} KB → brotli ${(br / KB).toFixed(0)} KB, gzip ${(gz / KB).toFixed(0)} KB`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
