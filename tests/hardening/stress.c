// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency, run in the guest as root: THREADS threads, each with FDS
 * private fds plus one fd shared by all, hammer SEND (single packets and
 * bursts: shared skb, copies, varied), BUILD, BUILD|SEND, GET_STATS and
 * invalid requests for SECONDS on DEV. Afterwards, exactly:
 *   packets the threads were told were sent
 *   = the sum of every fd's GET_STATS file.packets
 *   = the module-wide GET_STATS packets delta (and bytes, err_inval)
 *   = DEV's tx_packets delta (and tx_bytes)
 * and, for eth0, the host counts the same number of frames with TCP source
 * port PORT_STRESS in the capture ("WIRE stress n=N").
 *
 * Usage: stress DEV SECONDS [THREADS [FDS]]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include "common.h"

#define MAX_FDS 8

static const char *dev;
static unsigned int ifindex;
static double deadline;
static int nthreads = 4, nfds = 2;
static int shared_fd;
static atomic_ullong shared_packets, shared_inval;
static char payload[256];

struct worker {
	pthread_t th;
	int id;
	int fd[MAX_FDS];
	unsigned long long fd_packets[MAX_FDS], fd_inval[MAX_FDS];
	unsigned long long packets, bytes, inval, ioctls, built, nobufs, unexpected;
	char first_bad[160];
};

