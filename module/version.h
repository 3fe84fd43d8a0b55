/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The version of pktcraft: the one place it is written. The module
 * includes this file; the library, the CLI, the Python package, the DKMS
 * file and the man page get the number from here through the build
 * (Makefile, scripts/install).
 */
#ifndef PKTCRAFT_VERSION
#define PKTCRAFT_VERSION "0.1.0"
#endif
