# SPDX-License-Identifier: GPL-2.0
# pktcraft: `make` builds the CLI, the library and the module for the running
# kernel; `make demo` and `make check` set everything up and run in a guest.

CC ?= gcc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat -Wformat-security
CPPFLAGS += -Imodule/uapi -Iuserspace
STRICT ?=
ifeq ($(STRICT),1)
WARN += -Werror
KWERROR := KCFLAGS=-Werror
endif

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
STOCK_KVER = $(shell scripts/stock-kver)
STOCK_KDIR = /usr/src/linux-headers-$(STOCK_KVER)

LIB_SRCS := userspace/lib.c userspace/parse.c userspace/dump.c
LIB_OBJS := $(LIB_SRCS:userspace/%.c=build/user/%.o)
MOD_SRCS := Kbuild $(wildcard module/Kbuild module/*.c module/*.h module/uapi/linux/*.h module/tests/*.c)

.PHONY: all userspace module modules-stock modules-debug demo check clean deps help

all: userspace module

help:
	@echo "make            build CLI, library and module (running kernel: KDIR=$(KDIR))"
	@echo "make demo       set up, boot a guest, send the seed packet, show tshark's view"
	@echo "make check      set up and run every test (ends with 'N passed, N failed')"
	@echo "make clean      remove build products"

userspace: userspace/pktcraft build/user/libpktcraft.a build/user/libpktcraft.so

build/user/%.o: userspace/%.c userspace/libpktcraft.h module/uapi/linux/pktcraft.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -fPIC -c -o $@ $<

build/user/libpktcraft.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

build/user/libpktcraft.so: $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libpktcraft.so.0 -o $@ $^ -lpcap

userspace/pktcraft: build/user/pktcraft.o build/user/libpktcraft.a
	$(CC) $(CFLAGS) -o $@ $^ -lpcap

# The module for the running kernel (or KDIR=...), built in place.
module:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "pktcraft: no kernel build tree at $(KDIR); install linux-headers-$(KVER) or pass KDIR=..." >&2; \
		echo "pktcraft: (to build for the test guests use: make modules-stock / modules-debug)" >&2; \
		exit 1; fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KWERROR) modules

# Modules for the guests, each in its own copy of the sources.
build/mod-%/.src: $(MOD_SRCS)
	@mkdir -p $(@D)
	@rm -rf $(@D)/module && cp -r Kbuild module $(@D)/ && touch $@

modules-stock: build/mod-stock/.src
	$(MAKE) -s -C $(STOCK_KDIR) M=$(CURDIR)/build/mod-stock KCFLAGS=-Werror modules

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

clean:
	rm -rf build userspace/pktcraft
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -f module/*.o module/*.ko module/*.mod* module/.*.cmd Module.symvers modules.order .*.cmd

build/tests/refusals: tests/e2e/refusals.c module/uapi/linux/pktcraft.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Werror -o $@ $<
