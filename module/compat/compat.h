/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels pktcraft builds against (Debian 12's 6.1
 * ABIs and 6.12), in one place, in the manner of WireGuard's compat.h: the
 * rest of the module is written for the newest kernel.
 */
#ifndef _PKTCRAFT_COMPAT_H
#define _PKTCRAFT_COMPAT_H

#include <linux/version.h>

#endif /* _PKTCRAFT_COMPAT_H */
