// SPDX-License-Identifier: GPL-2.0
/*
 * pcbench: one transmit method, one device, one frame size, for a while;
 * prints one JSON line with what the device counted and the CPU it took.
 *
 *   pcbench METHOD --dev IF --size BYTES --seconds S --src A --dst A --dst-mac MAC
 *
 * METHOD: raw        raw socket, IP_HDRINCL, sendto() loop
 *         psendto    AF_PACKET, one sendto() per frame
 *         mmsg       AF_PACKET, sendmmsg() of 64 frames
 *         txring     AF_PACKET, TPACKET_V2 TX_RING, PACKET_QDISC_BYPASS
 *         pc1        pktcraft, one packet per ioctl, its IP ID the kernel's
 *                    choice (__ip_select_ident(), as a raw socket's ID 0)
 *         pc1f       pc1 with the sockets' frame byte for byte: IP ID 0
 *                    given (PKTCRAFT_F_IP_ID), as AF_PACKET sends it
 *         pcbN{d,v,x,i,c,q,k}
 *                    a pktcraft burst of N (1 to the module's 1 << 20:
 *                    pcb64d, pcb1024c, pcb1048576d ...):
 *                    d  distinct (the source port counts up), as root
 *                    v  distinct, as a container: root of a new user and
 *                       network namespace, on its own dummy named IF (MTU
 *                       and addresses as IF's), counted there
 *                    x  distinct with PKTCRAFT_BURST_F_COPY (the CLI's
 *                       --copy: a private copy per packet through
 *                       dev_queue_xmit(), what every device but dummy and
 *                       e1000 gets), as root
 *                    i  identical, as root (pktgen's shared skb)
 *                    c  identical, as a container (as v)
 *                    q  identical, as a container whose dummy has a pfifo
 *                       qdisc (copies of packet 0 through it: the path that
 *                       is safe on every device)
 *                    k  identical with PKTCRAFT_BURST_F_COPY, as root
 *         pcbatch64  pktcraft PKTCRAFT_IOC_SEND_BATCH: 64 different single
 *                    requests per ioctl (UDP, TCP SYN and ICMP echo in
 *                    turn, each to its own destination address and port)
 *         pktgen0 pktgen1000 pktgen1000b32
 *                    kernel pktgen through /proc/net/pktgen, clone_skb 0 /
 *                    1000, burst 1 (pktgen's default) or bN: burst N
 *
 *         xdp        XDP live frames (BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES,
 *                    the kernel's own XDP traffic generator, what xdp-trafficgen
 *                    drives): a two-instruction XDP_TX program run on the
 *                    frame with the device as ingress, batches of 64; the
 *                    device must be a veth whose peer gets an XDP_DROP
 *                    program here (veth transmits XDP frames only then).
 *                    Counted by the device's tx_packets (veth counts there
 *                    the frames its peer's XDP program saw).
 *
 * --jitter N (profiles only, pktcraft methods): after each ioctl, a
 * pseudo-random 0 to N-1 iterations of a loop in pcbench_spin(), so that a
 * periodic sampler (perf record -F under -icount, where the loop is as
 * periodic as the clock) cannot lock onto one point of the loop and
 * report a few symbols for the whole of it. The spin's own share is then
 * left out of the report's percentages (tests/bench/curves.py).
 *
 * BYTES is the frame length handed to the device (Ethernet header included,
 * FCS not), 60 to 9014 (a jumbo MTU of 9000; txring needs 65 + BYTES per
 * ring frame, rounded up to a power of two). Every method sends the same IPv4/UDP packet (port 9 to port 9,
 * zero payload) except pktgen, which sends its own of the same size. The
 * packet count is the device's tx_packets delta (/proc/net/dev, the
 * caller's namespace); CPU is the busy time of
 * all CPUs from /proc/stat (user+nice+system+irq+softirq) over that count.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "libpktcraft.h"
#include "../lib/ctest.h"

static const char *method, *dev = "dummy0", *dst = "10.9.0.2", *src = "10.9.0.1";
static const char *dst_mac_s = "02:00:00:00:00:02";
static unsigned int size = 64;
static double seconds = 1.0;
static unsigned int jitter;	/* --jitter */

