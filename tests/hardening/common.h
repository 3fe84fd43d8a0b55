/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/hardening: helpers shared by the in-guest programs. Header-only so
 * every program is one gcc command (see tests/hardening/run).
 *
 * Verdicts are "PASS: hardening: GROUP: what" / "FAIL: hardening: GROUP:
 * what: why" lines, one per check, as tests/check tallies them. Lines that
 * start with "WIRE " tell the host which frames must be in the capture.
 */
#ifndef HARDENING_COMMON_H
#define HARDENING_COMMON_H

#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/pktcraft.h>
#include "../lib/ctest.h"

/* Frames that reach eth0 carry one TCP/UDP source port per program. */
#define PORT_HOSTILE	4343
#define PORT_PERMS	4344
#define PORT_STRESS	4345
#define PORT_COMPAT	4346
#define GW_MAC		"\x52\x54\x00\x00\x00\x01"

/* Addresses the kernel never maps for a user: every copy must fault. */
#define KERNEL_ADDR	0xffffffff81000000ULL
#define NONCANON_ADDR	0x0000800000000000ULL

static const char *group = "?";
static int failures;

static __attribute__((unused)) void verdict(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static __attribute__((unused)) void verdict(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	failures += ctest_vverdict(ok, "hardening", group, ": ", name, fmt, ap);
	va_end(ap);
}

static __attribute__((unused)) void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static __attribute__((unused)) void info(const char *fmt, ...)
{
	va_list ap;

	printf("INFO: hardening: %s: ", group);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static __attribute__((unused)) double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __attribute__((unused)) uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Waits up to @ms for the tx counter of @dev to reach @want (e1000 counts a
 * frame when its descriptor completes), returns the last value read.
 */
static __attribute__((unused)) unsigned long long tx_wait(const char *dev, unsigned long long want,
				  int ms)
{
	unsigned long long v = tx_packets(dev);

	while (v < want && ms > 0) {
		usleep(5000);
		ms -= 5;
		v = tx_packets(dev);
	}
	return v;
}

/*
 * A SEND (a burst, usually) in a thread of its own, so that the main thread
 * can delete, move or set down its device, or signal it, meanwhile.
 */
struct burst {
	struct pktcraft_req r;
	int fd;
	long rc;
	int err;
	double t_call, t_end;	/* around the SEND */
	volatile int done;
	pthread_t th;
	struct sleeper sl;	/* begun just before the SEND */
	struct pktcraft_batch *batch;	/* if set, a SEND_BATCH of it instead */
};

static __attribute__((unused)) void *burst_thread(void *arg)
{
	struct burst *b = arg;
	sigset_t set;

	/*
	 * system() in the main thread blocks SIGCHLD there, so the SIGCHLD of
	 * its child would be delivered to this thread and interrupt the burst
	 * (result_err -EINTR), as it would any interruptible system call.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sleeper_begin(&b->sl);
	errno = 0;
	b->t_call = now_s();
	b->rc = b->batch ? ioctl(b->fd, PKTCRAFT_IOC_SEND_BATCH, b->batch) :
			   ioctl(b->fd, PKTCRAFT_IOC_SEND, &b->r);
	b->err = b->rc < 0 ? errno : 0;
	b->t_end = now_s();
	b->done = 1;
	return NULL;
}

/* pthread_join() of the burst's thread, giving up after @secs (non-zero). */
static __attribute__((unused)) int join_within(struct burst *b, double secs)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)secs;
	ts.tv_nsec += (long)((secs - (time_t)secs) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(b->th, NULL, &ts);
}

static __attribute__((unused)) int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static __attribute__((unused)) int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	rc = system(cmd);
	if (rc == -1 || !WIFEXITED(rc))
		return -1;
	return WEXITSTATUS(rc);
}

static __attribute__((unused)) int stats_get(int fd, struct pktcraft_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(fd, PKTCRAFT_IOC_GET_STATS, st);
}

/* A TCP SYN to 10.3.0.2 through @ifindex, straight to the gateway MAC. */
static __attribute__((unused)) void base_req(struct pktcraft_req *r, unsigned int ifindex,
		     uint16_t sport)
{
	static const char payload[] = "hardening";

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->ifindex = ifindex;
	memcpy(r->dst_mac, GW_MAC, 6);
	r->ip_ttl = 64;
	r->ip_daddr = inet_addr("10.3.0.2");
	r->sport = sport;
	r->dport = 7;
	r->tcp_flags = PKTCRAFT_TCP_SYN;
	r->tcp_win = 1000;
	r->payload = (uintptr_t)payload;
	r->payload_len = sizeof(payload) - 1;
}

/*
 * A private ftrace instance (tracefs under debugfs, or /sys/kernel/tracing)
 * for the skb tracepoints: drops (kfree_skb) are told from consumed skbs
 * (consume_skb), which no counter of the kernel does.
 */
struct trace_inst {
	char dir[160];
};

/* 0 and @t set up, or -1 when the kernel has no tracefs / skb events. */
static __attribute__((unused)) int trace_open(struct trace_inst *t, const char *name)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[200];

	for (unsigned int i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/skb/kfree_skb/format", roots[i]);
		if (access(path, R_OK))
			continue;
		snprintf(t->dir, sizeof(t->dir), "%s/instances/%s", roots[i], name);
		rmdir(t->dir);
		if (mkdir(t->dir, 0700) && errno != EEXIST)
			continue;
		return 0;
	}
	return -1;
}

