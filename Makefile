# cchc: plain GNU Makefile.  `make` builds, `make check` tests (plain build,
# then the whole suite again under ASan+UBSan), `make demo` opens the demo,
# `make bench` prints the budgets of SPEC §10, `make install` installs.
#
# Layout: each module directory (core store forms sync tui) becomes one
# static library; cli/ links them into `cchc`.  A unit test program
# tests/MOD/test_X.c links only lib MOD and the modules below it, which
# proves the layering (cli, tui -> sync -> forms, store -> core).

PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/cchc
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
VERSION    := 0.1.0

B          ?= build
SAN        ?=
CC         ?= cc

PKGS       := lmdb libsodium libcbor ncursesw inih libzstd libcurl libmicrohttpd xlsxwriter
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral -Werror
CFLAGS   ?= -O2 -g
ifeq ($(SAN),1)
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
endif
# HOOKS=1 (make check's builds): CCHC_NOW and CCHC_PWCOST=min take effect.
# Never in the build that `make`, `make demo` and `make install` use.
ifeq ($(HOOKS),1)
CPPFLAGS += -DCCHC_TEST_HOOKS
endif
CPPFLAGS += -I. -D_GNU_SOURCE -DCCHC_VERSION='"$(VERSION)"' \
            -DCCHC_DATADIR='"$(DATADIR)"'
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP
LDLIBS   += $(PKG_LIBS) -lm

.DEFAULT_GOAL := all
MODULES  := core store forms index sync district tui
core_DEPS  :=
store_DEPS := core
forms_DEPS := core
index_DEPS := forms store core
sync_DEPS  := forms store core
district_DEPS := sync forms store core
tui_DEPS   := district sync index forms store core