/* --jitter's spin: 0 to jitter - 1 iterations, a new count each time. */
static __attribute__((noinline)) void pcbench_spin(void)
{
	static unsigned long long x = 88172645463325252ULL;
	static volatile unsigned int sink;
	unsigned int n, i;

	if (!jitter)
		return;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	n = x % jitter;
	for (i = 0; i < n; i++)
		sink += i;
}
static int ifindex;
static uint8_t dst_mac[6], src_mac[6];
static uint32_t saddr, daddr;		/* network order */
#define MAX_FRAME 9014
static uint8_t frame[MAX_FRAME];
static char note[256];

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pcbench: %s: ", method ? method : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long read_ull(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (!f || fscanf(f, "%llu", &v) != 1)
		die("cannot read %s", path);
	fclose(f);
	return v;
}

static unsigned long long busy_ticks(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			 &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		die("cannot read /proc/stat");
	fclose(f);
	return v[0] + v[1] + v[2] + v[5] + v[6];	/* not idle, iowait, steal */
}

/* The Ethernet/IPv4/UDP frame every socket method sends. */
static void build_frame(void)
{
	struct iphdr *ip = (struct iphdr *)(frame + 14);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	unsigned int l3 = size - 14, l4 = l3 - 20;
	uint8_t pseudo[12];
	uint32_t s;
	uint16_t c;

	memset(frame, 0, sizeof(frame));
	memcpy(frame, dst_mac, 6);
	memcpy(frame + 6, src_mac, 6);
	frame[12] = 0x08;
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(l3);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = saddr;
	ip->daddr = daddr;
	ip->check = htons(~ct_sum16(ip, 20, 0) & 0xffff);
	udp->source = htons(9);
	udp->dest = htons(9);
	udp->len = htons(l4);
	memcpy(pseudo, &saddr, 4);
	memcpy(pseudo + 4, &daddr, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	pseudo[10] = l4 >> 8;
	pseudo[11] = l4;
	s = ct_sum16(pseudo, 12, 0);
	c = ~ct_sum16(udp, l4, s) & 0xffff;
	udp->check = htons(c ? c : 0xffff);
}

/* ---------------------------------------------------------------- methods */
static unsigned long long m_raw(double end)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW), one = 1;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = daddr };
	unsigned long long n = 0;

	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		die("raw socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev) + 1))
		die("SO_BINDTODEVICE: %s", strerror(errno));
	do {
		for (int i = 0; i < 16; i++) {
			if (sendto(fd, frame + 14, size - 14, 0,
				   (struct sockaddr *)&to, sizeof(to)) > 0)
				n++;
			else if (errno != ENOBUFS)
				die("sendto: %s", strerror(errno));
		}
	} while (now() < end);
	close(fd);
	return n;
}

static int packet_socket(void)
{
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_protocol = 0,
	};
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&ll, sizeof(ll)))
		die("AF_PACKET socket: %s", strerror(errno));
	return fd;
}

static unsigned long long m_psendto(double end)
{
	unsigned long long n = 0;
	int fd = packet_socket();

	do {
		for (int i = 0; i < 16; i++) {
			if (send(fd, frame, size, 0) > 0)
				n++;
			else if (errno != ENOBUFS)
				die("send: %s", strerror(errno));
		}
	} while (now() < end);
	close(fd);
	return n;
}

static unsigned long long m_mmsg(double end)
{
	enum { VLEN = 64 };
	struct mmsghdr msgs[VLEN];
	struct iovec iov = { .iov_base = frame, .iov_len = size };
	unsigned long long n = 0;
	int fd = packet_socket();

	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < VLEN; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	do {
		int r = sendmmsg(fd, msgs, VLEN, 0);

		if (r > 0)
			n += r;
		else if (errno != ENOBUFS)
			die("sendmmsg: %s", strerror(errno));
	} while (now() < end);
	close(fd);
	return n;
}

