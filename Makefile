# SPDX-License-Identifier: GPL-2.0
# pktcraft: `make` builds the CLI, the library and the module for the running
# kernel; `make demo` and `make check` set everything up and run in a guest.

CC ?= gcc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat -Wformat-security
CPPFLAGS += -Imodule/uapi -Iuserspace -Ibuild/gen
STRICT ?=
ifeq ($(STRICT),1)
WARN += -Werror
KWERROR := KCFLAGS=-Werror
endif

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
STOCK_KVER = $(shell scripts/stock-kver)
STOCK_KDIR = /usr/src/linux-headers-$(STOCK_KVER)

# The one version (module/version.h); scripts/install writes it into the
# installed header, Python package and man page, dkms-install into dkms.conf.
VERSION := $(shell sed -n 's/^\#define PKTCRAFT_VERSION "\(.*\)"/\1/p' module/version.h)

# The files installed with the version written into them (make install).
STAMPED := build/stamp/libpktcraft.h build/stamp/pktcraft.8 build/stamp/__init__.py

build/stamp/libpktcraft.h: userspace/libpktcraft.h module/version.h
	@mkdir -p $(@D)
	sed -e '/^#include "\.\.\/module\/version\.h"$$/d' \
	    -e 's/^#define PKTCRAFT_LIB_VERSION PKTCRAFT_VERSION$$/#define PKTCRAFT_LIB_VERSION "$(VERSION)"/' $< >$@
	@grep -q '^#define PKTCRAFT_LIB_VERSION "$(VERSION)"$$' $@ && ! grep -q 'module/version\.h"$$' $@

build/stamp/pktcraft.8: man/pktcraft.8 module/version.h
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(VERSION)/g' $< >$@

build/stamp/__init__.py: python/pktcraft/__init__.py module/version.h
	@mkdir -p $(@D)
	sed 's/^__version__ = "@VERSION@"$$/__version__ = "$(VERSION)"/' $< >$@
	@grep -q '^__version__ = "$(VERSION)"$$' $@

# make install: where things go (DESTDIR is prepended to every path).
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/pktcraft
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
UDEVRULESDIR ?= $(DOCDIR)
PYTHON ?= /usr/bin/python3
# Debian's python3 reads /usr/lib/python3/dist-packages and
# /usr/local/lib/python3.X/dist-packages.
PYVER = $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo 3)
PYTHONDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/python3/dist-packages,$(PREFIX)/lib/python$(PYVER)/dist-packages)
DKMS_SRC = $(DESTDIR)/usr/src/pktcraft-$(VERSION)

LIB_SRCS := userspace/lib.c userspace/parse.c userspace/dump.c userspace/opts.c userspace/pcap.c \
	userspace/describe.c userspace/replies.c
