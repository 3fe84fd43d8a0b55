// SPDX-License-Identifier: LGPL-2.1-or-later
/* libpktcraft: the device, requests and errors. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <net/if.h>
#include "libpktcraft.h"
#include "internal.h"

_Static_assert(sizeof(struct pktcraft_req) == PKTCRAFT_REQ_SIZE_VER4,
	       "struct pktcraft_req has holes or changed size");
_Static_assert(sizeof(struct pktcraft_build) == PKTCRAFT_BUILD_SIZE_VER0,
	       "struct pktcraft_build has holes or changed size");
_Static_assert(sizeof(struct pktcraft_ext) == PKTCRAFT_EXT_SIZE,
	       "struct pktcraft_ext has holes or changed size");
_Static_assert(sizeof(struct pktcraft_fate) == PKTCRAFT_FATE_SIZE,
	       "struct pktcraft_fate has holes or changed size");

int pktcraft_open(void)
{
	int fd = open(PKTCRAFT_DEVICE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

void pktcraft_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

static void req_init(struct pktcraft_req *req, size_t size)
{
	memset(req, 0, size);
	req->size = size;
	req->ip_ttl = 64;
	req->tcp_flags = PKTCRAFT_TCP_SYN;
	req->tcp_win = 65535;
	req->sport = PKTCRAFT_DEFAULT_SPORT;
	req->dport = PKTCRAFT_DEFAULT_DPORT;
}

/*
 * pktcraft_req_init@@LIBPKTCRAFT_0.3, what programs built with this header
 * call; pktcraft_req_init@LIBPKTCRAFT_0.2 and @LIBPKTCRAFT_0.1, what
 * programs built against the version 3 header (360-byte requests) and the
 * version 2 one (296 bytes) were bound to: their structs are smaller. (A
 * static link sees only the default one.)
 */
void pktc_req_init_v4(struct pktcraft_req *req);
void pktc_req_init_v3(struct pktcraft_req *req);
void pktc_req_init_v2(struct pktcraft_req *req);
__asm__(".symver pktc_req_init_v4, pktcraft_req_init@@LIBPKTCRAFT_0.3");
__asm__(".symver pktc_req_init_v3, pktcraft_req_init@LIBPKTCRAFT_0.2");
__asm__(".symver pktc_req_init_v2, pktcraft_req_init@LIBPKTCRAFT_0.1");

void pktc_req_init_v4(struct pktcraft_req *req)
{
	req_init(req, sizeof(*req));
}

void pktc_req_init_v3(struct pktcraft_req *req)
{
	req_init(req, PKTCRAFT_REQ_SIZE_VER3);
}

void pktc_req_init_v2(struct pktcraft_req *req)
{
	req_init(req, PKTCRAFT_REQ_SIZE_VER2);
}

int pktcraft_req_set_payload(struct pktcraft_req *req, const void *data,
			     size_t len)
{
	if (len > 0xffff)
		return -EMSGSIZE;
	req->payload = (uintptr_t)data;
	req->payload_len = len;
	return 0;
}

const char *pktcraft_version(void)
{
	return PKTCRAFT_LIB_VERSION;
}

int pktcraft_module_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/pktcraft/version", "re");
	char line[64];
	size_t n;

	if (!f)
		return -ENOENT;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	n = strcspn(line, "\n");
	if (n >= len)
		return -ENOSPC;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return 0;
}

