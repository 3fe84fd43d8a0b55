// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest ioctl fuzzer for /dev/pktcraft, run as root. It moves into a
 * network namespace of its own (lo, two dummies, a default route through
 * one of them), so whatever it sends can never reach eth0 or the capture.
 *
 * Two worker processes (sharing one fd, each with fds of their own) take
 * valid requests of every layer 4 kind and mutate them: fields set to
 * interesting or random values, flag bits flipped, sizes, lengths and
 * option bytes changed, pointers replaced by NULL, unmapped, kernel,
 * non-canonical, misaligned, read-only, page-crossing or aliasing ones
 * (the payload or the frame buffer inside the request or BUILD struct),
 * bursts with counts, gaps, start times and variations. They call SEND,
 * BUILD and GET_STATS, random ioctl numbers, and close/reopen fds. An
 * interval timer interrupts long bursts (EINTR paths). A third process
 * keeps changing the dummies: down/up, MTU, delete/recreate.
 *
 * Every result must be success or an errno the README documents; kernel
 * reports (KASAN, lockdep, WARN, kmemleak...) are caught by the harness.
 * The last lines: "FUZZ ioctls=N seconds=S ..." and a PASS/FAIL verdict.
 *
 * Usage: fuzz SECONDS [SEED]
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/time.h>
#include "common.h"

#define NWORKERS 2
#define RQ(f) { offsetof(struct pktcraft_req, f), sizeof(((struct pktcraft_req *)0)->f) }

struct stats_shm {
	unsigned long long ioctls, ok, packets, errs[160], bad;
	unsigned long long by_cmd[4];
	char first_bad[200];
};

static struct stats_shm *shm;
static unsigned long long rng;
static long page;
static unsigned char *area, *guard, *rdonly;
static double deadline;

