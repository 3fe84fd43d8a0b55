// SPDX-License-Identifier: GPL-2.0
/*
 * fatesend: one SEND with an injection point and fates, straight through
 * the UAPI (no library), for the guest tests of tests/fate/fate.py. Prints
 * the ioctl's result and one line per packet's fate, as key=value pairs.
 *
 * Usage: fatesend [-6] [-i INJECT] [-w FATE_MS] [-c COUNT] [-d IFNAME]
 *                 [-s SRC] [-p DPORT] [-P SPORT] [-f TCPFLAGS] [-u|-e]
 *                 [-b] [-n] [-m DSTMAC] [-z] [-F] [-U IFNAME] DST
 *   -u UDP, -e ICMP echo (default TCP), -b a wrong layer 4 checksum,
 *   -n no fates array (counters only), -z the source literal (:: too),
 *   -F afterwards GET_STATS also with an unmapped drops array,
 *   -U as root of a new user and network namespace (uid 65534 outside):
 *      prints "ready PID", waits for a line on stdin (the caller moves
 *      IFNAME into that namespace), brings IFNAME up and sends through it.
 * Then the file's drops by reason (GET_STATS version 1), a "drop" line each.
 */
#define _GNU_SOURCE
#include "../lib/ctest.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/pktcraft.h>

/* A SIGINT must interrupt the ioctl's wait, not end the program. */
static void on_signal(int sig)
{
	(void)sig;
}

static const char *const fate_names[] = {
	"untracked", "pending", "sent", "delivered", "dropped",
};

/* GET_STATS version 1 with a drops array of @nr entries at @drops. */
static int get_drops(int fd, struct pktcraft_stats *st, void *drops, unsigned int nr)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->flags = PKTCRAFT_STATS_F_DROPS;
	st->drops = (unsigned long)drops;
	st->nr_drops = nr;
	st->drop_size = sizeof(struct pktcraft_drop_count);
	return ioctl(fd, PKTCRAFT_IOC_GET_STATS, st);
}

/* The file's drops by reason, and the module's as this caller sees them. */
static void print_drops(int fd, int unmapped)
{
	struct pktcraft_drop_count dc[256];
	struct pktcraft_stats st;
	void *hole;

	if (get_drops(fd, &st, dc, 256)) {
		printf("stats errno=%s\n", strerrorname_np(errno));
		return;
	}
	printf("stats size=%u nr=%u fate_dropped=%llu module_fate_dropped=%llu\n", st.size,
	       st.nr_drops, (unsigned long long)st.file.fate_dropped,
	       (unsigned long long)st.module.fate_dropped);
	for (unsigned int i = 0; i < st.nr_drops && i < 256; i++)
		printf("drop name=%.32s reason=%u file=%llu module=%llu\n", (char *)dc[i].name,
		       dc[i].reason, (unsigned long long)dc[i].file,
		       (unsigned long long)dc[i].module);
	if (!unmapped)
		return;
	/* A page mapped and unmapped again: an address nothing lives at. */
	hole = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED || munmap(hole, 4096))
		return;
	if (get_drops(fd, &st, hole, 1))
		printf("unmapped rc=-1 errno=%s\n", strerrorname_np(errno));
	else
		printf("unmapped rc=0\n");
}

