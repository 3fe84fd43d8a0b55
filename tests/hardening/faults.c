// SPDX-License-Identifier: GPL-2.0
/*
 * Faults, run in the guest as root, on dummy devices only (nothing reaches
 * eth0):
 *  - rmmod while the device is open (or a burst runs) fails, and succeeds
 *    after the last close; the module is loaded again afterwards.
 *  - The egress device deleted or set down in the middle of a long burst
 *    (shared skb and copy modes, varied or not): SEND returns the partial
 *    count, result_err = -ENODEV (deleted) / -ENETDOWN (down);
 *    set down: sent = the device's tx + what the qdisc accepted and then
 *    discarded (kfree_skb tracepoint, QDISC_DROP); the deletion does not hang
 *    (a leaked device reference would make unregister wait forever; the
 *    refcount tracker reports it and the harness exits 3).
 *  - A signal in the middle of a burst returns the partial count with
 *    result_err = -EINTR; before the first packet, -EINTR; SIGKILL ends it.
 *  - A qdisc grafted on the noqueue dummy, or a tc egress filter added, in
 *    the middle of a burst that goes straight to the driver (the ring,
 *    identical or varied; the shared skb, filter only): every packet from
 *    then on goes through it, none lost or sent twice (t_appear()).
 *  - The MTU lowered in the middle of a burst.
 *  - Allocation failures (debug kernel, CONFIG_FAULT_INJECTION): every
 *    allocation site on the SEND/BUILD/GET_STATS/open paths is failed in
 *    turn with /proc/thread-self/fail-nth (failslab, and fail_page_alloc
 *    with a payload large enough for a page allocation); then failslab
 *    with task-filter + make-it-fail, probability 100, times N. Each
 *    failure returns ENOMEM/ENOBUFS (or a partial burst) and sends
 *    nothing more than reported; kmemleak (scanned by the harness) must
 *    stay empty.
 *
 * Usage: faults MODULE.ko
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "common.h"

static const char *ko;
static char payload[65536];

static void dummy(const char *name, int mtu)
{
	sh("ip link del %s 2>/dev/null; ip link add %s type dummy && ip link set %s mtu %d up",
	   name, name, name, mtu);
}

static void req_on(struct pktcraft_req *r, const char *dev, unsigned int plen)
{
	base_req(r, if_nametoindex(dev), 9);
	r->payload = (uintptr_t)payload;
	r->payload_len = plen;
}

static int delete_module(const char *name, int flags)
{
	return syscall(SYS_delete_module, name, flags);
}

/* ------------------------------------------------------------- rmmod */
static void t_rmmod(void)
{
	struct burst b;
	int fd, rc, err;

	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (fd < 0) {
		verdict(0, "open", "%s", strerror(errno));
		return;
	}
	rc = delete_module("pktcraft", O_NONBLOCK);
	err = errno;
	verdict(rc < 0 && (err == EBUSY || err == EAGAIN),
		"delete_module while /dev/pktcraft is open fails (in use)",
		"rc %d %s", rc, ename(err));
	info("delete_module(\"pktcraft\") with the device open: %s (EWOULDBLOCK/EAGAIN is the kernel's \"in use\"; rmmod prints \"Module pktcraft is in use\")",
	     ename(err));
	rc = sh("rmmod pktcraft 2>/dev/null");
	verdict(rc != 0, "rmmod while open fails", "rmmod exit %d", rc);

	/* A running burst holds the module through its fd too. */
	dummy("hr0", 1500);
	memset(&b, 0, sizeof(b));
	req_on(&b.r, "hr0", 10);
	b.r.count = 20000;
	b.r.gap_ns = 50000;
	b.fd = fd;
	pthread_create(&b.th, NULL, burst_thread, &b);
	usleep(200000);
	rc = delete_module("pktcraft", O_NONBLOCK);
	err = errno;
	verdict(rc < 0 && (err == EBUSY || err == EAGAIN),
		"delete_module during a burst fails (in use)", "rc %d %s", rc, ename(err));
	sh("ip link del hr0");
	if (join_within(&b, 10)) {
		verdict(0, "burst ends when its device goes", "still running after 10 s");
		return;
	}
	close(fd);
	rc = delete_module("pktcraft", O_NONBLOCK);
	err = errno;
	verdict(rc == 0, "delete_module after the last close succeeds", "%s", ename(err));
	if (rc == 0) {
		rc = sh("insmod %s", ko);
		for (int i = 0; i < 40 && access(PKTCRAFT_DEVICE, F_OK); i++)
			usleep(50000);
		verdict(rc == 0 && !access(PKTCRAFT_DEVICE, F_OK),
			"the module loads again (insmod) and /dev/pktcraft reappears",
			"insmod exit %d", rc);
	}
}

/* ------------------------------------------------- device goes away */
/*
 * Until @dev's tx moved past @before (the burst is sending: a signal sent
 * earlier would land before its SEND began) and at least 0.4 s; at most
 * 10 s.
 */
static void wait_sending(unsigned long long before, const char *dev)
{
	double t0 = now_s();

	while (now_s() - t0 < 0.4 || (tx_packets(dev) == before && now_s() - t0 < 10.0))
		usleep(5000);
}