static unsigned long long m_txring(double end)
{
	struct tpacket_req req = { .tp_frame_size = 2048, .tp_frame_nr = 256 };
	int fd = packet_socket(), v = TPACKET_V2, one = 1;
	unsigned long long n = 0;
	unsigned int cur = 0;
	uint8_t *ring;

	/* 256 frames of 2048 bytes, more for jumbo frames; blocks >= a page */
	while (req.tp_frame_size < TPACKET2_HDRLEN + size)
		req.tp_frame_size *= 2;
	req.tp_block_size = req.tp_frame_size > 4096 ? req.tp_frame_size : 4096;
	req.tp_block_nr = req.tp_frame_nr * req.tp_frame_size / req.tp_block_size;
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)))
		die("TX_RING setup: %s", strerror(errno));
	ring = mmap(NULL, req.tp_block_size * req.tp_block_nr,
		    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	for (unsigned int i = 0; i < req.tp_frame_nr; i++) {
		struct tpacket2_hdr *h = (void *)(ring + i * req.tp_frame_size);

		memcpy((uint8_t *)h + TPACKET2_HDRLEN - sizeof(struct sockaddr_ll),
		       frame, size);
	}
	do {
		unsigned int queued = 0;

		for (unsigned int k = 0; k < req.tp_frame_nr; k++) {
			struct tpacket2_hdr *h =
				(void *)(ring + cur * req.tp_frame_size);

			if (h->tp_status != TP_STATUS_AVAILABLE)
				break;
			h->tp_len = size;
			__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST,
					 __ATOMIC_RELEASE);
			cur = (cur + 1) % req.tp_frame_nr;
			queued++;
		}
		/* Blocking: returns when the queued frames have gone. */
		if (send(fd, NULL, 0, 0) < 0 && errno != ENOBUFS)
			die("send: %s", strerror(errno));
		n += queued;
	} while (now() < end);
	munmap(ring, req.tp_block_size * req.tp_block_nr);
	close(fd);
	return n;
}

