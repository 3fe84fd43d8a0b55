/* SPDX-License-Identifier: GPL-2.0 */
/* pktcraft CLI: bursts, pacing and statistics (cli-burst.c). */
#ifndef PKTCRAFT_CLI_H
#define PKTCRAFT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include "libpktcraft.h"

struct burst_opts {
	uint64_t count;		/* packets; UINT64_MAX: until interrupted */
	uint64_t gap_ns;	/* 0: as fast as possible */
	int progress;		/* --progress (stderr being a tty also does) */
	int json, quiet;
};

/* --vary FIELD=inc:MIN-MAX[/STEP] | FIELD=rand:MIN-MAX; 0 or -EINVAL + err. */
int cli_parse_vary(struct pktcraft_req *req, const char *arg, char *err,
		   size_t errlen);
/* --rate PPS (decimal, may have a fraction) into a gap; 0 or -EINVAL. */
int cli_parse_rate(const char *arg, uint64_t *gap_ns);
/* --interval: a number of microseconds, or a number with ns/us/ms/s. */
int cli_parse_interval(const char *arg, uint64_t *gap_ns);
/*
 * Varied fields not given on the command line start at their minimum;
 * given is a mask of 1 << PKTCRAFT_VARY_* of the fields that were.
 * Returns 0 or -EINVAL (and err) when a given value is outside its range.
 */
int cli_vary_start(struct pktcraft_req *req, unsigned int given, char *err,
		   size_t errlen);
int cli_has_vary(const struct pktcraft_req *req);
/* Sends o->count packets in bursts of at most PKTCRAFT_MAX_COUNT; exit code. */
int cli_run_burst(int fd, struct pktcraft_req *req, const struct burst_opts *o);
/* pktcraft stats [--json] */
int cmd_stats(int argc, char **argv);

#endif