int pktcraft_resolve_ipv4(const char *name, uint32_t *be_addr, char *err,
			  size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res;
	const char *p;
	int rc;

	if (!name || !*name) {
		if (err && errlen)
			snprintf(err, errlen, "an empty address");
		return -EINVAL;
	}
	if (!pktcraft_parse_ipv4(name, be_addr))
		return 0;
	for (p = name; *p && (*p == '.' || (*p >= '0' && *p <= '9')); p++)
		;
	if (!*p || strlen(name) > 253) {	/* digits and dots: not a name */
		if (err && errlen)
			snprintf(err, errlen, "'%s' is not an IPv4 address", name);
		return -EINVAL;
	}
	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc) {
		if (err && errlen)
			snprintf(err, errlen, "cannot resolve '%s': %s", name,
				 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -EINVAL;
	}
	*be_addr = ((const struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr;
	freeaddrinfo(res);
	return 0;
}

int pktcraft_resolve(const char *name, int family, int *family_out,
		     uint8_t addr[16], char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_INET6 }, *res;
	uint32_t be;
	int rc;

	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) {
		if (err && errlen)
			snprintf(err, errlen, "address family %d is neither IPv4 nor IPv6", family);
		return -EINVAL;
	}
	if (name && strchr(name, ':')) {	/* only IPv6 literals have colons */
		if (pktcraft_parse_ipv6(name, addr) || family == AF_INET) {
			if (err && errlen)
				snprintf(err, errlen, family == AF_INET && !pktcraft_parse_ipv6(name, addr) ?
					 "'%s' is an IPv6 address, and IPv4 was asked for" :
					 "'%s' is not an IPv6 address", name);
			return -EINVAL;
		}
		*family_out = AF_INET6;
		return 0;
	}
	if (family != AF_INET6) {
		rc = pktcraft_resolve_ipv4(name, &be, err, errlen);
		if (rc)
			return rc;
		memcpy(addr, &be, 4);
		*family_out = AF_INET;
		return 0;
	}
	if (name && !pktcraft_parse_ipv4(name, &be)) {
		if (err && errlen)
			snprintf(err, errlen, "'%s' is an IPv4 address, and IPv6 was asked for", name);
		return -EINVAL;
	}
	if (!name || !*name || strlen(name) > 253) {
		if (err && errlen)
			snprintf(err, errlen, "%s", name && *name ? "a host name longer than 253 bytes" :
				 "an empty address");
		return -EINVAL;
	}
	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc) {
		if (err && errlen)
			snprintf(err, errlen, "cannot resolve '%s' as IPv6: %s", name,
				 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -EINVAL;
	}
	memcpy(addr, &((const struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
	freeaddrinfo(res);
	*family_out = AF_INET6;
	return 0;
}

static int is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

/* The request's family: AF_INET or AF_INET6 (an older request: IPv4). */
int pktc_family(const struct pktcraft_req *req)
{
	return req->size >= PKTCRAFT_REQ_SIZE_VER3 && req->family == AF_INET6 ? AF_INET6 : AF_INET;
}

int pktcraft_req_set_family(struct pktcraft_req *req, int family)
{
	int cur = pktc_family(req);

	if (!family)
		family = AF_INET;
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if (family == AF_INET6 && req->size < PKTCRAFT_REQ_SIZE_VER3)
		return -EINVAL;
	if (family == cur)
		return 0;
	req->ip_saddr = req->ip_daddr = 0;
	req->ip_ihl = 0;
	req->ip_id = req->ip_frag = req->ip_csum = 0;
	req->ip_optlen = 0;
	memset(req->ip_opts, 0, sizeof(req->ip_opts));
	req->ip_tot_len = 0;
	req->flags &= ~(PKTCRAFT_F_IP_ID | PKTCRAFT_F_IP_CSUM | PKTCRAFT_F_IP_IHL |
			PKTCRAFT_F_IP_SADDR | PKTCRAFT_F_IP_TOT_LEN | PKTCRAFT_F_IP6_NEXTHDR);
	memset(&req->vary[PKTCRAFT_VARY_IP_ID], 0, sizeof(req->vary[0]));
	memset(&req->vary[PKTCRAFT_VARY_IP_SADDR], 0, sizeof(req->vary[0]));
	if (req->size >= PKTCRAFT_REQ_SIZE_VER3) {
		req->ip6_nexthdr = 0;
		req->ext_nr = 0;
		req->ext = 0;
		req->ip6_flowlabel = 0;
		memset(req->ip6_saddr, 0, sizeof(req->ip6_saddr));
		memset(req->ip6_daddr, 0, sizeof(req->ip6_daddr));
		memset(&req->vary_flowlabel, 0, sizeof(req->vary_flowlabel));
		req->family = family == AF_INET6 ? AF_INET6 : 0;
	}
	if (req->l4 == PKTCRAFT_L4_ICMP && req->icmp_type == (family == AF_INET6 ? 8 : 128))
		req->icmp_type = family == AF_INET6 ? 128 : 8;
	return 0;
}

int pktc_holds(const struct pktcraft_req *req, int dst)
{
	if (pktc_family(req) == AF_INET6)
		return !is_zero(dst ? req->ip6_daddr : req->ip6_saddr, 16) ||
		       (!dst && req->flags & PKTCRAFT_F_IP_SADDR);
	return dst ? req->ip_daddr != 0 : req->ip_saddr || req->flags & PKTCRAFT_F_IP_SADDR;
}

static int set_addr(struct pktcraft_req *req, const char *addr, int dst)
{
	uint8_t a[16];
	uint32_t be;
	int fam, rc;

	if (!addr)
		return -EINVAL;
	/* A literal is what it is; a name is looked up in the request's family. */
	rc = pktcraft_resolve(addr, strchr(addr, ':') || !pktcraft_parse_ipv4(addr, &be) ?
			      AF_UNSPEC : pktc_family(req), &fam, a, NULL, 0);
	if (rc)
		return rc;
	if (fam != pktc_family(req)) {
		if (pktc_holds(req, !dst))
			return -EAFNOSUPPORT;
		rc = pktcraft_req_set_family(req, fam);
		if (rc)
			return rc;
	}
	if (fam == AF_INET6)
		memcpy(dst ? req->ip6_daddr : req->ip6_saddr, a, 16);
	else
		memcpy(dst ? &req->ip_daddr : &req->ip_saddr, a, 4);
	if (!dst)
		req->flags |= PKTCRAFT_F_IP_SADDR;
	return 0;
}

int pktcraft_req_set_dst(struct pktcraft_req *req, const char *addr)
{
	return set_addr(req, addr, 1);
}

int pktcraft_req_set_src(struct pktcraft_req *req, const char *addr)
{
	return set_addr(req, addr, 0);
}

void pktcraft_req_set_ip_id(struct pktcraft_req *req, uint16_t id)
{
	req->ip_id = id;
	req->flags |= PKTCRAFT_F_IP_ID;
}

int pktcraft_req_set_dst_mac(struct pktcraft_req *req, const char *mac)
{
	return pktcraft_parse_mac(mac, req->dst_mac);
}

int pktcraft_req_set_src_mac(struct pktcraft_req *req, const char *mac)
{
	return pktcraft_parse_mac(mac, req->src_mac);
}

int pktcraft_req_set_dev(struct pktcraft_req *req, const char *ifname)
{
	unsigned int idx = if_nametoindex(ifname);

	if (!idx)
		return errno == ENODEV || errno == ENXIO || !errno ? -ENODEV : -errno;
	req->ifindex = idx;
	return 0;
}

/* The defaults of a layer 4 kind when a request changes to it. */
int pktcraft_req_set_l4(struct pktcraft_req *req, int l4)
{
	int had_ports = req->l4 == PKTCRAFT_L4_TCP || req->l4 == PKTCRAFT_L4_UDP;

	if (l4 < PKTCRAFT_L4_TCP || l4 > PKTCRAFT_L4_RAW)
		return -EINVAL;
	if (req->l4 == l4)
		return 0;
	req->l4 = l4;
	req->tcp_seq = req->tcp_ack = 0;
	req->tcp_flags = req->tcp_win = req->tcp_urg = 0;
	req->tcp_doff = req->tcp_res = req->tcp_optlen = 0;
	memset(req->tcp_opts, 0, sizeof(req->tcp_opts));
	req->udp_len = 0;
	req->icmp_type = req->icmp_code = 0;
	req->icmp_id = req->icmp_seq = 0;
	req->ip_protocol = 0;
	req->flags &= ~PKTCRAFT_F_L4_LEN;
	switch (l4) {
	case PKTCRAFT_L4_TCP:
		req->tcp_flags = PKTCRAFT_TCP_SYN;
		req->tcp_win = 65535;
		/* fall through */
	case PKTCRAFT_L4_UDP:
		if (!had_ports) {
			req->sport = PKTCRAFT_DEFAULT_SPORT;
			req->dport = PKTCRAFT_DEFAULT_DPORT;
		}
		break;
	case PKTCRAFT_L4_ICMP:
		/* echo request */
		req->icmp_type = pktc_family(req) == AF_INET6 ? 128 : 8;
		/* fall through */
	default:
		req->sport = req->dport = 0;
		memset(&req->vary[PKTCRAFT_VARY_SPORT], 0, 2 * sizeof(req->vary[0]));
		break;
	}
	if (l4 != PKTCRAFT_L4_TCP)
		memset(&req->vary[PKTCRAFT_VARY_TCP_SEQ], 0, sizeof(req->vary[0]));
	return 0;
}

int pktcraft_req_set_tcp_flags(struct pktcraft_req *req, const char *flags)
{
	return pktcraft_parse_tcp_flags(flags, &req->tcp_flags);
}

static int set_opts(uint8_t *dst, uint8_t *dst_len, const char *spec,
		    char *err, size_t errlen, int tcp)
{
	uint8_t opts[PKTCRAFT_MAX_OPTLEN] = { 0 };
	char why[160] = "";
	size_t len = 0;
	int rc;

	rc = tcp ? pktcraft_parse_tcp_opts(spec, opts, &len, why, sizeof(why)) :
		   pktcraft_parse_ip_opts(spec, opts, &len, why, sizeof(why));
	if (rc) {
		if (err && errlen)
			snprintf(err, errlen, "%s", why);
		return rc;
	}
	memcpy(dst, opts, PKTCRAFT_MAX_OPTLEN);
	*dst_len = len;
	return 0;
}

int pktcraft_req_set_tcp_opts(struct pktcraft_req *req, const char *spec,
			      char *err, size_t errlen)
{
	return set_opts(req->tcp_opts, &req->tcp_optlen, spec, err, errlen, 1);
}

int pktcraft_req_set_ip_opts(struct pktcraft_req *req, const char *spec,
			     char *err, size_t errlen)
{
	return set_opts(req->ip_opts, &req->ip_optlen, spec, err, errlen, 0);
}

/* ------------------------------------------------ extension headers */

struct pktcraft_exts {
	struct pktcraft_ext *e;
	uint8_t **data;		/* each one's bytes, owned */
	unsigned int n, cap;
};

struct pktcraft_exts *pktcraft_exts_new(void)
{
	return calloc(1, sizeof(struct pktcraft_exts));
}

void pktcraft_exts_free(struct pktcraft_exts *x)
{
	if (!x)
		return;
	for (unsigned int i = 0; i < x->n; i++)
		free(x->data[i]);
	free(x->data);
	free(x->e);
	free(x);
}

unsigned int pktcraft_exts_count(const struct pktcraft_exts *x)
{
	return x ? x->n : 0;
}

int pktcraft_exts_append(struct pktcraft_exts *x, const struct pktcraft_ext *e,
			 const void *data, size_t len)
{
	uint8_t *copy = NULL;

	if (!x || !e || len > PKTCRAFT_MAX_EXT_LEN || (len && !data))
		return -EINVAL;
	if (x->n >= PKTCRAFT_MAX_EXT)
		return -E2BIG;
	if (x->n == x->cap) {
		unsigned int cap = x->cap ? 2 * x->cap : 4;
		struct pktcraft_ext *ne = realloc(x->e, cap * sizeof(*ne));
		uint8_t **nd;

		if (!ne)
			return -ENOMEM;
		x->e = ne;
		nd = realloc(x->data, cap * sizeof(*nd));
		if (!nd)
			return -ENOMEM;
		x->data = nd;
		x->cap = cap;
	}
	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, len);
	}
	x->e[x->n] = *e;
	x->e[x->n].len = len;
	x->e[x->n].data = (uintptr_t)copy;
	x->data[x->n++] = copy;
	return 0;
}

int pktcraft_exts_add(struct pktcraft_exts *x, const char *spec, char *err,
		      size_t errlen)
{
	uint8_t data[PKTCRAFT_MAX_EXT_LEN];
	struct pktcraft_ext e;
	char why[200];
	size_t len;
	int rc;

	rc = pktcraft_parse_ext(spec, &e, data, sizeof(data), &len, why, sizeof(why));
	if (!rc)
		rc = pktcraft_exts_append(x, &e, data, len);
	if (rc && err && errlen)
		snprintf(err, errlen, "%s", rc == -EINVAL && !x ? "no list" :
			 rc == -EINVAL ? why : rc == -E2BIG ? "more than 32 extension headers" :
			 strerror(-rc));
	return rc;
}

int pktcraft_req_set_exts(struct pktcraft_req *req, const struct pktcraft_exts *x)
{
	if (pktc_family(req) != AF_INET6)
		return -EAFNOSUPPORT;
	req->ext = x && x->n ? (uintptr_t)x->e : 0;
	req->ext_nr = x ? x->n : 0;
	return 0;
}

int pktcraft_req_set_bad_csum(int fd, struct pktcraft_req *req)
{
	static const uint8_t at[] = { 16, 6, 2 };	/* TCP, UDP, ICMP */
	uint8_t frame[PKTCRAFT_MAX_FRAME];
	struct pktcraft_req r;
	struct pktc_layout l;
	size_t len = 0, off;
	int v6 = pktc_family(req) == AF_INET6, rc;

	if (req->l4 > PKTCRAFT_L4_ICMP || !pktc_layout(req, &l))
		return -EINVAL;
	pktc_req_copy(&r, req);
	r.flags &= ~PKTCRAFT_F_L4_CSUM;
	r.l4_csum = 0;
	memset(r.vary, 0, sizeof(r.vary));
	memset(&r.vary_flowlabel, 0, sizeof(r.vary_flowlabel));
	r.count = 0;
	rc = pktcraft_build(fd, &r, frame, sizeof(frame), &len, 0);
	if (rc < 0)
		return rc;
	/* The IP header follows a link header, if any (the frame's end). */
	if (len < l.ip_len)
		return -EINVAL;
	off = len - l.ip_len;
	if (len >= 14 + l.ip_len && frame[12] == (v6 ? 0x86 : 0x08) &&
	    frame[13] == (v6 ? 0xdd : 0x00))
		off = 14;
	off += l.l4_off + at[req->l4];
	if (off + 2 > len)
		return -EINVAL;
	req->l4_csum = (frame[off] << 8 | frame[off + 1]) ^ 0x5555;
	req->flags |= PKTCRAFT_F_L4_CSUM;
	return 0;
}

/*
 * A module older than request version 4 refuses (E2BIG) a request whose
 * only version 4 field is fates, asked for the hand-over times (the RTT's
 * start): it is sent again without them, its fates zeroed (xmit_ns 0, the
 * time unknown). fate_ms or inject it cannot do: those stay refused.
 */
static int fates_only(const struct pktcraft_req *req)
{
	return req->size >= PKTCRAFT_REQ_SIZE_VER4 && req->fates && !req->fate_ms &&
	       !req->inject && !req->reserved4[0] && !req->reserved4[1] && !req->reserved4[2];
}

static void fates_zero(const struct pktcraft_req *req)
{
	memset((void *)(uintptr_t)req->fates, 0,
	       (size_t)(req->count > 1 ? req->count : 1) * sizeof(struct pktcraft_fate));
}

/* SEND, or BUILD of b (whose req is req), with that fallback. */
static int send_or_build(int fd, struct pktcraft_req *req, struct pktcraft_build *b)
{
	struct pktcraft_req plain;
	int rc = pktc_ioctl(fd, b ? PKTCRAFT_IOC_BUILD : PKTCRAFT_IOC_SEND, b ? (void *)b : req);

	if (rc >= 0 || errno != E2BIG || !fates_only(req))
		return rc < 0 ? -errno : rc;
	pktc_req_copy(&plain, req);
	plain.fates = 0;
	if (b)
		b->req = (uintptr_t)&plain;
	rc = pktc_ioctl(fd, b ? PKTCRAFT_IOC_BUILD : PKTCRAFT_IOC_SEND, b ? (void *)b : &plain);
	if (b)
		b->req = (uintptr_t)req;
	rc = rc < 0 ? -errno : rc;
	fates_zero(req);
	/*
	 * A burst's write-back, each field apart: req may be the caller's
	 * const one (pktcraft_send), written only where a field changed.
	 */
	if (!b && plain.count > 1) {
		if (req->sent != plain.sent)
			req->sent = plain.sent;
		if (req->result_err != plain.result_err)
			req->result_err = plain.result_err;
		if (req->dropped != plain.dropped)
			req->dropped = plain.dropped;
	}
	return rc;
}

int pktcraft_send(int fd, const struct pktcraft_req *req)
{
	return send_or_build(fd, (struct pktcraft_req *)req, NULL);
}

int pktcraft_send_burst(int fd, struct pktcraft_req *req)
{
	return send_or_build(fd, req, NULL);
}

/*
 * Did the kernel cut request @r of a batch short, a burst it wrote
 * result_err back to (a request whose size covers it, with more than one
 * packet or pacing: a single one's result_err is the caller's own)? The
 * kernel's PKTCRAFT_BATCH_F_STOP stops after one, which the last request
 * of a full call looks like a call that stopped nowhere.
 */
static int batch_cut_short(const unsigned char *r, size_t stride)
{
	struct pktcraft_req q;
	uint32_t size;

	memcpy(&size, r, sizeof(size));
	/* a size above the stride was refused: its bytes may end sooner */
	if (size < offsetof(struct pktcraft_req, dropped) + sizeof(q.dropped) || size > stride)
		return 0;
	memcpy(&q, r, offsetof(struct pktcraft_req, dropped) + sizeof(q.dropped));
	return (q.count > 1 || q.gap_ns || q.start_ns) && q.result_err;
}

int pktcraft_send_batch(int fd, const void *reqs, size_t stride, unsigned int n,
			int32_t *results, unsigned int flags)
{
	unsigned int done = 0;
	int rc = 0;

	if (!n || !stride || stride > PKTCRAFT_MAX_STRIDE || flags & ~PKTCRAFT_BATCH_F_ALL)
		return -EINVAL;
	while (done < n) {
		struct pktcraft_batch b = {
			.size = sizeof(b),
			.flags = flags,
			.reqs = (uintptr_t)reqs + (uint64_t)done * stride,
			.results = (uintptr_t)(results + done),
			.nr = n - done < PKTCRAFT_MAX_BATCH ? n - done : PKTCRAFT_MAX_BATCH,
			.stride = stride,
		};

		rc = pktc_ioctl(fd, PKTCRAFT_IOC_SEND_BATCH, &b);
		if (rc < 0) {
			rc = -errno;
			break;
		}
		done += rc;
		/* stopped: by a signal, or at a failure (the last one handled) */
		if ((unsigned int)rc < b.nr ||
		    (flags & PKTCRAFT_BATCH_F_STOP &&
		     (results[done - 1] < 0 ||
		      batch_cut_short((const unsigned char *)reqs + (size_t)(done - 1) * stride,
				      stride))))
			break;
	}
	/* Stopped early: what no call reached reads "not tried" too. */
	if (rc >= 0 && done < n)
		memset(results + done, 0, (size_t)(n - done) * sizeof(*results));
	return rc < 0 && !done ? rc : (int)done;
}

int pktcraft_req_set_vary(struct pktcraft_req *req, unsigned int field,
			  unsigned int mode, uint32_t min, uint32_t max,
			  uint32_t step)
{
	struct pktcraft_vary *v;

	if ((field >= PKTCRAFT_VARY_NR && field != PKTCRAFT_VARY_FLOWLABEL) ||
	    mode > PKTCRAFT_VARY_RANDOM || min > max)
		return -EINVAL;
	if (field == PKTCRAFT_VARY_FLOWLABEL &&
	    (req->size < PKTCRAFT_REQ_SIZE_VER3 || max > 0xfffff))
		return -EINVAL;
	v = field == PKTCRAFT_VARY_FLOWLABEL ? &req->vary_flowlabel : &req->vary[field];
	memset(v, 0, sizeof(*v));
	if (mode == PKTCRAFT_VARY_NONE)
		return 0;
	v->mode = mode;
	v->min = min;
	v->max = max;
	v->step = mode == PKTCRAFT_VARY_INC ? (step ? step : 1) : 0;
	return 0;
}

int pktcraft_get_stats(int fd, struct pktcraft_stats *st)
{
	/* A program built against version 0 passes a struct of that size. */
	memset(st, 0, PKTCRAFT_STATS_SIZE_VER0);
	st->size = PKTCRAFT_STATS_SIZE_VER0;
	return pktc_ioctl(fd, PKTCRAFT_IOC_GET_STATS, st) < 0 ? -errno : 0;
}

int pktcraft_get_drops(int fd, struct pktcraft_drop_count *dc, unsigned int n)
{
	struct pktcraft_stats st;

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.flags = PKTCRAFT_STATS_F_DROPS;
	if (n) {
		st.drops = (uintptr_t)dc;
		st.nr_drops = n;
		st.drop_size = sizeof(*dc);
	}
	if (pktc_ioctl(fd, PKTCRAFT_IOC_GET_STATS, &st) < 0)
		/* A module older than version 1 knows no flag: EINVAL. */
		return errno == EINVAL ? -EOPNOTSUPP : -errno;
	return (int)st.nr_drops;
}

int pktcraft_build(int fd, const struct pktcraft_req *req, void *buf,
		   size_t buf_len, size_t *frame_len, int do_send)
{
	struct pktcraft_build b = {
		.size = sizeof(b),
		.flags = do_send ? PKTCRAFT_BUILD_F_SEND : 0,
		.req = (uintptr_t)req,
		.buf = (uintptr_t)buf,
		.buf_len = buf_len > UINT32_MAX ? UINT32_MAX : (uint32_t)buf_len,
	};
	int rc = send_or_build(fd, (struct pktcraft_req *)req, &b);

	if ((rc >= 0 || rc == -ENOSPC) && frame_len)
		*frame_len = b.frame_len;
	return rc;
}

/*
 * Whether modprobe can find pktcraft for the running kernel: installed by
 * make install (extra/) or by DKMS (updates/dkms/), compressed or not.
 */
static int module_installed(void)
{
	static const char *const where[] = { "extra/module", "extra", "updates/dkms" };
	static const char *const ext[] = { "", ".xz", ".zst", ".gz" };
	struct utsname u;
	char path[512];

	if (uname(&u))
		return 0;
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		for (size_t j = 0; j < sizeof(ext) / sizeof(ext[0]); j++) {
			snprintf(path, sizeof(path), "/lib/modules/%s/%s/pktcraft.ko%s",
				 u.release, where[i], ext[j]);
			if (!access(path, F_OK))
				return 1;
		}
	return 0;
}

const char *pktcraft_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return "success";
	case ENOENT:
		return module_installed() ?
		       "/dev/pktcraft does not exist: load the installed module (modprobe pktcraft)" :
		       "/dev/pktcraft does not exist: load the module (insmod module/pktcraft.ko in the source tree, or install it: make install; modprobe pktcraft)";
	case EACCES:
		return "permission denied: opening /dev/pktcraft (mode 0600: run as root or see the udev rule in the README; or an LSM refuses you a raw socket), or sending into a 'prohibit' route to the destination, or, for IPv6 with --inject ip, an LSM refuses you an IPv6 raw socket";
	case EPERM:
		return "not permitted: opening /dev/pktcraft needs CAP_NET_RAW in the user namespace owning your network namespace; --inject rx needs CAP_NET_ADMIN there (into a device another takes the frames of: a bridge, bond, macvlan or ipvlan port, a VLAN's lower device: in the initial user namespace); forcing the send buffer needs CAP_NET_ADMIN in the initial user namespace; or an IPsec policy blocks the destination; or, for IPv6 with --inject ip, you may not create an IPv6 raw socket (an LSM or cgroup rule)";
	case EINVAL:
		return "invalid request: a field is out of range, a reserved field or unknown flag is set, or a length disagrees with the real size without being forced (or a forced IPv4 IHL below 5 or past the packet's end, refused everywhere unless the admin allowed it, or a forced total length where the IP stack's output could take the packet); or the destination's route is a 'blackhole'";
	case E2BIG:
		return "request larger than this kernel module knows, with non-zero unknown fields (newer ABI than the module)";
	case EFAULT:
		return "bad user pointer (payload, request or buffer)";
	case EMSGSIZE:
		return "packet larger than the egress device MTU (or than 65535 bytes)";
	case ENODEV:
		return "no such interface in this network namespace";
	case ENETDOWN:
		return "egress interface is down";
	case ENETUNREACH:
		return "no route to the destination network";
	case EHOSTUNREACH:
		return "no route to the destination host (an 'unreachable' route)";
	case EHOSTDOWN:
		return "the next hop did not answer neighbour resolution (ARP, or IPv6 neighbour discovery) within its probe budget; check the address, or give --dst-mac";
	case EAFNOSUPPORT:
		return "address family not supported: from the module, IPv6 is disabled in this kernel (booted with ipv6.disable=1); from the library, the request holds an address of the other family";
	case EADDRNOTAVAIL:
		return "no IPv6 source address to choose on the egress device (none fits, or IPv6 is disabled on it): give one with --src";
	case EOPNOTSUPP:
		return "the egress device has a link layer pktcraft cannot build (only Ethernet and devices without a link header are supported)";
	case EBADF:
		return "/dev/pktcraft was opened read-only: sending needs O_RDWR or O_WRONLY";
	case ENOSPC:
		return "buffer too small for the built frame";
	case ENOBUFS:
		return "the packet was dropped: by the device or its queue (no buffer space), or, with --inject ip, by a netfilter rule or the cgroup's BPF egress program";
	case ENOMEM:
		return "out of memory";
	case ENOTTY:
		return "ioctl not supported by this module (module and CLI out of step?)";
	case EINTR:
		return "interrupted by a signal";
	case EBUSY:
		return "too many packets' fates are tracked at once (262144 in all; from a container, 65536 for it and its nested namespaces, 196608 for all containers): track fewer (--count), or retry once other --fate runs end";
	default:
		return strerror(err < 0 ? -err : err);
	}
}

