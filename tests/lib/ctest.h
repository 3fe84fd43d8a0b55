/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the C test programs that run in the guest
 * (tests/e2e/refusals.c, tests/e2e/ihl-refusals.c, tests/hardening/,
 * tests/matrix/mx.c): verdict lines, errno names, a
 * device's counters, how often a thread slept (and waiting until it did),
 * and becoming root of new user namespaces from the guest's chroot.
 * Header-only, so each program stays one gcc command; _GNU_SOURCE before any
 * include.
 */
#ifndef TESTS_CTEST_H
#define TESTS_CTEST_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define NOBODY 65534

/*
 * An errno's name: "EINVAL", "-EINVAL" for -EINVAL, "success" for 0 (the
 * last 8 results stay valid). Needs _GNU_SOURCE (strerrorname_np).
 */
static __attribute__((unused)) const char *ename(int e)
{
	static char buf[8][24];
	static int i;
	int pos = e < 0 ? -e : e;
	const char *n;

	if (!e)
		return "success";
	n = strerrorname_np(pos);
	i = (i + 1) % 8;
	if (n)
		snprintf(buf[i], sizeof(buf[i]), "%s%s", e < 0 ? "-" : "", n);
	else
		snprintf(buf[i], sizeof(buf[i]), "%serrno %d", e < 0 ? "-" : "", pos);
	return buf[i];
}

/*
 * A verdict line, as the layers' runners read it: "PASS: LAYER: WHAT" or
 * "FAIL: LAYER: WHAT: WHY", WHAT being @prefix, @sep and @name (@prefix and
 * @sep may be ""), WHY @fmt with @ap (none when @fmt is NULL or empty).
 * Returns 1 for a failure, for the caller's count.
 */
static __attribute__((unused)) int ctest_vverdict(int ok, const char *layer,
						   const char *prefix, const char *sep,
						   const char *name, const char *fmt,
						   va_list ap)
{
	printf("%s: %s: %s%s%s", ok ? "PASS" : "FAIL", layer, prefix, sep, name);
	if (!ok && fmt && *fmt) {
		printf(": ");
		vprintf(fmt, ap);
	}
	printf("\n");
	fflush(stdout);
	return !ok;
}

/*
 * How often thread @tid of this process has slept (its voluntary context
 * switches), or -1. A burst that waits for its next packet or for room in
 * the send buffer sleeps once, until its timer, a free or the device's
 * notifier wakes it; one that polled would wake again and again. Counted
 * by the kernel, so unlike a latency bound it does not depend on how busy
 * the host running the guest is.
 */
static __attribute__((unused)) long thread_sleeps(pid_t tid)
{
	char path[64], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * A thread another one watches sleep: it calls sleeper_begin() just before
 * the call that should sleep (a burst's SEND); the watcher reads
 * sleeper_sleeps(), -1 until it began.
 */
struct sleeper {
	pid_t tid;		/* set once it began */
	long sleeps0;		/* thread_sleeps() then */
};

static __attribute__((unused)) void sleeper_begin(struct sleeper *s)
{
	s->sleeps0 = thread_sleeps(gettid());
	__atomic_store_n(&s->tid, gettid(), __ATOMIC_RELEASE);
}

static __attribute__((unused)) long sleeper_sleeps(const struct sleeper *s)
{
	pid_t tid = __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE);
	long n = tid ? thread_sleeps(tid) : -1;

	return n < 0 ? -1 : n - s->sleeps0;
}

static __attribute__((unused)) double ctest_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Wait until @s has slept once, and at least @min_ms in all; a thread that
 * never sleeps is waited for @max_ms (its own check then fails). Then
 * @after_ms more: a thread that polls would wake in that time. Returns the
 * milliseconds waited after it was seen asleep.
 */
static __attribute__((unused)) double sleeper_wait(const struct sleeper *s, unsigned int min_ms,
						    unsigned int max_ms, unsigned int after_ms)
{
	double t0 = ctest_now_ms(), t;

	while (ctest_now_ms() - t0 < max_ms &&
	       (ctest_now_ms() - t0 < min_ms || sleeper_sleeps(s) < 1))
		usleep(5000);
	t = ctest_now_ms();
	while (ctest_now_ms() - t < after_ms)
		usleep(5000);
	return ctest_now_ms() - t;
}

/*
 * Interface counters from /proc/net/dev, which (unlike /sys/class/net)
 * always shows the caller's network namespace. -1 if there is no such
 * interface.
 */
struct ifstat {
	unsigned long long rx_packets, rx_bytes, tx_packets, tx_bytes;
	unsigned long long tx_dropped;
};

static __attribute__((unused)) int if_stats(const char *dev, struct ifstat *st)
{
	char line[512];
	FILE *f = fopen("/proc/net/dev", "re");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		char *name = line;
		unsigned long long v[16];

		if (!colon)
			continue;
		*colon = 0;
		while (*name == ' ')
			name++;
		if (strcmp(name, dev))
			continue;
		if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu "
			   "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
			   &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
			   &v[11]) != 12)
			break;
		st->rx_bytes = v[0];
		st->rx_packets = v[1];
		st->tx_bytes = v[8];
		st->tx_packets = v[9];
		st->tx_dropped = v[11];
		found = 0;
		break;
	}
	fclose(f);
	return found;
}

