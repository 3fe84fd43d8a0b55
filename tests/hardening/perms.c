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
 *
 * Usage: perms   (eth0 up; hx0: a dummy with ifindex 4242, made by the
 * guest script)
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
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
	unsigned long long eth0a, eth0b, p0, p1;
	unsigned int nd0 = 0, hv1 = 0;
	int sp[2], fd, rc, err, st, i;
	char buf[128];
	pid_t pid;

	if (sh("ip link add hv0 type veth peer name hv1 && ip link set hv0 up")) {
		verdict(0, "veth pair hv0/hv1", "ip link add failed");
		return;
	}
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
static int ring_burst(int fd)
{
	struct pktcraft_req r;

	base_req(&r, if_nametoindex("pmr0"), 1024);
	r.count = 64;
	r.vary[PKTCRAFT_VARY_SPORT].mode = PKTCRAFT_VARY_INC;
	r.vary[PKTCRAFT_VARY_SPORT].step = 1;
	r.vary[PKTCRAFT_VARY_SPORT].min = 1024;
	r.vary[PKTCRAFT_VARY_SPORT].max = 1087;
	return ioctl(fd, PKTCRAFT_IOC_SEND, &r);
}

static void t_ring_memcg(void *unused)
{
	struct pktcraft_sndbuf sb = { .size = sizeof(sb), .flags = PKTCRAFT_SNDBUF_F_SET,
				      .bytes = 8192 };
	long long s0, s1, s2, s3, per;
	int fd, rc1, rc2;
	char pid[16];

	cpu_set_t one;

	/*
	 * One CPU: each CPU's memcg object stock holds up to a page of slab
	 * bytes not yet in memory.stat, at every read.
	 */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (proc_write(RING_CG "/pcring/cgroup.procs", pid) ||
	    caps_only(~(1U << CAP_NET_ADMIN))) {
		verdict(0, "ring memcg: joining the cgroup, CAP_NET_ADMIN dropped", "%s",
			strerror(errno));
		return;
	}
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (fd < 0) {
		verdict(0, "ring memcg: open", "%s", strerror(errno));
		return;
	}
	s0 = cg_slab();
	rc1 = ring_burst(fd);
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
	if (!rc2)
		rc2 = ring_burst(fd);
	s2 = cg_slab();
	/*
	 * A slot's truesize is at least those 580 bytes, so a send buffer of
	 * B keeps at most B / 580 slots; each costs the slab what the first
	 * burst's did (a debug kernel's redzones included), + 4096 for the
	 * ring's own array.
	 */
	per = (s1 - s0) / 64;
	verdict(rc2 == 64 && sb.bytes && per > 0 &&
		s2 - s0 <= (long long)(sb.bytes / 580 + 1) * per + 4096,
		"ring memcg: with SO_SNDBUF 8192, the file keeps at most its send buffer's worth "
		"of the ring (send buffer / 580 slots)",
		"burst %d, send buffer %u, slab +%lld over the open file, %lld a slot: %lld slots, "
		"want <= %u", rc2, sb.bytes, s2 - s0, per, per ? (s2 - s0) / per : -1,
		sb.bytes / 580 + 1);
	close(fd);
	s3 = cg_slab();
	verdict(s3 - s0 <= 2 * 4096, "ring memcg: close gives it all back (within the page "
		"a CPU's stock may hold at each read)",
		"slab_unreclaimable %lld at open, %lld after close", s0, s3);
	info("ring memcg: slab_unreclaimable over the open file: +%lld after the burst, +%lld "
	     "with a send buffer of %u, %+lld after close", s1 - s0, s2 - s0, sb.bytes, s3 - s0);
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
	if (sh("ip link add pmr0 type dummy && ip link set pmr0 up && mkdir -p %s && "
	       "mount -t cgroup2 none %s && echo +memory > %s/cgroup.subtree_control && "
	       "mkdir %s/pcring", RING_CG, RING_CG, RING_CG, RING_CG)) {
		verdict(0, "ring memcg: a dummy and a cgroup v2 child with the memory controller",
			"setup failed");
	} else {
		in_child(t_ring_memcg, NULL);
		sh("rmdir %s/pcring; umount %s; ip link del pmr0", RING_CG, RING_CG);
	}
	if (chown(PKTCRAFT_DEVICE, sb.st_uid, sb.st_gid))
		perror("chown");
	chmod(PKTCRAFT_DEVICE, mode);
	printf("WIRE perms n=%d\n", wire_sent);
	return failures ? 1 : 0;
}