/* ------------------------------------------------------------ layout */

void pktc_req_copy(struct pktcraft_req *dst, const struct pktcraft_req *src)
{
	size_t n = src->size < sizeof(*dst) ? src->size : sizeof(*dst);

	memset(dst, 0, sizeof(*dst));
	memcpy(dst, src, n < PKTCRAFT_REQ_SIZE_VER0 ? PKTCRAFT_REQ_SIZE_VER0 : n);
}

size_t pktc_ext_size(const struct pktcraft_ext *e)
{
	switch (e->type) {
	case PKTCRAFT_EXT_FRAG:
		return 8;
	case PKTCRAFT_EXT_RT:
		return 8 + (size_t)e->len;
	case PKTCRAFT_EXT_HBH:
	case PKTCRAFT_EXT_DST:
		if (!(e->flags & PKTCRAFT_EXT_F_NOPAD))
			return (2 + (size_t)e->len + 7) & ~(size_t)7;
		/* fall through */
	default:
		return 2 + (size_t)e->len;
	}
}

const struct pktcraft_ext *pktc_exts(const struct pktcraft_req *req)
{
	if (pktc_family(req) != AF_INET6 || !req->ext_nr || req->ext_nr > PKTCRAFT_MAX_EXT)
		return NULL;
	return (const struct pktcraft_ext *)(uintptr_t)req->ext;
}

