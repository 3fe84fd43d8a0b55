// SPDX-License-Identifier: GPL-2.0
/*
 * tests/lib/batch-stop: pktcraft_send_batch() splits a batch into
 * SEND_BATCH calls of PKTCRAFT_MAX_BATCH; with PKTCRAFT_BATCH_F_STOP it
 * must not start the next call after a request that stopped the kernel's,
 * including a burst the kernel cut short (a positive result, its
 * result_err set: docs/abi.md) as the last request of a full call, which
 * returns nr as a call that stopped nowhere does. Host only: this program's
 * ioctl() stands in for the module's (statically linked, the library's
 * calls reach it): a request with sport 7 and a count above 1 is a burst
 * cut short after its first packet; every other request is sent whole.
 * Prints PASS:/FAIL: lines; exit 1 on a failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pktcraft.h>
#include "libpktcraft.h"

#define N 1100

static struct pktcraft_req reqs[N];
static int32_t res[N];
static int calls;
static int failed;

int ioctl(int fd __attribute__((unused)), unsigned long cmd, ...)
{
	struct pktcraft_batch *b;
	int32_t *r;
	va_list ap;
	uint32_t i;

	va_start(ap, cmd);
	b = va_arg(ap, struct pktcraft_batch *);
	va_end(ap);
	if (cmd != PKTCRAFT_IOC_SEND_BATCH) {
		errno = ENOTTY;
		return -1;
	}
	calls++;
	r = (int32_t *)(uintptr_t)b->results;
	for (i = 0; i < b->nr; i++) {
		struct pktcraft_req *q = (void *)(uintptr_t)(b->reqs + (uint64_t)i * b->stride);
		int cut = q->count > 1 && q->sport == 7;

		r[i] = q->count > 1 ? (cut ? 1 : (int32_t)q->count) : 1;
		if (q->count > 1) {	/* the kernel writes a burst's back */
			q->sent = r[i];
			q->result_err = cut ? -ENODEV : 0;
		}
		if (cut && b->flags & PKTCRAFT_BATCH_F_STOP)
			return i + 1;
	}
	return b->nr;
}

/* A batch of N singles; @cut: a burst cut short there (-1: none); @stale:
 * a single there whose result_err holds an old burst's -EIO. */
static int run(int cut, int stale, unsigned int flags)
{
	int i;

	for (i = 0; i < N; i++) {
		pktcraft_req_init(&reqs[i]);
		reqs[i].sport = 1000;
	}
	if (cut >= 0) {
		reqs[cut].count = 3;
		reqs[cut].sport = 7;
	}
	if (stale >= 0)
		reqs[stale].result_err = -EIO;
	memset(res, 0xff, sizeof(res));
	calls = 0;
	return pktcraft_send_batch(3, reqs, sizeof(reqs[0]), N, res, flags);
}

static void verdict(int ok, const char *what, int rc)
{
	printf("%s: unit: library: %s%s", ok ? "PASS" : "FAIL", what, ok ? "\n" : "");
	if (!ok)
		printf(": returned %d after %d call(s), results[1024] %d\n", rc, calls, res[1024]);
	failed |= !ok;
}

int main(void)
{
	int rc;

	rc = run(1023, -1, PKTCRAFT_BATCH_F_STOP);
	verdict(rc == 1024 && calls == 1 && res[1023] == 1 && res[1024] == 0,
		"send_batch() with F_STOP: a burst cut short as the last request of a call of 1024 ends the batch (1024 handled, one call, the rest 0)",
		rc);
	rc = run(500, -1, PKTCRAFT_BATCH_F_STOP);
	verdict(rc == 501 && calls == 1 && res[501] == 0,
		"send_batch() with F_STOP: a burst cut short at 500 ends it there (501 handled)", rc);
	rc = run(1023, -1, 0);
	verdict(rc == N && calls == 2 && res[1024] == 1,
		"send_batch() without F_STOP: the same batch goes on (1100 handled, two calls)", rc);
	rc = run(-1, 1023, PKTCRAFT_BATCH_F_STOP);
	verdict(rc == N && calls == 2,
		"send_batch() with F_STOP: a single whose result_err is the caller's own (the kernel writes none back) does not stop it",
		rc);
	return failed;
}
