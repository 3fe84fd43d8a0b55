// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoints' one definition (trace.h lists them).
 */
#include "pktcraft.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
