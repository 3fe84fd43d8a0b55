/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libpktcraft internals shared by its source files (never installed; the
 * names are not exported from libpktcraft.so: they lack the pktcraft_
 * prefix of libpktcraft.map).
 */
#ifndef PKTCRAFT_INTERNAL_H
#define PKTCRAFT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "libpktcraft.h"

/*
 * The real sizes of the packet a request builds. IPv6: ip_hlen is 40 (no
 * options), ext_len the extension headers' bytes (padding included, as the
 * kernel builds them, whatever a forced Hdr Ext Len says).
 */
struct pktc_layout {
	size_t ip_hlen, ip_optlen;	/* IPv4 header (padded), options given */
	size_t ext_len;			/* IPv6 extension headers (0 on IPv4) */
	size_t l4_off;			/* layer 4 header from the IP header: ip_hlen + ext_len */
	size_t l4_hlen, l4_optlen;	/* layer 4 header, TCP options given */
	size_t ip_len;			/* the whole IP packet (IPv6: 40 + payload length) */
};

/*
 * 0 when the request's option lengths are out of range, or its extension
 * headers cannot be walked (no layout).
 */
int pktc_layout(const struct pktcraft_req *req, struct pktc_layout *l);

/*
 * AF_INET or AF_INET6: a request's family (IPv4 for one older than version
 * 3). Library functions read and write only req->size bytes of a request:
 * pktc_req_copy() copies those, the rest of dst zeroed.
 */
int pktc_family(const struct pktcraft_req *req);
void pktc_req_copy(struct pktcraft_req *dst, const struct pktcraft_req *src);
/* Whether a request holds a destination (dst 1) or a source of its family. */
int pktc_holds(const struct pktcraft_req *req, int dst);

/*
 * An IPv6 request's extension headers (NULL: none, or not IPv6), in this
 * process's memory; the length of one on the wire (padding included).
 */
const struct pktcraft_ext *pktc_exts(const struct pktcraft_req *req);
size_t pktc_ext_size(const struct pktcraft_ext *e);

/*
 * An option list of len bytes: the length of the option at off, or 0 when
 * it claims more bytes than are left (or fewer than 2). EOL and NOP are 1.
 */
size_t pktc_opt_len(const uint8_t *o, size_t off, size_t len);

/* The first option of a list that does not fit, or -1. */
long pktc_opts_bad(const uint8_t *o, size_t len);

/* Layer 4 names as the decoders use them: "tcp", "udp", "icmp", NULL. */
const char *pktc_l4_key(int l4);

/*
 * One member of a UAPI struct (build/gen/uapi_fields.h, from the header by
 * scripts/uapi-fields): size is the whole member, elem one element of it
 * (equal for scalars); sub describes a member that is a struct.
 */
enum pktc_field_kind {
	PKTCRAFT_FIELD_UNSIGNED,
	PKTCRAFT_FIELD_SIGNED,
	PKTCRAFT_FIELD_STRUCT,
};

struct pktcraft_field {
	const char *name;
	size_t offset, size, elem;
	enum pktc_field_kind kind;
	const struct pktcraft_field *sub;
};

struct pktcraft_struct_fields {
	const char *name;
	size_t size;
	const struct pktcraft_field *fields;
};

/* ioctl(), shown on the stream pktcraft_show_ioctl() set, if any. */
int pktc_ioctl(int fd, unsigned long cmd, void *arg);

#endif
