#!/bin/sh
# security.sh — benchmark of the security building blocks (issue 2 parts 5 and 9): Argon2id
# per login, tokens, sealing personal fields, lookup hashes, TOTP, ID-number and USCC checks.
#   sh bench/security.sh [SCALE]            build with -O2 and run three times
#   CALLGRIND=1 sh bench/security.sh        also count instructions (valgrind --tool=callgrind,
#                                           one run at scale 1)
set -eu
cd "$(dirname "$0")/.."
out=${BUILD:-build}/bench
mkdir -p "$out"
cc -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc -o "$out/security_bench" bench/security_bench.c \
   src/auth/password.c src/auth/token.c src/auth/totp.c src/auth/sha1.c src/base/crypt.c \
   src/base/idcard.c src/base/uscc.c src/base/date.c src/base/err.c $(pkg-config --cflags --libs libsodium) -lpthread
scale=${1:-1}
for i in 1 2 3; do echo "# run $i"; "$out/security_bench" "$scale"; done
if [ "${CALLGRIND:-0}" = 1 ]; then
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.security" "$out/security_bench" 1 2>&1 |
    grep -E "Collected|refs"
  callgrind_annotate --inclusive=yes "$out/callgrind.security" 2>/dev/null |
    grep -E "password_hash|password_verify|crypt_seal|crypt_open|crypt_lookup_hash|totp_verify_base32|idcard_validate|uscc_validate|token_new|token_hash" | head -20
fi