int pktc_layout(const struct pktcraft_req *req, struct pktc_layout *l)
{
	const struct pktcraft_ext *e;

	if (!req || req->ip_optlen > PKTCRAFT_MAX_OPTLEN ||
	    req->tcp_optlen > PKTCRAFT_MAX_OPTLEN)
		return 0;
	l->ext_len = 0;
	if (pktc_family(req) == AF_INET6) {
		if (req->ext_nr > PKTCRAFT_MAX_EXT || (req->ext_nr && !req->ext))
			return 0;
		e = pktc_exts(req);
		for (unsigned int i = 0; e && i < req->ext_nr; i++)
			l->ext_len += pktc_ext_size(&e[i]);
		l->ip_optlen = 0;
		l->ip_hlen = 40;
	} else {
		l->ip_optlen = req->ip_optlen;
		l->ip_hlen = 20 + ((req->ip_optlen + 3) & ~3u);
	}
	l->l4_off = l->ip_hlen + l->ext_len;
	l->l4_optlen = 0;
	switch (req->l4) {
	case PKTCRAFT_L4_TCP:
		l->l4_optlen = req->tcp_optlen;
		l->l4_hlen = 20 + ((req->tcp_optlen + 3) & ~3u);
		break;
	case PKTCRAFT_L4_UDP:
	case PKTCRAFT_L4_ICMP:
		l->l4_hlen = 8;
		break;
	default:
		l->l4_hlen = 0;
	}
	l->ip_len = l->l4_off + l->l4_hlen + req->payload_len;
	return 1;
}

