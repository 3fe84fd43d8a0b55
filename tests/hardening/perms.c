// SPDX-License-Identifier: GPL-2.0
/*
 * Permission model and network namespaces, run in the guest as root.
 *
 *  - DAC: uid 65534 cannot open the 0600 node (EACCES); with the node 0666
 *    the module's own check refuses it (EPERM), as it does root without
 *    CAP_NET_RAW and an unprivileged user namespace whose network
 *    namespace is still the initial one. Root with only CAP_NET_RAW opens.
 *  - uid 65534 in a new user + network namespace opens the device and
 *    sends through devices of that namespace only: a dummy created there and
 *    a veth end moved there (the peer in the initial namespace receives the
 *    frame); an initial-namespace ifindex is ENODEV, a routed send finds no
 *    route (ENETUNREACH), eth0's tx counter does not move.
 *  - That fd, passed with SCM_RIGHTS to a process of the initial namespace,
 *    keeps working in the opener's namespace (and keeps it alive after its
 *    last process exits; closing the fd frees it).
 *  - An fd opened by root in the initial namespace and inherited across
 *    fork + unshare(CLONE_NEWUSER|CLONE_NEWNET) still sends on eth0 (two
 *    frames, checked in the capture by the host: "WIRE perms n=2").
 *  - Without CAP_NET_ADMIN: the ring of skbs a file keeps is charged to its
 *    memory cgroup and held to its send buffer, and a single packet's skb
 *    larger than a page's head is not kept (t_ring_memcg()); identical
 *    packets through the ring's reused slots are what a tap expects, also
 *    when the neighbour's address changes mid-burst (t_ring_identical());
 *    identical and varied bursts through the ring on e1000's eth0
 *    (t_ring_eth0(): the host finds every frame in the capture); the skb a
 *    file keeps for its next single packet is left alone by the bursts
 *    between (t_single_keep()).
 *
 * Usage: perms   (eth0 up; hx0: a dummy with ifindex 4242, made by the
 * guest script)
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include "common.h"

#define FOREIGN_IFINDEX 4242	/* hx0 in the initial namespace */

static int wire_sent;

static void drop_to_nobody(void)
{
	if (to_nobody()) {
		perror("setuid 65534");
		exit(2);
	}
}

/* Keep only the capabilities in @keep (a mask of CAP_* bits, < 32). */
static int caps_only(uint32_t keep)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].permitted &= keep;
	d[0].effective = d[0].permitted;	/* setuid() cleared it */
	d[0].inheritable = 0;
	d[1].effective = d[1].permitted = d[1].inheritable = 0;
	return syscall(SYS_capset, &h, d);
}

/* Runs fn in a child; returns its exit status (its verdicts are printed). */
static int in_child(void (*fn)(void *), void *arg)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		failures = 0;
		fn(arg);
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	if (!WIFEXITED(st))
		return -1;
	if (WEXITSTATUS(st) == 1)
		failures++;
	return WEXITSTATUS(st);
}

static void open_expect(const char *name, int want)
{
	int fd = open(PKTCRAFT_DEVICE, O_RDWR), err = errno;

	if (fd >= 0)
		close(fd);
	verdict(want ? fd < 0 && err == want : fd >= 0, name, "got %s, want %s",
		fd >= 0 ? "success" : ename(err), ename(want));
}

static void t_nobody(void *want)
{
	drop_to_nobody();
	open_expect(want == (void *)EACCES ?
		    "uid 65534, node 0600: open -> EACCES (file mode)" :
		    "uid 65534, node 0666: open -> EPERM (CAP_NET_RAW check)",
		    (int)(intptr_t)want);
}

static void t_root_no_netraw(void *unused)
{
	if (caps_only(~(1U << CAP_NET_RAW))) {
		verdict(0, "root without CAP_NET_RAW", "capset: %s", strerror(errno));
		return;
	}
	open_expect("root without CAP_NET_RAW (all else kept): open -> EPERM", EPERM);
}

static void t_only_netraw(void *unused)
{
	if (caps_only(1U << CAP_NET_RAW)) {
		verdict(0, "root with only CAP_NET_RAW", "capset: %s", strerror(errno));
		return;
	}
	open_expect("root with CAP_NET_RAW only (owner of the 0666 node): open succeeds", 0);
}

static void t_userns_only(void *unused)
{
	if (enter_userns(0, 1)) {
		verdict(0, "uid 65534 in a new user namespace", "unshare: %s",
			strerror(errno));
		return;
	}
	open_expect("uid 65534 as root of a new user namespace, initial network namespace: open -> EPERM",
		    EPERM);
}

/*
 * contrib/90-pktcraft.rules' recipe: the node root:pktcraft 0660, the user
 * in group pktcraft, the program holding CAP_NET_RAW (setcap). @arg: bit 0
 * = member of the group, bit 1 = keeps CAP_NET_RAW.
 */
#define UDEV_GID 4242
static void t_udev_recipe(void *arg)
{
	int how = (int)(intptr_t)arg, member = how & 1, netraw = how & 2;
	gid_t g = UDEV_GID;
	char name[160];

	prctl(PR_SET_KEEPCAPS, 1);
	if (setgroups(member, &g) || setgid(NOBODY) || setuid(NOBODY) ||
	    caps_only(netraw ? 1U << CAP_NET_RAW : 0)) {
		verdict(0, "udev recipe: drop to uid 65534", "%s", strerror(errno));
		return;
	}
	snprintf(name, sizeof(name),
		 "udev recipe (node root:pktcraft 0660): uid 65534 %s group pktcraft, %s CAP_NET_RAW: open %s",
		 member ? "in" : "not in", netraw ? "with" : "without",
		 !member ? "-> EACCES" : !netraw ? "-> EPERM" : "succeeds");
	open_expect(name, !member ? EACCES : !netraw ? EPERM : 0);
}

static int send_via(int fd, unsigned int ifindex, uint16_t sport, int *err)
{
	struct pktcraft_req r;
	int rc;

	base_req(&r, ifindex, sport);
	errno = 0;
	rc = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
	*err = rc < 0 ? errno : 0;
	return rc;
}

