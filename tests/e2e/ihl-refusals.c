// SPDX-License-Identifier: GPL-2.0
/*
 * ihl-refusals DEV: the IPv4 IHL rule (request.c, pktcraft_ip4_ihl_ok())
 * where a single SEND does not show it, run in the guest by
 * tests/e2e/xfrm-inject as the initial namespace's root. A forced IHL below
 * 5 or past the packet's end (PKTCRAFT_F_IP_IHL) is refused with EINVAL for
 * every opener, unless the file's opener had CAP_NET_ADMIN in the initial
 * user namespace when it opened it and the module parameter ip4_ihl_lies is
 * on: such an IHL can come back to IP's output by a path the sender cannot
 * see, and there it crashed 6.1 (docs/abi.md, EINVAL). Checked here:
 *
 *  - a burst (count > 1) refused by the rule: the ioctl fails with EINVAL,
 *    the request's result fields say sent 0, result_err -EINVAL, dropped 0
 *    (pktcraft_prepare() writes them back), the file counts one err_inval,
 *    and nothing is sent;
 *  - a SEND_BATCH of an honest request, one with an IHL of 15 and another
 *    honest one: the refused entry's result is -EINVAL and the others are
 *    sent, the call returning 3 (a failed request does not fail the call);
 *    with PKTCRAFT_BATCH_F_STOP it returns 2 and the third reads 0, not
 *    tried (pktcraft.h, docs/abi.md);
 *  - the allowance is the open file's (docs/abi.md: "a file root opened and
 *    passed to a container keeps it"): root's fd used by a process inside a
 *    user and network namespace of its own, made by uid 65534 (a container
 *    that could not open the device), sends an IHL of 15 with ip4_ihl_lies
 *    on and is refused with it off. The file's lookups stay in its opener's
 *    network namespace (README.md), so the packet goes out on DEV, in the
 *    initial one, and is counted there;
 *  - an fd opened inside such a namespace (by root's own user namespace,
 *    as nsexec -r does: uid 65534's could not open the 0600 node) is refused
 *    with ip4_ihl_lies on and off, for single packets, bursts and batches,
 *    on a dummy of that namespace.
 *
 * Every refusal must send nothing: the device's tx counter is asserted each
 * time, and each refused case has an honest twin that is sent, so that a
 * refusal for another reason would show. ip4_ihl_lies is restored on exit.
 * Prints "PASS: xfrm-inject: ..." and "FAIL: xfrm-inject: ...: why" lines;
 * exits 1 if any case failed.
 *
 * DEV: an up dummy in the initial network namespace, no address, no IPv6.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/pktcraft.h>
#include "../lib/ctest.h"

#define LIES	"/sys/module/pktcraft/parameters/ip4_ihl_lies"
#define NSDEV	"ihl0"		/* the dummy made in a container */
#define BURST	4
#define NBATCH	3

static int failures;

/*
 * Shared with the children that make the ioctls from a namespace of their
 * own: the kernel writes results back into this memory.
 */
struct shared {
	struct pktcraft_req req[NBATCH];
	__s32 results[NBATCH];
	struct pktcraft_batch batch;
	int rc, err;		/* the child's ioctl */
	int entered;		/* it was in its namespaces */
	int other_ns;		/* and DEV was not in its network namespace */
};

static struct shared *shm;

/* Where the requests go, and how. */
struct ctx {
	int fd;
	const char *dev;	/* its counters: the caller's namespace's */
	unsigned int ifindex;
	int from_ns;		/* ioctls made from a container (call()) */
	const char *who;	/* "as root, ip4_ihl_lies off", ... */
};

static void verdict(int ok, const struct ctx *c, const char *name,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	failures += ctest_vverdict(ok, "xfrm-inject", c->who, ", ", name, fmt, ap);
	va_end(ap);
}

/* A line of its own, for set-up steps: counted as a failure. */
static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: xfrm-inject: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures++;
}

static int set_lies(int on)
{
	if (proc_write(LIES, on ? "1" : "0")) {
		fail("writing %d to %s: %s", on, LIES, strerror(errno));
		return -1;
	}
	return 0;
}