/* Enables events/@event (e.g. "skb/kfree_skb") with @filter ("" = none). */
static __attribute__((unused)) int trace_enable(struct trace_inst *t, const char *event,
						const char *filter)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/events/%s/filter", t->dir, event);
	if (proc_write(path, *filter ? filter : "0"))
		return -1;
	snprintf(path, sizeof(path), "%s/events/%s/enable", t->dir, event);
	return proc_write(path, "1");
}

static __attribute__((unused)) void trace_clear(struct trace_inst *t)
{
	char path[200];

	snprintf(path, sizeof(path), "%s/trace", t->dir);
	proc_write(path, "");
}

/* Events recorded since the last clear whose line contains @needle (NULL: all). */
static __attribute__((unused)) long trace_count(struct trace_inst *t, const char *needle)
{
	char path[200], line[1024];
	long n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace", t->dir);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && line[0] != '\n' && (!needle || strstr(line, needle)))
			n++;
	fclose(f);
	return n;
}

static __attribute__((unused)) void trace_close(struct trace_inst *t)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/events/enable", t->dir);
	proc_write(path, "0");
	rmdir(t->dir);
}

/*
 * The number of a drop reason (e.g. "QDISC_DROP") in this kernel's
 * enum skb_drop_reason, from the kfree_skb event's print format; -1 if absent.
 */