/* Runs a command (ip, tc), dying if it fails. */
static void run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void run(const char *fmt, ...)
{
	char cmd[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		die("%s: failed", cmd);
}

/*
 * A container: root of a new user and network namespace (CAP_NET_ADMIN and
 * CAP_NET_RAW there, none in the initial one), with its own dummy named as
 * @dev, @dev's MTU and the source address. With @qdisc, a pfifo on it.
 * Before anything is counted; ifindex is the new device's.
 */
static void enter_container(int qdisc)
{
	char p[128];
	unsigned long long mtu;

	snprintf(p, sizeof(p), "/sys/class/net/%s/mtu", dev);
	mtu = read_ull(p);
	/* In the test guest's chroot, unshare(CLONE_NEWUSER) is EPERM. */
	if (become_ns_root(CLONE_NEWNET | CLONE_NEWNS) &&
	    (errno != EPERM || enter_userns(CLONE_NEWNET, 0)))
		die("a new user and network namespace: %s", strerror(errno));
	run("ip link add %s type dummy && ip link set %s mtu %llu up && "
	    "ip addr add %s/24 dev %s", dev, dev, mtu, src, dev);
	if (qdisc)
		run("tc qdisc add dev %s root pfifo limit 100000", dev);
	ifindex = if_nametoindex(dev);
	if (!ifindex)
		die("no interface %s in the new namespace", dev);
}

/*
 * burst: a burst request of @count (even of 1), else single packets.
 * mode: as in the usage above (the container entered already).
 */
static unsigned long long m_pktcraft(double end, unsigned int count,
				     int mode, int burst)
{
	static uint8_t payload[MAX_FRAME];
	/* requests between two clock reads: about 16 packets' worth */
	unsigned int per_check = count >= 16 ? 1 : 16 / count;
	struct pktcraft_req req;
	unsigned long long n = 0;
	int distinct = strchr("dvx", mode) != NULL, fd, rc;

	fd = pktcraft_open();

	if (fd < 0)
		die("open /dev/pktcraft: %s", strerror(-fd));
	pktcraft_req_init(&req);
	pktcraft_req_set_l4(&req, PKTCRAFT_L4_UDP);
	req.ifindex = ifindex;
	memcpy(req.dst_mac, dst_mac, 6);
	req.ip_saddr = saddr;
	req.flags |= PKTCRAFT_F_IP_SADDR;
	req.ip_daddr = daddr;
	req.sport = req.dport = 9;
	if (mode == 'f')	/* build_frame()'s ID: 0, given */
		req.flags |= PKTCRAFT_F_IP_ID;
	pktcraft_req_set_payload(&req, payload, size - 14 - 20 - 8);
	if (burst) {
		req.count = count;
		if (mode == 'k' || mode == 'x')
			req.burst_flags |= PKTCRAFT_BURST_F_COPY;
		if (distinct) {
			req.sport = 1024;
			pktcraft_req_set_vary(&req, PKTCRAFT_VARY_SPORT,
					      PKTCRAFT_VARY_INC, 1024, 65535, 1);
		}
	}
	do {
		for (unsigned int i = 0; i < per_check; i++) {
			rc = burst ? pktcraft_send_burst(fd, &req) :
				     pktcraft_send(fd, &req);
			if (rc > 0)
				n += rc;
			else if (rc != -ENOBUFS)
				die("send: %s", pktcraft_strerror(rc));
			pcbench_spin();
		}
	} while (now() < end);
	pktcraft_close(fd);
	return n;
}

/* 64 independent requests per SEND_BATCH, each a different packet. */
static unsigned long long m_batch(double end)
{
	static uint8_t payload[MAX_FRAME];
	static struct pktcraft_req reqs[64];
	int32_t res[64];
	unsigned long long n = 0;
	int fd = pktcraft_open(), rc;

	if (fd < 0)
		die("open /dev/pktcraft: %s", strerror(-fd));
	for (unsigned int i = 0; i < 64; i++) {
		struct pktcraft_req *r = &reqs[i];
		int l4 = i % 3 == 0 ? PKTCRAFT_L4_UDP : i % 3 == 1 ? PKTCRAFT_L4_TCP : PKTCRAFT_L4_ICMP;
		size_t hdr = l4 == PKTCRAFT_L4_TCP ? 20 : 8;

		pktcraft_req_init(r);
		pktcraft_req_set_l4(r, l4);
		r->ifindex = ifindex;
		memcpy(r->dst_mac, dst_mac, 6);
		r->ip_saddr = saddr;
		r->flags |= PKTCRAFT_F_IP_SADDR;
		r->ip_daddr = htonl(ntohl(daddr) + i);
		if (l4 != PKTCRAFT_L4_ICMP) {
			r->sport = 1024 + i;
			r->dport = 9;
		}
		pktcraft_req_set_payload(r, payload, size > 14 + 20 + hdr ? size - 14 - 20 - hdr : 0);
	}
	do {
		rc = pktcraft_send_batch(fd, reqs, sizeof(reqs[0]), 64, res, 0);
		if (rc != 64)
			die("send_batch: %d", rc);
		for (unsigned int i = 0; i < 64; i++)
			if (res[i] > 0)
				n += res[i];
			else if (res[i] != -ENOBUFS)
				die("send_batch: request %u: %s", i, pktcraft_strerror(res[i]));
		pcbench_spin();
	} while (now() < end);
	pktcraft_close(fd);
	return n;
}

/* ------------------------------------------------------------------- XDP */
static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

/* A two-instruction XDP program: r0 = action; exit. */
static int xdp_prog(int action)
{
	struct bpf_insn insn[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = action },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static char log[4096];
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_XDP;
	a.insns = (uintptr_t)insn;
	a.insn_cnt = 2;
	a.license = (uintptr_t)"GPL";
	a.log_buf = (uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0)
		die("BPF_PROG_LOAD: %s %s", strerror(errno), log);
	return fd;
}

static int xdp_tx_fd;

/*
 * Before the clock starts: XDP_DROP on the peer (the link, and with it the
 * program, goes when the process exits, after the count) and the XDP_TX
 * program. Attaching makes veth wait for RCU grace periods, which would
 * be idle time in the window.
 */
static void xdp_setup(void)
{
	union bpf_attr a;
	int drop, peer;
	char p[128];

	snprintf(p, sizeof(p), "/sys/class/net/%s/iflink", dev);
	peer = read_ull(p);
	if (peer == ifindex)
		die("%s has no peer (not a veth?)", dev);
	drop = xdp_prog(XDP_DROP);
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = drop;
	a.link_create.target_ifindex = peer;
	a.link_create.attach_type = BPF_XDP;
	if (sys_bpf(BPF_LINK_CREATE, &a) < 0)
		die("XDP on the peer (ifindex %d): BPF_LINK_CREATE: %s", peer, strerror(errno));
	xdp_tx_fd = xdp_prog(XDP_TX);
}

static unsigned long long m_xdp(double end)
{
	struct xdp_md ctx = { .data_end = size, .ingress_ifindex = ifindex };
	unsigned long long n = 0;
	union bpf_attr a;

	do {
		memset(&a, 0, sizeof(a));
		a.test.prog_fd = xdp_tx_fd;
		a.test.data_in = (uintptr_t)frame;
		a.test.data_size_in = size;
		a.test.ctx_in = (uintptr_t)&ctx;
		a.test.ctx_size_in = sizeof(ctx);
		a.test.repeat = 4096;
		a.test.flags = BPF_F_TEST_XDP_LIVE_FRAMES;
		a.test.batch_size = 64;
		if (sys_bpf(BPF_PROG_TEST_RUN, &a))
			die("BPF_PROG_TEST_RUN (live frames): %s", strerror(errno));
		n += 4096;
	} while (now() < end);
	return n;
}

/* ----------------------------------------------------------------- pktgen */
static int pg_write(const char *file, const char *fmt, ...)
{
	char path[128], cmd[256];
	va_list ap;
	int fd, r;

	snprintf(path, sizeof(path), "/proc/net/pktgen/%s", file);
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd) - 1, fmt, ap);
	strcat(cmd, "\n");	/* pgctrl strips the last character */
	va_end(ap);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die("open %s: %s (is pktgen loaded?)", path, strerror(errno));
	r = write(fd, cmd, strlen(cmd));
	if (r < 0)
		die("%s: '%s': %s", path, cmd, strerror(errno));
	close(fd);
	return 0;
}

