#!/usr/bin/env python3
"""reference.py - an independent implementation of `tuoyu allocate` (issue 5) in plain Python,
written from docs/allocation.md and not from the C code, used by bench/alloc.sh to check the C
engine on the full benchmark instance.

    python3 bench/alloc/reference.py programs.csv children.csv applications.csv [--seed HEX64]

prints child_id,program_id (and lottery with --seed) like `tuoyu allocate`. It does not check the
input the way the C program does; it expects valid files.

Lottery (with --seed): the ChaCha20 keystream (RFC 8439; key = seed, nonce = "LibsodiumDRG",
counter 0) from the `cryptography` package, i.e. what libsodium's randombytes_buf_deterministic
returns, read as 64-bit little-endian words; Fisher-Yates from the last position down with
rejection of words >= 2^64 - (2^64 mod m); the child at position k of the shuffled order gets
number k + 1.

Allocation: the textbook round-by-round Gale-Shapley. Every unplaced child proposes to the next
program on its list; each program keeps, among the children it holds and the new proposers, the
best `capacity - fixed` by (points desc, lottery asc) and rejects the rest; until no child
proposes.
"""
import csv
import sys


def keystream(seed, nbytes):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
    nonce16 = (0).to_bytes(4, "little") + b"LibsodiumDRG"  # 32-bit counter 0, then the 12-byte nonce
    enc = Cipher(algorithms.ChaCha20(seed, nonce16), mode=None).encryptor()
    return enc.update(b"\0" * nbytes)


def lottery(seed, n):
    nbytes = 8 * (n + 64)
    s = keystream(seed, nbytes)
    pos = 0
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        m = i + 1
        limit = (1 << 64) - ((1 << 64) % m)
        while True:
            if pos + 8 > len(s):  # the same stream, longer (never happens in practice)
                nbytes *= 2
                s = keystream(seed, nbytes)
            x = int.from_bytes(s[pos:pos + 8], "little")
            pos += 8
            if x < limit:
                break
        j = x % m
        order[i], order[j] = order[j], order[i]
    numbers = [0] * n
    for k, child in enumerate(order):
        numbers[child] = k + 1
    return numbers


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        for row in reader:
            if not row or all(not x.strip() for x in row):
                continue
            yield {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}


def main(argv):
    seed = None
    if "--seed" in argv:
        i = argv.index("--seed")
        seed = bytes.fromhex(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    programs_csv, children_csv, apps_csv = argv[1:4]
    capacity = {r["program_id"]: int(r["capacity"]) for r in rows(programs_csv)}
    children = list(rows(children_csv))
    ids = [r["child_id"] for r in children]
    lot = lottery(seed, len(ids)) if seed else [int(r["lottery"]) for r in children]
    lot_of = dict(zip(ids, lot))
    fixed = {r["child_id"]: r["fixed_program_id"] for r in children if r.get("fixed_program_id")}
    prefs = {c: [] for c in ids}
    for r in rows(apps_csv):
        prefs[r["child_id"]].append((int(r["rank"]), r["program_id"], float(r["points"])))
    for c in prefs:
        prefs[c].sort()
    seats = dict(capacity)
    for c, p in fixed.items():
        seats[p] -= 1
    held = {p: [] for p in capacity}  # program -> list of (points, lottery, child)
    where = {}
    nxt = {c: 0 for c in ids}
    while True:
        proposals = {}
        for c in ids:
            if c in fixed or c in where or nxt[c] >= len(prefs[c]):
                continue
            _, p, pts = prefs[c][nxt[c]]
            nxt[c] += 1
            proposals.setdefault(p, []).append((pts, lot_of[c], c))
        if not proposals:
            break
        for p, new in proposals.items():
            pool = held[p] + new
            pool.sort(key=lambda t: (-t[0], t[1]))
            keep, out = pool[:max(seats[p], 0)], pool[max(seats[p], 0):]
            held[p] = keep
            for _, _, c in keep:
                where[c] = p
            for _, _, c in out:
                where.pop(c, None)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["child_id", "program_id"] + (["lottery"] if seed else []))
    for c, n in zip(ids, lot):
        w.writerow([c, fixed.get(c, where.get(c, ""))] + ([n] if seed else []))


if __name__ == "__main__":
    main(sys.argv)
