// SPDX-License-Identifier: LGPL-2.1-or-later
/* libpktcraft: the device, requests and errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include "libpktcraft.h"

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

int pktcraft_req_set_dst(struct pktcraft_req *req, const char *addr)
{
	return pktcraft_parse_ipv4(addr, &req->ip_daddr);
}

int pktcraft_req_set_src(struct pktcraft_req *req, const char *addr)
{
	int rc = pktcraft_parse_ipv4(addr, &req->ip_saddr);

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

int pktcraft_req_set_l4(struct pktcraft_req *req, int l4)
{
	if (l4 < PKTCRAFT_L4_TCP || l4 > PKTCRAFT_L4_RAW)
		return -EINVAL;
	req->l4 = l4;
	if (l4 != PKTCRAFT_L4_TCP) {
		req->tcp_seq = req->tcp_ack = 0;
		req->tcp_flags = req->tcp_win = req->tcp_urg = 0;
		req->tcp_doff = req->tcp_res = req->tcp_optlen = 0;
		memset(req->tcp_opts, 0, sizeof(req->tcp_opts));
	}
	if (l4 != PKTCRAFT_L4_UDP)
		req->udp_len = 0;
	if (l4 != PKTCRAFT_L4_ICMP) {
		req->icmp_type = req->icmp_code = 0;
		req->icmp_id = req->icmp_seq = 0;
	} else if (!req->icmp_type && !req->icmp_code) {
		req->icmp_type = 8;	/* echo request */
	}
	if (l4 == PKTCRAFT_L4_ICMP || l4 == PKTCRAFT_L4_RAW)
		req->sport = req->dport = 0;
	if (l4 != PKTCRAFT_L4_TCP && l4 != PKTCRAFT_L4_UDP)
		req->flags &= ~PKTCRAFT_F_L4_LEN;
	if (l4 != PKTCRAFT_L4_RAW)
		req->ip_protocol = 0;
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

int pktcraft_send(int fd, const struct pktcraft_req *req)
{
	int rc = ioctl(fd, PKTCRAFT_IOC_SEND, req);

	return rc < 0 ? -errno : rc;
}

int pktcraft_send_burst(int fd, struct pktcraft_req *req)
{
	int rc = ioctl(fd, PKTCRAFT_IOC_SEND, req);

	return rc < 0 ? -errno : rc;
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
	return ioctl(fd, PKTCRAFT_IOC_GET_STATS, st) < 0 ? -errno : 0;
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
	int rc = ioctl(fd, PKTCRAFT_IOC_BUILD, &b);

	if (rc < 0)
		rc = -errno;
	if ((rc >= 0 || rc == -ENOSPC) && frame_len)
		*frame_len = b.frame_len;
	return rc;
}

const char *pktcraft_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return "success";
	case ENOENT:
		return "/dev/pktcraft does not exist: load the module (insmod module/pktcraft.ko)";
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

	if (ioctl(fd, PKTCRAFT_IOC_SNDBUF, &b) < 0)
		return -errno;
	if (bytes)
		*bytes = b.bytes;
	if (in_flight)
		*in_flight = b.in_flight;
	return 0;
}