static const struct { unsigned short off, size; } fields[] = {
	RQ(size), RQ(flags), RQ(ifindex), RQ(dst_mac), RQ(src_mac), RQ(ip_version),
	RQ(ip_ihl), RQ(ip_tos), RQ(ip_ttl), RQ(ip_protocol), RQ(tcp_doff), RQ(tcp_res),
	RQ(reserved0), RQ(ip_tot_len), RQ(ip_id), RQ(ip_frag), RQ(ip_csum), RQ(ip_saddr),
	RQ(ip_daddr), RQ(sport), RQ(dport), RQ(tcp_seq), RQ(tcp_ack), RQ(tcp_flags),
	RQ(tcp_win), RQ(l4_csum), RQ(tcp_urg), RQ(payload_len), RQ(payload), RQ(l4),
	RQ(ip_optlen), RQ(tcp_optlen), RQ(icmp_type), RQ(icmp_code), RQ(reserved1),
	RQ(udp_len), RQ(icmp_id), RQ(icmp_seq), RQ(reserved2), RQ(ip_opts), RQ(tcp_opts),
	RQ(count), RQ(burst_flags), RQ(gap_ns), RQ(start_ns), RQ(vary[0]), RQ(vary[1]),
	RQ(vary[2]), RQ(vary[3]), RQ(vary[4]), RQ(sent), RQ(result_err), RQ(dropped),
	RQ(reserved3),
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const uint64_t interesting[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 20, 31, 32, 40, 41, 60, 63, 64, 79, 80, 127,
	128, 175, 176, 255, 256, 295, 296, 297, 511, 512, 1000, 1399, 1460, 1500, 1501,
	4095, 4096, 4097, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 0x100000, 0x100001,
	0x7fffffff, 0x80000000ULL, 0xfffffffeULL, 0xffffffffULL, 0x100000000ULL,
	10000000000ULL, 10000000001ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
	~0ULL,
};
#define NINTERESTING (sizeof(interesting) / sizeof(interesting[0]))

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static uint64_t any_value(void)
{
	switch (below(4)) {
	case 0: return interesting[below(NINTERESTING)];
	case 1: return rnd();
	case 2: return below(64);
	default: return interesting[below(NINTERESTING)] + below(3) - 1;
	}
}

/* A pointer: mostly fine, often not. */
static uint64_t any_pointer(void *good, size_t good_len, void *self)
{
	switch (below(14)) {
	case 0: return 0;
	case 1: return 0x10;
	case 2: return 0x200000000000ULL;		/* unmapped */
	case 3: return KERNEL_ADDR;
	case 4: return NONCANON_ADDR;
	case 5: return ~0ULL - below(4096);
	case 6: return (uintptr_t)guard - below(512);	/* crosses the guard */
	case 7: return (uintptr_t)rdonly + below(page);
	case 8: return (uintptr_t)self;			/* aliasing */
	case 9: return (uintptr_t)good + 1 + below(3);	/* misaligned */
	case 10: return (uintptr_t)guard;		/* PROT_NONE */
	default: return (uintptr_t)good + (good_len > 64 ? below(16) : 0);
	}
}

static void template(struct pktcraft_req *r, unsigned char *payload, unsigned int ifindex)
{
	static const unsigned char ipopt[] = { 0x07, 0x07, 0x04, 0, 0, 0, 0, 0x01 };
	static const unsigned char tcpopt[] = { 0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x07 };

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->ifindex = below(3) ? ifindex : 0;
	if (below(2))
		memcpy(r->dst_mac, "\x02\x00\x00\x00\x00\x01", 6);
	r->ip_ttl = 64;
	r->ip_daddr = below(2) ? inet_addr("10.50.0.2") : inet_addr("192.0.2.1");
	r->l4 = below(4);
	switch (r->l4) {
	case PKTCRAFT_L4_TCP:
		r->sport = 1000;
		r->dport = 2000;
		r->tcp_flags = PKTCRAFT_TCP_SYN;
		r->tcp_win = 512;
		if (below(2)) {
			memcpy(r->tcp_opts, tcpopt, sizeof(tcpopt));
			r->tcp_optlen = sizeof(tcpopt);
		}
		break;
	case PKTCRAFT_L4_UDP:
		r->sport = 1000;
		r->dport = 53;
		break;
	case PKTCRAFT_L4_ICMP:
		r->icmp_type = 8;
		r->icmp_id = 1;
		break;
	default:
		r->ip_protocol = 253;
		break;
	}
	if (below(3) == 0) {
		memcpy(r->ip_opts, ipopt, sizeof(ipopt));
		r->ip_optlen = sizeof(ipopt);
	}
	r->payload = (uintptr_t)payload;
	r->payload_len = below(4) ? below(200) : below(9000);
	if (below(4) == 0) {
		r->count = 1 + below(below(4) ? 16 : 3000);
		if (below(3) == 0)
			r->gap_ns = below(200000);
		if (below(2))
			r->burst_flags = PKTCRAFT_BURST_F_COPY;
		if (below(2)) {
			int f = below(PKTCRAFT_VARY_NR);

			r->vary[f].mode = 1 + below(2);
			r->vary[f].max = f == PKTCRAFT_VARY_TCP_SEQ || f == PKTCRAFT_VARY_IP_SADDR ?
					 0xffffffff : 0xffff;
			if (r->vary[f].mode == PKTCRAFT_VARY_INC)
				r->vary[f].step = 1 + below(1000);
			if (f == PKTCRAFT_VARY_IP_ID)
				r->flags |= PKTCRAFT_F_IP_ID;
		}
	}
}

static void set_field(struct pktcraft_req *r, unsigned int i, uint64_t v)
{
	unsigned char *p = (unsigned char *)r + fields[i].off;
	unsigned int n = fields[i].size;

	if (n > 8) {	/* arrays, vary: random bytes in it */
		unsigned int k, m = 1 + below(8);

		for (k = 0; k < m; k++)
			p[below(n)] = rnd();
		return;
	}
	memcpy(p, &v, n);	/* little endian: the low bytes */
}

static void mutate(struct pktcraft_req *r, unsigned char *payload)
{
	unsigned int k, m = below(4) ? 1 + below(3) : below(8);

	for (k = 0; k < m; k++) {
		switch (below(10)) {
		case 0:
			r->flags ^= 1U << below(below(4) ? 7 : 32);
			break;
		case 1:
			r->payload = any_pointer(payload, 9000, r);
			break;
		case 2:
			r->payload_len = any_value();
			break;
		case 3:
			r->size = below(2) ? interesting[below(NINTERESTING)] : 80 + below(300);
			break;
		case 4:
			r->ip_optlen = below(48);
			r->ip_opts[below(40)] = rnd();
			break;
		case 5:
			r->tcp_optlen = below(48);
			r->tcp_opts[below(40)] = rnd();
			break;
		case 6:
			r->l4 = below(6);
			break;
		case 7:
			((unsigned char *)r)[below(sizeof(*r))] ^= 1U << below(8);
			break;
		default:
			set_field(r, below(NFIELDS), any_value());
			break;
		}
	}
	/* Keep the fuzzer moving: huge paced bursts are cut by the timer. */
	if (r->count > 4096 && r->gap_ns > 100000 && below(4))
		r->count = 4096;
}

static int documented(int e)
{
	switch (e) {
	case EINVAL: case E2BIG: case EFAULT: case ENODEV: case ENETDOWN:
	case ENETUNREACH: case EHOSTUNREACH: case EACCES: case EMSGSIZE:
	case ENOSPC: case ENOBUFS: case ENOMEM: case ENOTTY: case EINTR:
		return 1;
	default:
		return 0;
	}
}

static void record(int cmd_kind, long rc, int err, const char *what)
{
	__atomic_add_fetch(&shm->ioctls, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&shm->by_cmd[cmd_kind], 1, __ATOMIC_RELAXED);
	if (rc >= 0) {
		__atomic_add_fetch(&shm->ok, 1, __ATOMIC_RELAXED);
		return;
	}
	if (err > 0 && err < 160)
		__atomic_add_fetch(&shm->errs[err], 1, __ATOMIC_RELAXED);
	if (!documented(err) && cmd_kind != 3) {
		if (__atomic_add_fetch(&shm->bad, 1, __ATOMIC_RELAXED) == 1)
			snprintf(shm->first_bad, sizeof(shm->first_bad), "%s -> %s", what,
				 ename(err));
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void worker(int id, int shared_fd, unsigned long long seed)
{
	static unsigned char payload[70000], frame[70000];
	static union {
		struct pktcraft_stats s;
		unsigned char b[8192];
	} st;
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	unsigned int ifindex = if_nametoindex("fz0");
	int fds[3], i;

	rng = seed ^ (0x9e3779b97f4a7c15ULL * (id + 1));
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: bursts see EINTR */
	setitimer(ITIMER_REAL, &it, NULL);
	memset(payload, 'z', sizeof(payload));
	fds[0] = shared_fd;
	for (i = 1; i < 3; i++)
		fds[i] = open(PKTCRAFT_DEVICE, O_RDWR);

	while (now_s() < deadline) {
		struct pktcraft_req *r = (struct pktcraft_req *)(area + below(64));
		struct pktcraft_build *b = (struct pktcraft_build *)(area + 1024 + below(16));
		int fd = fds[below(3)], kind = below(100), err;
		unsigned long cmd;
		void *arg;
		long rc;

		if (below(500) == 0 && fd != shared_fd) {	/* reopen */
			for (i = 1; i < 3; i++)
				if (fds[i] == fd) {
					close(fd);
					fds[i] = open(PKTCRAFT_DEVICE, O_RDWR);
				}
			continue;
		}
		template(r, payload, ifindex);
		mutate(r, payload);
		errno = 0;
		if (kind < 45) {
			arg = below(30) ? (void *)r : (void *)(uintptr_t)any_pointer(r, sizeof(*r), r);
			rc = ioctl(fd, PKTCRAFT_IOC_SEND, arg);
			err = errno;
			if (rc >= 0)
				__atomic_add_fetch(&shm->packets, rc, __ATOMIC_RELAXED);
			record(0, rc, err, "SEND");
		} else if (kind < 80) {
			memset(b, 0, sizeof(*b));
			b->size = below(10) ? sizeof(*b) : any_value();
			b->flags = below(8) ? below(2) : any_value();
			b->req = below(10) ? (uintptr_t)r : any_pointer(r, sizeof(*r), b);
			b->buf = below(6) ? (uintptr_t)frame : any_pointer(frame, sizeof(frame), b);
			b->buf_len = below(6) ? sizeof(frame) : any_value();
			if (below(20) == 0)
				b->frame_len = any_value();
			arg = below(40) ? (void *)b : (void *)(uintptr_t)any_pointer(b, sizeof(*b), b);
			rc = ioctl(fd, PKTCRAFT_IOC_BUILD, arg);
			err = errno;
			if (rc > 0)
				__atomic_add_fetch(&shm->packets, rc, __ATOMIC_RELAXED);
			record(1, rc, err, "BUILD");
		} else if (kind < 90) {
			memset(&st, 0, sizeof(st));
			st.s.size = below(4) ? sizeof(st.s) : any_value();
			st.s.flags = below(8) ? 0 : any_value();
			arg = below(8) ? (void *)&st : (void *)(uintptr_t)any_pointer(&st, sizeof(st), &st);
			rc = ioctl(fd, PKTCRAFT_IOC_GET_STATS, arg);
			err = errno;
			record(2, rc, err, "GET_STATS");
		} else {
			if (below(2))
				cmd = _IOC(below(4), PKTCRAFT_IOC_MAGIC, below(8), below(0x4000));
			else
				cmd = (unsigned int)rnd();
			/* Our three numbers mean real work: counted above. */
			if (cmd == PKTCRAFT_IOC_SEND || cmd == PKTCRAFT_IOC_BUILD ||
			    cmd == PKTCRAFT_IOC_GET_STATS)
				continue;
			/* VFS-level commands act on the file, not the driver. */
			if (cmd == 2 /* FIGETBSZ */ || _IOC_TYPE(cmd) == 'T' || _IOC_TYPE(cmd) == 'X' ||
			    _IOC_TYPE(cmd) == 'f' || _IOC_TYPE(cmd) == 0x94 ||
			    (cmd >> 8 & 0xff) == 0x54 || (cmd >> 8 & 0xff) == 0x58)
				continue;
			arg = (void *)(uintptr_t)any_pointer(r, sizeof(*r), r);
			rc = ioctl(fd, cmd, arg);
			err = errno;
			record(3, rc, err, "other");
			if (rc >= 0 || err != ENOTTY) {
				if (__atomic_add_fetch(&shm->bad, 1, __ATOMIC_RELAXED) == 1)
					snprintf(shm->first_bad, sizeof(shm->first_bad),
						 "ioctl 0x%lx -> rc %ld %s", cmd, rc, ename(err));
			}
		}
	}
}

/* Keeps the devices moving under the workers. */
static void chaos(unsigned long long seed)
{
	rng = seed * 7 + 3;
	while (now_s() < deadline) {
		switch (below(6)) {
		case 0: sh("ip link set fz1 down; ip link set fz1 up"); break;
		case 1: sh("ip link set fz0 mtu %u", 68 + below(9000)); break;
		case 2: sh("ip link set fz0 mtu 1500"); break;
		case 3: sh("ip link del fz1; ip link add fz1 type dummy; ip link set fz1 up"); break;
		case 4: sh("ip link set fz0 down; ip link set fz0 up; ip route replace default via 10.50.0.2 dev fz0 2>/dev/null"); break;
		default: sh("ip neigh flush dev fz0 2>/dev/null"); break;
		}
		usleep(700000 + below(800000));	/* an exec of ip is slow under TCG */
	}
}

int main(int argc, char **argv)
{
	unsigned long long seed;
	double secs, t0;
	pid_t pids[NWORKERS + 1];
	int i, st, shared_fd, fd, rc, crashed = 0;
	struct pktcraft_req r;

	if (argc < 2) {
		fprintf(stderr, "usage: %s SECONDS [SEED]\n", argv[0]);
		return 2;
	}
	group = "fuzz";
	setvbuf(stdout, NULL, _IOLBF, 0);
	secs = atof(argv[1]);
	seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (unsigned long long)time(NULL);
	page = sysconf(_SC_PAGESIZE);
	printf("INFO: hardening: fuzz: seed %llu, %.0f s\n", seed, secs);

	if (unshare(CLONE_NEWNET)) {
		perror("unshare(CLONE_NEWNET)");
		return 2;
	}
	if (sh("ip link set lo up && ip link add fz0 type dummy && ip link add fz1 type dummy && "
	       "ip link set fz0 up && ip link set fz1 up && ip addr add 10.50.0.1/24 dev fz0 && "
	       "ip route add default via 10.50.0.2 dev fz0 && "
	       "{ [ ! -d /proc/sys/net/ipv6 ] || echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; }")) {
		fprintf(stderr, "namespace setup failed\n");
		return 2;
	}
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	area = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED || area == MAP_FAILED)
		return 2;
	guard = area + 3 * page;
	mprotect(guard, page, PROT_NONE);
	rdonly = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared_fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (shared_fd < 0) {
		perror(PKTCRAFT_DEVICE);
		return 2;
	}

	t0 = now_s();
	deadline = t0 + secs;
	fflush(stdout);
	for (i = 0; i <= NWORKERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			if (i == NWORKERS) {
				chaos(seed);
			} else {
				/* Each worker its own copy of the request area. */
				unsigned char *priv = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
							   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				if (i > 0 && priv != MAP_FAILED)
					area = priv;	/* worker 0 keeps the guard layout */
				worker(i, shared_fd, seed);
			}
			_exit(0);
		}
	}
	for (i = 0; i <= NWORKERS; i++) {
		if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) || WEXITSTATUS(st))
			crashed++;
	}
	t0 = now_s() - t0;

	/* The module still works after all that. */
	sh("ip link set fz0 mtu 1500 up");
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	base_req(&r, if_nametoindex("fz0"), 1);
	rc = fd >= 0 ? ioctl(fd, PKTCRAFT_IOC_SEND, &r) : -1;
	if (fd >= 0)
		close(fd);
	close(shared_fd);

	printf("FUZZ ioctls=%llu seconds=%.1f ioctls_per_s=%.0f ok=%llu packets=%llu send=%llu build=%llu stats=%llu other=%llu seed=%llu\n",
	       shm->ioctls, t0, shm->ioctls / t0, shm->ok, shm->packets, shm->by_cmd[0],
	       shm->by_cmd[1], shm->by_cmd[2], shm->by_cmd[3], seed);
	printf("FUZZ errnos:");
	for (i = 1; i < 160; i++)
		if (shm->errs[i])
			printf(" %s=%llu", ename(i), shm->errs[i]);
	printf("\n");
	verdict(!crashed, "workers and the device chaos process exited normally",
		"%d did not", crashed);
	verdict(!shm->bad, "every result was success or a documented errno (ENOTTY for unknown ioctls)",
		"%llu bad, first: %s", shm->bad, shm->first_bad);
	verdict(rc == 1, "the module still sends after the fuzzing", "rc %d %s", rc,
		ename(errno));
	{
		char name[128];

		snprintf(name, sizeof(name), "%llu ioctls in %.0f s", shm->ioctls, t0);
		verdict(shm->ioctls > 0, name, "none");
	}
	return failures ? 1 : 0;
}