/*
 * "Sent" = accepted by the qdisc or the driver (NET_XMIT_SUCCESS or
 * NET_XMIT_CN). When a device goes down, __dev_close_many() clears
 * __LINK_STATE_START and then dev_deactivate_many() swaps every queue's
 * qdisc for noop_qdisc. A packet that passed the burst's "is it running"
 * check just before that reaches noop_enqueue(), which frees it and returns
 * NET_XMIT_CN: sent by the definition, yet the device never counts it and
 * noop_qdisc keeps no statistics (the "tx +5333, rc 5334" of issue 12).
 * The kfree_skb tracepoint sees it (reason QDISC_DROP), so the exact
 * account is: sent = device tx + IPv4 QDISC_DROP frees during the burst.
 * Without tracefs it can only be bounded: at most the one packet in flight.
 */
static void t_device_gone(const char *label, const char *action, uint32_t bflags,
			  int varied, int want_err, int unpaced)
{
	struct burst b;
	unsigned long long before;
	double t_act, t_act_end;
	char name[300], cmd[64], filter[96];
	struct trace_inst tr;
	int fd = open(PKTCRAFT_DEVICE, O_RDWR), down = !!strstr(action, "down"), traced = 0;
	int qdrop = drop_reason_num("QDISC_DROP");

	dummy("hb0", 1500);
	memset(&b, 0, sizeof(b));
	req_on(&b.r, "hb0", 100);
	b.r.count = 200000;
	b.r.gap_ns = 50000;	/* ~10 s in all */
	if (unpaced) {		/* as fast as it goes: the race above in about 1 run of 2 */
		b.r.count = PKTCRAFT_MAX_COUNT;
		b.r.gap_ns = 0;
	}
	b.r.burst_flags = bflags;
	if (varied) {
		b.r.vary[PKTCRAFT_VARY_SPORT].mode = PKTCRAFT_VARY_RANDOM;
		b.r.vary[PKTCRAFT_VARY_SPORT].min = 0;
		b.r.vary[PKTCRAFT_VARY_SPORT].max = 0xffff;
	}
	b.fd = fd;
	if (down && qdrop > 0 && !trace_open(&tr, "pktcraft-faults")) {
		snprintf(filter, sizeof(filter), "protocol == 2048 && reason == %d", qdrop);
		traced = !trace_enable(&tr, "skb/kfree_skb", filter);
		if (traced)
			trace_clear(&tr);
		else
			trace_close(&tr);
	}
	before = tx_packets("hb0");
	pthread_create(&b.th, NULL, burst_thread, &b);
	wait_sending(before, "hb0");
	snprintf(cmd, sizeof(cmd), action, "hb0");
	t_act = now_s();
	sh("%s", cmd);
	t_act_end = now_s();
	snprintf(name, sizeof(name), "%s: SEND returns the partial count, result_err -%s",
		 label, ename(want_err));
	if (join_within(&b, 15)) {
		verdict(0, name, "burst still running 15 s after the device went");
		exit(1);	/* the thread holds the device: nothing else can run */
	}
	verdict(b.rc > 0 && b.rc < (long)b.r.count && b.r.sent == (uint32_t)b.rc &&
		b.r.result_err == -want_err, name,
		"rc %ld (%s), sent %u, result_err %d, dropped %u, returned %.2f s after the ip command started (which took %.2f s)",
		b.rc, ename(b.err), b.r.sent, b.r.result_err, b.r.dropped,
		b.t_end - t_act, t_act_end - t_act);
	snprintf(name, sizeof(name), "%s: '%s' itself returns (within 20 s: no reference left behind)", label, cmd);
	verdict(t_act_end - t_act < 20.0, name, "took %.2f s", t_act_end - t_act);
	if (down) {
		unsigned long long tx = tx_packets("hb0") - before;
		long discarded = traced ? trace_count(&tr, "kfree_skb:") : -1;

		if (traced) {
			trace_close(&tr);
			snprintf(name, sizeof(name),
				 "%s: every packet counted as sent reached the driver (tx counter) or was accepted and discarded by the qdisc as the device went down (kfree_skb QDISC_DROP)",
				 label);
			verdict(tx + discarded == (unsigned long long)b.rc, name,
				"tx +%llu, discarded by the qdisc %ld, rc %ld", tx, discarded, b.rc);
			if (discarded)
				info("%s: %ld packet(s) accepted by the qdisc as the device went down and discarded (NET_XMIT_CN from noop_qdisc): sent, not transmitted",
				     label, discarded);
		} else {
			snprintf(name, sizeof(name),
				 "%s: the device's tx counter moved by the count, or one less (the packet the qdisc accepted as the device went down; no tracefs to see it)",
				 label);
			verdict(tx == (unsigned long long)b.rc || tx + 1 == (unsigned long long)b.rc,
				name, "tx +%llu, rc %ld", tx, b.rc);
		}
		sh("ip link del hb0");
	}
	close(fd);
}

/* ------------------------------------------------------------ signals */
static void on_signal(int sig)
{
	(void)sig;
}

