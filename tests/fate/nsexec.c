// SPDX-License-Identifier: GPL-2.0
/*
 * nsexec [-r] CMD [ARG...]: runs CMD as root of a new user and network
 * namespace made by uid 65534 (a container's root, unprivileged outside),
 * or with -r by the caller as it is (root of a container: a namespace
 * nested in it), from the real root and back in the guest's chroot
 * (tests/lib/ctest.h: unshare -U fails inside a chroot).
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
	int stay = argc > 1 && !strcmp(argv[1], "-r");

	if (argc < 2 + stay) {
		fprintf(stderr, "usage: nsexec [-r] CMD [ARG...]\n");
		return 2;
	}
	if (enter_userns(CLONE_NEWNET, !stay)) {
		fprintf(stderr, "nsexec: a user+net namespace%s: %s\n",
			stay ? "" : " as uid 65534", strerror(errno));
		return 127;
	}
	execvp(argv[1 + stay], argv + 1 + stay);
	fprintf(stderr, "nsexec: %s: %s\n", argv[1 + stay], strerror(errno));
	return 127;
}
