// SPDX-License-Identifier: GPL-2.0
/*
 * nsexec CMD [ARG...]: runs CMD as root of a new user and network namespace
 * made by uid 65534 (a container's root, unprivileged outside), from the
 * guest's real root and back in its chroot (tests/lib/ctest.h: unshare -U
 * fails inside a chroot).
 */
#define _GNU_SOURCE
#include "../lib/ctest.h"
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: nsexec CMD [ARG...]\n");
		return 2;
	}
	if (enter_userns(CLONE_NEWNET, 1)) {
		fprintf(stderr, "nsexec: a user+net namespace as uid 65534: %s\n", strerror(errno));
		return 127;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "nsexec: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
