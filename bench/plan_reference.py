#!/usr/bin/env python3
"""plan_reference.py — a deliberately simple, independent re-implementation of the rules in
docs/planning.md (brute-force snapping, heapq Dijkstra, plain E2SFCA) used to cross-check
`tuoyu plan coverage` on real OSM XML. Standard library only; slow but obvious.

usage: plan_reference.py NETWORK.osm demand.csv sites.csv [minutes speed_kmh max_minutes] > out.csv
"""
import csv
import heapq
import math
import sys
import xml.etree.ElementTree as ET

R = 6371008.8
HIGHWAYS = {"trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
            "tertiary", "tertiary_link", "unclassified", "residential", "living_street", "service",
            "pedestrian", "track", "road", "footway", "path", "steps", "cycleway", "bridleway",
            "corridor"}


def hav(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.asin(math.sqrt(min(1.0, a)))


def walkable(tags):
    if tags.get("highway") not in HIGHWAYS:
        return False
    foot = tags.get("foot")
    if foot == "no":
        return False
    if tags.get("access") in ("no", "private") and foot not in ("yes", "designated", "permissive"):
        return False
    return True


def load(path):
    nodes, edges = {}, []
    for _, el in ET.iterparse(path):
        if el.tag == "node":
            nodes[int(el.get("id"))] = (float(el.get("lat")), float(el.get("lon")))
            el.clear()
        elif el.tag == "way":
            tags = {}
            for t in el.findall("tag"):
                tags.setdefault(t.get("k"), t.get("v"))
            refs = [int(n.get("ref")) for n in el.findall("nd")]
            if walkable(tags):
                for a, b in zip(refs, refs[1:]):
                    if a != b and a in nodes and b in nodes:
                        edges.append((a, b))
            el.clear()
    adj = {}
    for a, b in edges:
        d = hav(*nodes[a], *nodes[b])
        adj.setdefault(a, []).append((b, d))
        adj.setdefault(b, []).append((a, d))
    seen, best = set(), []
    for s in sorted(adj):
        if s in seen:
            continue
        comp, stack = [s], [s]
        seen.add(s)
        while stack:
            v = stack.pop()
            for w, _ in adj[v]:
                if w not in seen:
                    seen.add(w)
                    comp.append(w)
                    stack.append(w)
        if len(comp) > len(best):
            best = comp
    keep = set(best)
    return {v: nodes[v] for v in sorted(keep)}, adj


def snap(nodes, lat, lon):
    best = None
    for nid, (la, lo) in nodes.items():  # ascending id, strict < keeps the lowest id on ties
        d = hav(lat, lon, la, lo)
        if best is None or d < best[1]:
            best = (nid, d)
    return best


def dijkstra(adj, src, limit):
    dist = {src: 0.0}
    heap = [(0.0, src)]
    done = {}
    while heap:
        d, v = heapq.heappop(heap)
        if v in done or d > limit:
            continue
        done[v] = d
        for w, l in adj[v]:
            nd = d + l
            if nd <= limit and nd < dist.get(w, math.inf):
                dist[w] = nd
                heapq.heappush(heap, (nd, w))
    return done


def main():
    net, dem_path, site_path = sys.argv[1:4]
    minutes, speed, maxm = (float(x) for x in (sys.argv[4:7] if len(sys.argv) > 6 else (15, 4, 60)))
    mpm = speed * 1000 / 60
    nodes, adj = load(net)
    dem = list(csv.DictReader(open(dem_path)))
    sites = list(csv.DictReader(open(site_path)))
    dsnap = [snap(nodes, float(r["lat"]), float(r["lon"])) for r in dem]
    limit = max(minutes, maxm)
    times = []  # times[j] = {i: t}
    for s in sites:
        node, sd = snap(nodes, float(s["lat"]), float(s["lon"]))
        reach = dijkstra(adj, node, limit * mpm)
        tj = {}
        for i, (dn, dd) in enumerate(dsnap):
            if dn in reach:
                t = (dd + reach[dn] + sd) / mpm
                if t <= limit:
                    tj[i] = t
        times.append(tj)

    def w(t):
        if t < 0 or t > minutes:
            return 0.0
        if t <= minutes / 3.0:
            return 1.0
        if t <= 2.0 * minutes / 3.0:
            return 0.68
        return 0.22

    ratio = []
    for j, s in enumerate(sites):
        tot = sum(w(t) * float(dem[i]["children_0_3"]) for i, t in times[j].items())
        ratio.append(float(s["places"]) / tot if tot > 0 else 0.0)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "nearest_site", "minutes", "covered", "access_per_1000"])
    for i, r in enumerate(dem):
        best = None
        for j in range(len(sites)):
            t = times[j].get(i)
            if t is not None and (best is None or t < best[1]):
                best = (j, t)
        acc = sum(w(times[j][i]) * ratio[j] for j in range(len(sites)) if i in times[j])
        if best and best[1] <= maxm:
            out.writerow([r["id"], sites[best[0]]["id"], "%.3f" % best[1], int(best[1] <= minutes), "%.6f" % (1000 * acc)])
        else:
            out.writerow([r["id"], "", "", 0, "%.6f" % (1000 * acc)])


if __name__ == "__main__":
    main()