/* Waits for @pid: its exit status, or -1 if it did not exit. */
static int reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * ioctl(@c->fd, @cmd, @arg), @arg in *shm. With @c->from_ns from a child
 * that is root of a new user and network namespace made by uid 65534 (it
 * has no capability outside them, none at all in the initial one), and
 * sees none of the initial namespace's devices.
 */
static int call(const struct ctx *c, unsigned long cmd, void *arg)
{
	struct ifstat st;
	pid_t pid;

	if (!c->from_ns)
		return ioctl(c->fd, cmd, arg);
	shm->entered = 0;
	shm->other_ns = 0;
	shm->rc = -1;
	shm->err = ECHILD;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (enter_userns(CLONE_NEWNET, 1))
			_exit(1);
		shm->entered = 1;
		/* its own lo, and not DEV */
		shm->other_ns = !if_stats("lo", &st) && if_stats(c->dev, &st) < 0;
		errno = 0;
		shm->rc = ioctl(c->fd, cmd, arg);
		shm->err = errno;
		_exit(0);
	}
	reap(pid);
	errno = shm->err;
	return shm->rc;
}

/* The container's own: it was entered, and DEV was not seen from it. */
static int ns_ok(const struct ctx *c)
{
	return !c->from_ns || (shm->entered && shm->other_ns);
}

static const char *ns_note(const struct ctx *c)
{
	if (ns_ok(c))
		return "";
	return shm->entered ? " (the container saw the initial namespace's device)" :
			      " (could not enter a user and network namespace)";
}

/* A result as the ABI has it: packets sent, or -errno ("-EINVAL"). */
static const char *result(int r)
{
	static char buf[4][16];
	static int i;

	if (r < 0)
		return ename(r);
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%d", r);
	return buf[i];
}

/* A 28-byte IPv4 UDP packet to @ifindex; @ihl: forced, 0: the kernel's. */
static void udp_req(struct pktcraft_req *r, unsigned int ifindex,
		    unsigned int ihl, unsigned int count)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->ifindex = ifindex;
	memcpy(r->dst_mac, "\x02\x00\x00\x00\x00\x02", 6);
	r->ip_ttl = 64;
	r->ip_saddr = inet_addr("10.81.0.1");
	r->ip_daddr = inet_addr("10.81.0.2");
	r->l4 = PKTCRAFT_L4_UDP;
	r->sport = 4242;
	r->dport = 9;
	if (ihl) {
		r->flags = PKTCRAFT_F_IP_IHL;
		r->ip_ihl = ihl;
	}
	r->count = count;
}

static unsigned long long err_inval(int fd)
{
	struct pktcraft_stats s;

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	if (ioctl(fd, PKTCRAFT_IOC_GET_STATS, &s))
		return ~0ULL;
	return s.file.err_inval;
}

/* What one call did: its return and errno, what DEV and the file counted. */
struct outcome {
	int rc, err;
	unsigned long long tx, einval;	/* DEV's tx_packets, err_inval: added */
};

static struct outcome measure(const struct ctx *c, unsigned long cmd,
			      void *arg)
{
	unsigned long long e0 = err_inval(c->fd), t0 = tx_packets(c->dev);
	struct outcome o;

	o.rc = call(c, cmd, arg);
	o.err = o.rc < 0 ? errno : 0;
	o.tx = tx_packets(c->dev) - t0;
	o.einval = err_inval(c->fd) - e0;
	return o;
}

/* One packet, @ihl forced (0: not): sent (@sent) or refused with EINVAL. */
static void send_one(const struct ctx *c, unsigned int ihl, int sent,
		     const char *name)
{
	struct outcome o;

	udp_req(&shm->req[0], c->ifindex, ihl, 0);
	o = measure(c, PKTCRAFT_IOC_SEND, &shm->req[0]);
	if (sent)
		verdict(ns_ok(c) && o.rc == 1 && o.tx == 1, c, name,
			"returned %d (%s), want 1; tx +%llu, want +1%s",
			o.rc, ename(o.err), o.tx, ns_note(c));
	else
		verdict(ns_ok(c) && o.rc == -1 && o.err == EINVAL && !o.tx, c,
			name, "returned %d (%s), want -1 (EINVAL); tx +%llu, want +0%s",
			o.rc, ename(o.err), o.tx, ns_note(c));
}

