# debrief: one binary from src/, tests under tests/. See README.md.
#   make            build ./debrief
#   make run        install missing packages, build, serve on 127.0.0.1:8080
#   make test       every test suite, then the sanitizer build of unit + API
#   make asan       ASan + UBSan build of unit and API tests only
#   make fuzz       libFuzzer targets of tests/fuzz; fuzz-smoke runs each briefly

CC      ?= cc
BUILD   ?= build
PKGS    := libmicrohttpd sqlite3 libpq jansson libcmark-gfm libsodium libarchive libcurl \
           yaml-0.1 zlib libgit2
# libical: the .ics invites and calendar feed of review meetings (issue 15)
PKGS    += libical
# yajl: the Slack export's day files, read as a stream of events (issue 14)
PKGS    += yajl
# libdeflate: the stored review renders, inflated in half zlib's time, same
# zlib format (issue 21)
PKGS    += libdeflate
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
           -Isrc -I$(BUILD) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
override LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
           -lcmark-gfm-extensions -lpthread -lm
TEST_LIBS := $(shell pkg-config --libs cmocka libcurl 2>/dev/null)

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
STATIC   := $(sort $(wildcard static/*))
# documents the server renders as pages (GET /coach: docs/lint.md)
DOC_ASSETS := docs/lint.md
OBJ      := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/static_assets.o \
            $(BUILD)/doc_assets.o
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
PG_MIGRATIONS := $(sort $(wildcard src/store/migrations/pg/*.sql))

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
API_SRC  := $(sort $(wildcard tests/api/test_*.c))
API_BIN  := $(API_SRC:tests/api/%.c=$(BUILD)/tests/api/%)
API_HARNESS := $(filter-out $(API_SRC),$(wildcard tests/api/*.c))
# libFuzzer targets: one tests/fuzz/fuzz_NAME.c each (see tests/fuzz/README.md)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)

.PHONY: all run test unit api browser asan clean deps fmt bench
.PHONY: fuzz fuzz-targets fuzz-smoke install deb package-test
all: debrief

# ./debrief is the default build's binary; `make BUILD=dir` leaves it alone
# so that several builds can run side by side.
debrief: $(BUILD)/debrief
	@if [ "$(BUILD)" = build ]; then cp $< $@; fi

# ./debrief loads every library but cmark-gfm's core at the first call of one of
# its functions (src/util/lazyload.h, scripts/lazy-stubs.sh), so that
# `debrief lint` starts without mapping ~55 shared libraries. x86-64 only;
# elsewhere the binary links them as the tests do.
LAZY_LIBS := $(filter -l%,$(shell pkg-config --libs $(filter-out libcmark-gfm,$(PKGS)) 2>/dev/null)) \
             -lcmark-gfm-extensions
ifneq ($(filter x86_64-%,$(shell $(CC) -dumpmachine)),)
LAZY_OBJ  := $(BUILD)/lazy_stubs.o
BIN_LIBS  := $(filter-out $(LAZY_LIBS),$(LDLIBS))
else
BIN_LIBS  := $(LDLIBS)
endif

$(BUILD)/debrief: $(BUILD)/src/main.o $(LAZY_OBJ) $(BUILD)/libdebrief.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(BIN_LIBS)

# the same program linked the usual way: make-deb.sh reads its dependencies
$(BUILD)/debrief-deps: $(BUILD)/src/main.o $(BUILD)/libdebrief.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/lazy_stubs.c: scripts/lazy-stubs.sh Makefile $(BUILD)/src/main.o $(BUILD)/libdebrief.a
	sh scripts/lazy-stubs.sh "$(CC)" "$(LAZY_LIBS)" \
	  $(BUILD)/src/main.o $(BUILD)/libdebrief.a > $@.tmp
	mv $@.tmp $@
$(BUILD)/lazy_stubs.o: $(BUILD)/lazy_stubs.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libdebrief.a: $(OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c $(BUILD)/migrations.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# Static assets, the documents of DOC_ASSETS and SQL migrations are
# compiled into the binary.
$(BUILD)/embed: scripts/embed.c
	@mkdir -p $(BUILD)
	$(CC) -O1 -o $@ $<
# A file taken out of a list leaves no newer prerequisite behind, so each
# embedded list is also written to a stamp that changes only when the list
# does (a removed migration must not stay in the binary).
$(BUILD)/%.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$($*)' | cmp -s - $@ 2>/dev/null || echo '$($*)' > $@
FORCE:
.PHONY: FORCE

$(BUILD)/static_assets.c: $(BUILD)/embed $(STATIC) $(BUILD)/STATIC.list
	$(BUILD)/embed $@ $(STATIC)
$(BUILD)/static_assets.o: $(BUILD)/static_assets.c
	$(CC) $(CFLAGS) -c -o $@ $<
$(BUILD)/doc_assets.c: $(BUILD)/embed $(DOC_ASSETS) $(BUILD)/DOC_ASSETS.list
	$(BUILD)/embed --table doc_assets $@ $(DOC_ASSETS)
$(BUILD)/doc_assets.o: $(BUILD)/doc_assets.c
	$(CC) $(CFLAGS) -c -o $@ $<
$(BUILD)/migrations.h: scripts/embed-migrations.sh $(MIGRATIONS) $(PG_MIGRATIONS) \
                       $(BUILD)/MIGRATIONS.list $(BUILD)/PG_MIGRATIONS.list
	@mkdir -p $(BUILD)
	sh scripts/embed-migrations.sh $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libdebrief.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $^ $(LDLIBS) $(TEST_LIBS)

$(BUILD)/tests/api/%: tests/api/%.c $(API_HARNESS) $(BUILD)/libdebrief.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $^ $(LDLIBS) $(TEST_LIBS)

unit: $(UNIT_BIN)
	@sh scripts/run-tests.sh unit $(UNIT_BIN)

api: debrief $(API_BIN)
	@DEBRIEF_BIN=$(CURDIR)/$(BUILD)/debrief sh scripts/run-tests.sh api $(API_BIN)

# The store conformance suites once more on PostgreSQL (a throwaway
# cluster; tests/pg/run.sh).
PG_SUITES := $(addprefix $(BUILD)/tests/unit/,test_store test_store_accounts \
	test_store_render test_learning test_store_copy test_export_json \
	test_export_md test_import_morgue test_store_scale)
pg: $(PG_SUITES)
	@sh tests/pg/run.sh $(PG_SUITES)

# The API suite once more on PostgreSQL (one server). PG_API_SKIP names a
# suite that does not pass there yet (none now; see docs/store.md).
PG_API_SKIP :=
PG_API_BIN := $(filter-out $(addprefix $(BUILD)/tests/api/,$(PG_API_SKIP)),$(API_BIN))
pg-api: debrief $(PG_API_BIN)
	@DEBRIEF_BIN=$(CURDIR)/$(BUILD)/debrief sh tests/pg/run.sh -s pg-api $(PG_API_BIN)

# The store suites and the API suites of reviews, children and accounts
# once more through PgBouncer in transaction mode (pool_mode=transaction:
# unnamed statements); skipped when pgbouncer is not installed.
PG_BOUNCER_BIN := $(addprefix $(BUILD)/tests/unit/,test_store \
	test_store_accounts test_store_copy) $(addprefix $(BUILD)/tests/api/, \
	test_reviews test_children test_auth test_durability)
pg-bouncer: debrief $(PG_BOUNCER_BIN)
	@DEBRIEF_BIN=$(CURDIR)/$(BUILD)/debrief sh tests/pg/run.sh -s pg-bouncer -b $(PG_BOUNCER_BIN)

browser: debrief
	@sh tests/browser/run.sh $(CURDIR)/$(BUILD)/debrief

asan:
	$(MAKE) BUILD=$(BUILD)/asan CC=clang \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" unit api pg

# make fuzz: every target, with the project built by clang with ASan, UBSan
# and libFuzzer's coverage (never linked into libdebrief or ./debrief).
# make fuzz-smoke: a few seconds of each from its seed corpus.
fuzz:
	$(MAKE) BUILD=$(BUILD)/fuzz CC=clang \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" fuzz-targets

fuzz-targets: $(FUZZ_BIN)

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_common.h $(BUILD)/libdebrief.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Itests -o $@ $(filter-out %.h,$^) $(LDLIBS)

fuzz-smoke: fuzz
	@sh scripts/fuzz-smoke.sh $(BUILD)/fuzz/tests/fuzz

# test installs what is missing first (build and test packages), so that on
# a bare Debian machine `make test` is the whole set-up, like `make run`.
test:
	@sh scripts/install-deps.sh
	@sh scripts/test-all.sh

# deps are installed before a second make reads the pkg-config flags.
run:
	@sh scripts/install-deps.sh --build
	@$(MAKE) --no-print-directory debrief
	./debrief serve

deps:
	@sh scripts/install-deps.sh

bench:
	@bash bench/run.sh

# make install [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc]: the
# binary, the man page, the systemd unit (its ExecStart names BINDIR), an
# example configuration in the docs and, when none exists yet,
# SYSCONFDIR/debrief/debrief.conf. It never overwrites a configuration.
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
BINDIR     := $(PREFIX)/bin
UNITDIR    ?= $(PREFIX)/lib/systemd/system
install: debrief
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(UNITDIR) $(DESTDIR)$(PREFIX)/share/doc/debrief \
	  $(DESTDIR)$(SYSCONFDIR)/debrief
	install -m 0755 $(BUILD)/debrief $(DESTDIR)$(BINDIR)/debrief
	install -m 0644 docs/debrief.1 $(DESTDIR)$(PREFIX)/share/man/man1/debrief.1
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	  packaging/debrief.service.in > $(DESTDIR)$(UNITDIR)/debrief.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/debrief.service
	install -m 0644 packaging/debrief.conf \
	  $(DESTDIR)$(PREFIX)/share/doc/debrief/debrief.conf.example
	install -m 0644 README.md docs/api.md docs/user-guide.md docs/lint.md \
	  $(DESTDIR)$(PREFIX)/share/doc/debrief/
	[ -e $(DESTDIR)$(SYSCONFDIR)/debrief/debrief.conf ] || \
	  install -m 0644 packaging/debrief.conf $(DESTDIR)$(SYSCONFDIR)/debrief/debrief.conf

# make deb: build/debrief_VERSION_ARCH.deb, installable with apt on a bare
# Debian 12 (scripts/make-deb.sh). make package-test checks its contents.
# (deps first, as for make run: a bare machine has no compiler yet)
deb:
	@sh scripts/install-deps.sh --package
	@$(MAKE) --no-print-directory debrief
	@sh scripts/make-deb.sh $(BUILD)

package-test: deb
	@sh tests/package/run.sh $(BUILD)

fmt:
	clang-format -i $(SRC) $(shell find src tests -name '*.h')

# print-VAR prints a variable, for bench/lib.sh (one library list, here)
print-%:
	@echo '$($*)'

clean:
	rm -rf build debrief

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