static int send_routed(int fd, uint16_t sport, int *err)
{
	struct pktcraft_req r;
	int rc;

	base_req(&r, 0, sport);
	memset(r.dst_mac, 0, 6);
	errno = 0;
	rc = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
	*err = rc < 0 ? errno : 0;
	return rc;
}

static int send_fd(int sock, int fd, const char *msg)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { (void *)msg, strlen(msg) + 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) < 0 ? -1 : 0;
}

static int recv_fd(int sock, char *msg, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { msg, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &mh, 0) <= 0)
		return -1;
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static void say(int sock, const char *s)
{
	if (write(sock, s, strlen(s) + 1) < 0)
		perror("write");
}

static void hear(int sock, char *buf, size_t len)
{
	ssize_t n = read(sock, buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
}

/* The container: uid 65534 with its own user and network namespace. */
/* One packet through @ifindex from a file of its own, opened and closed. */
static void send_on_new_fd(unsigned int ifindex, const char *what)
{
	int fd = open(PKTCRAFT_DEVICE, O_RDWR), rc, err = 0;

	rc = fd < 0 ? -1 : send_via(fd, ifindex, PORT_PERMS, &err);
	verdict(rc == 1, what, "rc %d %s", rc, fd < 0 ? strerror(errno) : ename(err));
	if (fd >= 0)
		close(fd);
}

static void container(int sock)
{
	unsigned long long nd0_tx;
	unsigned int nd0, hv1;
	char buf[128];
	int fd, rc, err;

	if (enter_userns(CLONE_NEWNET, 1)) {
		verdict(0, "container: unshare(CLONE_NEWUSER|CLONE_NEWNET) as uid 65534",
			"%s", strerror(errno));
		say(sock, "fail");
		return;
	}
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	verdict(fd >= 0, "container (uid 65534, own user+net namespace): open succeeds",
		"%s", strerror(errno));
	if (fd < 0) {
		say(sock, "fail");
		return;
	}
	/* No RS/MLD/DAD noise on the veth. */
	if (ns_ipv6_off()) {
		verdict(0, "container: IPv6 off in its namespace", "%s", strerror(errno));
		close(fd);
		say(sock, "fail");
		return;
	}
	rc = sh("ip link set lo up && ip link add nd0 type dummy && ip link set nd0 up");
	verdict(rc == 0, "container: creates dummy nd0 in its namespace", "ip: %d", rc);
	say(sock, "ready");
	hear(sock, buf, sizeof(buf));	/* "moved": hv1 is ours now */
	sh("ip link set hv1 up");
	usleep(100000);
	say(sock, "up");
	hear(sock, buf, sizeof(buf));	/* "go": the host side read hv0's counters */
	nd0 = if_nametoindex("nd0");
	hv1 = if_nametoindex("hv1");
	verdict(nd0 && hv1, "container: sees nd0 and the veth end hv1 moved in", "nd0 %u hv1 %u",
		nd0, hv1);

	nd0_tx = tx_packets("nd0");
	rc = send_via(fd, nd0, PORT_PERMS, &err);
	verdict(rc == 1 && tx_packets("nd0") == nd0_tx + 1,
		"container: SEND through its own dummy nd0 is sent (nd0 tx +1)",
		"rc %d %s, nd0 tx moved by %llu", rc, ename(err), tx_packets("nd0") - nd0_tx);
	rc = send_via(fd, hv1, PORT_PERMS, &err);
	verdict(rc == 1, "container: SEND through the moved veth end hv1 is sent",
		"rc %d %s", rc, ename(err));
	rc = send_via(fd, FOREIGN_IFINDEX, PORT_PERMS, &err);
	verdict(rc < 0 && err == ENODEV,
		"container: ifindex 4242 (hx0 of the initial namespace) -> ENODEV",
		"rc %d %s", rc, ename(err));
	rc = send_routed(fd, PORT_PERMS, &err);
	verdict(rc < 0 && err == ENETUNREACH,
		"container: routed SEND to 10.3.0.2 finds no route in its namespace -> ENETUNREACH",
		"rc %d %s", rc, ename(err));
	{
		/*
		 * Other namespaces' traffic is not the container's to watch;
		 * its own other file's is.
		 */
		struct pktcraft_stats st;
		int sf;

		send_on_new_fd(nd0, "container: a second file sends a packet through nd0");
		rc = stats_get(fd, &st);
		verdict(rc == 0 && st.file.packets == 2 && st.module.packets == 3 &&
			st.module.err_nodev == 1 && st.module.err_unreach == 1,
			"container: GET_STATS' module column is its namespace's (3 packets of its two "
			"files, 1 ENODEV, 1 ENETUNREACH), not every namespace's, nor the file's",
			"rc %d, file %llu packets, module %llu packets %llu nodev %llu unreach", rc,
			(unsigned long long)st.file.packets, (unsigned long long)st.module.packets,
			(unsigned long long)st.module.err_nodev,
			(unsigned long long)st.module.err_unreach);
		sf = open("/sys/class/misc/pktcraft/stats/packets", O_RDONLY);
		verdict(sf < 0 && errno == EACCES,
			"container: the module-wide counters in sysfs are root's (EACCES)",
			"open: %s", sf < 0 ? strerror(errno) : "opened");
		if (sf >= 0)
			close(sf);
	}

	snprintf(buf, sizeof(buf), "%u %u", nd0, hv1);
	if (send_fd(sock, fd, buf))
		perror("sendmsg");
	close(fd);
	hear(sock, buf, sizeof(buf));	/* "bye" */
}

static int read_stats_packets(int fd, unsigned long long *v)
{
	struct pktcraft_stats st;

	if (stats_get(fd, &st))
		return -1;
	*v = st.file.packets;
	return 0;
}

static void t_container(void)
{
	struct ifstat hv0a, hv0b, hx0a, hx0b;
	unsigned long long eth0a, eth0b, p0 = 0, p1 = 0;
	unsigned int nd0 = 0, hv1 = 0;
	int sp[2], fd, rc, err, st, i;
	char buf[128];
	pid_t pid;

	if (sh("ip link add hv0 type veth peer name hv1 && ip link set hv0 up")) {
		verdict(0, "veth pair hv0/hv1", "ip link add failed");
		return;
	}
	/* The host's own traffic, which the container must not see counted. */
	send_on_new_fd(FOREIGN_IFINDEX, "the host sends a packet through hx0 first");
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(sp[0]);
		failures = 0;
		container(sp[1]);
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	close(sp[1]);
	hear(sp[0], buf, sizeof(buf));
	if (strcmp(buf, "ready")) {
		verdict(0, "container started", "%s", buf);
		waitpid(pid, &st, 0);
		return;
	}
	rc = sh("ip link set hv1 netns %d", (int)pid);
	verdict(rc == 0, "veth end hv1 moved into the container's namespace", "ip: %d", rc);
	say(sp[0], "moved");
	hear(sp[0], buf, sizeof(buf));	/* "up" */
	if_stats("hv0", &hv0a);
	if_stats("hx0", &hx0a);
	eth0a = tx_packets("eth0");
	say(sp[0], "go");

	fd = recv_fd(sp[0], buf, sizeof(buf));
	sscanf(buf, "%u %u", &nd0, &hv1);
	usleep(50000);
	if_stats("hv0", &hv0b);
	if_stats("hx0", &hx0b);
	eth0b = tx_packets("eth0");
	verdict(hv0b.rx_packets == hv0a.rx_packets + 1,
		"the container's frame through hv1 arrives on hv0 in the initial namespace",
		"hv0 rx moved by %llu", hv0b.rx_packets - hv0a.rx_packets);
	verdict(hx0b.tx_packets == hx0a.tx_packets && eth0b == eth0a,
		"the container moved no counter of the initial namespace's devices (hx0, eth0)",
		"hx0 tx +%llu, eth0 tx +%llu", hx0b.tx_packets - hx0a.tx_packets, eth0b - eth0a);

	verdict(fd >= 0, "the container's fd arrives by SCM_RIGHTS", "no fd");
	if (fd >= 0) {
		if_stats("hv0", &hv0a);
		rc = send_via(fd, hv1, PORT_PERMS, &err);
		usleep(20000);
		if_stats("hv0", &hv0b);
		verdict(rc == 1 && hv0b.rx_packets == hv0a.rx_packets + 1,
			"passed fd, used in the initial namespace: SEND through the container's hv1 (opener's namespace) is sent",
			"rc %d %s, hv0 rx +%llu", rc, ename(err), hv0b.rx_packets - hv0a.rx_packets);
		if_stats("hx0", &hx0a);
		rc = send_via(fd, FOREIGN_IFINDEX, PORT_PERMS, &err);
		if_stats("hx0", &hx0b);
		verdict(rc < 0 && err == ENODEV && hx0b.tx_packets == hx0a.tx_packets,
			"passed fd: ifindex 4242 of the caller's own namespace -> ENODEV",
			"rc %d %s", rc, ename(err));
		eth0a = tx_packets("eth0");
		rc = send_routed(fd, PORT_PERMS, &err);
		usleep(20000);
		verdict(rc < 0 && err == ENETUNREACH && tx_packets("eth0") == eth0a,
			"passed fd: routed SEND uses the opener's (empty) routing table -> ENETUNREACH",
			"rc %d %s", rc, ename(err));
	}
	say(sp[0], "bye");
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		failures++;
	close(sp[0]);
	if (fd < 0)
		return;

	/* The container's last process is gone; its namespace lives on. */
	read_stats_packets(fd, &p0);
	rc = send_via(fd, nd0, PORT_PERMS, &err);
	read_stats_packets(fd, &p1);
	verdict(rc == 1 && p1 == p0 + 1,
		"after the container exited, its fd still sends through its namespace's nd0",
		"rc %d %s, packets +%llu", rc, ename(err), p1 - p0);
	verdict(if_nametoindex("hv0") != 0,
		"the open fd keeps the container's namespace alive (hv0's peer still exists)", "%s", "hv0 gone");
	close(fd);
	/* The namespace goes in the kernel's cleanup_net work, after RCU
	 * grace periods: most of a second each under TCG on a busy host. A
	 * leaked reference never frees it; only such a run waits 60 s. */
	for (i = 0; i < 1200 && if_nametoindex("hv0"); i++)
		usleep(50000);
	verdict(!if_nametoindex("hv0"),
		"closing the last fd frees the container's namespace (veth pair destroyed)",
		"hv0 still there after 60 s: namespace reference leaked?");
}

/* Root's fd, inherited by a child that unshares user + net namespaces. */
static void t_inherited(void)
{
	unsigned long long eth0a, eth0b;
	int fd, st, rc;
	pid_t pid;

	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (fd < 0) {
		verdict(0, "open as root", "%s", strerror(errno));
		return;
	}
	eth0a = tx_packets("eth0");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		unsigned int eth0 = if_nametoindex("eth0");
		int err, own, e2;

		failures = 0;
		if (enter_userns(CLONE_NEWNET, 0)) {
			verdict(0, "root: unshare(CLONE_NEWUSER|CLONE_NEWNET)", "%s",
				strerror(errno));
			_exit(1);
		}
		rc = send_via(fd, eth0, PORT_PERMS, &err);
		verdict(rc == 1, "inherited fd after unshare: SEND through eth0 of the opener's namespace is sent",
			"rc %d %s", rc, ename(err));
		rc = send_routed(fd, PORT_PERMS, &err);
		verdict(rc == 1, "inherited fd after unshare: routed SEND uses the opener's default route",
			"rc %d %s", rc, ename(err));
		own = open(PKTCRAFT_DEVICE, O_RDWR);
		e2 = errno;
		verdict(own >= 0, "root of the new namespaces opens the device itself", "%s",
			ename(e2));
		if (own >= 0) {
			rc = send_via(own, eth0, PORT_PERMS, &err);
			verdict(rc < 0 && err == ENODEV,
				"its own fd: eth0's ifindex is not in its namespace -> ENODEV",
				"rc %d %s", rc, ename(err));
			close(own);
		}
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		failures++;
	eth0b = tx_wait("eth0", eth0a + 2, 2000);
	verdict(eth0b == eth0a + 2, "eth0 tx moved by exactly the 2 frames of the inherited fd",
		"moved by %llu", eth0b - eth0a);
	wire_sent += 2;

	/* The same fd in a process that dropped every privilege. */
	eth0a = tx_packets("eth0");
	pid = fork();
	if (pid == 0) {
		int err;

		failures = 0;
		drop_to_nobody();
		rc = send_via(fd, if_nametoindex("eth0"), PORT_PERMS, &err);
		verdict(rc == 1,
			"an fd opened by root keeps working after setuid(65534) (checked at open, like AF_PACKET)",
			"rc %d %s", rc, ename(err));
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		failures++;
	eth0b = tx_wait("eth0", eth0a + 1, 2000);
	wire_sent += eth0b - eth0a;
	close(fd);
}

/*
 * The ring of skbs a file keeps between bursts (module/burst.c,
 * ring_park()), for an opener without CAP_NET_ADMIN, which the send buffer
 * no longer bounds: charged to the opener's memory cgroup (its
 * slab_unreclaimable), at most the send buffer's worth once that is
 * small, all of it given back at close. A cgroup v2 child of our own.
 */
#define RING_CG "/tmp/.pc-cg"

/* Read here, not by a command: a child process would be charged there. */
static long long cg_slab(void)
{
	FILE *f = fopen(RING_CG "/pcring/memory.stat", "re");
	long long v = -1, n;
	char key[64];

	while (f && fscanf(f, "%63s %lld", key, &n) == 2)
		if (!strcmp(key, "slab_unreclaimable"))
			v = n;
	if (f)
		fclose(f);
	return v;
}

/* A varied burst of 64 on the noqueue dummy pmr0: the ring's 64 slots. */
static int ring_burst(int fd, unsigned int ifindex)
{
	struct pktcraft_req r;

	base_req(&r, ifindex, 1024);
	r.count = 64;
	r.vary[PKTCRAFT_VARY_SPORT].mode = PKTCRAFT_VARY_INC;
	r.vary[PKTCRAFT_VARY_SPORT].step = 1;
	r.vary[PKTCRAFT_VARY_SPORT].min = 1024;
	r.vary[PKTCRAFT_VARY_SPORT].max = 1087;
	return ioctl(fd, PKTCRAFT_IOC_SEND, &r);
}

/*
 * @slab bytes over the open file, with a send buffer of @sndbuf: a slot's
 * truesize is at least 580 bytes (t_ring_memcg()), so a send buffer of B
 * keeps at most B / 580 slots; each costs the slab @per, what the first
 * burst's did (a debug kernel's redzones and the ring's own array
 * included), + 4096 for the bytes a CPU's memcg object stock holds back
 * from memory.stat. @ok: the step (@step returned @rc) went as it should.
 */
static void ring_bound(const char *what, const char *step, int rc, int ok,
		       unsigned int sndbuf, long long slab, long long per)
{
	char name[256];

	snprintf(name, sizeof(name), "ring memcg: %s", what);
	verdict(ok && sndbuf && per > 0 &&
		slab <= (long long)(sndbuf / 580 + 1) * per + 4096, name,
		"%s %d, send buffer %u, slab +%lld over the open file, %lld a slot: %lld slots, "
		"want <= %u", step, rc, sndbuf, slab, per, per ? slab / per : -1,
		sndbuf / 580 + 1);
}

static void t_ring_memcg(void *unused)
{
	struct pktcraft_sndbuf sb = { .size = sizeof(sb), .flags = PKTCRAFT_SNDBUF_F_SET,
				      .bytes = 8192 };
	static char big[4096];
	long long s0, s1, s2, s3, s4, per;
	int fd, rc1, rc2, rc3, rc4;
	unsigned int ifindex;
	struct pktcraft_req r;
	char pid[16];

	cpu_set_t one;

	/*
	 * One CPU: each CPU's memcg object stock holds up to a page of slab
	 * bytes not yet in memory.stat, at every read.
	 */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (sched_setaffinity(0, sizeof(one), &one) ||
	    proc_write(RING_CG "/pcring/cgroup.procs", pid) ||
	    caps_only(~(1U << CAP_NET_ADMIN))) {
		verdict(0, "ring memcg: pinned to CPU 0, joining the cgroup, CAP_NET_ADMIN dropped",
			"%s", strerror(errno));
		return;
	}
	/* Looked up once: if_nametoindex() opens a socket, charged meanwhile. */
	ifindex = if_nametoindex("pmr0");
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (fd < 0) {
		verdict(0, "ring memcg: open", "%s", strerror(errno));
		return;
	}
	s0 = cg_slab();
	rc1 = ring_burst(fd, ifindex);
	s1 = cg_slab();
	/*
	 * Each kept slot: an sk_buff (over 200 bytes) and its data, a 60-byte
	 * frame and a struct skb_shared_info (320 on x86-64): 64 x 580 at least.
	 */
	verdict(rc1 == 64 && s0 >= 0 && s1 - s0 >= 64 * 580,
		"ring memcg: without CAP_NET_ADMIN, the ring a file keeps after a varied burst of "
		"64 on a dummy is charged to the opener's memory cgroup (64 sk_buffs and their data)",
		"burst %d, slab_unreclaimable %lld -> %lld (+%lld, want >= %d)", rc1, s0, s1,
		s1 - s0, 64 * 580);
	rc2 = ioctl(fd, PKTCRAFT_IOC_SNDBUF, &sb);
	per = (s1 - s0) / 64;
	ring_bound("SO_SNDBUF lowered to 8192 between bursts: the ring the file keeps is held "
		   "to it at once (send buffer / 580 slots), not at its next burst",
		   "SNDBUF", rc2, !rc2, sb.bytes, cg_slab() - s0, per);
	rc3 = rc2 ? rc2 : ring_burst(fd, ifindex);
	s2 = cg_slab();
	ring_bound("with SO_SNDBUF 8192, the file keeps at most its send buffer's worth of the "
		   "ring (send buffer / 580 slots)", rc2 ? "SNDBUF" : "burst", rc3, rc3 == 64,
		   sb.bytes, s2 - s0, per);
	/*
	 * A single packet's skb is kept for the next one only up to
	 * PKTCRAFT_SINGLE_KEEP, the truesize of a head of up to
	 * SKB_WITH_OVERHEAD(PAGE_SIZE) (3776 bytes, headroom included; 4352 of
	 * truesize on x86-64): one with a 4096-byte payload, a kmalloc-8k
	 * head, is not.
	 */
	base_req(&r, ifindex, 1024);
	r.payload = (uintptr_t)big;
	r.payload_len = sizeof(big);
	rc4 = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
	s3 = cg_slab();
	verdict(rc4 == 1 && s3 - s2 <= 2 * 4096,
		"ring memcg: a single packet's skb larger than a page's head is not kept for the "
		"next one",
		"send %d, slab_unreclaimable +%lld over the ring's, want <= 8192 (what a CPU's "
		"stock may hold back at each of two reads)", rc4, s3 - s2);
	close(fd);
	s4 = cg_slab();
	verdict(s4 - s0 <= 2 * 4096, "ring memcg: close gives it all back (within the page "
		"a CPU's stock may hold at each read)",
		"slab_unreclaimable %lld at open, %lld after close", s0, s4);
	info("ring memcg: slab_unreclaimable over the open file: +%lld after the burst, +%lld "
	     "with a send buffer of %u, +%lld after a single packet with 4 KiB of payload, "
	     "%+lld after close", s1 - s0, s2 - s0, sb.bytes, s3 - s0, s4 - s0);
}

/* What the identical packets looked like on the tap, frame by frame. */
struct ident_seen {
	uint16_t sport;			/* the one they must carry */
	uint8_t first[RX_FSIZE];	/* the first frame */
	unsigned int first_len;
	unsigned long n, differ, bad_csum, mac[2], other_mac, switches;
	int last;			/* index into mac[] of the last frame, or -1 */
};

/*
 * One frame from the tap: ours are IPv4 TCP to @dst. Their IP and TCP
 * checksums are checked here (RFC 1071, with the pseudo-header), every
 * byte after the destination MAC against the first frame, and that MAC
 * against @macs.
 */
static void ident_frame(struct ident_seen *s, const uint8_t *f, unsigned int len, in_addr_t dst,
			const uint8_t macs[2][6])
{
	unsigned int ihl, l4len;
	uint8_t ph[12];
	int m;

	if (len < 14 + 20 + 20 || f[12] != 0x08 || f[13] != 0x00 || f[23] != IPPROTO_TCP ||
	    memcmp(f + 30, &dst, 4))
		return;
	ihl = (f[14] & 0xf) * 4;
	if (!s->n++) {
		s->first_len = len < sizeof(s->first) ? len : sizeof(s->first);
		memcpy(s->first, f, s->first_len);
	}
	if (len != s->first_len || memcmp(f + 6, s->first + 6, len - 6) ||
	    (f[14 + ihl] << 8 | f[15 + ihl]) != s->sport)
		s->differ++;
	l4len = ((unsigned int)f[16] << 8 | f[17]) - ihl;
	memcpy(ph, f + 26, 8);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	ph[10] = l4len >> 8;
	ph[11] = l4len & 0xff;
	if (14 + ihl + l4len > len || ct_sum16(f + 14, ihl, 0) != 0xffff ||
	    ct_sum16(f + 14 + ihl, l4len, ct_sum16(ph, sizeof(ph), 0)) != 0xffff)
		s->bad_csum++;
	m = !memcmp(f, macs[0], 6) ? 0 : !memcmp(f, macs[1], 6) ? 1 : -1;
	if (m < 0) {
		s->other_mac++;
		return;
	}
	s->mac[m]++;
	if (s->last >= 0 && s->last != m)
		s->switches++;
	s->last = m;
}

static void ident_drain(struct rxring *rx, struct ident_seen *s, in_addr_t dst,
			const uint8_t macs[2][6])
{
	struct tpacket2_hdr *h;

	while ((h = rxring_next(rx))) {
		ident_frame(s, (uint8_t *)h + h->tp_mac, h->tp_snaplen, dst, macs);
		rxring_done(rx, h);
	}
}

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * The kmem/kmalloc tracepoint in @t for this process's own kmalloc()s: not
 * those of an interrupt that ran on its time (common_flags 0x58:
 * TRACE_FLAG_HARDIRQ | TRACE_FLAG_SOFTIRQ | TRACE_FLAG_NMI).
 */
static int pc_allocs_trace(struct trace_inst *t)
{
	char filter[80];

	snprintf(filter, sizeof(filter), "common_pid == %d && !(common_flags & 0x58)",
		 (int)getpid());
	return trace_enable(t, "kmem/kmalloc", filter);
}

/*
 * Of those, the ones on pktcraft's behalf since the last clear: called from
 * the module (" [pktcraft]" after the symbol), or from __alloc_skb() for it
 * (kmalloc_reserve() passes __alloc_skb()'s address when it is not inlined,
 * __alloc_skb()'s caller's when it is).
 */
static long pc_allocs(struct trace_inst *t)
{
	return trace_count(t, " [pktcraft]") + trace_count(t, "call_site=__alloc_skb");
}

/*
 * Root without CAP_NET_ADMIN (so never the shared skb): identical packets
 * on the noqueue dummy pmi0 go through the ring of private skbs, the skb
 * just sent going again once the dummy and the tap have let go of it, so
 * that one slot serves the burst; the tap judges every frame. Then the
 * same with a tap that keeps its clones queued, so that every packet takes
 * the next slot of the 64, writing packet 0 into a slot only when it was
 * not already there. Then a paced burst (a slot a packet) during which the
 * neighbour's link address changes: packet 0 is rebuilt, and the slots
 * that held the old one must carry the new address from then on.
 */
static void t_ring_identical(void *unused)
{
	static const uint8_t macs[2][6] = { { 2, 0, 0, 0, 0x77, 1 }, { 2, 0, 0, 0, 0x77, 2 } };
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	in_addr_t dst = inet_addr("10.77.0.2");
	struct ident_seen s = { .sport = PORT_PERMS, .last = -1 };
	struct rxring rx = { .fd = -1, .map = MAP_FAILED };
	struct trace_inst t = { .dir = "" };
	struct ident_seen scratch;
	struct burst b;
	int fd = -1, go[2], rc, changed = 0, stopped = 0, q = -1, big = 16 << 20;
	long allocs;
	unsigned int drops;
	double end;
	pid_t changer;

	/* The neighbour's change needs CAP_NET_ADMIN: a helper keeps it. */
	if (pipe(go))
		_exit(2);
	changer = fork();
	if (changer == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) == 1)
			_exit(sh("ip neigh replace 10.77.0.2 lladdr 02:00:00:00:77:02 nud permanent "
				 "dev pmi0") ? 1 : 0);
		_exit(0);
	}
	close(go[0]);
	/*
	 * A tap that keeps its clones in its queue, as a plain AF_PACKET
	 * socket does: protocol 0 (nothing) until bound, its buffer forced
	 * while the capability is there.
	 */
	q = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (q < 0 || setsockopt(q, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big))) {
		verdict(0, "ring identical: an AF_PACKET socket with a 16 MiB buffer", "%s",
			strerror(errno));
		goto out;
	}
	/* This process's kmalloc()s: an skb's data is one, a clone's not. */
	if (changer < 0 || trace_open(&t, "pcperms") || pc_allocs_trace(&t) ||
	    caps_only(~(1U << CAP_NET_ADMIN)) || rxring_open(&rx, "pmi0") ||
	    (fd = open(PKTCRAFT_DEVICE, O_RDWR)) < 0) {
		verdict(0, "ring identical: a helper, the kmem/kmalloc tracepoint, CAP_NET_ADMIN "
			"dropped, a TPACKET_V2 tap on pmi0, the device opened", "%s",
			strerror(errno));
		goto out;
	}
	memset(&b, 0, sizeof(b));
	base_req(&b.r, if_nametoindex("pmi0"), PORT_PERMS);
	memset(b.r.dst_mac, 0, 6);	/* the neighbour table's */
	b.r.ip_daddr = dst;
	b.r.count = 1000;
	trace_clear(&t);
	rc = ioctl(fd, PKTCRAFT_IOC_SEND, &b.r);
	allocs = pc_allocs(&t);
	ident_drain(&rx, &s, dst, macs);
	drops = rxring_drops(&rx);
	/*
	 * A new file: packet 0's data, the burst's state, the ring and a
	 * slot's data at least; not one allocation a packet.
	 */
	verdict(rc == 1000 && s.n == 1000 && !drops && !s.differ && !s.bad_csum &&
		s.mac[0] == 1000 && allocs >= 4 && allocs <= 16,
		"ring identical: 1000 identical packets through the ring of 64 skbs (root without "
		"CAP_NET_ADMIN, a dummy): 4 to 16 kmalloc()s on pktcraft's behalf (kmem/kmalloc), so an "
		"skb was sent again, not each slot filled; a TPACKET_V2 tap saw 1000 frames, each "
		"byte for byte the first, "
		"with good IP and TCP checksums (checked here) and the neighbour's address",
		"rc %d, %ld kmalloc()s on pktcraft's behalf, %lu frames (%u dropped by the tap), %lu differ, "
		"%lu bad checksums, %lu with the address", rc, allocs, s.n, drops, s.differ,
		s.bad_csum, s.mac[0]);
	info("ring identical: %ld kmalloc()s on pktcraft's behalf during the burst of 1000", allocs);

	/* The same with a tap that keeps its clones: no slot is free again at once. */
	{
		struct sockaddr_ll sll = { .sll_family = AF_PACKET,
					   .sll_protocol = htons(ETH_P_ALL),
					   .sll_ifindex = (int)if_nametoindex("pmi0") };
		struct tpacket_stats st;
		socklen_t len = sizeof(st);
		uint8_t f[2048];
		ssize_t got;

		memset(&s, 0, sizeof(s));
		s.sport = PORT_PERMS;
		s.last = -1;
		if (bind(q, (struct sockaddr *)&sll, sizeof(sll))) {
			verdict(0, "ring identical: the AF_PACKET socket bound to pmi0", "%s",
				strerror(errno));
			goto out;
		}
		trace_clear(&t);
		rc = ioctl(fd, PKTCRAFT_IOC_SEND, &b.r);
		allocs = pc_allocs(&t);
		while ((got = recv(q, f, sizeof(f), MSG_DONTWAIT)) > 0)
			ident_frame(&s, f, (unsigned int)got, dst, macs);
		if (getsockopt(q, SOL_PACKET, PACKET_STATISTICS, &st, &len))
			st.tp_drops = UINT32_MAX;
		memset(&scratch, 0, sizeof(scratch));
		scratch.last = -1;
		ident_drain(&rx, &scratch, dst, macs);
		/*
		 * An skb whose data a queued clone shares is never sent again:
		 * each packet a new copy in the next slot, a kmalloc() each.
		 */
		verdict(rc == 1000 && s.n == 1000 && !st.tp_drops && !s.differ && !s.bad_csum &&
			s.mac[0] == 1000 && allocs >= 1000,
			"ring identical: the same 1000 with a tap that keeps its clones queued "
			"(AF_PACKET socket), so that no skb is free again at once: every packet a "
			"new copy (1000 kmalloc()s or more), and the tap saw 1000 frames, each "
			"byte for byte the first, with good checksums and the neighbour's address",
			"rc %d, %ld kmalloc()s, %lu frames (%u dropped by the tap), %lu differ, "
			"%lu bad checksums, %lu with the address", rc, allocs, s.n, st.tp_drops,
			s.differ, s.bad_csum, s.mac[0]);
		close(q);
		q = -1;
	}

	/*
	 * Every slot filled with this port's packet (paced: a slot a packet),
	 * for the next burst to find them kept.
	 */
	b.r.count = 64;
	b.r.gap_ns = 100000;
	rc = ioctl(fd, PKTCRAFT_IOC_SEND, &b.r);
	memset(&scratch, 0, sizeof(scratch));
	scratch.sport = PORT_PERMS;
	scratch.last = -1;
	ident_drain(&rx, &scratch, dst, macs);
	if (rc != 64 || scratch.n != 64 || scratch.differ) {
		verdict(0, "ring identical: a paced burst of 64 that fills every slot of the ring",
			"rc %d, the tap saw %lu, %lu differ", rc, scratch.n, scratch.differ);
		goto out;
	}

	/* Another source port: the kept ring's slots must all be written again. */
	memset(&s, 0, sizeof(s));
	s.sport = PORT_PERMS + 1;
	s.last = -1;
	sigaction(SIGUSR1, &sa, NULL);
	b.r.sport = PORT_PERMS + 1;
	b.r.count = 1000000;
	b.r.gap_ns = 2000000;
	b.fd = fd;
	if (pthread_create(&b.th, NULL, burst_thread, &b)) {
		verdict(0, "ring identical: a thread for the paced burst", "%s", strerror(errno));
		goto out;
	}
	/*
	 * 100 frames with the old address, then the new one; the burst looks
	 * at its neighbour every second. Stopped once 200 frames (three
	 * rounds of the ring) carried the new address, or after a minute.
	 */
	end = now_s() + 60;
	while (!b.done && now_s() < end) {
		struct pollfd p = { .fd = rx.fd, .events = POLLIN };

		poll(&p, 1, 100);
		ident_drain(&rx, &s, dst, macs);
		if (!changed && s.n >= 100)
			changed = write(go[1], "x", 1) == 1;
		if (!stopped && s.mac[1] >= 200)
			stopped = !pthread_kill(b.th, SIGUSR1);
	}
	if (!stopped)
		pthread_kill(b.th, SIGUSR1);
	if (join_within(&b, 10)) {
		verdict(0, "ring identical: a paced burst ends on a signal", "still running");
		_exit(1);	/* the thread is still in the ioctl */
	}
	ident_drain(&rx, &s, dst, macs);
	drops = rxring_drops(&rx);
	close(go[1]);
	go[1] = -1;
	waitpid(changer, &rc, 0);
	changer = -1;
	verdict(changed && WIFEXITED(rc) && !WEXITSTATUS(rc) && b.rc > 0 &&
		(unsigned long)b.rc == s.n && !drops && !s.differ && !s.bad_csum && !s.other_mac &&
		s.mac[0] >= 100 && s.mac[1] >= 200 && s.switches == 1,
		"ring identical: a paced burst (2 ms) of another source port, whose neighbour "
		"changes its address once 100 frames went (the burst looks every second): every "
		"frame the tap saw is the first, with that port, but for the destination MAC, "
		"which changes once, to the new address, and stays (200 frames with it, more than "
		"the ring's 64 slots); the burst's partial count is what the tap saw",
		"address changed %d (helper status %d), burst rc %ld (%s), %lu frames (%u dropped "
		"by the tap), %lu differ, %lu bad checksums, old %lu new %lu other %lu, %lu "
		"changes", changed, WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, b.rc, ename(b.err), s.n,
		drops, s.differ, s.bad_csum, s.mac[0], s.mac[1], s.other_mac, s.switches);
