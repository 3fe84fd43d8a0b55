/* SPDX-License-Identifier: GPL-2.0 */
/* pktcraft CLI: bursts, pacing and statistics (cli-burst.c). */
#ifndef PKTCRAFT_CLI_H
#define PKTCRAFT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include "libpktcraft.h"

/*
 * Replies and fates (cli-replies.c): l NULL: replies are not read; fate:
 * print each packet's fate (--fate). Zero it, set wait_ms, json, quiet,
 * fate, then cli_replies_open() (before sending), cli_sent() after each
 * SEND (prints its fates and the replies queued so far),
 * cli_replies_wait() after the last (waits wait_ms, or until every packet
 * is answered; returns a signal number that stopped the wait, or 0), and
 * cli_replies_summary() (the fates' and the replies' summaries).
 */
#define CLI_MAX_REASONS 32
struct cli_replies {
	struct pktcraft_listener *l;
	uint64_t wait_ms;
	int json, quiet, fate;
	unsigned long index;			/* the next packet's number */
	unsigned long received, dups, rtt_n;
	int64_t rtt_min, rtt_max;
	double rtt_sum;
	unsigned long fates[PKTCRAFT_FATE_DROPPED + 1];
	struct { char name[33]; unsigned long n; } reasons[CLI_MAX_REASONS];
	int nreasons;
	int listened;				/* replies were read */
	unsigned long lost;			/* frames the packet socket dropped */
};

int cli_replies_open(struct cli_replies *cr, const struct pktcraft_req *req);
void cli_sent(struct cli_replies *cr, const struct pktcraft_req *req, unsigned int n,
	      const struct pktcraft_fate *fates);
int cli_replies_wait(struct cli_replies *cr, uint64_t sent, int interrupted);
void cli_replies_summary(struct cli_replies *cr, const char *dst, uint64_t sent);

struct burst_opts {
	uint64_t count;		/* packets; UINT64_MAX: until interrupted */
	uint64_t gap_ns;	/* 0: as fast as possible */
	int progress;		/* --progress (stderr being a tty also does) */
	int json, quiet;
	struct cli_replies *replies;	/* replies and fates, or NULL */
	const char *dst;		/* the destination, for the replies' summary */
	unsigned int cpus;		/* --cpus: threads, one per CPU (0, 1: one) */
};

int cli_has_vary(const struct pktcraft_req *req);
/* Sends o->count packets in bursts of at most PKTCRAFT_MAX_COUNT; exit code. */
/* The CPUs this process may run on (sched_getaffinity), at most max: count or -errno. */
int cli_allowed_cpus(int *cpus, int max);
int cli_run_burst(int fd, struct pktcraft_req *req, const struct burst_opts *o);
/* pktcraft stats [--json] */
int cmd_stats(int argc, char **argv);

#endif