/* @dev's tx_packets in the caller's namespace; ~0ULL (and a message on
 * stderr) when there is no such device.
 */
static __attribute__((unused)) unsigned long long tx_packets(const char *dev)
{
	struct ifstat st;

	if (if_stats(dev, &st)) {
		fprintf(stderr, "no interface %s in /proc/net/dev\n", dev);
		return ~0ULL;
	}
	return st.tx_packets;
}

/*
 * The test guest runs everything chrooted into the host's root, and the
 * kernel refuses new user namespaces to chrooted processes (EPERM). So, as
 * root: step out of the chroot to the mount namespace's real root (the
 * initramfs, with the host's root at /newroot); the caller then creates its
 * namespaces and chroots back into /newroot, which the new user namespace
 * may do. On a normal machine none of this is needed; the module sees the
 * same credentials and namespaces.
 */
static __attribute__((unused)) int unchroot(void)
{
	int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC), i;

	mkdir("/tmp/.tests-unchroot", 0700);
	if (dir < 0 || chroot("/tmp/.tests-unchroot") || fchdir(dir))
		return -1;
	close(dir);
	for (i = 0; i < 64; i++)
		if (chdir(".."))
			return -1;
	if (chroot(".") || access("/newroot/proc", F_OK))
		return -1;
	return 0;
}

/* Writes all of s to an existing file (/proc, /sys, tracefs): 0, or -1. */
static __attribute__((unused)) int proc_write(const char *path, const char *s)
{
	int f = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (f < 0)
		return -1;
	n = write(f, s, strlen(s));
	close(f);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/*
 * IPv6 off for the current network namespace and the devices made in it
 * later (a new namespace has it on, and an IPv6 device sends router
 * solicitations, DAD and MLD of its own, which a test counting frames would
 * take for its own): 0, also on a kernel without IPv6; -1 (errno set) if
 * the writes failed.
 */
static __attribute__((unused)) int ns_ipv6_off(void)
{
	if (access("/proc/sys/net/ipv6", F_OK))
		return errno == ENOENT ? 0 : -1;
	if (proc_write("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1") ||
	    proc_write("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1"))
		return -1;
	return 0;
}

/*
 * ns_ipv6_off() in the namespace "ip netns add @name" made, from a child
 * that joins it (/proc/sys/net is the reader's namespace's; not through
 * sysctl(8), which a fresh root may lack): 0, or -1 (errno set).
 */
static __attribute__((unused)) int netns_ipv6_off(const char *name)
{
	char path[256];
	int fd, st, err;
	pid_t pid, w;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	pid = fork();
	if (!pid)	/* the child's errno as its exit status */
		_exit(setns(fd, CLONE_NEWNET) || ns_ipv6_off() ? (errno ?: EIO) : 0);
	err = pid < 0 ? errno : 0;
	close(fd);
	if (pid < 0) {
		errno = err;
		return -1;
	}
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (w != pid)
		return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		errno = WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
		return -1;
	}
	return 0;
}

/* setuid(65534), every group dropped, still dumpable: 0, or -1. */
static __attribute__((unused)) int to_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -1;
	/* setuid() made us non-dumpable: /proc/self/uid_map would be root's. */
	prctl(PR_SET_DUMPABLE, 1);
	return 0;
}

/* unshare() a user namespace (plus @extra) and map our ids to root. */
static __attribute__((unused)) int become_ns_root(int extra)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER | extra))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (proc_write("/proc/self/uid_map", map))
		return -1;
	if (proc_write("/proc/self/setgroups", "deny") && errno != ENOENT)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", gid);
	return proc_write("/proc/self/gid_map", map);
}

/*
 * Root of a new user namespace, and of @extra (CLONE_NEWNET...) and a new
 * mount namespace, made from the guest's real root (uid 65534 first if
 * @nobody), then back in the host's root: 0, or -1.
 */
static __attribute__((unused)) int enter_userns(int extra, int nobody)
{
	if (unchroot())
		return -1;
	if (nobody && to_nobody())
		return -1;
	if (become_ns_root(extra | CLONE_NEWNS))
		return -1;
	if (chroot("/newroot") || chdir("/"))
		return -1;
	return 0;
}

/*
 * RFC 1071, the tests' own (never the module's): @s plus the 16-bit
 * big-endian words of @p, @len bytes (an odd last byte the high half of a
 * word), folded to 16 bits. A header or segment is good when its sum,
 * with a pseudo-header's where it has one, is 0xffff.
 */
static __attribute__((unused)) uint32_t ct_sum16(const void *p, size_t len, uint32_t s)
{
	const uint8_t *b = p;

	for (; len > 1; len -= 2, b += 2)
		s += (uint32_t)b[0] << 8 | b[1];
	if (len)
		s += (uint32_t)b[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

#endif /* TESTS_CTEST_H */