out:
	if (q >= 0)
		close(q);
	if (fd >= 0)
		close(fd);
	rxring_close(&rx);
	if (t.dir[0])
		trace_close(&t);
	if (go[1] >= 0)
		close(go[1]);	/* the helper exits without a change */
	if (changer > 0)
		waitpid(changer, NULL, 0);
}

/*
 * The skb a file keeps for its next single packet (single_keep(), on a
 * driver that lets go of it at once) is the single packets' own: a burst
 * between two of them, varied or identical, through the ring, neither
 * takes it nor frees it, so that the single packet after the burst is
 * built in it and allocates nothing (kmem/kmalloc, as t_ring_identical()
 * counts, pc_allocs()). Without CAP_NET_ADMIN: the skb's data is a
 * kmalloc(), not a page fragment.
 */
static void t_single_keep(void *unused)
{
	static const char *const what[] = {
		"a first single packet", "a second", "a varied burst of 64", "a single packet",
		"an identical burst of 64", "a single packet",
	};
	struct trace_inst t = { .dir = "" };
	long allocs[6];
	int fd = -1, rc[6];
	struct pktcraft_req r;
	unsigned int i;

	if (trace_open(&t, "pcsingle") || pc_allocs_trace(&t) ||
	    caps_only(~(1U << CAP_NET_ADMIN)) || (fd = open(PKTCRAFT_DEVICE, O_RDWR)) < 0) {
		verdict(0, "single keep: the kmem/kmalloc tracepoint, CAP_NET_ADMIN dropped, the "
			"device opened", "%s", strerror(errno));
		goto out;
	}
	base_req(&r, if_nametoindex("pmi0"), PORT_PERMS + 2);
	for (i = 0; i < 6; i++) {
		r.count = i == 2 || i == 4 ? 64 : 0;
		if (i == 2)
			r.vary[PKTCRAFT_VARY_SPORT] = (struct pktcraft_vary){
				.mode = PKTCRAFT_VARY_INC, .step = 1,
				.min = PORT_PERMS + 2, .max = PORT_PERMS + 65 };
		else
			memset(&r.vary, 0, sizeof(r.vary));
		trace_clear(&t);
		rc[i] = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
		allocs[i] = pc_allocs(&t);
		info("single keep: %s: rc %d, %ld kmalloc()s on pktcraft's behalf", what[i], rc[i],
		     allocs[i]);
	}
	verdict(rc[0] == 1 && rc[1] == 1 && rc[2] == 64 && rc[3] == 1 && rc[4] == 64 &&
		rc[5] == 1 && allocs[0] >= 1 && !allocs[1] && !allocs[3] && !allocs[5],
		"single keep: on a dummy, a single packet after a varied and after an identical "
		"burst of 64 (through the ring, root without CAP_NET_ADMIN) is built in the skb the "
		"file kept: no kmalloc() on pktcraft's behalf, as for a second single packet, while "
		"the first allocates",
		"rc %d %d %d %d %d %d, kmalloc()s %ld %ld %ld %ld %ld %ld", rc[0], rc[1], rc[2],
		rc[3], rc[4], rc[5], allocs[0], allocs[1], allocs[2], allocs[3], allocs[4],
		allocs[5]);
out:
	if (fd >= 0)
		close(fd);
	if (t.dir[0])
		trace_close(&t);
}