define module_rules
$(1)_SRC := $$(wildcard $(1)/*.c)
$(1)_OBJ := $$($(1)_SRC:%.c=$(B)/obj/%.o)
$(B)/lib$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(@D)
	@rm -f $$@ && $$(AR) rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call module_rules,$(m))))

CLI_SRC  := $(wildcard cli/*.c)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/obj/%.o)
LIBS_ALL := $(foreach m,tui district sync index forms store core,$(B)/lib$(m).a)

# Unit tests: tests/MOD/test_*.c -> $(B)/tests/MOD/test_*
define test_rules
$(1)_TESTS := $$(patsubst %.c,$(B)/%,$$(wildcard tests/$(1)/test_*.c))
$(1)_BENCH := $$(patsubst %.c,$(B)/%,$$(wildcard tests/$(1)/bench_*.c))
$(1)_HELP  := $$(patsubst %.c,$(B)/%,$$(wildcard tests/$(1)/helper_*.c))
$(B)/tests/$(1)/%: $(B)/obj/tests/$(1)/%.o $(B)/lib$(1).a $$(foreach d,$$($(1)_DEPS),$(B)/lib$$(d).a)
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	@$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS) -lcmocka
endef
$(foreach m,$(MODULES),$(eval $(call test_rules,$(m))))
UNIT_TESTS := $(foreach m,$(MODULES),$($(m)_TESTS))
BENCHES    := $(foreach m,$(MODULES),$($(m)_BENCH))
HELPERS    := $(foreach m,$(MODULES),$($(m)_HELP))

.PHONY: all deps check check-plain check-san test demo bench fuzz fuzz-brief install uninstall clean layering
all: $(B)/cchc

$(B)/cchc: $(CLI_OBJ) $(LIBS_ALL)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIBS_ALL) $(LDLIBS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

deps:
	@sh scripts/deps.sh

# One pass: build everything in $(B), run unit tests and command tests.
# The tests set the clock (CCHC_NOW) and a cheap Argon2id (CCHC_PWCOST=min):
# they run on builds made with HOOKS=1, kept apart from build/.
test: all $(UNIT_TESTS) $(HELPERS) layering
ifneq ($(HOOKS),1)
	$(error the tests need a test build: make check, or make test B=build-test HOOKS=1)
endif
	@sh scripts/run-tests.sh $(B) $(UNIT_TESTS)

check: deps
	$(MAKE) all B=build
	$(MAKE) test B=build-test HOOKS=1
	$(MAKE) test B=build-san SAN=1 HOOKS=1
	$(MAKE) fuzz-brief

layering:
	@sh scripts/check-layering.sh

# DEMO_ARGS, e.g. make demo DEMO_ARGS=--reset
demo: deps all
	@./$(B)/cchc demo $(DEMO_ARGS)

bench: deps all $(BENCHES)
	@sh scripts/bench.sh $(B) $(BENCHES)

# libFuzzer targets tests/fuzz/fuzz_*.c (clang), built in build-fuzz/ with the
# modules they reach compiled for fuzzing (ASan+UBSan).  `make fuzz` runs
# each for FUZZ_TIME seconds; `make check` runs each for a few.
FUZZ_CC    ?= clang
FUZZ_TIME  ?= 120
FZ         := build-fuzz
FUZZ_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all
FUZZ_SRC   := $(wildcard core/*.c store/*.c forms/*.c sync/*.c)
FUZZ_OBJ   := $(FUZZ_SRC:%.c=$(FZ)/obj/%.o)
FUZZERS    := $(patsubst tests/fuzz/%.c,$(FZ)/%,$(wildcard tests/fuzz/fuzz_*.c))
$(FZ)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(filter-out -Werror,$(WARN)) $(FUZZ_FLAGS) \
		-fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP -c -o $@ $<
$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) \
		-o $@ $^ $(LDLIBS)
fuzz: deps $(FUZZERS)
	@sh scripts/fuzz.sh $(FZ) $(FUZZ_TIME) $(FUZZERS)
fuzz-brief: $(FUZZERS)
	@sh scripts/fuzz.sh $(FZ) 5 $(FUZZERS)

# Units are made from systemd/*.in with the install paths; any failing step
# fails the install (no "; true").
STATEDIR   ?= /var/lib/cchc
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
UNITS      := cchc-receiver.service cchc-sync.service cchc-sync.timer
$(B)/systemd/%: systemd/%.in
	@mkdir -p $(@D)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@STATEDIR@|$(STATEDIR)|g' $< >$@.tmp && mv $@.tmp $@
$(B)/systemd/%: systemd/%
	@mkdir -p $(@D)
	cp $< $@

install: all $(UNITS:%=$(B)/systemd/%)
	install -Dm755 $(B)/cchc $(DESTDIR)$(BINDIR)/cchc
	set -e; for f in forms/defs/* data/units/* data/units-sample/*; do install -Dm644 $$f $(DESTDIR)$(DATADIR)/$$f; done
	set -e; for f in data/demo/*; do install -Dm644 $$f $(DESTDIR)$(DATADIR)/$$f; done
	set -e; for f in man/*.1; do install -Dm644 $$f $(DESTDIR)$(MANDIR)/man1/$${f##*/}; done
	set -e; for f in man/*.5; do install -Dm644 $$f $(DESTDIR)$(MANDIR)/man5/$${f##*/}; done
	set -e; for f in $(UNITS); do install -Dm644 $(B)/systemd/$$f $(DESTDIR)$(UNITDIR)/$$f; done
	install -Dm644 systemd/cchc.sysusers $(DESTDIR)$(SYSUSERSDIR)/cchc.conf
	install -Dm644 contrib/bash-completion/cchc $(DESTDIR)$(BASHCOMPDIR)/cchc
	@if [ -z "$(DESTDIR)" ] && command -v systemd-sysusers >/dev/null; then \
		echo "systemd-sysusers $(SYSUSERSDIR)/cchc.conf"; \
		systemd-sysusers $(SYSUSERSDIR)/cchc.conf; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cchc $(DESTDIR)$(SYSUSERSDIR)/cchc.conf
	rm -f $(DESTDIR)$(BASHCOMPDIR)/cchc
	rm -rf $(DESTDIR)$(DATADIR)
	for f in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${f##*/}; done
	for f in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${f##*/}; done
	for f in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$f; done

clean:
	rm -rf build build-test build-san build-fuzz

-include $(shell find $(B)/obj $(FZ)/obj -name '*.d' 2>/dev/null)
.SECONDARY:
