# Makefile — builds build/tuoyu (and web/dist), runs every test.
#   make          binary + web app
#   make run      install missing packages (as root), build, create var/tuoyu.db with demo data, serve :8080
#                 (text messages, parents' sign-up codes included, go to var/sms.txt)
#   make test     unit tests, API tests on SQLite and PostgreSQL, browser tests
#   make asan     unit and API tests under AddressSanitizer + UBSan (build-asan/)
#   make mutate   plants each bug of tests/mutants/ in a copy (build-mutate/); the tests must catch all
# BUILD=dir puts objects elsewhere, so several builds can run side by side.

BUILD   ?= build
CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium readosm expat xlsxwriter zlib libcurl libcrypto
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Werror=incompatible-pointer-types -Wno-unused-parameter -Wno-missing-field-initializers -Isrc -I$(BUILD)/gen \
           $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lglpk -lm -lpthread
ifeq ($(SAN),1)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

SRCS      := $(sort $(shell find src -name '*.c'))
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
# generated at build time from the data they come from (never committed)
GEN_SRCS  := $(BUILD)/gen/migrations.c $(BUILD)/gen/who_tables.c $(BUILD)/gen/common_passwords.c \
             $(BUILD)/gen/divisions.c
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(GEN_SRCS:.c=.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
MIGRATIONS := $(sort $(wildcard src/db/migrations/*.sql))
# request and reply schemas held as data beside the file that includes them (tools/gen_schemas.c)
SCHEMAS   := $(sort $(shell find src -name '*.schemas.json'))
SCHEMA_INCS := $(SCHEMAS:src/%.schemas.json=$(BUILD)/gen/%.schemas.inc)
# kept after the build (not intermediate files make may delete): the objects' dependency files name them
.SECONDARY: $(SCHEMA_INCS)

DEMO_PASSWORD ?= Ouhai-demo-2023
PORT ?= 8080
# node 20 runs each test file in its own process and --test-timeout bounds that process: a file
# still running after this long is stopped and fails, so a hung test cannot hang the run
TEST_TIMEOUT_MS ?= 600000
# test files run side by side (each starts its own servers on port 0 and its own databases): the
# API files spend most of their time waiting on round trips and process starts, so three at
# once on two cores halve the run (one demo database made for the run, copied per server); browser files share one Chromium budget and run fewer at once
TEST_JOBS ?= 3
E2E_JOBS ?= 2
NODE_TEST := node tests/lib/with-template.mjs node --test --test-concurrency=$(TEST_JOBS) --test-timeout=$(TEST_TIMEOUT_MS)
NODE_TEST_E2E := node tests/lib/with-template.mjs node --test --test-concurrency=$(E2E_JOBS) --test-timeout=$(TEST_TIMEOUT_MS)

.PHONY: all bin web run test unit api api-sqlite api-pg e2e asan fuzz bench clean deps mutate
all: bin web

bin: $(BUILD)/tuoyu

$(BUILD)/tuoyu: $(BUILD)/src/main.o $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c | $(SCHEMA_INCS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/gen/migrations.c: $(MIGRATIONS) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh db_migrations $(MIGRATIONS) > $@

$(BUILD)/gen/%.schemas.inc: src/%.schemas.json $(BUILD)/tools/gen_schemas
	@mkdir -p $(dir $@)
	$(BUILD)/tools/gen_schemas $< > $@.tmp && mv $@.tmp $@

$(BUILD)/tools/gen_schemas: tools/gen_schemas.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs jansson)

$(BUILD)/gen/divisions.c: data/divisions/zhejiang-towns.csv tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh demo_divisions data/divisions/zhejiang-towns.csv > $@

$(BUILD)/gen/who_tables.c: tools/gen_who_tables.sh $(wildcard data/who-growth/*/*.csv)
	@mkdir -p $(dir $@)
	sh tools/gen_who_tables.sh > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/common_passwords.c: tools/gen_common_passwords.sh $(wildcard data/common-passwords/*.txt)
	@mkdir -p $(dir $@)
	sh tools/gen_common_passwords.sh > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS) $(shell pkg-config --libs cmocka)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

web: web/dist/index.html
WEB_SRCS := $(shell find web/src web/public web/console web/index.html web/package.json web/package-lock.json web/vite.config.* tools/check-bundle-size.mjs tools/precompress.mjs -type f 2>/dev/null)
web/node_modules: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund && touch node_modules

web/dist/index.html: $(WEB_SRCS) web/node_modules
	cd web && npm run build

deps:
	sh tools/install-deps.sh run

run: deps
	$(MAKE) all
	@mkdir -p var
	@[ -f var/tuoyu.db ] || $(BUILD)/tuoyu demo --db var/tuoyu.db --password '$(DEMO_PASSWORD)'
	$(BUILD)/tuoyu serve --db var/tuoyu.db --listen 127.0.0.1:$(PORT) --web web/dist --sms-sink var/sms.txt

unit: $(UNIT_BINS)
	@failed=""; for t in $(UNIT_BINS); do echo "# $$t"; $$t || failed="$$failed $$t"; done; \
	if [ -n "$$failed" ]; then echo "unit tests failed:$$failed"; exit 1; fi

tests/node_modules: tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund && touch node_modules

api-sqlite: bin tests/node_modules
	TUOYU_BIN=$(abspath $(BUILD)/tuoyu) TUOYU_DB_KIND=sqlite $(NODE_TEST) tests/api/

api-pg: bin tests/node_modules
	TUOYU_BIN=$(abspath $(BUILD)/tuoyu) TUOYU_DB_KIND=pg $(NODE_TEST) tests/api/

api: api-sqlite api-pg

e2e: all tests/node_modules
	TUOYU_BIN=$(abspath $(BUILD)/tuoyu) TUOYU_WEB=$(abspath web/dist) $(NODE_TEST_E2E) tests/e2e/

test: all unit api e2e

asan:
	$(MAKE) BUILD=build-asan SAN=1 bin unit api

fuzz:
	sh tools/fuzz.sh

# planted bugs (tests/mutants/) the unit and SQLite API tests must catch; MUTANTS="name ..." for some
mutate: tests/node_modules
	node tools/mutate.mjs $(MUTANTS)

clean:
	rm -rf $(BUILD) build-asan