size_t pktc_opt_len(const uint8_t *o, size_t off, size_t len)
{
	if (off >= len)
		return 0;
	if (o[off] <= 1)
		return 1;
	if (off + 1 >= len || o[off + 1] < 2 || o[off + 1] > len - off)
		return 0;
	return o[off + 1];
}

long pktc_opts_bad(const uint8_t *o, size_t len)
{
	size_t i = 0, n;

	while (i < len && o[i] != 0) {
		n = pktc_opt_len(o, i, len);
		if (!n)
			return (long)i;
		i += n;
	}
	return -1;
}

const char *pktc_l4_key(int l4)
{
	switch (l4) {
	case PKTCRAFT_L4_TCP: return "tcp";
	case PKTCRAFT_L4_UDP: return "udp";
	case PKTCRAFT_L4_ICMP: return "icmp";
	default: return NULL;
	}
}

/* ------------------------------------------------------------ malformation */

struct malf_list {
	struct pktcraft_malformation *out;
	int max, n;
};

static void malf(struct malf_list *m, int on_wire, const char *field,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void malf(struct malf_list *m, int on_wire, const char *field,
		 const char *fmt, ...)
{
	va_list ap;

	if (m->out && m->n < m->max) {
		struct pktcraft_malformation *x = &m->out[m->n];

		snprintf(x->field, sizeof(x->field), "%s", field);
		va_start(ap, fmt);
		vsnprintf(x->why, sizeof(x->why), fmt, ap);
		va_end(ap);
		x->on_wire = on_wire;
	}
	m->n++;
}

/* The number that announces an extension header, or the layer 4 protocol. */
static unsigned int ext_number(const struct pktcraft_ext *e)
{
	static const uint8_t n[] = { 0, 60, 43, 44 };

	return e->type < sizeof(n) ? n[e->type] : e->proto;
}

static unsigned int l4_number(const struct pktcraft_req *r)
{
	static const uint8_t n[] = { 6, 17, 58 };

	return r->l4 < sizeof(n) ? n[r->l4] : r->ip_protocol;
}

/*
 * The padding of a Hop-by-Hop or Destination Options header, its TLVs and
 * the Pad1/PadN the kernel adds: a run of more than 7 padding bytes
 * (RFC 4942 2.1.9.5; Linux's ip6_parse_tlv() drops the packet) or a PadN
 * whose bytes are not zero (dropped too); an option longer than the
 * options given. Returns the byte offset in the header of the option at
 * fault (*why says what) or -1.
 */
static long ext_pad_bad(const struct pktcraft_ext *e, const char **why)
{
	static const char run_why[] = "more than 7 bytes of padding in a row (RFC 4942; Linux drops it)";
	const uint8_t *d = (const uint8_t *)(uintptr_t)e->data;
	size_t n = d ? e->len : 0, run = 0, i = 0, start = 0;

	if (e->type != PKTCRAFT_EXT_HBH && e->type != PKTCRAFT_EXT_DST)
		return -1;
	while (i < n) {
		size_t olen = d[i] == 0 ? 1 : i + 1 < n ? 2 + (size_t)d[i + 1] : n - i + 1;

		if (i + olen > n) {
			*why = "an option running past the options given";
			return 2 + i;
		}
		if (d[i] > 1) {
			run = 0;
		} else {
			if (!run)
				start = i;
			run += olen;
			for (size_t k = i + 2; d[i] == 1 && k < i + olen && k < n; k++)
				if (d[k]) {
					*why = "PadN with bytes that are not zero (Linux drops it)";
					return 2 + i;
				}
		}
		if (run > 7) {
			*why = run_why;
			return 2 + start;
		}
		i += olen;
	}
	/* What the kernel appends continues a run the TLVs end with. */
	if (run && !(e->flags & PKTCRAFT_EXT_F_NOPAD) && run + (-(2 + n) & 7) > 7) {
		*why = run_why;
		return 2 + start;
	}
	return -1;
}

/* pktcraft_req_malformations() of an IPv6 request. */
static int malformations6(const struct pktcraft_req *r, struct malf_list *m)
{
	const struct pktcraft_ext *e = pktc_exts(r);
	unsigned int ver = r->ip_version ? r->ip_version : 6, want;
	const char *l4 = r->l4 == PKTCRAFT_L4_ICMP ? "icmpv6" : pktc_l4_key(r->l4), *why;
	char key[24];
	struct pktc_layout l;
	long bad;

	if (!pktc_layout(r, &l)) {
		malf(m, 1, "ipv6.ext", "%u extension headers, at most %d, or none at a NULL pointer",
		     r->ext_nr, PKTCRAFT_MAX_EXT);
		return m->n;
	}
	if (ver != 6)
		malf(m, 1, "ipv6.version", "IP version %u, not 6", ver);
	if (r->flags & PKTCRAFT_F_IP_TOT_LEN && r->ip_tot_len != l.ip_len - 40)
		malf(m, 1, "ipv6.payload_length", "payload length %u, the payload is %zu bytes",
		     r->ip_tot_len, l.ip_len - 40);
	want = e ? ext_number(&e[0]) : l4_number(r);
	if (r->flags & PKTCRAFT_F_IP6_NEXTHDR && r->ip6_nexthdr != want)
		malf(m, 1, "ipv6.next_header", "next header %u, what follows is %u",
		     r->ip6_nexthdr, want);
	for (unsigned int i = 0; e && i < r->ext_nr; i++) {
		size_t size = pktc_ext_size(&e[i]);

		want = i + 1 < r->ext_nr ? ext_number(&e[i + 1]) : l4_number(r);
		if (e[i].flags & PKTCRAFT_EXT_F_NEXTHDR && e[i].nexthdr != want) {
			snprintf(key, sizeof(key), "ipv6.ext[%u].nh", i);
			malf(m, 1, key, "next header %u, what follows is %u", e[i].nexthdr, want);
		}
		if (e[i].flags & PKTCRAFT_EXT_F_HDRLEN && e[i].type == PKTCRAFT_EXT_FRAG && e[i].hdrlen) {
			snprintf(key, sizeof(key), "ipv6.ext[%u].len", i);
			malf(m, 1, key, "Fragment header's reserved byte set (%u)", e[i].hdrlen);
		} else if (e[i].flags & PKTCRAFT_EXT_F_HDRLEN && e[i].type != PKTCRAFT_EXT_FRAG &&
			   (size % 8 || e[i].hdrlen != size / 8 - 1)) {
			snprintf(key, sizeof(key), "ipv6.ext[%u].len", i);
			malf(m, 1, key, "Hdr Ext Len %u (%u bytes), the header is %zu bytes",
			     e[i].hdrlen, (e[i].hdrlen + 1) * 8, size);
		}
		if ((bad = ext_pad_bad(&e[i], &why)) >= 0) {
			snprintf(key, sizeof(key), "ipv6.ext[%u].options", i);
			malf(m, 1, key, "%s, at byte %ld of the header", why, bad);
		}
		if (e[i].type == PKTCRAFT_EXT_HBH && i) {
			snprintf(key, sizeof(key), "ipv6.ext[%u]", i);
			malf(m, 1, key, "Hop-by-Hop Options not first (RFC 8200 4.1)");
		}
		if (e[i].type == PKTCRAFT_EXT_RT && e[i].rt_type == 0) {
			snprintf(key, sizeof(key), "ipv6.ext[%u]", i);
			malf(m, 0, key, "Routing header type 0, deprecated (RFC 5095)");
		}
	}
	if (r->l4 == PKTCRAFT_L4_RAW && (r->ip_protocol == 6 || r->ip_protocol == 17 ||
	    r->ip_protocol == 58))
		malf(m, 0, "ipv6.next_header",
		     "opaque payload as protocol %u: no %s header or checksum built", r->ip_protocol,
		     r->ip_protocol == 6 ? "TCP" : r->ip_protocol == 17 ? "UDP" : "ICMPv6");
	if (r->l4 == PKTCRAFT_L4_TCP) {
		if (r->flags & PKTCRAFT_F_L4_LEN && r->tcp_doff * 4u != l.l4_hlen)
			malf(m, 1, "tcp.doff", "data offset %u words, the header is %zu words (%zu bytes)",
			     r->tcp_doff, l.l4_hlen / 4, l.l4_hlen);
		if (r->tcp_res)
			malf(m, 1, "tcp.reserved", "reserved bits set (%u)", r->tcp_res);
		bad = pktc_opts_bad(r->tcp_opts, r->tcp_optlen);
		if (bad >= 0)
			malf(m, 1, "tcp.options", "option kind %u at byte %ld does not fit the list",
			     r->tcp_opts[bad], bad);
	}
	if (r->l4 == PKTCRAFT_L4_UDP && r->flags & PKTCRAFT_F_L4_LEN &&
	    r->udp_len != l.ip_len - l.l4_off)
		malf(m, 1, "udp.length", "length %u, the datagram is %zu bytes",
		     r->udp_len, l.ip_len - l.l4_off);
	if (l4 && r->flags & PKTCRAFT_F_L4_CSUM) {
		snprintf(key, sizeof(key), "%s.checksum", l4);
		malf(m, r->l4 == PKTCRAFT_L4_UDP && !r->l4_csum, key, "checksum forced to 0x%04x%s",
		     r->l4_csum, r->l4 == PKTCRAFT_L4_UDP && !r->l4_csum ?
		     " (none: RFC 8200 forbids it on IPv6)" : "");
	}
	return m->n;
}

int pktcraft_req_malformations(const struct pktcraft_req *r,
			       struct pktcraft_malformation *out, int max)
{
	struct malf_list m = { out, max, 0 };
	const char *l4 = pktc_l4_key(r->l4), *name;
	unsigned int ver = r->ip_version ? r->ip_version : 4;
	char key[24];
	struct pktc_layout l;
	long bad;

	if (pktc_family(r) == AF_INET6)
		return malformations6(r, &m);
	if (!pktc_layout(r, &l)) {
		malf(&m, 1, "ip.options", "option lengths above %d bytes",
		     PKTCRAFT_MAX_OPTLEN);
		return m.n;
	}
	if (ver != 4)
		malf(&m, 1, "ip.version", "IP version %u, not 4", ver);
	if (r->flags & PKTCRAFT_F_IP_IHL && r->ip_ihl * 4u != l.ip_hlen)
		malf(&m, 1, "ip.ihl", "IHL %u words, the header is %zu words (%zu bytes)",
		     r->ip_ihl, l.ip_hlen / 4, l.ip_hlen);
	if (r->flags & PKTCRAFT_F_IP_TOT_LEN && r->ip_tot_len != l.ip_len)
		malf(&m, 1, "ip.total_length", "total length %u, the packet is %zu bytes",
		     r->ip_tot_len, l.ip_len);
	if (r->ip_frag & PKTCRAFT_IP_RF)
		malf(&m, 1, "ip.frag", "reserved flag (RF) set");
	if (r->flags & PKTCRAFT_F_IP_CSUM)
		malf(&m, 0, "ip.checksum", "header checksum forced to 0x%04x",
		     r->ip_csum);
	bad = pktc_opts_bad(r->ip_opts, r->ip_optlen);
	if (bad >= 0)
		malf(&m, 1, "ip.options", "option kind %u at byte %ld does not fit the list",
		     r->ip_opts[bad], bad);
	if (r->l4 == PKTCRAFT_L4_RAW && (r->ip_protocol == 1 ||
	    r->ip_protocol == 6 || r->ip_protocol == 17)) {
		name = r->ip_protocol == 1 ? "ICMP" : r->ip_protocol == 6 ? "TCP" : "UDP";
		malf(&m, 0, "ip.protocol",
		     "opaque payload as IP protocol %u: no %s header or checksum built",
		     r->ip_protocol, name);
	}
	if (r->l4 == PKTCRAFT_L4_RAW && (r->ip_protocol == 0 || r->ip_protocol == 255))
		malf(&m, 0, "ip.protocol", "IP protocol %u is %s", r->ip_protocol,
		     r->ip_protocol ? "reserved" : "IPv6-only (HOPOPT)");
	if (r->l4 == PKTCRAFT_L4_TCP) {
		if (r->flags & PKTCRAFT_F_L4_LEN && r->tcp_doff * 4u != l.l4_hlen)
			malf(&m, 1, "tcp.doff", "data offset %u words, the header is %zu words (%zu bytes)",
			     r->tcp_doff, l.l4_hlen / 4, l.l4_hlen);
		if (r->tcp_res)
			malf(&m, 1, "tcp.reserved", "reserved bits set (%u)", r->tcp_res);
		bad = pktc_opts_bad(r->tcp_opts, r->tcp_optlen);
		if (bad >= 0)
			malf(&m, 1, "tcp.options", "option kind %u at byte %ld does not fit the list",
			     r->tcp_opts[bad], bad);
	}
	if (r->l4 == PKTCRAFT_L4_UDP && r->flags & PKTCRAFT_F_L4_LEN &&
	    r->udp_len != l.ip_len - l.ip_hlen)
		malf(&m, 1, "udp.length", "length %u, the datagram is %zu bytes",
		     r->udp_len, l.ip_len - l.ip_hlen);
	if (l4 && r->flags & PKTCRAFT_F_L4_CSUM) {
		snprintf(key, sizeof(key), "%s.checksum", l4);
		malf(&m, 0, key, "checksum forced to 0x%04x%s", r->l4_csum,
		     r->l4 == PKTCRAFT_L4_UDP && !r->l4_csum ? " (none)" : "");
	}
	return m.n;
}

/* Link-layer types that have a name in the kernel's if_arp.h, some of them. */
static const char *arphrd_name(int type)
{
	switch (type) {
	case 1: return "ethernet";
	case 32: return "infiniband";
	case 768: return "ipip";
	case 769: return "ip6ip6";
	case 772: return "loopback";
	case 776: return "sit";
	case 778: return "gre";
	case 823: return "ip6gre";
	case 65534: return "none";
	default: return NULL;
	}
}

int pktcraft_dev_describe(unsigned int ifindex, char *buf, size_t len)
{
	char name[IF_NAMESIZE], path[64 + IF_NAMESIZE];
	int type = -1, addr_len = -1;
	const char *tname;
	FILE *f;

	if (!ifindex || !if_indextoname(ifindex, name))
		return -ENODEV;
	snprintf(path, sizeof(path), "/sys/class/net/%s/type", name);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%d", &type) != 1)
			type = -1;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/addr_len", name);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%d", &addr_len) != 1)
			addr_len = -1;
		fclose(f);
	}
	tname = arphrd_name(type);
	snprintf(buf, len, "%s (link type %d%s%s, %d-byte link addresses)",
		 name, type, tname ? " " : "", tname ? tname : "", addr_len);
	return 0;
}