/*
 * The ring on e1000, which holds each skb until TX completion (so no skb
 * is sent again before then): bursts of 500 identical, then varied
 * (destination port), packets straight to the driver (--inject driver, as
 * any opener may) from a file opened without CAP_NET_ADMIN, unpaced. The
 * device counts them all (each frame handed to the hardware: a doorbell
 * not rung would leave some in the TX ring), and the host finds them in
 * the capture (WIRE perms).
 */
static void t_ring_eth0(void *arg)
{
	int *sent = arg, fd, rc, varied;
	unsigned long long a, b;
	struct pktcraft_req r;

	if (caps_only(~(1U << CAP_NET_ADMIN)) || (fd = open(PKTCRAFT_DEVICE, O_RDWR)) < 0) {
		verdict(0, "ring on eth0: CAP_NET_ADMIN dropped, the device opened", "%s",
			strerror(errno));
		return;
	}
	for (varied = 0; varied < 2; varied++) {
		base_req(&r, if_nametoindex("eth0"), PORT_PERMS);
		r.inject = PKTCRAFT_INJECT_DRIVER;
		r.count = 500;
		if (varied) {
			r.dport = 1000;	/* within the range: the first packet's */
			r.vary[PKTCRAFT_VARY_DPORT].mode = PKTCRAFT_VARY_INC;
			r.vary[PKTCRAFT_VARY_DPORT].step = 1;
			r.vary[PKTCRAFT_VARY_DPORT].min = 1000;
			r.vary[PKTCRAFT_VARY_DPORT].max = 1499;
		}
		a = tx_packets("eth0");
		rc = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
		b = tx_wait("eth0", a + 500, 5000);
		if (rc > 0)
			*sent += rc;
		verdict(rc == 500 && b - a == 500,
			varied ? "ring on eth0 (e1000): a varied burst of 500 straight to the driver, "
				 "without CAP_NET_ADMIN: sent 500, eth0's tx counter +500" :
				 "ring on eth0 (e1000): an identical burst of 500 straight to the driver, "
				 "without CAP_NET_ADMIN: sent 500, eth0's tx counter +500",
			"rc %d (%s), eth0 tx +%llu", rc, rc < 0 ? ename(errno) : "-", b - a);
	}
	close(fd);
}

