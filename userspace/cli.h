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

int cli_has_vary(const struct pktcraft_req *req);
/* Sends o->count packets in bursts of at most PKTCRAFT_MAX_COUNT; exit code. */
int cli_run_burst(int fd, struct pktcraft_req *req, const struct burst_opts *o);
/* pktcraft stats [--json] */
int cmd_stats(int argc, char **argv);

#endif
