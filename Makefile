# salesplan — plain GNU Makefile.  `make V=1` shows the commands.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man/man1

CC       ?= cc
PKGS      = gsl xlsxwriter readline
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN      = -std=c11 -Wall -Wextra -Wpedantic
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Iinclude -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lpthread -lm
VERSION   = 0.1.0
CPPFLAGS += -DSP_VERSION='"$(VERSION)"'

# Debian packages the build, the tests and the demo need.
DEPS = build-essential pkg-config libgsl-dev libxlsxwriter-dev zlib1g-dev \
       libreadline-dev libcmocka-dev python3 python3-openpyxl tmux groff-base \
       libreoffice-calc-nogui poppler-utils
# Only `make fuzz` needs clang (libFuzzer comes with Debian's clang).
FUZZ_DEPS = clang

ifeq ($(V),1)
Q =
else
Q = @
endif

BUILD ?= build
SRCS  := $(wildcard src/*.c)
OBJS  := $(SRCS:src/%.c=$(BUILD)/%.o)
LIBOBJS := $(filter-out $(BUILD)/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo test unit e2e asan valgrind bench install uninstall clean docs \
        check-includes fuzz fuzz-deps fuzz-run install-pkgs

all: salesplan

salesplan: $(OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

# Header dependencies are tracked per object (-MMD); the .d files are read
# below, so `make -j` rebuilds exactly what a header change touches.
$(BUILD)/%.o: src/%.c | $(BUILD)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -MMD -MP -c -o $@ $<

$(BUILD) $(BUILD)/tests:
	$(Q)mkdir -p $@

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS) | $(BUILD)/tests
	@$(if $(Q),echo "  TEST-CC $<")
	$(Q)$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Itests/unit -MMD -MP -o $@ $< $(LIBOBJS) $(LDLIBS) -lcmocka

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d)

# Installs the Debian packages that are missing (as root), or prints the
# apt-get line to run.
deps:
	$(Q)$(MAKE) --no-print-directory install-pkgs PKGLIST="$(DEPS)"

fuzz-deps:
	$(Q)$(MAKE) --no-print-directory install-pkgs PKGLIST="$(FUZZ_DEPS)"

install-pkgs:
	$(Q)missing=""; for p in $(PKGLIST); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing Debian packages; run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

# The main job on the bundled small-team scenarios: a comparison on common
# random numbers, printed and written to a workbook.
DEMO_PLANS = scenarios/baseline.plan scenarios/small-hire-upfront.plan \
             scenarios/small-hire-staggered.plan scenarios/small-lean.plan
demo: deps
	$(Q)$(MAKE) --no-print-directory salesplan
	$(Q)./salesplan compare $(DEMO_PLANS) --trials 5000 --xlsx small-team.xlsx
	@echo "workbook: $(CURDIR)/small-team.xlsx"

unit: $(UNIT_BINS)
	$(Q)fail=0; for t in $(UNIT_BINS); do $(TEST_WRAP) ./$$t || fail=1; done; exit $$fail

e2e: salesplan
	$(Q)sh tests/e2e/run.sh ./salesplan

test: deps
	$(Q)$(MAKE) --no-print-directory salesplan
	$(Q)$(MAKE) --no-print-directory check-includes
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory e2e

# Modules may not include each other in a circle (one header per module;
# the graph of src/X.c and include/salesplan/X.h includes must be acyclic).
check-includes:
	$(Q)python3 tests/check_includes.py

# The unit tests and a scripted session under valgrind: any definite leak
# or memory error fails.
valgrind: deps salesplan $(UNIT_BINS)
	$(Q)sh tests/valgrind.sh ./salesplan $(UNIT_BINS)

# Tests under AddressSanitizer and UndefinedBehaviorSanitizer, in a build
# directory of their own.
asan: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" SP_BIN=build-asan/salesplan asan-run

asan-run: $(UNIT_BINS) $(BUILD)/salesplan
	$(Q)fail=0; for t in $(UNIT_BINS); do ./$$t || fail=1; done; \
	  sh tests/e2e/run.sh ./$(BUILD)/salesplan || fail=1; exit $$fail

$(BUILD)/salesplan: $(OBJS)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

bench: salesplan
	$(Q)sh tests/bench.sh ./salesplan

# libFuzzer over statements and a short simulation (tests/fuzz), with
# AddressSanitizer and UBSan, in a build directory of its own.  The seed
# corpus is the bundled models and scenarios; what the fuzzer adds stays
# in build-fuzz/corpus for the next run.  FUZZ_TIME seconds (default 60).
FUZZ_TIME ?= 60
FUZZ_SAN   = -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz: fuzz-deps
	$(Q)$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	  fuzz-run

fuzz-run: $(BUILD)/fuzz_statements
	$(Q)mkdir -p $(BUILD)/corpus $(BUILD)/seeds
	$(Q)cp models/*.model scenarios/*.plan $(BUILD)/seeds/
	$(Q)./$(BUILD)/fuzz_statements -max_total_time=$(FUZZ_TIME) -timeout=20 \
	  -rss_limit_mb=4096 -max_len=8192 -print_final_stats=1 \
	  -artifact_prefix=$(BUILD)/ $(BUILD)/corpus $(BUILD)/seeds

$(BUILD)/fuzz_statements: tests/fuzz/fuzz_statements.c $(LIBOBJS)
	@$(if $(Q),echo "  FUZZ-LD $@")
	$(Q)$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -fsanitize=fuzzer -o $@ $< $(LIBOBJS) $(LDLIBS)

install: salesplan
	$(Q)install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	$(Q)install -m 755 salesplan $(DESTDIR)$(BINDIR)/salesplan
	$(Q)if [ -f salesplan.1 ]; then install -m 644 salesplan.1 $(DESTDIR)$(MANDIR)/salesplan.1; fi
	@echo "installed $(DESTDIR)$(BINDIR)/salesplan"

uninstall:
	$(Q)rm -f $(DESTDIR)$(BINDIR)/salesplan $(DESTDIR)$(MANDIR)/salesplan.1

clean:
	$(Q)rm -rf build build-asan build-fuzz salesplan

# The parameter reference is generated from the parameter table; the tests
# fail when docs/parameters.md differs from what this writes.
docs: salesplan
	$(Q)mkdir -p docs
	$(Q)./salesplan --params-markdown > docs/parameters.md