static const char *pg_thread(void)
{
	static char t[32];

	snprintf(t, sizeof(t), "kpktgend_%d", sched_getcpu() >= 0 ? sched_getcpu() : 0);
	return t;
}

/* One pktgen run of @count packets; returns the packets it reports sent. */
static void pg_setup(unsigned long long count, int clone, int burst)
{
	const char *t = pg_thread();
	char ip[INET_ADDRSTRLEN];

	pg_write(t, "rem_device_all");
	pg_write(t, "add_device %s", dev);
	pg_write(dev, "count %llu", count);
	pg_write(dev, "clone_skb %d", clone);
	pg_write(dev, "burst %d", burst);
	pg_write(dev, "pkt_size %u", size);
	pg_write(dev, "delay 0");
	pg_write(dev, "dst %s", dst);
	pg_write(dev, "dst_mac %s", dst_mac_s);
	inet_ntop(AF_INET, &saddr, ip, sizeof(ip));
	pg_write(dev, "src_min %s", ip);
	pg_write(dev, "src_max %s", ip);
	pg_write(dev, "udp_src_min 9");
	pg_write(dev, "udp_src_max 9");
	pg_write(dev, "udp_dst_min 9");
	pg_write(dev, "udp_dst_max 9");
}

/*
 * Runs the configured device; returns pktgen's own elapsed time in seconds.
 * (pgctrl's "start" sleeps 125 ms before the threads start and polls for
 * the end every 100 ms: the wall time around it says little.)
 */
static double pg_run(void)
{
	char path[128], line[256];
	unsigned long long usec = 0;
	FILE *f;

	pg_write("pgctrl", "start");	/* returns when the count is reached */
	snprintf(path, sizeof(path), "/proc/net/pktgen/%s", dev);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *r = strstr(line, "Result: OK: ");

		if (r && sscanf(r, "Result: OK: %llu", &usec) == 1)
			break;
	}
	if (f)
		fclose(f);
	pg_write(pg_thread(), "rem_device_all");
	if (!usec)
		die("no 'Result: OK' from pktgen");
	return usec / 1e6;
}

