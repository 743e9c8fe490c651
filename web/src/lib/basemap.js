// basemap.js — the base map a deployment configures in /map-config.json, resolved to the tile
// layers to draw and the coordinate system they are drawn in. Pure (no Leaflet, no DOM), so the
// tests read it in node. By default there is none: the map draws the district outline offline.
//   "tianditu_key": "…"        天地图 (vector map + Chinese labels); CGCS2000 ≈ WGS-84, no shift
//   "tile_url": "…{z}/{x}/{y}…" any XYZ source, with "tile_crs": "wgs84" | "gcj02" (高德/腾讯),
//                              "tile_subdomains", "tile_overlay_url" (a labels layer), "tile_attribution"
// tile_url wins over tianditu_key when both are set.

export const MAP_DEFAULTS = {
  tianditu_key: '',
  tile_url: '',
  tile_overlay_url: '',
  tile_subdomains: '',
  tile_crs: 'wgs84',
  tile_attribution: '',
  tile_max_zoom: 18,
  cluster_threshold: 1000,      // markers are grouped only above this many…
  phone_cluster_threshold: 30,  // …or above this many on a map narrower than phone_max_width
  phone_max_width: 600,
};

const TIANDITU_SUBDOMAINS = '01234567';

/** The WMTS (web mercator) URL of 天地图 layer 'vec' (map) or 'cva' (its labels) with key. */
export function tiandituUrl(layer, key) {
  return `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
    `&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`;
}

/**
 * The base map of config: { crs: 'wgs84' | 'gcj02', layers: [{ url, subdomains, attribution, maxZoom }] }
 * (layers empty when none is configured).
 */
export function resolveBaseMap(config) {
  const c = { ...MAP_DEFAULTS, ...(config || {}) };
  const maxZoom = Number(c.tile_max_zoom) || 18;
  if (c.tile_url) {
    const crs = c.tile_crs === 'gcj02' ? 'gcj02' : 'wgs84';
    const layer = (url) => ({ url, subdomains: c.tile_subdomains || 'abc', attribution: c.tile_attribution || '', maxZoom });
    return { crs, layers: [layer(c.tile_url), ...(c.tile_overlay_url ? [layer(c.tile_overlay_url)] : [])] };
  }
  if (c.tianditu_key) {
    const layer = (name) => ({ url: tiandituUrl(name, c.tianditu_key), subdomains: TIANDITU_SUBDOMAINS, attribution: c.tile_attribution || '底图：天地图', maxZoom });
    return { crs: 'wgs84', layers: [layer('vec'), layer('cva')] };
  }
  return { crs: 'wgs84', layers: [] };
}