/*
 * A burst of BURST with an IHL of 15 past its 28 bytes: EINVAL, its result
 * fields written back (set to other values first) as sent 0, result_err
 * -EINVAL, dropped 0; one err_inval on the file; nothing sent. With
 * @honest first the same burst without the IHL: sent whole.
 */
static void send_burst(const struct ctx *c, int honest)
{
	struct pktcraft_req *r = &shm->req[0];
	struct outcome o;

	if (honest) {
		udp_req(r, c->ifindex, 0, BURST);
		r->result_err = -EIO;
		o = measure(c, PKTCRAFT_IOC_SEND, r);
		verdict(ns_ok(c) && o.rc == BURST && r->sent == BURST &&
			!r->result_err && !r->dropped && o.tx == BURST, c,
			"an honest burst of 4: sent, sent 4, result_err 0, tx +4",
			"returned %d (%s), sent %u, result_err %s, dropped %u; tx +%llu%s",
			o.rc, ename(o.err), r->sent, result(r->result_err),
			r->dropped, o.tx, ns_note(c));
	}
	udp_req(r, c->ifindex, 15, BURST);
	r->sent = 99;
	r->result_err = 12345;
	r->dropped = 77;
	o = measure(c, PKTCRAFT_IOC_SEND, r);
	verdict(ns_ok(c) && o.rc == -1 && o.err == EINVAL && !r->sent &&
		r->result_err == -EINVAL && !r->dropped && o.einval == 1 &&
		!o.tx, c,
		"a burst of 4 with a forced IHL of 15 past its 28 bytes: refused (EINVAL), result_err -EINVAL, sent 0, dropped 0, one err_inval, nothing sent",
		"returned %d (%s), want -1 (EINVAL); sent %u, result_err %s, dropped %u, want 0, -EINVAL, 0; err_inval +%llu, want +1; tx +%llu, want +0%s",
		o.rc, ename(o.err), r->sent, result(r->result_err),
		r->dropped, o.einval, o.tx, ns_note(c));
}

/*
 * SEND_BATCH of an honest packet, one with an IHL of 15 past its 28 bytes
 * and another honest one. Without PKTCRAFT_BATCH_F_STOP every request is
 * handled: 3, results 1, -EINVAL, 1, tx +2. With it the batch ends at the
 * refused one: 2, results 1, -EINVAL, 0 (not tried), tx +1.
 */
static void send_batch(const struct ctx *c, int stop)
{
	static const char * const names[] = {
		"a batch of an honest packet, a forced IHL of 15 and an honest one: returns 3, results 1, -EINVAL, 1, one err_inval, tx +2",
		"the same batch with PKTCRAFT_BATCH_F_STOP: returns 2, results 1, -EINVAL, 0 (not tried), one err_inval, tx +1",
	};
	struct pktcraft_batch *b = &shm->batch;
	__s32 *res = shm->results, want3 = stop ? 0 : 1;
	unsigned long long tx = stop ? 1 : 2;
	int i, want = stop ? 2 : 3;
	struct outcome o;

	for (i = 0; i < NBATCH; i++) {
		udp_req(&shm->req[i], c->ifindex, i == 1 ? 15 : 0, 0);
		res[i] = 0x5a5a5a5a;
	}
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	b->flags = stop ? PKTCRAFT_BATCH_F_STOP : 0;
	b->reqs = (unsigned long)shm->req;
	b->results = (unsigned long)res;
	b->nr = NBATCH;
	b->stride = sizeof(shm->req[0]);
	o = measure(c, PKTCRAFT_IOC_SEND_BATCH, b);
	verdict(ns_ok(c) && o.rc == want && res[0] == 1 && res[1] == -EINVAL &&
		res[2] == want3 && o.einval == 1 && o.tx == tx, c,
		names[stop],
		"returned %d (%s), want %d; results %s, %s, %s, want 1, -EINVAL, %d; err_inval +%llu, want +1; tx +%llu, want +%llu%s",
		o.rc, ename(o.err), want, result(res[0]), result(res[1]),
		result(res[2]), want3, o.einval, o.tx, tx, ns_note(c));
}

