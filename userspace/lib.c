// SPDX-License-Identifier: LGPL-2.1-or-later
/* libpktcraft: the device, requests and errors. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <net/if.h>
#include "libpktcraft.h"
#include "internal.h"

_Static_assert(sizeof(struct pktcraft_req) == PKTCRAFT_REQ_SIZE_VER2,
	       "struct pktcraft_req has holes or changed size");
_Static_assert(sizeof(struct pktcraft_build) == PKTCRAFT_BUILD_SIZE_VER0,
	       "struct pktcraft_build has holes or changed size");

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

void pktcraft_req_init(struct pktcraft_req *req)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->ip_ttl = 64;
	req->tcp_flags = PKTCRAFT_TCP_SYN;
	req->tcp_win = 65535;
	req->sport = PKTCRAFT_DEFAULT_SPORT;
	req->dport = PKTCRAFT_DEFAULT_DPORT;
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

int pktcraft_req_set_dst(struct pktcraft_req *req, const char *addr)
{
	return pktcraft_resolve_ipv4(addr, &req->ip_daddr, NULL, 0);
}

int pktcraft_req_set_src(struct pktcraft_req *req, const char *addr)
{
	int rc = pktcraft_resolve_ipv4(addr, &req->ip_saddr, NULL, 0);

	if (!rc)
		req->flags |= PKTCRAFT_F_IP_SADDR;
	return rc;
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
		req->icmp_type = 8;	/* echo request */
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

int pktcraft_req_set_bad_csum(int fd, struct pktcraft_req *req)
{
	static const uint8_t at[] = { 16, 6, 2 };	/* TCP, UDP, ICMP */
	uint8_t frame[PKTCRAFT_MAX_FRAME];
	struct pktcraft_req r = *req;
	struct pktc_layout l;
	size_t len = 0, off;
	int rc;

	if (req->l4 > PKTCRAFT_L4_ICMP || !pktc_layout(req, &l))
		return -EINVAL;
	r.flags &= ~PKTCRAFT_F_L4_CSUM;
	r.l4_csum = 0;
	memset(r.vary, 0, sizeof(r.vary));
	r.count = 0;
	rc = pktcraft_build(fd, &r, frame, sizeof(frame), &len, 0);
	if (rc < 0)
		return rc;
	/* The IPv4 header follows a link header, if any (the frame's end). */
	if (len < l.ip_len)
		return -EINVAL;
	off = len - l.ip_len;
	if (len >= 14 + l.ip_len && frame[12] == 0x08 && frame[13] == 0x00)
		off = 14;
	off += l.ip_hlen + at[req->l4];
	if (off + 2 > len)
		return -EINVAL;
	req->l4_csum = (frame[off] << 8 | frame[off + 1]) ^ 0x5555;
	req->flags |= PKTCRAFT_F_L4_CSUM;
	return 0;
}

int pktcraft_send(int fd, const struct pktcraft_req *req)
{
	int rc = pktc_ioctl(fd, PKTCRAFT_IOC_SEND, (void *)req);

	return rc < 0 ? -errno : rc;
}

int pktcraft_send_burst(int fd, struct pktcraft_req *req)
{
	int rc = pktc_ioctl(fd, PKTCRAFT_IOC_SEND, req);

	return rc < 0 ? -errno : rc;
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
		if ((unsigned int)rc < b.nr || (flags & PKTCRAFT_BATCH_F_STOP && results[done - 1] < 0))
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

	if (field >= PKTCRAFT_VARY_NR || mode > PKTCRAFT_VARY_RANDOM ||
	    min > max)
		return -EINVAL;
	v = &req->vary[field];
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
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return pktc_ioctl(fd, PKTCRAFT_IOC_GET_STATS, st) < 0 ? -errno : 0;
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
	int rc = pktc_ioctl(fd, PKTCRAFT_IOC_BUILD, &b);

	if (rc < 0)
		rc = -errno;
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
		return "permission denied opening /dev/pktcraft (mode 0600: run as root or see the udev rule in the README)";
	case EPERM:
		return "CAP_NET_RAW is required in the user namespace owning your network namespace";
	case EINVAL:
		return "invalid request: a field is out of range, a reserved field or unknown flag is set, or a length disagrees with the real size without being forced";
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
		return "no route to the destination host (an unreachable or prohibit route)";
	case EHOSTDOWN:
		return "the next hop did not answer neighbour resolution (ARP) within its probe budget; check the address, or give --dst-mac";
	case EOPNOTSUPP:
		return "the egress device has a link layer pktcraft cannot build (only Ethernet and devices without a link header are supported)";
	case EBADF:
		return "/dev/pktcraft was opened read-only: sending needs O_RDWR or O_WRONLY";
	case ENOSPC:
		return "buffer too small for the built frame";
	case ENOBUFS:
		return "the device or its queue dropped the packet (no buffer space)";
	case ENOMEM:
		return "out of memory";
	case ENOTTY:
		return "ioctl not supported by this module (module and CLI out of step?)";
	case EINTR:
		return "interrupted by a signal";
	default:
		return strerror(err < 0 ? -err : err);
	}
}

/* ------------------------------------------------------------ layout */

int pktc_layout(const struct pktcraft_req *req, struct pktc_layout *l)
{
	if (!req || req->ip_optlen > PKTCRAFT_MAX_OPTLEN ||
	    req->tcp_optlen > PKTCRAFT_MAX_OPTLEN)
		return 0;
	l->ip_optlen = req->ip_optlen;
	l->ip_hlen = 20 + ((req->ip_optlen + 3) & ~3u);
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
	l->ip_len = l->ip_hlen + l->l4_hlen + req->payload_len;
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

int pktcraft_req_malformations(const struct pktcraft_req *r,
			       struct pktcraft_malformation *out, int max)
{
	struct malf_list m = { out, max, 0 };
	const char *l4 = pktc_l4_key(r->l4), *name;
	unsigned int ver = r->ip_version ? r->ip_version : 4;
	char key[24];
	struct pktc_layout l;
	long bad;

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