static void t_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct burst b;
	unsigned long long before;
	double t_sig;
	int fd = open(PKTCRAFT_DEVICE, O_RDWR), st;
	pid_t pid;

	sigaction(SIGUSR1, &sa, NULL);
	dummy("hs0", 1500);

	memset(&b, 0, sizeof(b));
	req_on(&b.r, "hs0", 100);
	b.r.count = 200000;
	b.r.gap_ns = 50000;
	b.fd = fd;
	before = tx_packets("hs0");
	pthread_create(&b.th, NULL, burst_thread, &b);
	wait_sending(before, "hs0");
	t_sig = now_s();
	pthread_kill(b.th, SIGUSR1);
	if (join_within(&b, 10)) {
		verdict(0, "signal mid-burst", "still running 10 s after the signal");
		exit(1);
	}
	verdict(b.rc > 0 && b.rc < (long)b.r.count && b.r.result_err == -EINTR &&
		b.r.sent == (uint32_t)b.rc && tx_packets("hs0") - before == (unsigned long long)b.rc,
		"a signal mid-burst (paced, shared skb) returns the partial count, result_err -EINTR",
		"rc %ld (%s), sent %u, result_err %d, %.2f s after, tx +%llu",
		b.rc, ename(b.err), b.r.sent, b.r.result_err, b.t_end - t_sig,
		tx_packets("hs0") - before);

	memset(&b, 0, sizeof(b));
	req_on(&b.r, "hs0", 100);
	b.r.count = PKTCRAFT_MAX_COUNT;
	b.r.burst_flags = PKTCRAFT_BURST_F_COPY;
	b.fd = fd;
	before = tx_packets("hs0");
	pthread_create(&b.th, NULL, burst_thread, &b);
	wait_sending(before, "hs0");
	t_sig = now_s();
	pthread_kill(b.th, SIGUSR1);
	if (join_within(&b, 10)) {
		verdict(0, "signal mid-burst (unpaced copies)", "still running 10 s after");
		exit(1);
	}
	verdict(b.rc > 0 && b.rc < (long)b.r.count && b.r.result_err == -EINTR &&
		tx_packets("hs0") - before == (unsigned long long)b.rc,
		"a signal mid-burst (unpaced, every packet a copy) returns the partial count, result_err -EINTR",
		"rc %ld (%s), sent %u, result_err %d, %.2f s after, tx +%llu",
		b.rc, ename(b.err), b.r.sent, b.r.result_err, b.t_end - t_sig,
		tx_packets("hs0") - before);
	info("unpaced copy burst on a dummy: %ld packets before the signal (0.4 s or more)",
	     b.rc);

	memset(&b, 0, sizeof(b));
	req_on(&b.r, "hs0", 100);
	b.r.count = 10;
	b.r.gap_ns = 1000000;
	b.r.start_ns = now_ns() + 5000000000ULL;
	b.fd = fd;
	before = tx_packets("hs0");
	pthread_create(&b.th, NULL, burst_thread, &b);
	/* asleep until start_ns (at least 0.3 s; at most 4 s) */
	sleeper_wait(&b.sl, 300, 4000, 0);
	pthread_kill(b.th, SIGUSR1);
	if (join_within(&b, 10)) {
		verdict(0, "signal before the first packet", "still waiting");
		exit(1);
	}
	verdict(b.rc < 0 && b.err == EINTR && tx_packets("hs0") == before,
		"a signal while waiting for start_ns: -EINTR, nothing sent",
		"rc %ld %s", b.rc, ename(b.err));

	/* SIGKILL: the process must die promptly, the module stay sane. */
	fflush(stdout);
	before = tx_packets("hs0");
	pid = fork();
	if (pid == 0) {
		struct pktcraft_req r;

		req_on(&r, "hs0", 100);
		r.count = PKTCRAFT_MAX_COUNT;
		r.gap_ns = 1000000;
		ioctl(fd, PKTCRAFT_IOC_SEND, &r);
		_exit(0);
	}
	/* once it sends: killed before its SEND, it would prove nothing */
	wait_sending(before, "hs0");
	t_sig = now_s();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	/* the burst would run for hours: dying at all is dying promptly */
	verdict(WIFSIGNALED(st) && now_s() - t_sig < 60.0,
		"SIGKILL mid-burst: the process dies (within 60 s)",
		"status 0x%x after %.2f s", st, now_s() - t_sig);
	close(fd);
	sh("ip link del hs0");
}

/* ------------------------------------- a qdisc or a filter appears mid-burst */
#define AP_DEV		"fa0"	/* noqueue dummy: bursts go straight to the driver */
#define AP_REDIR	"fa1"	/* where the filter redirects them */
#define AP_SPORT	20000

enum ap_change { AP_QDISC, AP_FILTER };

struct ap_case {
	const char *label;
	int shared;	/* opened with CAP_NET_ADMIN: pktgen's shared skb, else the ring */
	int varied;	/* the source port counts up from AP_SPORT */
	int paced;	/* 1 ms apart, every frame judged on the taps; else counters */
	enum ap_change change;
};

/* What the taps saw of our frames (TCP from AP_SPORT up). */
struct ap_seen {
	unsigned long n[2];		/* on fa0, on fa1 */
	uint64_t ts_max0, ts_min1;	/* tap timestamps, CLOCK_REALTIME ns */
	unsigned int sport_max0, sport_min1;
	unsigned char hits[65536];	/* frames per source port */
	unsigned long dup;
	unsigned int lo, hi;		/* lowest and highest port seen */
	unsigned long long tx0_at_first1;	/* fa0's tx when fa1's first frame was read */
	int have1;
	/* the drainer: a thread of its own, so that the tc commands never stall it */
	struct rxring *rx;
	unsigned long long tx0_base;
	volatile int stop;
};