/* -U: enter the namespaces, wait for IFNAME to be moved in, bring it up. */
static int userns_dev(const char *ifname, __u32 *ifindex)
{
	struct ifreq ifr = {};
	char line[16];
	int s;

	if (enter_userns(CLONE_NEWNET, 1)) {
		perror("enter_userns");
		return -1;
	}
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
		return perror(ifname), -1;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		return perror("SIOCSIFFLAGS"), -1;
	close(s);
	*ifindex = if_nametoindex(ifname);
	return *ifindex ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct pktcraft_req req;
	struct pktcraft_fate *fates;
	int opt, fd, rc, no_array = 0, unmapped = 0;
	const char *userns_if = NULL;
	unsigned int count = 1;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.ip_ttl = 64;
	req.sport = 40000;
	req.dport = 80;
	req.tcp_flags = PKTCRAFT_TCP_SYN;
	req.tcp_win = 64240;
	req.tcp_seq = 1000;
	while ((opt = getopt(argc, argv, "6i:w:c:d:s:p:P:f:uebnm:zFU:")) != -1) {
		switch (opt) {
		case '6':
			req.family = AF_INET6;
			break;
		case 'i':
			req.inject = !strcmp(optarg, "driver") ? PKTCRAFT_INJECT_DRIVER :
				     !strcmp(optarg, "ip") ? PKTCRAFT_INJECT_IP :
				     !strcmp(optarg, "rx") ? PKTCRAFT_INJECT_RX :
				     !strcmp(optarg, "queue") ? PKTCRAFT_INJECT_QUEUE :
				     atoi(optarg);
			break;
		case 'w':
			req.fate_ms = atoi(optarg);
			break;
		case 'c':
			count = atoi(optarg);
			break;
		case 'd':
			req.ifindex = if_nametoindex(optarg);
			if (!req.ifindex) {
				perror(optarg);
				return 2;
			}
			break;
		case 's':
			if (inet_pton(AF_INET6, optarg, req.ip6_saddr) != 1 &&
			    inet_pton(AF_INET, optarg, &req.ip_saddr) != 1)
				return 2;
			break;
		case 'p':
			req.dport = atoi(optarg);
			break;
		case 'P':
			req.sport = atoi(optarg);
			break;
		case 'f':
			req.tcp_flags = strtoul(optarg, NULL, 0);
			break;
		case 'u':
			req.l4 = PKTCRAFT_L4_UDP;
			req.tcp_flags = req.tcp_win = 0;
			req.tcp_seq = 0;
			break;
		case 'e':
			req.l4 = PKTCRAFT_L4_ICMP;
			req.tcp_flags = req.tcp_win = 0;
			req.tcp_seq = 0;
			req.sport = req.dport = 0;
			req.icmp_type = 8;
			req.icmp_id = 0x4242;
			req.icmp_seq = 1;
			break;
		case 'b':
			req.flags |= PKTCRAFT_F_L4_CSUM;
			req.l4_csum = 0xbad0;
			break;
		case 'n':
			no_array = 1;
			break;
		case 'z':	/* the source as given, even 0.0.0.0 or :: */
			req.flags |= PKTCRAFT_F_IP_SADDR;
			break;
		case 'm':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
				   &req.dst_mac[0], &req.dst_mac[1],
				   &req.dst_mac[2], &req.dst_mac[3],
				   &req.dst_mac[4], &req.dst_mac[5]) != 6)
				return 2;
			break;
		case 'F':
			unmapped = 1;
			break;
		case 'U':
			userns_if = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1)
		return 2;
	if (req.family == AF_INET6) {
		if (inet_pton(AF_INET6, argv[optind], req.ip6_daddr) != 1)
			return 2;
		if (req.l4 == PKTCRAFT_L4_ICMP)
			req.icmp_type = 128;
	} else if (inet_pton(AF_INET, argv[optind], &req.ip_daddr) != 1) {
		return 2;
	}
	req.count = count;
	fates = calloc(count, sizeof(*fates));
	if (!fates)
		return 2;
	if (!no_array)
		req.fates = (unsigned long)fates;

	if (userns_if && userns_dev(userns_if, &req.ifindex))
		return 2;
	sigaction(SIGINT, &(struct sigaction){ .sa_handler = on_signal }, NULL);
	fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(PKTCRAFT_DEVICE);
		return 2;
	}
	rc = ioctl(fd, PKTCRAFT_IOC_SEND, &req);
	printf("rc=%d errno=%s sent=%u dropped=%u\n", rc,
	       rc < 0 ? strerrorname_np(errno) : "0", req.sent, req.dropped);
	for (unsigned int i = 0; i < count && !no_array; i++) {
		const struct pktcraft_fate *f = &fates[i];

		printf("fate i=%u fate=%s reason=%s where=%s dev=%s ifindex=%u "
		       "flags=%u xmit=%d dt_us=%lld\n", i,
		       f->fate < 5 ? fate_names[f->fate] : "?",
		       f->reason_name[0] ? (char *)f->reason_name : "-",
		       f->where[0] ? (char *)f->where : "-",
		       f->dev[0] ? (char *)f->dev : "-", f->ifindex, f->flags,
		       f->xmit_ns != 0,
		       f->end_ns ? (long long)(f->end_ns - f->xmit_ns) / 1000 : -1LL);
	}
	print_drops(fd, unmapped);
	close(fd);
	return rc < 0;
}