LIB_OBJS := $(LIB_SRCS:userspace/%.c=build/user/%.o)
GEN_HDRS := build/gen/uapi_fields.h
MOD_SRCS := Kbuild $(wildcard module/Kbuild module/*.c module/*.h module/compat/*.h module/uapi/linux/*.h module/tests/*.c)

.PHONY: all userspace module modules-stock modules-debug modules-abi e2e-kernels demo check clean deps help man unit bench-scale
.PHONY: bench bench-curves bench-scale abi-matrix matrix docs gen lib-srcs
.PHONY: hardening fuzz fuzz-cli
.PHONY: install uninstall install-module-build dkms-install dkms-uninstall

all: userspace module

help:
	@echo "make            build CLI, library and module (running kernel: KDIR=$(KDIR))"
	@echo "make demo       set up, boot a guest, send the seed packet, show tshark's view"
	@echo "make check      set up and run every test (ends with 'N passed, N failed')"
	@echo "make bench      pktcraft against hping3, nping, mausezahn, trafgen, sockets, pktgen, XDP"
	@echo "                in a stock-kernel guest under QEMU -icount (BENCH_METRIC=wall: TCG time; build/bench.json),"
	@echo "                then make bench-curves (~10 min in all here)"
	@echo "make bench-curves  cost against frame size and burst length, perf profiles: a second guest;"
	@echo "                build/bench/curves.md, *.svg, profile-*.txt (bench.py --plot-only: redraw, no guest)"
	@echo "make bench-scale  a varied burst from 1, 2 and 4 CPUs (--cpus) in a 4-vCPU wall-clock guest, vCPUs pinned, 9 repetitions after a warm-up (~2 min); build/bench/scale.md"
	@echo "make fuzz       ioctl fuzzer in a debug-kernel guest, FUZZ_SECONDS=$(FUZZ_SECONDS); fails on any kernel report"
	@echo "make fuzz-cli   libFuzzer over the CLI's option parsers on the host, FUZZ_CLI_SECONDS=$(FUZZ_CLI_SECONDS)"
	@echo "make hardening  permissions, namespaces, hostile input, faults, concurrency, fuzz smoke (debug guest)"
	@echo "make docs       rewrite docs/boundary.md's transcripts from a guest run (and make man: the man page's option list)"
	@echo "make clean      remove build products"
	@echo "make install    install module, CLI, library, headers, man page, Python package"
	@echo "                (PREFIX=$(PREFIX), DESTDIR=...; see README 'Install')"
	@echo "make uninstall  remove exactly what make install installed"
	@echo "make dkms-install  sources to /usr/src/pktcraft-$(VERSION), then dkms add/build/install"

userspace: userspace/pktcraft build/user/libpktcraft.a build/user/libpktcraft.so build/user/libpktcraft.so.0

build/user/%.o: userspace/%.c userspace/libpktcraft.h userspace/cli.h userspace/internal.h \
		module/uapi/linux/pktcraft.h module/version.h $(GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -fPIC -c -o $@ $<

# Every UAPI struct's members: names from the header, offsets from gcc (the
# counters' names, --show-ioctl). Scripts that compile the library's sources
# themselves ask for them: make -s gen lib-srcs.
build/gen/uapi_fields.h: module/uapi/linux/pktcraft.h scripts/uapi-fields
	@mkdir -p $(@D)
	@scripts/uapi-fields $< >$@.tmp && mv $@.tmp $@

gen: $(GEN_HDRS)

lib-srcs:
	@echo $(LIB_SRCS)

build/user/libpktcraft.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

# Only pktcraft_* is exported (userspace/libpktcraft.map).
build/user/libpktcraft.so: $(LIB_OBJS) userspace/libpktcraft.map
	$(CC) -shared -Wl,-soname,libpktcraft.so.0 \
		-Wl,--version-script=userspace/libpktcraft.map -Wl,-z,defs \
		-o $@ $(LIB_OBJS) -lpcap -lm

build/user/libpktcraft.so.0: build/user/libpktcraft.so
	ln -sfn libpktcraft.so $@

userspace/pktcraft: build/user/pktcraft.o build/user/cli-burst.o build/user/cli-replies.o build/user/libpktcraft.a
	$(CC) $(CFLAGS) -pthread -o $@ $^ -lpcap -lm

# The module for the running kernel (or KDIR=...), built in place.
module:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "pktcraft: no kernel build tree at $(KDIR); install linux-headers-$(KVER) or pass KDIR=..." >&2; \
		echo "pktcraft: (to build for the test guests use: make modules-stock / modules-debug)" >&2; \
		exit 1; fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KWERROR) modules

# The man page's option list, from the option table (tests/cli/man-options
# checks it is current).
man: userspace/pktcraft
	@tests/cli/man-options --write

# docs/boundary.md's transcripts, made by running the tour in a stock-kernel
# guest (make check fails when they are stale: tests/docs/tour.py --check).
docs: userspace modules-stock
	@/usr/bin/python3 tests/docs/tour.py --update

# Host-only checks: the CLI's arguments, help, man page, Python binding,
# pcap writer, decoder; no guest, no module (tests/unit/run).
unit: userspace
	@tests/unit/run

# Modules for the guests, each in its own copy of the sources.
build/mod-%/.src: $(MOD_SRCS)
	@mkdir -p $(@D)
	@rm -rf $(@D)/module && cp -r Kbuild module $(@D)/ && touch $@

modules-stock: build/mod-stock/.src
	$(MAKE) -s -C $(STOCK_KDIR) M=$(CURDIR)/build/mod-stock KCFLAGS=-Werror modules

# The module against another Debian ABI's headers (unpacked, not installed:
# scripts/deps headers), for tests/vm/run --kernel stock:ABI.
modules-abi: $(if $(ABI),build/mod-stock-$(ABI)/.src)
	@$(if $(ABI),,echo "usage: make modules-abi ABI=<abi> (e.g. 6.1.0-47-amd64)" >&2; exit 2)
	$(MAKE) -s -C "$$(scripts/deps headers linux-headers-$(ABI) | tail -n 1)" \
		M=$(CURDIR)/build/mod-stock-$(ABI) KCFLAGS=-Werror modules

modules-debug: build/mod-debug/.src
	$(MAKE) -s -C $(shell tests/kernel/build-debug) M=$(CURDIR)/build/mod-debug KCFLAGS=-Werror modules

deps:
	@scripts/deps all

demo:
	@scripts/deps vm
	@$(MAKE) -s STRICT=1 userspace modules-stock
	@tests/demo

check:
	@scripts/deps all
	@tests/check

# Hardening (tests/hardening/README.md). make fuzz: the in-guest ioctl fuzzer
# on the debug kernel for FUZZ_SECONDS; fails on a kernel report (KASAN,
# lockdep, kmemleak, ...) or an undocumented errno, prints the ioctl count.
FUZZ_SECONDS ?= 600
FUZZ_CLI_SECONDS ?= 60
fuzz:
	@scripts/deps all
	@tests/hardening/run --kernel debug --only fuzz --fuzz-seconds $(FUZZ_SECONDS) \
		--cli-fuzz-seconds 0

fuzz-cli:
	@tests/hardening/fuzz-cli $(FUZZ_CLI_SECONDS)

hardening:
	@scripts/deps all
	@tests/hardening/run --kernel debug

clean:
	rm -rf build userspace/pktcraft
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -f module/*.o module/*.ko module/*.mod* module/.*.cmd Module.symvers modules.order .*.cmd

build/tests/refusals: tests/e2e/refusals.c tests/lib/ctest.h module/uapi/linux/pktcraft.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Werror -o $@ $<

# Injection points and fates straight through the UAPI (tests/fate/fate.py).
build/tests/fatesend: tests/fate/fatesend.c module/uapi/linux/pktcraft.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Werror -o $@ $<

# Benchmark: a program run in a guest on the stock kernel (tests/bench/).
build/tests/pcbench: tests/bench/pcbench.c build/user/libpktcraft.a module/uapi/linux/pktcraft.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Werror -o $@ $< build/user/libpktcraft.a -lpcap

bench:
	@scripts/deps bench
	@$(MAKE) -s STRICT=1 userspace modules-stock build/tests/pcbench
	@/usr/bin/python3 tests/bench/bench.py
	@/usr/bin/python3 tests/bench/bench.py --curves

# How a burst scales over CPUs (--cpus 1, 2, 4) in a 4-vCPU wall-clock guest.
bench-scale:
	@scripts/deps bench
	@$(MAKE) -s STRICT=1 userspace modules-stock
	@/usr/bin/python3 tests/bench/scale.py

bench-curves:
	@scripts/deps bench
	@$(MAKE) -s STRICT=1 userspace modules-stock build/tests/pcbench
	@/usr/bin/python3 tests/bench/bench.py --curves

# ------------------------------------------------------------------ install
# The module is installed by the kernel's modules_install for KVER/KDIR; with
# no tree there (e.g. a host kernel without headers) the module built against
# Debian's stock headers (make modules-stock) is installed for that kernel.
ifneq ($(wildcard $(KDIR)/Makefile),)
install-module-build: module
install: MOD_KDIR = $(KDIR)
install: MOD_M = $(CURDIR)
else
install-module-build:
	@echo "pktcraft: no kernel tree for $(KVER) at $(KDIR): installing the module built against Debian's $(STOCK_KVER) headers ($(STOCK_KDIR)) instead" >&2
	@$(MAKE) -s modules-stock
install: MOD_KDIR = $(STOCK_KDIR)
install: MOD_M = $(CURDIR)/build/mod-stock
endif

INSTALL_ENV = DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" SBINDIR="$(SBINDIR)" \
	LIBDIR="$(LIBDIR)" INCLUDEDIR="$(INCLUDEDIR)" MANDIR="$(MANDIR)" \
	DOCDIR="$(DOCDIR)" PKGCONFIGDIR="$(PKGCONFIGDIR)" PYTHONDIR="$(PYTHONDIR)" \
	UDEVRULESDIR="$(UDEVRULESDIR)" VERSION="$(VERSION)"

install: userspace install-module-build $(STAMPED)
	@$(INSTALL_ENV) MOD_KDIR="$(MOD_KDIR)" MOD_M="$(MOD_M)" scripts/install install

uninstall:
	@$(INSTALL_ENV) scripts/install uninstall

# DKMS: the module's sources and dkms.conf in /usr/src/pktcraft-VERSION; dkms
# builds, installs (and on Debian signs) it for every kernel it manages.
DKMS_FILES := Kbuild $(filter-out Kbuild %.mod.c,$(MOD_SRCS))

dkms-install:
	@rm -rf "$(DKMS_SRC)"
	@mkdir -p "$(DKMS_SRC)"
	@cp --parents $(DKMS_FILES) "$(DKMS_SRC)/"
	@sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' dkms.conf >"$(DKMS_SRC)/dkms.conf"
	@echo "pktcraft: module sources and dkms.conf copied to $(DKMS_SRC)"
	@if [ -n "$(DESTDIR)" ]; then \
		echo "pktcraft: DESTDIR is set: dkms not run (on the target: dkms install pktcraft/$(VERSION))"; \
	elif ! command -v dkms >/dev/null; then \
		echo "pktcraft: dkms is not installed (apt-get install dkms), so nothing was built;" >&2; \
		echo "pktcraft: after installing it run: dkms install pktcraft/$(VERSION)" >&2; \
		exit 1; \
	else \
		dkms remove pktcraft/$(VERSION) --all >/dev/null 2>&1 || true; \
		dkms add pktcraft/$(VERSION) && dkms build pktcraft/$(VERSION) && \
		dkms install pktcraft/$(VERSION); \
	fi

dkms-uninstall:
	@if [ -z "$(DESTDIR)" ] && command -v dkms >/dev/null; then \
		dkms remove pktcraft/$(VERSION) --all || true; fi
	rm -rf "$(DKMS_SRC)"

# The module against every kernel headers ABI Debian 12 offers (-Werror),
# and every device kind x qdisc x namespace on the debug kernel: long runs of
# their own (tests/static/abi-matrix, tests/matrix/README.md).
abi-matrix:
	@scripts/deps all
	@tests/static/abi-matrix

matrix:
	@scripts/deps all
	@tests/matrix/run --kernel debug

# The e2e quick subset (tests/e2e/e2e.py --quick) on other Debian kernels,
# booted from their unpacked images (tests/vm/run --kernel stock:ABI): by
# default the oldest and newest 6.1 ABI and the newest 6.12 apt offers.
E2E_ABIS ?= $(shell scripts/deps e2e-abis)
e2e-kernels:
	@scripts/deps all
	@$(MAKE) -s STRICT=1 userspace build/tests/refusals
	@rc=0; for a in $(E2E_ABIS); do \
		if $(MAKE) -s modules-abi ABI=$$a; then \
			/usr/bin/python3 tests/e2e/e2e.py --quick --kernel stock:$$a || rc=1; \
		else echo "FAIL: e2e[stock:$$a]: make modules-abi ABI=$$a failed"; rc=1; fi; \
	done; exit $$rc