static void ap_drain(struct rxring *rx, int which, struct ap_seen *s)
{
	struct tpacket2_hdr *h;

	while ((h = rxring_next(rx))) {
		const uint8_t *f = (uint8_t *)h + h->tp_mac;
		uint64_t ts = (uint64_t)h->tp_sec * 1000000000ULL + h->tp_nsec;
		unsigned int ihl, sport;

		if (h->tp_snaplen >= 14 + 20 + 20 && f[12] == 0x08 && f[13] == 0x00 &&
		    f[23] == IPPROTO_TCP) {
			ihl = (f[14] & 0xf) * 4;
			sport = f[14 + ihl] << 8 | f[15 + ihl];
			if (sport >= AP_SPORT) {
				if (s->hits[sport]++)
					s->dup++;
				if (!s->n[0] && !s->n[1])
					s->lo = s->hi = sport;
				s->lo = sport < s->lo ? sport : s->lo;
				s->hi = sport > s->hi ? sport : s->hi;
				if (!which) {
					s->ts_max0 = ts > s->ts_max0 ? ts : s->ts_max0;
					s->sport_max0 = sport > s->sport_max0 ? sport : s->sport_max0;
				} else {
					if (!s->n[1] || ts < s->ts_min1)
						s->ts_min1 = ts;
					if (!s->n[1] || sport < s->sport_min1)
						s->sport_min1 = sport;
					if (!s->have1) {
						/* after the frame, in the sender's order */
						s->tx0_at_first1 = tx_packets(AP_DEV) - s->tx0_base;
						s->have1 = 1;
					}
				}
				s->n[which]++;
			}
		}
		rxring_done(rx, h);
	}
}

static void *ap_drainer(void *arg)
{
	struct ap_seen *s = arg;
	int i, last = 0;

	for (;;) {
		struct pollfd p[2] = { { .fd = s->rx[0].fd, .events = POLLIN },
				       { .fd = s->rx[1].fd, .events = POLLIN } };

		poll(p, 2, 10);
		for (i = 0; i < 2; i++)
			ap_drain(&s->rx[i], i, s);
		if (last)
			return NULL;
		last = s->stop;	/* once more after the stop */
	}
}

/*
 * A burst going straight to the driver (the ring of a caller without
 * CAP_NET_ADMIN, or pktgen's shared skb) on the noqueue dummy fa0; once
 * it has sent 100 packets (paced) or 2000 (not), a root qdisc (pfifo) is
 * grafted on fa0, or a tc egress filter (clsact, matchall, mirred redirect
 * to the dummy fa1) is added. The qdisc or the filter must get every
 * packet from then on (the shared skb goes past qdiscs as pktgen's does,
 * so only the filter applies to it); nothing is lost or sent twice across
 * the switch. Judged by TPACKET_V2 taps on both dummies, the dummies' tx
 * counters and the qdisc's.
 */