void pktcraft_perror(const char *prog, const char *what, int err,
		     const struct pktcraft_req *req)
{
	char dev[128];

	fprintf(stderr, "%s: %s failed: %s (%s)\n", prog, what,
		pktcraft_strerror(err), strerror(err < 0 ? -err : err));
	if ((err == -EOPNOTSUPP || err == EOPNOTSUPP) && req &&
	    !pktcraft_dev_describe(req->ifindex, dev, sizeof(dev)))
		fprintf(stderr, "%s: device %s: pktcraft builds Ethernet frames (6-byte addresses) or bare IPv4 packets for devices without a link header; use such a device (gre/ip6gre: give the tunnel a remote address)\n",
			prog, dev);
	else if (err == -EOPNOTSUPP || err == EOPNOTSUPP)
		fprintf(stderr, "%s: the route's egress device is of such a kind (see 'ip -d route get' for it); give --dev to pick another\n",
			prog);
	else if ((err == -EPERM || err == EPERM) && req && req->size >= PKTCRAFT_REQ_SIZE_VER4 &&
		 req->inject == PKTCRAFT_INJECT_RX)
		fprintf(stderr, "%s: --inject rx needs CAP_NET_ADMIN over the network namespace; into a device another takes the frames of: a bridge, bond, macvlan or ipvlan port, a VLAN's lower device, in the initial user namespace\n", prog);
	else if ((err == -E2BIG || err == E2BIG) && req && req->size >= PKTCRAFT_REQ_SIZE_VER4 &&
		 (req->inject || req->fate_ms))
		fprintf(stderr, "%s: the loaded module predates request version 4: --inject and --fate need a newer one\n",
			prog);
	else if ((err == -EINVAL || err == EINVAL) && req && !req->ifindex &&
		 pktc_family(req) == AF_INET6 &&
		 (IN6_IS_ADDR_LINKLOCAL((const struct in6_addr *)req->ip6_daddr) ||
		  IN6_IS_ADDR_MC_LINKLOCAL((const struct in6_addr *)req->ip6_daddr) ||
		  IN6_IS_ADDR_MC_NODELOCAL((const struct in6_addr *)req->ip6_daddr)))
		fprintf(stderr, "%s: a link-local destination needs the interface: give --dev (-I)\n",
			prog);
	else if ((err == -EINVAL || err == EINVAL) && req &&
		 pktc_family(req) == AF_INET &&
		 req->flags & (PKTCRAFT_F_IP_IHL | PKTCRAFT_F_IP_TOT_LEN))
		fprintf(stderr, "%s: if it is the forced IPv4 lengths: an IHL below 5 or past the packet's end is refused on every device unless an admin of the initial user namespace allowed it (echo 1 > /sys/module/pktcraft/parameters/ip4_ihl_lies; never for a container), and a total length other than the packet's, or any such IHL, where the IP stack's output may take the packet (--inject ip; a VRF, ipvlan, ipvtap, xfrm or vti device; a bond, team or Open vSwitch device, or one with a tc or nft egress hook); --dry-run is refused them as the send would be\n",
			prog);
}

int pktcraft_sndbuf(int fd, uint32_t set_bytes, int force, uint32_t *bytes,
		    uint32_t *in_flight)
{
	struct pktcraft_sndbuf b = {
		.size = sizeof(b),
		.flags = (set_bytes ? PKTCRAFT_SNDBUF_F_SET : 0) |
			 (set_bytes && force ? PKTCRAFT_SNDBUF_F_FORCE : 0),
		.bytes = set_bytes,
	};

	if (pktc_ioctl(fd, PKTCRAFT_IOC_SNDBUF, &b) < 0)
		return -errno;
	if (bytes)
		*bytes = b.bytes;
	if (in_flight)
		*in_flight = b.in_flight;
	return 0;
}