int main(void)
{
	struct stat sb;
	mode_t mode;
	int fd;

	group = "perms";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (stat(PKTCRAFT_DEVICE, &sb)) {
		perror(PKTCRAFT_DEVICE);
		return 2;
	}
	mode = sb.st_mode & 07777;
	verdict(mode == 0600 && sb.st_uid == 0, "the module creates /dev/pktcraft root:root 0600",
		"mode %04o uid %u", mode, sb.st_uid);

	chown(PKTCRAFT_DEVICE, 0, UDEV_GID);
	chmod(PKTCRAFT_DEVICE, 0660);
	in_child(t_udev_recipe, (void *)3);
	in_child(t_udev_recipe, (void *)1);
	in_child(t_udev_recipe, (void *)2);
	chown(PKTCRAFT_DEVICE, 0, 0);
	chmod(PKTCRAFT_DEVICE, 0600);

	in_child(t_nobody, (void *)EACCES);
	chmod(PKTCRAFT_DEVICE, 0666);
	in_child(t_nobody, (void *)EPERM);
	in_child(t_root_no_netraw, NULL);
	in_child(t_only_netraw, NULL);
	in_child(t_userns_only, NULL);

	fd = open(PKTCRAFT_DEVICE, O_RDONLY);
	if (fd >= 0) {
		struct pktcraft_req r;
		unsigned long long t0 = tx_packets("hx0");
		int rc;

		base_req(&r, FOREIGN_IFINDEX, PORT_PERMS);
		rc = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
		info("an fd opened O_RDONLY can SEND (rc %d, hx0 tx +%llu): the module checks CAP_NET_RAW, not the open mode",
		     rc, tx_packets("hx0") - t0);
		close(fd);
	}

	t_container();
	t_inherited();
	if (sh("ip link add pmr0 type dummy && ip link set pmr0 mtu 9000 up && mkdir -p %s && "
	       "mount -t cgroup2 none %s && echo +memory > %s/cgroup.subtree_control && "
	       "mkdir %s/pcring", RING_CG, RING_CG, RING_CG, RING_CG)) {
		verdict(0, "ring memcg: a dummy and a cgroup v2 child with the memory controller",
			"setup failed");
	} else {
		in_child(t_ring_memcg, NULL);
		sh("rmdir %s/pcring; umount %s; ip link del pmr0", RING_CG, RING_CG);
	}
	if (sh("ip link add pmi0 type dummy && ip link set pmi0 up && "
	       "ip addr add 10.77.0.1/24 dev pmi0 && "
	       "ip neigh replace 10.77.0.2 lladdr 02:00:00:00:77:01 nud permanent dev pmi0")) {
		verdict(0, "ring identical: a dummy with a neighbour", "setup failed");
	} else {
		in_child(t_ring_identical, NULL);
		in_child(t_single_keep, NULL);
		sh("ip link del pmi0");
	}
	{
		/* the child's count, through shared memory */
		int *sent = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (sent != MAP_FAILED) {
			*sent = 0;
			in_child(t_ring_eth0, sent);
			wire_sent += *sent;
			munmap(sent, sizeof(int));
		} else {
			verdict(0, "ring on eth0: shared memory for the count", "%s", strerror(errno));
		}
	}
	if (chown(PKTCRAFT_DEVICE, sb.st_uid, sb.st_gid))
		perror("chown");
	chmod(PKTCRAFT_DEVICE, mode);
	printf("WIRE perms n=%d\n", wire_sent);
	return failures ? 1 : 0;
}