static unsigned int frame_len(unsigned int plen)
{
	unsigned int l = 14 + 20 + 20 + plen;

	return l < 60 ? 60 : l;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned int seed = 0x9e3779b9u * (w->id + 1);
	static __thread unsigned char frame[2048];

	while (now_s() < deadline) {
		int k = rand_r(&seed) % (nfds + 1);
		int fd = k < nfds ? w->fd[k] : shared_fd;
		unsigned int plen = rand_r(&seed) % 200;
		unsigned int op = rand_r(&seed) % 100;
		struct pktcraft_req r;
		struct pktcraft_build b;
		struct pktcraft_stats st;
		long rc, want_max = 1;
		int err, inval = 0;

		base_req(&r, ifindex, PORT_STRESS);
		r.payload = (uintptr_t)payload;
		r.payload_len = plen;
		r.ip_id = w->id << 12 | (op & 0xfff);
		r.flags = PKTCRAFT_F_IP_ID;
		errno = 0;
		if (op < 35) {			/* one packet */
			rc = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
		} else if (op < 50) {		/* a burst */
			r.count = 2 + rand_r(&seed) % 15;
			want_max = r.count;
			if (op < 40)
				r.burst_flags = PKTCRAFT_BURST_F_COPY;
			else if (op < 45) {
				r.vary[PKTCRAFT_VARY_IP_ID].mode = PKTCRAFT_VARY_INC;
				r.vary[PKTCRAFT_VARY_IP_ID].step = 1;
				r.vary[PKTCRAFT_VARY_IP_ID].max = 0xffff;
			}
			rc = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
		} else if (op < 75) {		/* BUILD, with or without SEND */
			memset(&b, 0, sizeof(b));
			b.size = sizeof(b);
			b.req = (uintptr_t)&r;
			b.buf = (uintptr_t)frame;
			b.buf_len = sizeof(frame);
			if (op < 60)
				b.flags = PKTCRAFT_BUILD_F_SEND;
			else
				want_max = 0;
			rc = ioctl(fd, PKTCRAFT_IOC_BUILD, &b);
			if (rc >= 0)
				w->built++;
			if (rc >= 0 && b.frame_len != frame_len(plen) && !w->first_bad[0])
				snprintf(w->first_bad, sizeof(w->first_bad),
					 "BUILD frame_len %u, want %u", b.frame_len,
					 frame_len(plen));
		} else if (op < 90) {
			rc = stats_get(fd, &st);
			want_max = 0;
		} else {			/* invalid: counted in err_inval */
			r.flags |= 1U << 30;
			rc = ioctl(fd, PKTCRAFT_IOC_SEND, &r);
			inval = 1;
		}
		err = rc < 0 ? errno : 0;
		w->ioctls++;
		if (inval) {
			if (rc < 0 && err == EINVAL) {
				w->inval++;
				if (fd == shared_fd)
					shared_inval++;
				else
					w->fd_inval[k]++;
			} else {
				w->unexpected++;
			}
			continue;
		}
		if (rc < 0) {
			if (err == ENOBUFS) {	/* a full queue dropped it */
				w->nobufs++;
				continue;
			}
			w->unexpected++;
			if (!w->first_bad[0])
				snprintf(w->first_bad, sizeof(w->first_bad),
					 "op %u: %s", op, ename(err));
			continue;
		}
		if (rc > want_max) {
			w->unexpected++;
			continue;
		}
		w->packets += rc;
		w->bytes += (unsigned long long)rc * frame_len(plen);
		if (fd == shared_fd)
			shared_packets += rc;
		else
			w->fd_packets[k] += rc;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker *w;
	struct pktcraft_stats m0, m1, m2, st;
	struct ifstat d0, d1;
	unsigned long long packets = 0, bytes = 0, inval = 0, ioctls = 0, built = 0,
			   nobufs = 0, unexpected = 0, fd_sum = 0;
	char name[200], bad[200] = "";
	double secs, t0;
	int i, j, obs;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DEV SECONDS [THREADS [FDS]]\n", argv[0]);
		return 2;
	}
	group = "concurrency";
	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = argv[1];
	secs = atof(argv[2]);
	if (argc > 3)
		nthreads = atoi(argv[3]);
	if (argc > 4)
		nfds = atoi(argv[4]);
	if (nfds > MAX_FDS)
		nfds = MAX_FDS;
	ifindex = if_nametoindex(dev);
	memset(payload, 's', sizeof(payload));
	obs = open(PKTCRAFT_DEVICE, O_RDWR);
	shared_fd = open(PKTCRAFT_DEVICE, O_RDWR);
	if (!ifindex || obs < 0 || shared_fd < 0) {
		fprintf(stderr, "no %s or cannot open the device\n", dev);
		return 2;
	}
	w = calloc(nthreads, sizeof(*w));
	for (i = 0; i < nthreads; i++) {
		w[i].id = i;
		for (j = 0; j < nfds; j++)
			w[i].fd[j] = open(PKTCRAFT_DEVICE, O_RDWR);
	}

	if_stats(dev, &d0);
	stats_get(obs, &m0);
	t0 = now_s();
	deadline = t0 + secs;
	for (i = 0; i < nthreads; i++)
		pthread_create(&w[i].th, NULL, work, &w[i]);
	for (i = 0; i < nthreads; i++)
		pthread_join(w[i].th, NULL);
	t0 = now_s() - t0;
	/* e1000 counts a frame when its descriptor completes. */
	for (i = 0; i < nthreads; i++) {
		packets += w[i].packets;
		bytes += w[i].bytes;
		inval += w[i].inval;
		ioctls += w[i].ioctls;
		built += w[i].built;
		nobufs += w[i].nobufs;
		unexpected += w[i].unexpected;
		if (w[i].first_bad[0] && !bad[0])
			snprintf(bad, sizeof(bad), "%s", w[i].first_bad);
	}
	tx_wait(dev, d0.tx_packets + packets, 5000);
	usleep(100000);
	if_stats(dev, &d1);
	stats_get(obs, &m1);

	printf("STRESS dev=%s seconds=%.1f threads=%d fds=%d ioctls=%llu packets=%llu bytes=%llu builds=%llu invalid=%llu enobufs=%llu\n",
	       dev, t0, nthreads, nthreads * nfds + 1, ioctls, packets, bytes, built,
	       inval, nobufs);
	snprintf(name, sizeof(name), "%s: %d threads x %d fds (+1 shared), %.0f s: no unexpected result",
		 dev, nthreads, nfds, secs);
	verdict(!unexpected && !bad[0], name, "%llu unexpected; %s", unexpected, bad);
	snprintf(name, sizeof(name), "%s: packets the callers were told = device tx_packets delta (%llu)",
		 dev, packets);
	verdict(d1.tx_packets - d0.tx_packets == packets, name, "device +%llu",
		d1.tx_packets - d0.tx_packets);
	snprintf(name, sizeof(name), "%s: bytes = device tx_bytes delta (%llu)", dev, bytes);
	verdict(d1.tx_bytes - d0.tx_bytes == bytes, name, "device +%llu",
		d1.tx_bytes - d0.tx_bytes);
	snprintf(name, sizeof(name), "%s: module-wide GET_STATS packets, bytes, err_inval deltas agree",
		 dev);
	verdict(m1.module.packets - m0.module.packets == packets &&
		m1.module.bytes - m0.module.bytes == bytes &&
		m1.module.err_inval - m0.module.err_inval == inval, name,
		"packets +%llu bytes +%llu err_inval +%llu (want %llu %llu %llu)",
		(unsigned long long)(m1.module.packets - m0.module.packets),
		(unsigned long long)(m1.module.bytes - m0.module.bytes),
		(unsigned long long)(m1.module.err_inval - m0.module.err_inval),
		packets, bytes, inval);

	bad[0] = 0;
	for (i = 0; i < nthreads; i++)
		for (j = 0; j < nfds; j++) {
			stats_get(w[i].fd[j], &st);
			fd_sum += st.file.packets;
			if ((st.file.packets != w[i].fd_packets[j] ||
			     st.file.err_inval != w[i].fd_inval[j]) && !bad[0])
				snprintf(bad, sizeof(bad),
					 "thread %d fd %d: packets %llu err_inval %llu, want %llu %llu",
					 i, j, (unsigned long long)st.file.packets,
					 (unsigned long long)st.file.err_inval,
					 w[i].fd_packets[j], w[i].fd_inval[j]);
			close(w[i].fd[j]);
		}
	stats_get(shared_fd, &st);
	fd_sum += st.file.packets;
	if ((st.file.packets != shared_packets || st.file.err_inval != shared_inval) && !bad[0])
		snprintf(bad, sizeof(bad), "shared fd: packets %llu err_inval %llu, want %llu %llu",
			 (unsigned long long)st.file.packets,
			 (unsigned long long)st.file.err_inval,
			 (unsigned long long)shared_packets, (unsigned long long)shared_inval);
	snprintf(name, sizeof(name), "%s: every fd's own GET_STATS counters equal what its callers saw",
		 dev);
	verdict(!bad[0] && fd_sum == packets, name, "%s (sum %llu)", bad, fd_sum);
	if (strcmp(dev, "eth0") == 0)
		printf("WIRE stress n=%llu\n", packets);
	close(shared_fd);
	/* Closing a file takes nothing from the module's counters. */
	stats_get(obs, &m2);
	snprintf(name, sizeof(name),
		 "%s: closing the %d fds leaves the module-wide packets, bytes, err_inval as they were",
		 dev, nthreads * nfds + 1);
	verdict(m2.module.packets == m1.module.packets && m2.module.bytes == m1.module.bytes &&
		m2.module.err_inval == m1.module.err_inval, name,
		"before %llu %llu %llu, after %llu %llu %llu",
		(unsigned long long)m1.module.packets, (unsigned long long)m1.module.bytes,
		(unsigned long long)m1.module.err_inval, (unsigned long long)m2.module.packets,
		(unsigned long long)m2.module.bytes, (unsigned long long)m2.module.err_inval);
	close(obs);
	return failures ? 1 : 0;
}