static __attribute__((unused)) int drop_reason_num(const char *reason)
{
	static const char *const fmts[] = {
		"/sys/kernel/tracing/events/skb/kfree_skb/format",
		"/sys/kernel/debug/tracing/events/skb/kfree_skb/format",
	};
	char buf[16384], pat[64], *p;
	size_t n = 0;
	int num = -1;

	for (unsigned int i = 0; i < sizeof(fmts) / sizeof(fmts[0]) && !n; i++) {
		FILE *f = fopen(fmts[i], "re");

		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	snprintf(pat, sizeof(pat), ", \"%s\" }", reason);
	p = strstr(buf, pat);
	if (!p)
		return -1;
	while (p > buf && p[-1] != '{')
		p--;
	sscanf(p, " %d", &num);
	return num;
}

/* Kernel log: lines so far, and the reports (WARNING, BUG...) after a mark. */
static __attribute__((unused)) long kmsg_mark(void)
{
	char line[1024];
	long n = 0;
	FILE *f = popen("dmesg 2>/dev/null", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n++;
	pclose(f);
	return n;
}

/* 0 if no report after line @mark, else 1 and the first one in @out. */
static __attribute__((unused)) int kmsg_report_since(long mark, char *out, size_t outlen)
{
	static const char *const pats[] = {
		"WARNING:", "BUG:", "BUG ", "field-spanning", "UBSAN", "KASAN", "general protection",
		"refcount_t", "list_add corruption", "list_del corruption", "Oops", "kernel BUG",
	};
	char line[1024];
	long n = 0;
	int found = 0;
	FILE *f = popen("dmesg 2>/dev/null", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (n++ < mark || found)
			continue;
		for (unsigned int i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
			if (strstr(line, pats[i])) {
				line[strcspn(line, "\n")] = 0;
				if (outlen) {
					strncpy(out, line, outlen - 1);
					out[outlen - 1] = 0;
				}
				found = 1;
				break;
			}
	}
	pclose(f);
	return found;
}

/* The first number printed by a shell command, or @dflt. */
static __attribute__((unused)) long long sh_num(long long dflt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static __attribute__((unused)) long long sh_num(long long dflt, const char *fmt, ...)
{
	char cmd[1024];
	long long v = dflt;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	f = popen(cmd, "r");
	if (!f)
		return dflt;
	if (fscanf(f, "%lld", &v) != 1)
		v = dflt;
	pclose(f);
	return v;
}

/*
 * Counters of the root qdisc of @dev (in netns @ns, NULL: ours), from
 * `tc -j -s qdisc show`: packets/bytes it sent, drops, backlog bytes, qlen.
 * -1 if there is none.
 */
struct qstat {
	long long packets, bytes, drops, backlog, qlen;
};

static __attribute__((unused)) long long json_num(const char *s, const char *key)
{
	char pat[48];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(s, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

static __attribute__((unused)) int qdisc_stats(const char *ns, const char *dev, struct qstat *q)
{
	char cmd[256], buf[16384], *root, *stats;
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "tc %s%s -j -s qdisc show dev %s 2>/dev/null",
		 ns ? "-n " : "", ns ? ns : "", dev);
	fflush(stdout);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	pclose(f);
	buf[n] = 0;
	root = strstr(buf, "\"root\":true");
	if (!root)
		return -1;
	/* the statistics follow the options object */
	stats = strstr(root, "\"bytes\":");
	if (!stats)
		return -1;
	q->bytes = json_num(stats, "bytes");
	q->packets = json_num(stats, "packets");
	q->drops = json_num(stats, "drops");
	q->backlog = json_num(stats, "backlog");
	q->qlen = json_num(stats, "qlen");
	return 0;
}

/*
 * A TPACKET_V2 receive ring on a device: a tap that copies each frame into
 * the ring and frees its clone at once, so that the pktcraft ring's skbs
 * are idle again as soon as the dummy lets go of them and are reused (a
 * plain socket's queue would keep the clones, and every packet would get
 * a new copy).
 */
#define RX_FSIZE	256
#define RX_FRAMES	4096

struct rxring {
	int fd;
	uint8_t *map;
	unsigned long next;
};

static __attribute__((unused)) int rxring_open(struct rxring *rx, const char *dev)
{
	struct tpacket_req tp = { .tp_block_size = 1 << 16, .tp_frame_size = RX_FSIZE,
				  .tp_block_nr = (RX_FRAMES * RX_FSIZE) >> 16,
				  .tp_frame_nr = RX_FRAMES };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = (int)if_nametoindex(dev) };
	int v = TPACKET_V2;

	rx->next = 0;
	rx->map = MAP_FAILED;
	/* Protocol 0 until bound: nothing from other devices in the ring. */
	rx->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (rx->fd < 0 || setsockopt(rx->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(rx->fd, SOL_PACKET, PACKET_RX_RING, &tp, sizeof(tp)))
		return -1;
	rx->map = mmap(NULL, (size_t)RX_FRAMES * RX_FSIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       rx->fd, 0);
	if (rx->map == MAP_FAILED)
		return -1;
	return bind(rx->fd, (struct sockaddr *)&sll, sizeof(sll));
}

static __attribute__((unused)) void rxring_close(struct rxring *rx)
{
	if (rx->map != MAP_FAILED)
		munmap(rx->map, (size_t)RX_FRAMES * RX_FSIZE);
	if (rx->fd >= 0)
		close(rx->fd);
}

/* Frames the ring dropped for want of room since the last call. */
static __attribute__((unused)) unsigned int rxring_drops(struct rxring *rx)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(rx->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		return UINT32_MAX;
	return st.tp_drops;
}

/* The next frame the kernel filled, or NULL; rxring_done() gives it back. */
static __attribute__((unused)) struct tpacket2_hdr *rxring_next(struct rxring *rx)
{
	struct tpacket2_hdr *h = (void *)(rx->map + (rx->next % RX_FRAMES) * RX_FSIZE);

	if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
		return NULL;
	return h;
}

static __attribute__((unused)) void rxring_done(struct rxring *rx, struct tpacket2_hdr *h)
{
	__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	rx->next++;
}

/*
 * CAP_NET_ADMIN in this thread's effective set, on (@on) or off: an fd
 * opened without it gets the ring, never pktgen's shared skb (the module
 * looks at the opener's credentials).
 */
static __attribute__((unused)) int set_net_admin(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	if (on)
		d[0].effective |= 1U << CAP_NET_ADMIN;
	else
		d[0].effective &= ~(1U << CAP_NET_ADMIN);
	return syscall(SYS_capset, &h, d);
}

#endif /* HARDENING_COMMON_H */
