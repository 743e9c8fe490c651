// place.js — a point a family chose (on the map or by the phone's location) said in words, as a
// person would say where they live: "新桥街道丰收社区附近", or "新桥街道，距丰收社区约 1.8 公里"
// when the nearest community is not close; from GET /api/v1/public/places/{lon},{lat} (WGS-84).
import { get } from './api.js';
import { formatKm } from './format.js';

const CLOSE_KM = 1; // within this, the point is "near" its community

/** The words for a reply of GET /api/v1/public/places/{lon},{lat}. */
export function placeText(place) {
  if (!place || !place.inside_district) return '瓯海区以外的位置';
  const c = place.community;
  if (!c) return '所选位置';
  const short = c.town_name.replace(/(街道|镇)$/, ''); // 新桥街道 → 新桥: "新桥丰收社区" reads 丰收社区
  const name = short && c.name.startsWith(short) && c.name.length > short.length ? c.name.slice(short.length) : c.name;
  if (c.distance_km <= CLOSE_KM) return `${c.town_name}${name}附近`;
  return `${c.town_name}，距${name}约 ${formatKm(c.distance_km)}`;
}

/** The words for the point lon, lat (WGS-84); a plain fallback when the server cannot say. */
export async function describePlace(lon, lat) {
  try {
    return placeText(await get(`/api/v1/public/places/${lon},${lat}`));
  } catch {
    return '所选位置';
  }
}