static void t_appear_one(const struct ap_case *c)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct rxring rx[2] = { { .fd = -1, .map = MAP_FAILED }, { .fd = -1, .map = MAP_FAILED } };
	unsigned long long tx0, tx1, d0, d1, start = c->paced ? 100 : 2000, after = c->paced ? 300 : 2000;
	unsigned long long tx_graft = 0;
	static struct ap_seen s;
	struct qstat q = { .packets = -1 };
	struct burst b;
	char name[300];
	int fd = -1, running, changed, i, drainer = 0;
	unsigned int drops[2];
	pthread_t dth;
	double end;

	memset(&s, 0, sizeof(s));
	sigaction(SIGUSR1, &sa, NULL);
	sh("tc qdisc del dev " AP_DEV " root 2>/dev/null; tc qdisc del dev " AP_DEV
	   " clsact 2>/dev/null");
	if (!c->shared && set_net_admin(0))
		goto setup;
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (!c->shared && set_net_admin(1))
		goto setup;
	if (fd < 0 || rxring_open(&rx[0], AP_DEV) || rxring_open(&rx[1], AP_REDIR))
		goto setup;
	memset(&b, 0, sizeof(b));
	base_req(&b.r, if_nametoindex(AP_DEV), AP_SPORT);
	b.r.ip_daddr = inet_addr("10.80.0.2");
	b.r.count = PKTCRAFT_MAX_COUNT;
	b.r.gap_ns = c->paced ? 1000000 : 0;
	if (c->varied) {
		b.r.vary[PKTCRAFT_VARY_SPORT].mode = PKTCRAFT_VARY_INC;
		b.r.vary[PKTCRAFT_VARY_SPORT].step = 1;
		b.r.vary[PKTCRAFT_VARY_SPORT].min = AP_SPORT;
		b.r.vary[PKTCRAFT_VARY_SPORT].max = 65535;
	}
	b.fd = fd;
	tx0 = tx_packets(AP_DEV);
	tx1 = tx_packets(AP_REDIR);
	s.rx = rx;
	s.tx0_base = tx0;
	if (pthread_create(&dth, NULL, ap_drainer, &s))
		goto setup;
	drainer = 1;
	if (pthread_create(&b.th, NULL, burst_thread, &b))
		goto setup;
	end = now_s() + 60;
	while (!b.done && tx_packets(AP_DEV) - tx0 < start && now_s() < end)
		usleep(2000);
	if (c->change == AP_QDISC) {
		changed = !sh("tc qdisc add dev " AP_DEV " root pfifo limit 10000");
		/*
		 * The graft deactivated the queue, which waited for every
		 * RCU-bh section: what fa0 sends from here on went through
		 * the qdisc.
		 */
		tx_graft = tx_packets(AP_DEV) - tx0;
	} else {
		changed = !sh("tc qdisc add dev " AP_DEV " clsact && tc filter add dev " AP_DEV
			      " egress matchall action mirred egress redirect dev " AP_REDIR);
	}
	/*
	 * Unpaced, a burst of PKTCRAFT_MAX_COUNT: minutes in this suite's TCG
	 * debug guest, where tc takes a few seconds; one that ended before
	 * the change fails here, saying so.
	 */
	running = !b.done;
	/* Until the qdisc or the filter has had `after` packets, or a minute. */
	end = now_s() + 60;
	while (!b.done && now_s() < end) {
		usleep(20000);
		if (c->change == AP_QDISC) {
			if (!qdisc_stats(NULL, AP_DEV, &q) && q.packets >= (long long)after)
				break;
		} else if (tx_packets(AP_REDIR) - tx1 >= after) {
			break;
		}
	}
	pthread_kill(b.th, SIGUSR1);
	if (join_within(&b, 15)) {
		verdict(0, c->label, "the burst still runs 15 s after a signal");
		exit(1);	/* the thread holds the device */
	}
	usleep(c->paced ? 20000 : 200000);	/* the taps' last frames */
	s.stop = 1;
	pthread_join(dth, NULL);
	drainer = 0;
	for (i = 0; i < 2; i++)
		drops[i] = rxring_drops(&rx[i]);
	d0 = tx_packets(AP_DEV) - tx0;
	d1 = tx_packets(AP_REDIR) - tx1;
	if (c->change == AP_QDISC)
		qdisc_stats(NULL, AP_DEV, &q);

	snprintf(name, sizeof(name), "%s: the burst ran across the change, which took; "
		 "SEND's partial count is what the dummies sent (tx counters), none lost or "
		 "sent twice", c->label);
	verdict(running && changed && b.rc > 0 && b.r.result_err == -EINTR &&
		d0 + d1 == (unsigned long long)b.rc, name,
		"still running after the change %d, change made %d, rc %ld (%s), result_err %d, "
		"tx %s +%llu %s +%llu", running, changed, b.rc, ename(b.err), b.r.result_err,
		AP_DEV, d0, AP_REDIR, d1);
	if (c->change == AP_QDISC) {
		snprintf(name, sizeof(name), "%s: from the graft on, every packet goes through "
			 "the qdisc (its counter reached %llu, at least what %s sent after tc "
			 "returned, at most what it sent after the first %llu; all the burst sent "
			 "went on %s)", c->label, after, AP_DEV, start, AP_DEV);
		verdict(q.packets >= (long long)after && !d1 &&
			q.packets >= (long long)(d0 - tx_graft) &&
			q.packets <= (long long)d0 - (long long)start, name,
			"qdisc sent %lld, %s tx +%llu (+%llu when tc returned), %s tx +%llu, the "
			"graft after %llu", q.packets, AP_DEV, d0, tx_graft, AP_REDIR, d1, start);
	} else {
		/*
		 * The sender's order: fa0's counter, read once the tap showed
		 * fa1's first frame, holds every frame fa0 ever sent.
		 */
		snprintf(name, sizeof(name), "%s: from the filter on, every packet goes through "
			 "it (redirected to %s: %llu), none to %s after the first redirected one",
			 c->label, AP_REDIR, after, AP_DEV);
		verdict(d1 >= after && s.have1 && s.tx0_at_first1 == d0, name,
			"%s tx +%llu (+%llu when %s's first frame was read: %s), %s tx +%llu",
			AP_DEV, d0, s.tx0_at_first1, AP_REDIR, s.have1 ? "seen" : "none seen",
			AP_REDIR, d1);
	}
	if (c->paced && !c->shared) {
		unsigned long want = (unsigned long)b.rc;

		snprintf(name, sizeof(name), "%s: the taps saw every frame once, %s", c->label,
			 c->varied ? "each source port once, in one run, those on " AP_DEV
			 " all before those on " AP_REDIR :
			 "those on " AP_DEV " all before those on " AP_REDIR " (tap timestamps)");
		verdict(!drops[0] && !drops[1] && s.n[0] + s.n[1] == want &&
			(c->varied ? !s.dup && s.hi - s.lo + 1 == want &&
				     (!s.n[1] || !s.n[0] || s.sport_max0 < s.sport_min1) :
				     (!s.n[1] || !s.n[0] || s.ts_max0 <= s.ts_min1)), name,
			"rc %ld; taps %lu + %lu (dropped %u + %u), %lu ports repeated, ports %u..%u, "
			"last on %s %u, first on %s %u", b.rc, s.n[0], s.n[1], drops[0], drops[1],
			c->varied ? s.dup : 0, s.lo, s.hi, AP_DEV, s.sport_max0, AP_REDIR,
			s.sport_min1);
	}
	info("%s: %ld packets, %llu before the change; %s +%llu, %s +%llu", c->label, b.rc, start,
	     AP_DEV, d0, AP_REDIR, d1);
	goto out;
setup:
	verdict(0, c->label, "setup (CAP_NET_ADMIN off for the open, the device, two "
		"TPACKET_V2 taps, the burst's thread): %s", strerror(errno));
out:
	if (drainer) {
		s.stop = 1;
		pthread_join(dth, NULL);
	}
	if (fd >= 0)
		close(fd);
	for (i = 0; i < 2; i++)
		rxring_close(&rx[i]);
	sh("tc qdisc del dev " AP_DEV " root 2>/dev/null; tc qdisc del dev " AP_DEV
	   " clsact 2>/dev/null");
}