/*
 * In a child: root of a new user and network namespace (root's own, as
 * nsexec -r), IPv6 off, a dummy of its own; the device opened there, and
 * every IHL of 15 refused, ip4_ihl_lies @lies or not. Returns (as the
 * child's exit status) its failures.
 */
static int opened_in_ns(int lies)
{
	static char who[96];
	struct ctx c = { .dev = NSDEV, .who = who };

	failures = 0;	/* the parent's are its own */
	snprintf(who, sizeof(who),
		 "an fd opened in a container, ip4_ihl_lies %s", lies ? "on" : "off");
	if (enter_userns(CLONE_NEWNET, 0) || ns_ipv6_off()) {
		fail("%s: entering a user and network namespace: %s", who,
		     strerror(errno));
		return failures;
	}
	if (system("ip link add " NSDEV " type dummy && ip link set " NSDEV " up")) {
		fail("%s: making the dummy " NSDEV " there", who);
		return failures;
	}
	c.ifindex = if_nametoindex(NSDEV);
	c.fd = open(PKTCRAFT_DEVICE, O_RDWR | O_CLOEXEC);
	if (c.fd < 0 || !c.ifindex) {
		fail("%s: opening %s: %s", who, PKTCRAFT_DEVICE, strerror(errno));
		return failures;
	}
	send_one(&c, 0, 1, "an honest packet: sent (tx +1)");
	send_one(&c, 15, 0, "a forced IHL of 15 past its 28 bytes: refused (EINVAL), nothing sent");
	send_burst(&c, 0);
	send_batch(&c, 0);
	close(c.fd);
	return failures;
}

int main(int argc, char **argv)
{
	char was[8] = "";
	struct ctx c;
	int fd, rc, lies;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: ihl-refusals DEV\n");
		return 2;
	}
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fd = open(LIES, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, was, sizeof(was) - 1) < 0)
			was[0] = 0;
		close(fd);
	}
	memset(&c, 0, sizeof(c));
	c.dev = argv[1];
	c.ifindex = if_nametoindex(c.dev);
	c.fd = open(PKTCRAFT_DEVICE, O_RDWR | O_CLOEXEC);
	if (shm == MAP_FAILED || !c.ifindex || c.fd < 0 || !was[0]) {
		fail("ihl-refusals: set-up (%s, its ifindex %u, %s, %s: \"%s\"): %s",
		     c.dev, c.ifindex, PKTCRAFT_DEVICE, LIES, was, strerror(errno));
		return 1;
	}

	/* Root's file, ip4_ihl_lies off: bursts and batches. */
	if (set_lies(0))
		return 1;
	c.who = "as root, ip4_ihl_lies off";
	send_burst(&c, 1);
	send_batch(&c, 0);
	send_batch(&c, 1);

	/* The same file, used from a container: its opener's allowance. */
	c.from_ns = 1;
	if (set_lies(1))
		goto out;
	c.who = "an fd root opened, used in a container, ip4_ihl_lies on";
	send_one(&c, 0, 1, "an honest packet: sent on its opener's namespace's dummy (tx +1)");
	send_one(&c, 15, 1,
		 "a forced IHL of 15 past its 28 bytes: sent as asked, the allowance kept (tx +1)");
	if (set_lies(0))
		goto out;
	c.who = "an fd root opened, used in a container, ip4_ihl_lies off";
	send_one(&c, 15, 0, "a forced IHL of 15 past its 28 bytes: refused (EINVAL), nothing sent");

	/* A file the container opened: never. */
	for (lies = 1; lies >= 0; lies--) {
		if (set_lies(lies))
			goto out;
		fflush(stdout);
		pid = fork();
		if (!pid) {
			close(c.fd);
			_exit(opened_in_ns(lies));
		}
		rc = pid < 0 ? -1 : reap(pid);
		if (rc < 0)
			fail("an fd opened in a container, ip4_ihl_lies %s: %s",
			     lies ? "on" : "off", "the child did not finish");
		else
			failures += rc;
	}
out:
	if (proc_write(LIES, was))
		fail("restoring %s to %s", LIES, was);
	close(c.fd);
	return failures ? 1 : 0;
}