/* ------------------------------------------------------------------- main */
static void usage(void)
{
	fprintf(stderr, "usage: pcbench raw|psendto|mmsg|txring|pc1|pc1f|pcbatch64|pcbN{d,v,x,i,c,q,k}|pktgen0|pktgen1000|pktgen1000b32|xdp\n"
		"               [--dev IF] [--size BYTES] [--seconds S] [--src A] [--dst A] [--dst-mac MAC]\n"
		"               [--jitter N]\n"
		"       N: burst length, 1 to 1048576 (pcb64d, pcb1024c ...); BYTES: 60 to %d\n", MAX_FRAME);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long sent = 0, tx0, tx1, cpu0, cpu1, pg_count = 0;
	double t0, t1, pg_secs = 0;
	char path[128], mac[32];
	FILE *f;
	int i;

	if (argc < 2)
		usage();
	method = argv[1];
	for (i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--dev"))
			dev = argv[i + 1];
		else if (!strcmp(argv[i], "--size"))
			size = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--dst"))
			dst = argv[i + 1];
		else if (!strcmp(argv[i], "--src"))
			src = argv[i + 1];
		else if (!strcmp(argv[i], "--dst-mac"))
			dst_mac_s = argv[i + 1];
		else if (!strcmp(argv[i], "--jitter"))
			jitter = atoi(argv[i + 1]);
		else
			usage();
	}
	if (i != argc || size < 60 || size > MAX_FRAME || seconds <= 0)
		usage();
	ifindex = if_nametoindex(dev);
	if (!ifindex)
		die("no interface %s", dev);
	if (pktcraft_parse_mac(dst_mac_s, dst_mac) ||
	    pktcraft_parse_ipv4(dst, &daddr) || pktcraft_parse_ipv4(src, &saddr))
		die("bad --dst, --src or --dst-mac");
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", dev);
	f = fopen(path, "r");
	if (!f || !fgets(mac, sizeof(mac), f) || pktcraft_parse_mac(strtok(mac, "\n"), src_mac))
		die("cannot read %s", path);
	fclose(f);
	build_frame();
	/* Everything on the last CPU: pktgen then uses that CPU's thread. */
	{
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(ncpu > 1 ? ncpu - 1 : 0, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}

	if (!strncmp(method, "pktgen", 6)) {
		const char *b = strchr(method, 'b');
		int clone = atoi(method + 6), burst = b ? atoi(b + 1) : 1;
		double rate;

		/* Calibrate the count to the time wanted. */
		pg_setup(20000, clone, burst);
		tx0 = tx_packets(dev);
		rate = 20000 / pg_run();
		pg_count = (unsigned long long)(rate * seconds) + 1;
		pg_setup(pg_count, clone, burst);
	}

	if (!strcmp(method, "xdp"))
		xdp_setup();
	if (!strncmp(method, "pcb", 3) && strchr("vcq", method[strlen(method) - 1]))
		enter_container(method[strlen(method) - 1] == 'q');
	tx0 = tx_packets(dev);
	cpu0 = busy_ticks();
	t0 = now();
	if (!strcmp(method, "raw"))
		sent = m_raw(t0 + seconds);
	else if (!strcmp(method, "psendto"))
		sent = m_psendto(t0 + seconds);
	else if (!strcmp(method, "mmsg"))
		sent = m_mmsg(t0 + seconds);
	else if (!strcmp(method, "txring"))
		sent = m_txring(t0 + seconds);
	else if (!strcmp(method, "pcbatch64"))
		sent = m_batch(t0 + seconds);
	else if (!strcmp(method, "pc1"))
		sent = m_pktcraft(t0 + seconds, 1, 'i', 0);
	else if (!strcmp(method, "pc1f"))
		sent = m_pktcraft(t0 + seconds, 1, 'f', 0);
	else if (!strncmp(method, "pcb", 3) && atoi(method + 3) > 0 &&
		 strchr("dvxicqk", method[strlen(method) - 1]))
		sent = m_pktcraft(t0 + seconds, atoi(method + 3),
				  method[strlen(method) - 1], 1);
	else if (!strcmp(method, "xdp"))
		sent = m_xdp(t0 + seconds);
	else if (!strncmp(method, "pktgen", 6)) {
		const char *b = strchr(method, 'b');

		pg_secs = pg_run();
		sent = pg_count;
		snprintf(note, sizeof(note), "clone_skb %d burst %d",
			 atoi(method + 6), b ? atoi(b + 1) : 1);
	} else
		usage();
	t1 = now();
	cpu1 = busy_ticks();
	tx1 = tx_packets(dev);

	{
		unsigned long long pk = tx1 - tx0;
		double secs = pg_secs ? pg_secs : t1 - t0;
		double cpu_ns = (cpu1 - cpu0) * (1e9 / sysconf(_SC_CLK_TCK));

		printf("{\"method\": \"%s\", \"dev\": \"%s\", \"size\": %u, "
		       "\"packets\": %llu, \"reported\": %llu, \"seconds\": %.4f, "
		       "\"pps\": %.1f, \"cpu_ns_per_pkt\": %.1f, \"cpu_busy\": %.3f, "
		       "\"note\": \"%s\"}\n",
		       method, dev, size, pk, sent, secs, pk / secs,
		       pk ? cpu_ns / pk : 0.0, cpu_ns / 1e9 / secs, note);
	}
	return 0;
}