static void t_appear(void)
{
	static const struct ap_case cases[] = {
		{ "qdisc grafted mid-burst (ring, identical, paced)", 0, 0, 1, AP_QDISC },
		{ "qdisc grafted mid-burst (ring, varied, paced)", 0, 1, 1, AP_QDISC },
		{ "qdisc grafted mid-burst (ring, varied)", 0, 1, 0, AP_QDISC },
		{ "qdisc grafted mid-burst (ring, identical)", 0, 0, 0, AP_QDISC },
		{ "tc egress filter added mid-burst (ring, identical, paced)", 0, 0, 1, AP_FILTER },
		{ "tc egress filter added mid-burst (ring, varied, paced)", 0, 1, 1, AP_FILTER },
		{ "tc egress filter added mid-burst (ring, identical)", 0, 0, 0, AP_FILTER },
		/* unpaced, the shared skb's million packets are gone before tc is done */
		{ "tc egress filter added mid-burst (shared skb, paced)", 1, 0, 1, AP_FILTER },
	};
	unsigned int i;

	if (sh("ip link add " AP_DEV " type dummy && ip link set " AP_DEV " up && "
	       "ip link add " AP_REDIR " type dummy && ip link set " AP_REDIR " up")) {
		verdict(0, "a qdisc or a filter mid-burst: two dummies", "setup failed");
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		t_appear_one(&cases[i]);
	sh("ip link del " AP_DEV "; ip link del " AP_REDIR);
}

/* ---------------------------------------------------------------- MTU */
static void t_mtu(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct burst b;
	struct pktcraft_req r;
	int fd = open(PKTCRAFT_DEVICE, O_RDWR), rc, err;
	unsigned long long tb0, tb1, tp0, tp1;
	struct ifstat st;

	sigaction(SIGUSR1, &sa, NULL);
	dummy("hm0", 1500);
	memset(&b, 0, sizeof(b));
	req_on(&b.r, "hm0", 1400);
	b.r.count = 1000000;
	b.r.gap_ns = 100000;	/* 100 s in all: it ends on its own then */
	b.r.burst_flags = PKTCRAFT_BURST_F_COPY;
	b.fd = fd;
	if_stats("hm0", &st);
	pthread_create(&b.th, NULL, burst_thread, &b);
	wait_sending(st.tx_packets, "hm0");
	if_stats("hm0", &st);
	tb0 = st.tx_bytes;
	tp0 = st.tx_packets;
	sh("ip link set hm0 mtu 1000");
	/* Its next packet is too big: no signal, which on a starved vCPU
	 * could land first (a burst that missed the change would run on for
	 * 100 s). */
	if (join_within(&b, 30)) {
		pthread_kill(b.th, SIGUSR1);
		join_within(&b, 15);
		verdict(0, "MTU lowered mid-burst", "burst still running 30 s after");
		exit(1);
	}
	if_stats("hm0", &st);
	tb1 = st.tx_bytes;
	tp1 = st.tx_packets;
	verdict(b.rc > 0 && b.r.result_err == -EMSGSIZE,
		"MTU lowered to 1000 mid-burst of 1454-byte frames: the burst stops with a partial count and EMSGSIZE",
		"rc %ld (%s), result_err %d", b.rc, ename(b.err), b.r.result_err);
	info("MTU lowered mid-burst: %ld sent, result_err %d; %llu packets (%llu bytes) sent between the last counter read and the change",
	     b.rc, b.r.result_err, tp1 - tp0, tb1 - tb0);
	req_on(&r, "hm0", 1400);
	rc = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
	err = errno;
	verdict(rc < 0 && err == EMSGSIZE, "a new request after the MTU change -> EMSGSIZE",
		"rc %d %s", rc, ename(err));
	sh("ip link set hm0 mtu 1500");
	rc = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
	verdict(rc == 1, "and is sent again once the MTU is back", "rc %d %s", rc, ename(errno));
	close(fd);
	sh("ip link del hm0");
}

/* ------------------------------------------------- allocation failures */
static int nth_fd = -1;

static void nth_arm(int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%d", n);

	if (pwrite(nth_fd, s, len, 0) != len)
		perror("fail-nth");
}

/* 1 if the armed failure was injected (or none was armed). */
static int nth_fired(void)
{
	char s[16] = "";

	if (pread(nth_fd, s, sizeof(s) - 1, 0) <= 0)
		return 0;
	return atoi(s) == 0;
}

static int wr(const char *path, const char *v)
{
	int f = open(path, O_WRONLY);
	int ok;

	if (f < 0)
		return -1;
	ok = write(f, v, strlen(v)) == (ssize_t)strlen(v);
	close(f);
	return ok ? 0 : -1;
}

#define FS "/sys/kernel/debug/failslab/"
#define FP "/sys/kernel/debug/fail_page_alloc/"

enum op { OP_SEND, OP_SEND_ROUTED, OP_BURST, OP_BURST_SHARED, OP_BUILD, OP_BUILD_SEND,
	  OP_STATS, OP_OPEN, OP_SEND_BIG, OP_NR };
static const char *const op_name[OP_NR] = {
	"SEND", "SEND routed (route + neighbour lookup)", "SEND burst of 4 varied copies",
	"SEND burst of 4 (shared skb)", "BUILD", "BUILD|SEND", "GET_STATS", "open()",
	"SEND of a 20000-byte payload (page allocation)",
};

struct opctx {
	struct pktcraft_req r;
	struct pktcraft_build b;
	struct pktcraft_stats st;
};

/* Everything that allocates in userspace (if_nametoindex...) is done here,
 * before a failure is armed. */
static void op_prepare(struct opctx *c, enum op op)
{
	static unsigned char frame[70000];

	memset(c, 0, sizeof(*c));
	req_on(&c->r, "hf0", 100);
	switch (op) {
	case OP_SEND_ROUTED:
		memset(c->r.dst_mac, 0, 6);
		c->r.ifindex = 0;
		c->r.ip_daddr = inet_addr("10.77.0.9");
		break;
	case OP_BURST:
		c->r.count = 4;
		c->r.vary[PKTCRAFT_VARY_IP_ID].mode = PKTCRAFT_VARY_INC;
		c->r.vary[PKTCRAFT_VARY_IP_ID].step = 1;
		c->r.vary[PKTCRAFT_VARY_IP_ID].max = 0xffff;
		break;
	case OP_BURST_SHARED:
		c->r.count = 4;
		break;
	case OP_SEND_BIG:
		c->r.payload_len = 20000;
		break;
	default:
		break;
	}
	c->b.size = sizeof(c->b);
	c->b.req = (uintptr_t)&c->r;
	c->b.buf = (uintptr_t)frame;
	c->b.buf_len = sizeof(frame);
	if (op == OP_BUILD_SEND)
		c->b.flags = PKTCRAFT_BUILD_F_SEND;
	c->st.size = sizeof(c->st);
}

/* One operation, nothing but its system calls; packets sent or -errno. */
static long op_run(int fd, struct opctx *c, enum op op)
{
	long rc;
	int f;

	errno = 0;
	switch (op) {
	case OP_BUILD:
	case OP_BUILD_SEND:
		rc = ioctl(fd, PKTCRAFT_IOC_BUILD, &c->b);
		break;
	case OP_STATS:
		rc = ioctl(fd, PKTCRAFT_IOC_GET_STATS, &c->st);
		break;
	case OP_OPEN:
		f = open(PKTCRAFT_DEVICE, O_RDWR);
		rc = f;
		if (f >= 0) {
			close(f);
			rc = 0;
		}
		break;
	default:
		rc = ioctl(fd, PKTCRAFT_IOC_SEND, &c->r);
		break;
	}
	return rc < 0 ? -errno : rc;
}

static long op_ok_rc(enum op op)
{
	switch (op) {
	case OP_BURST: case OP_BURST_SHARED: return 4;
	case OP_BUILD: case OP_STATS: case OP_OPEN: return 0;
	default: return 1;
	}
}

/*
 * Fail each fault-injection point of one operation in turn, each try on a
 * file of its own: a file keeps its last single packet's skb and its
 * burst's ring, and a request built in them allocates less, so that the
 * allocation points of a file's first request would be tried only once.
 */
static void nth_sweep(enum op op, const char *kind)
{
	unsigned long long t0, t1;
	struct pktcraft_stats s0, s1;
	static struct opctx ctx;
	char name[200], bad[200] = "";
	int n, fd, injected = 0, nomem = 0, tolerated = 0;
	long rc, want = op_ok_rc(op);

	for (n = 1; n < 400; n++) {
		fd = open(PKTCRAFT_DEVICE, O_RDWR);
		if (fd < 0) {
			snprintf(bad, sizeof(bad), "point %d: open: %s", n, strerror(errno));
			break;
		}
		stats_get(fd, &s0);
		t0 = tx_packets("hf0");
		op_prepare(&ctx, op);
		nth_arm(n);
		rc = op_run(fd, &ctx, op);
		if (!nth_fired()) {
			nth_arm(0);
			close(fd);
			break;	/* the operation has fewer than n points */
		}
		injected++;
		t1 = tx_packets("hf0");
		stats_get(fd, &s1);
		close(fd);
		if (rc == -ENOMEM || rc == -ENOBUFS) {
			nomem++;
			if (t1 != t0 || s1.file.packets != s0.file.packets)
				snprintf(bad, sizeof(bad), "point %d: %s but tx +%llu",
					 n, ename(-rc), t1 - t0);
		} else if (rc == want) {
			tolerated++;	/* e.g. a refcount tracker's own allocation */
			if (op != OP_BUILD && op != OP_STATS && op != OP_OPEN &&
			    t1 - t0 != (unsigned long long)want)
				snprintf(bad, sizeof(bad), "point %d: rc %ld but tx +%llu",
					 n, rc, t1 - t0);
		} else if ((op == OP_BURST || op == OP_BURST_SHARED) && rc > 0 && rc < want) {
			nomem++;	/* partial burst: a copy could not be made */
			if (t1 - t0 != (unsigned long long)rc)
				snprintf(bad, sizeof(bad), "point %d: partial %ld but tx +%llu",
					 n, rc, t1 - t0);
		} else if (op == OP_OPEN && (rc == -ENFILE || rc == -EMFILE)) {
			nomem++;
		} else if (!*bad) {
			snprintf(bad, sizeof(bad), "point %d: rc %ld (%s)", n, rc,
				 rc < 0 ? ename(-rc) : "partial");
		}
	}
	snprintf(name, sizeof(name),
		 "%s: %s: each of its %d allocation points failed in turn -> ENOMEM/ENOBUFS or tolerated, nothing extra sent",
		 kind, op_name[op], injected);
	verdict(!*bad && injected > 0 && n < 400, name, "%s%s", bad,
		injected ? "" : "no point was reached");
	info("%s: %s: %d points, %d failed the request, %d tolerated", kind, op_name[op],
	     injected, nomem, tolerated);
}

struct shared {
	long rc[16];
};

static void t_failslab_times(void)
{
	struct shared *sh_res = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	const int times = 5, calls = 9;
	unsigned long long t0, t1;
	int i, st, nfail = 0, nok = 0, other = 0;
	pid_t pid;

	wr(FS "task-filter", "Y");
	wr(FS "ignore-gfp-wait", "N");
	wr(FS "verbose", "0");
	wr(FS "interval", "1");
	wr(FS "space", "0");
	wr(FS "times", "5");
	wr(FS "probability", "100");
	t0 = tx_packets("hf0");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct pktcraft_req r;
		volatile char pad[65536];
		/*
		 * A file of its own, opened before the failures: @fd keeps the
		 * skb of its last single packet on the dummy and would build
		 * the next ones in it, allocating nothing that could fail.
		 */
		int cfd = open(PKTCRAFT_DEVICE, O_RDWR);

		/* Take every copy-on-write fault of the stack now. */
		memset((char *)pad, 1, sizeof(pad));
		req_on(&r, "hf0", 100);
		if (cfd < 0 || wr("/proc/self/make-it-fail", "1"))
			_exit(2);
		for (i = 0; i < calls; i++)
			sh_res->rc[i] = ioctl(cfd, PKTCRAFT_IOC_SEND, &r) < 0 ? -errno : 1;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	wr(FS "probability", "0");
	wr(FS "times", "1");
	wr(FS "task-filter", "N");
	for (i = 0; i < calls; i++) {
		if (sh_res->rc[i] == -ENOMEM)
			nfail++;
		else if (sh_res->rc[i] == 1)
			nok++;
		else
			other++;
	}
	t1 = tx_wait("hf0", t0 + nok, 1000);
	/*
	 * Not every injected failure fails a SEND: the kernel absorbs some
	 * (the debug kernel's refcount tracker carries on without its record
	 * when its kzalloc() fails, and it allocates before the skb), so the
	 * count of ENOMEMs depends on the kernel's configuration. What must
	 * hold: each SEND is ENOMEM or sent, at least one failed, at most
	 * @times, the failures come first, and the wire saw exactly the sent.
	 */
	for (i = 1; i < calls; i++)
		if (sh_res->rc[i] == -ENOMEM && sh_res->rc[i - 1] == 1)
			other++;	/* a failure after a success */
	verdict(WIFEXITED(st) && WEXITSTATUS(st) == 0 && nfail >= 1 && nfail <= times &&
		nok == calls - nfail && !other && t1 - t0 == (unsigned long long)nok,
		"failslab task-filter + make-it-fail, probability 100, times 5: 9 SENDs -> 1..5 ENOMEM first, then the rest sent",
		"status 0x%x: %d ENOMEM, %d sent, %d other or out of order; tx +%llu", st, nfail, nok,
		other, t1 - t0);
	munmap(sh_res, 4096);
}

static void t_alloc_failures(void)
{
	int fd, op;

	if (access(FS "probability", W_OK) || access("/proc/thread-self/fail-nth", W_OK)) {
		info("no failslab/fail-nth in this kernel (CONFIG_FAULT_INJECTION): allocation-failure tests skipped");
		return;
	}
	dummy("hf0", 65535);
	sh("ip addr add 10.77.0.1/24 dev hf0");
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0 || nth_fd < 0) {
		verdict(0, "fault injection setup", "%s", strerror(errno));
		return;
	}
	/* Only the armed point fails; no messages or stack dumps. */
	wr(FS "verbose", "0");
	wr(FS "ignore-gfp-wait", "N");
	wr(FS "probability", "0");
	wr(FP "verbose", "0");

	/* failslab alone first (page allocations keep their defaults). */
	for (op = 0; op < OP_NR; op++) {
		if (op == OP_SEND_BIG)
			continue;
		nth_sweep(op, "failslab");
	}
	/* Then page allocations too, any order, sleeping ones included. */
	wr(FP "ignore-gfp-wait", "N");
	wr(FP "min-order", "0");
	wr(FP "probability", "0");
	nth_sweep(OP_SEND_BIG, "failslab+fail_page_alloc");
	nth_sweep(OP_SEND, "failslab+fail_page_alloc");
	nth_sweep(OP_BUILD_SEND, "failslab+fail_page_alloc");
	wr(FP "ignore-gfp-wait", "Y");
	wr(FP "min-order", "1");

	t_failslab_times();
	wr(FS "ignore-gfp-wait", "Y");
	close(nth_fd);
	close(fd);
	sh("ip link del hf0");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s MODULE.ko\n", argv[0]);
		return 2;
	}
	ko = argv[1];
	group = "faults";
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(payload, 'f', sizeof(payload));
	mlockall(MCL_CURRENT | MCL_FUTURE);

	t_rmmod();
	/* deleted: -ENODEV, down: -ENETDOWN (issue 11: unregister and netns move are ENODEV) */
	t_device_gone("device deleted mid-burst (shared skb)", "ip link del %s", 0, 0, ENODEV, 0);
	t_device_gone("device deleted mid-burst (copies)", "ip link del %s",
		      PKTCRAFT_BURST_F_COPY, 0, ENODEV, 0);
	t_device_gone("device deleted mid-burst (varied)", "ip link del %s", 0, 1, ENODEV, 0);
	t_device_gone("device set down mid-burst (shared skb)", "ip link set %s down", 0, 0,
		      ENETDOWN, 0);
	t_device_gone("device set down mid-burst (copies)", "ip link set %s down",
		      PKTCRAFT_BURST_F_COPY, 0, ENETDOWN, 0);
	t_device_gone("device set down mid-burst (varied)", "ip link set %s down", 0, 1, ENETDOWN, 0);
	t_device_gone("device set down mid-burst (unpaced copies)", "ip link set %s down",
		      PKTCRAFT_BURST_F_COPY, 0, ENETDOWN, 1);
	t_signals();
	t_appear();
	t_mtu();
	t_alloc_failures();
	return failures ? 1 : 0;
}
