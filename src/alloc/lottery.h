/* lottery.h — the public lottery of an enrolment round (issue 5 part 5): unique lottery numbers
 * 1..N for N children, drawn from a published 32-byte seed by a documented deterministic
 * generator, so anyone can recompute them (docs/allocation.md, "Lottery", has the algorithm and
 * a Python version). Pure: no I/O, no clock, no global state of ours; thread-safe.
 *
 * Algorithm: the byte stream is libsodium's randombytes_buf_deterministic(·, seed), which is the
 * ChaCha20 keystream of RFC 8439 with key = seed, nonce = "LibsodiumDRG", block counter from 0.
 * It is read as 64-bit little-endian words. Start with order = [0, 1, ..., N-1]; for i = N-1 down
 * to 1, draw j uniform in 0..i (take the next word x; if x >= 2^64 - (2^64 mod (i+1)) discard it
 * and take another; else j = x mod (i+1)) and swap order[i] and order[j] (Fisher–Yates). Then the
 * child at order[k] gets lottery number k + 1. The children are numbered in the order the caller
 * publishes with the seed (e.g. by application number).
 */
#ifndef TUOYU_ALLOC_LOTTERY_H
#define TUOYU_ALLOC_LOTTERY_H

#include <stdint.h>

#include "base/err.h"

#define ALLOC_SEED_BYTES 32

/* Lottery numbers for n children: lottery[i] (1..n, all different) for child i. Returns 0, or -1
 * with e filled (status 400 "alloc_input" when n < 0, 500 "alloc_nomem", 500 "alloc_sodium" when
 * libsodium cannot be initialised). */
int alloc_lottery(const unsigned char seed[ALLOC_SEED_BYTES], int32_t n, int64_t *lottery, struct err *e);

/* Parse a seed written as 64 hexadecimal digits (either case; surrounding spaces allowed).
 * Returns 0, or -1 with e filled (400 "alloc_seed"). */
int alloc_seed_parse(const char *hex, unsigned char seed[ALLOC_SEED_BYTES], struct err *e);

/* Write the seed as 64 lowercase hexadecimal digits and a NUL into out[65]. */
void alloc_seed_format(const unsigned char seed[ALLOC_SEED_BYTES], char out[2 * ALLOC_SEED_BYTES + 1]);

#endif
