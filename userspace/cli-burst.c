// SPDX-License-Identifier: GPL-2.0
/*
 * pktcraft CLI: bursts (--count, --vary), pacing (--rate, --interval) with
 * progress and a summary, and `pktcraft stats`.
 *
 * Pacing is done by the kernel (gap_ns) against absolute CLOCK_MONOTONIC
 * deadlines; long runs are cut into bursts of at most ~0.25 s (or 16384
 * packets unpaced; 1024 while replies are read, between SENDs) whose start_ns
 * continue the same schedule, so progress
 * can be shown and a signal ends the run between or inside bursts.
 *
 * --cpus K: K threads, each pinned to one of the CPUs the process may use
 * and with its own open file, so that each SEND runs on its CPU and, through
 * XPS, on that CPU's transmit queue. The run is cut into blocks of one SEND
 * (as above, or count / K packets when that is less); thread k sends blocks
 * k, k + K, k + 2K, ..., each from the request advanced to its first packet
 * and paced to that packet's deadline, so every packet of the run is sent
 * exactly once whatever the count (or until interrupted).
 */
#define _GNU_SOURCE	/* sched_setaffinity(), CPU_* */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

#define UNPACED_CHUNK 16384
#define PACED_CHUNK_NS 250000000ULL	/* a paced burst lasts about this */
#define REPLIES_CHUNK 1024		/* packets a SEND while replies are read */

int cli_has_vary(const struct pktcraft_req *req)
{
	for (int f = 0; f < PKTCRAFT_VARY_NR; f++)
		if (req->vary[f].mode)
			return 1;
	return req->size >= PKTCRAFT_REQ_SIZE_VER3 && req->vary_flowlabel.mode;
}

/* ------------------------------------------------------------ the run */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t sum_drops(const struct pktcraft_counters *c)
{
	return c->drop_queue + c->drop_down + c->drop_nomem + c->drop_xmit;
}

static uint64_t sum_errors(const struct pktcraft_counters *c)
{
	return c->err_inval + c->err_fault + c->err_nodev + c->err_msgsize +
	       c->err_netdown + c->err_unreach + c->err_nomem + c->err_intr +
	       c->err_other;
}

static void progress(uint64_t sent, uint64_t total, uint64_t t0, int tty)
{
	double secs = (now_ns() - t0) / 1e9;

	if (total == UINT64_MAX)
		fprintf(stderr, "%spktcraft: %llu packets, %.1f s, %.0f pps%s",
			tty ? "\r" : "", (unsigned long long)sent, secs,
			secs > 0 ? sent / secs : 0.0, tty ? "   " : "\n");
	else
		fprintf(stderr, "%spktcraft: %llu/%llu packets, %.1f s, %.0f pps%s",
			tty ? "\r" : "", (unsigned long long)sent,
			(unsigned long long)total, secs,
			secs > 0 ? sent / secs : 0.0, tty ? "   " : "\n");
	fflush(stderr);
}

/* The run's last lines: the error, the signal, the tally (text or JSON). */
static void summary(const struct pktcraft_req *req, const struct burst_opts *o,
		    const struct pktcraft_counters *file, uint64_t sent, double secs, int err)
{
	uint64_t total = o->count;

	if (err)
		pktcraft_perror("pktcraft", "send", err, req);
	if (stop_signal)
		fprintf(stderr, "pktcraft: interrupted by signal %d\n",
			(int)stop_signal);
	if (o->json) {
		printf("{\"sent\": %llu, \"requested\": %llu, \"bytes\": %llu, "
		       "\"dropped\": %llu, \"errors\": %llu, \"seconds\": %.6f, "
		       "\"pps\": %.3f, \"interrupted\": %s, \"error\": %d",
		       (unsigned long long)sent,
		       (unsigned long long)(total == UINT64_MAX ? 0 : total),
		       (unsigned long long)file->bytes,
		       (unsigned long long)sum_drops(file),
		       (unsigned long long)sum_errors(file), secs,
		       secs > 0 ? sent / secs : 0.0,
		       stop_signal ? "true" : "false", -err);
		if (o->cpus > 1)
			printf(", \"cpus\": %u", o->cpus);
		printf("}\n");
	} else if (!o->quiet || err || stop_signal) {
		printf("sent %llu packet%s (%llu bytes), %llu dropped, %llu errors in %.3f s: %.1f pps",
		       (unsigned long long)sent, sent == 1 ? "" : "s",
		       (unsigned long long)file->bytes,
		       (unsigned long long)sum_drops(file),
		       (unsigned long long)sum_errors(file), secs,
		       secs > 0 ? sent / secs : 0.0);
		if (o->cpus > 1)
			printf(" on %u CPUs", o->cpus);
		printf("\n");
	}
}

/* Packets in one SEND of a run: about 0.25 s when paced, else UNPACED_CHUNK. */
static uint64_t block_size(uint64_t gap_ns)
{
	uint64_t per = gap_ns ? PACED_CHUNK_NS / gap_ns : UNPACED_CHUNK;

	if (!per)
		per = 1;
	return per < PKTCRAFT_MAX_COUNT ? per : PKTCRAFT_MAX_COUNT;
}

/* ------------------------------------------------------ --cpus K */
struct cpus_run {
	const struct pktcraft_req *base;	/* packet 0 of the run */
	uint64_t total, block, gap_ns, t0;
	unsigned int nr;			/* threads */
	atomic_ullong sent;
	atomic_uint finished;
	atomic_int failed;			/* a thread's error ends the run */
};

struct cpu_worker {
	struct cpus_run *run;
	pthread_t th;
	int cpu, fd, err, started;
	unsigned int idx;
	uint64_t done;				/* packets handed to SEND */
	uint64_t end;				/* CLOCK_MONOTONIC ns it finished */
	struct pktcraft_counters file;		/* of its open file */
};

static void *cpu_worker(void *arg)
{
	struct cpu_worker *w = arg;
	struct cpus_run *r = w->run;
	struct pktcraft_stats st;
	struct pktcraft_req req;
	cpu_set_t one;
	uint64_t b;

	CPU_ZERO(&one);
	CPU_SET(w->cpu, &one);
	w->err = -pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
	for (b = w->idx; !w->err && !stop_signal && !atomic_load(&r->failed); b += r->nr) {
		uint64_t first = b * r->block, n;
		int rc;

		if (first >= r->total)
			break;
		n = r->total - first < r->block ? r->total - first : r->block;
		req = *r->base;
		pktcraft_req_vary_advance(&req, first);	/* checked by the library */
		req.count = n;
		if (r->gap_ns) {
			uint64_t early = PKTCRAFT_MAX_GAP_NS / 2;

			req.gap_ns = r->gap_ns;
			req.start_ns = r->t0 + first * r->gap_ns;
			/* SEND takes a start at most PKTCRAFT_MAX_GAP_NS ahead. */
			if (req.start_ns > now_ns() + early) {
				struct timespec ts = {
					.tv_sec = (req.start_ns - early) / 1000000000ULL,
					.tv_nsec = (req.start_ns - early) % 1000000000ULL,
				};

				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
				if (stop_signal || atomic_load(&r->failed))
					break;
			}
		}
		rc = pktcraft_send_burst(w->fd, &req);
		if (rc == -ENOBUFS) {		/* all dropped: go on */
			w->done += n;
			continue;
		}
		if (rc < 0 || (n > 1 && req.result_err)) {
			if (rc >= 0)
				atomic_fetch_add(&r->sent, rc);
			rc = rc < 0 ? rc : req.result_err;
			if (rc != -EINTR) {
				w->err = rc;
				atomic_store(&r->failed, 1);
			}
			break;
		}
		atomic_fetch_add(&r->sent, rc);
		w->done += n;
	}
	w->end = now_ns();
	if (!pktcraft_get_stats(w->fd, &st))
		w->file = st.file;
	atomic_fetch_add(&r->finished, 1);
	return NULL;
}

/* The CPUs this process may run on, in order; how many (at most max). */
int cli_allowed_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	for (int c = 0; c < CPU_SETSIZE && n < max; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	return n;
}

static int run_cpus(int fd, struct pktcraft_req *req, const struct burst_opts *o)
{
	struct cpus_run r = {
		.base = req, .total = o->count, .block = block_size(o->gap_ns),
		.gap_ns = o->gap_ns, .nr = o->cpus,
	};
	int tty = isatty(STDERR_FILENO), show = o->progress || tty;
	struct pktcraft_counters file = { 0 };
	uint64_t done = 0, last_progress, t_end;
	int cpus[CPU_SETSIZE], err = 0, progressed = 0, signalled = 0;
	struct cpu_worker *w;
	unsigned int i;

	/* A run shorter than K blocks: K equal blocks, so every thread sends. */
	if (r.total != UINT64_MAX && (r.total + r.nr - 1) / r.nr < r.block)
		r.block = (r.total + r.nr - 1) / r.nr;
	if (cli_allowed_cpus(cpus, CPU_SETSIZE) < (int)o->cpus) {
		fprintf(stderr, "pktcraft: --cpus %u: this process may run on fewer CPUs\n", o->cpus);
		return 1;
	}
	w = calloc(o->cpus, sizeof(*w));
	if (!w) {
		fprintf(stderr, "pktcraft: out of memory\n");
		return 1;
	}
	for (i = 0; i < o->cpus; i++)
		w[i].fd = -1;
	r.t0 = last_progress = now_ns();
	for (i = 0; i < o->cpus && !err; i++) {
		w[i] = (struct cpu_worker){ .run = &r, .cpu = cpus[i], .idx = i, .fd = fd };
		if (i) {		/* its own file: its own send buffer and counters */
			w[i].fd = pktcraft_open();
			if (w[i].fd < 0) {
				err = w[i].fd;
				break;
			}
		}
		err = -pthread_create(&w[i].th, NULL, cpu_worker, &w[i]);
		w[i].started = !err;
	}
	if (err)
		atomic_store(&r.failed, 1);
	for (;;) {
		unsigned int started = 0;
		struct timespec ts = { 0, 50000000 };

		for (i = 0; i < o->cpus; i++)
			started += w[i].started;
		if (atomic_load(&r.finished) == started)
			break;
		nanosleep(&ts, NULL);
		if (stop_signal && !signalled) {	/* end the SENDs under way */
			for (i = 0; i < o->cpus; i++)
				if (w[i].started)
					pthread_kill(w[i].th, stop_signal);
			signalled = 1;
		}
		if (show && now_ns() - last_progress >= 1000000000ULL) {
			progress(atomic_load(&r.sent), r.total, r.t0, tty);
			last_progress = now_ns();
			progressed = 1;
		}
	}
	t_end = r.t0;	/* the last thread's end, not the 50 ms poll's */
	for (i = 0; i < o->cpus; i++) {
		if (w[i].started)
			pthread_join(w[i].th, NULL);
		if (!err)
			err = w[i].err;
		done += w[i].done;
		if (w[i].started && w[i].end > t_end)
			t_end = w[i].end;
		for (size_t k = 0; k < sizeof(file) / sizeof(__u64); k++)
			((__u64 *)&file)[k] += ((const __u64 *)&w[i].file)[k];
		if (i && w[i].fd >= 0)
			pktcraft_close(w[i].fd);
	}
	free(w);
	if (!err && !stop_signal && !r.sent && done)
		err = -ENOBUFS;		/* every packet dropped */
	if (progressed && tty)
		fputc('\n', stderr);
	summary(req, o, &file, r.sent, (t_end - r.t0) / 1e9, err);
	fflush(stdout);
	if (stop_signal)
		return 128 + stop_signal;
	return err ? 1 : 0;
}

int cli_run_burst(int fd, struct pktcraft_req *req, const struct burst_opts *o)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	uint64_t total = o->count, done = 0, sent = 0, t0, t_end, last_progress;
	int tty = isatty(STDERR_FILENO), show = o->progress || tty;
	int err = 0, progressed = 0;
	struct cli_replies *cr = o->replies;
	struct pktcraft_fate *fates = NULL;
	struct pktcraft_req as_sent;
	struct pktcraft_stats st;

	/* Replies and fates: one struct pktcraft_fate per packet of a SEND. */
	if (cr && (cr->l || cr->fate)) {
		fates = calloc(PKTCRAFT_MAX_FATES, sizeof(*fates));
		if (!fates) {
			fprintf(stderr, "pktcraft: out of memory\n");
			return 1;
		}
	}

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (o->cpus > 1) {
		free(fates);
		return run_cpus(fd, req, o);
	}

	t0 = last_progress = now_ns();
	while (done < total && !stop_signal) {
		uint64_t chunk = total - done;
		int rc;

		if (chunk > block_size(o->gap_ns))
			chunk = block_size(o->gap_ns);
		if (o->gap_ns) {
			if (fates && chunk > PKTCRAFT_MAX_FATES)
				chunk = PKTCRAFT_MAX_FATES;
			req->gap_ns = o->gap_ns;
			req->start_ns = t0 + done * o->gap_ns;
		}
		/* Replies are read between SENDs: the socket's buffer holds the rest. */
		if (cr && cr->l && chunk > REPLIES_CHUNK)
			chunk = REPLIES_CHUNK;
		req->count = chunk;
		if (fates)
			memset(fates, 0, chunk * sizeof(*fates));
		as_sent = *req;
		req->fates = (uintptr_t)fates;	/* the RTT's start, --fate; 0: none */
		rc = pktcraft_send_burst(fd, req);
		req->fates = 0;
		if (cr && (rc > 0 || rc == -ENOBUFS))
			cli_sent(cr, &as_sent, chunk, fates);
		/* Counting fields go on where this burst stops. */
		pktcraft_req_vary_advance(req, chunk);
		if (rc == -ENOBUFS) {		/* all dropped: go on */
			done += chunk;
			continue;
		}
		if (rc < 0) {
			if (rc != -EINTR)
				err = rc;
			break;
		}
		sent += rc;
		if (chunk > 1 && req->result_err) {
			if (req->result_err != -EINTR)
				err = req->result_err;
			break;
		}
		done += chunk;
		if (show && now_ns() - last_progress >= 1000000000ULL) {
			progress(sent, total, t0, tty);
			last_progress = now_ns();
			progressed = 1;
		}
	}
	t_end = now_ns();
	if (cr)
		cli_replies_wait(cr, sent, stop_signal != 0);
	free(fates);
	/* Every packet dropped is a failure, as a single dropped packet is. */
	if (!err && !stop_signal && !sent && done)
		err = -ENOBUFS;
	if (progressed && tty)
		fputc('\n', stderr);

	if (pktcraft_get_stats(fd, &st))
		memset(&st, 0, sizeof(st));
	summary(req, o, &st.file, sent, (t_end - t0) / 1e9, err);
	if (cr)
		cli_replies_summary(cr, o->dst, sent);
	fflush(stdout);
	if (stop_signal)
		return 128 + stop_signal;
	return err ? 1 : 0;
}

/* ---------------------------------------------------------- stats */
/* More than any kernel has (6.1.0-56: 65 drop reasons, 6.12.117: 102). */
#define MAX_DROP_REASONS 256
/* fate_dropped's index in struct pktcraft_counters, as 8-byte slots. */
#define PKTCRAFT_COUNTER_FATE_DROPPED \
	(offsetof(struct pktcraft_counters, fate_dropped) / sizeof(uint64_t))

static void json_ctrs(const char *name, const struct pktcraft_counters *c)
{
	const uint64_t *v = (const uint64_t *)c;
	const char *n;

	printf("\"%s\": {", name);
	for (unsigned int i = 0; (n = pktcraft_counter_name(i)); i++)
		printf("%s\"%s\": %llu", i ? ", " : "", n, (unsigned long long)v[i]);
	printf("}");
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pktcraft_drop_count drops[MAX_DROP_REASONS];
	struct pktcraft_stats st;
	int json = 0, opt, fd, rc, nd, shown = 0;
	const char *why = NULL;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'j') {
			json = 1;
		} else if (opt == 'h') {
			printf("Usage: pktcraft stats [--json]   module-wide counters of /dev/pktcraft\n");
			return 0;
		} else {
			fprintf(stderr, "pktcraft: stats: unknown option (see 'pktcraft --help')\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "pktcraft: stats: unexpected argument '%s' (see 'pktcraft --help')\n",
			argv[optind]);
		return 2;
	}
	fd = pktcraft_open();
	if (fd < 0) {
		fprintf(stderr, "pktcraft: cannot open %s: %s\n", PKTCRAFT_DEVICE,
			pktcraft_strerror(fd));
		return 1;
	}
	rc = pktcraft_get_stats(fd, &st);
	/* Module-wide by reason: only for CAP_NET_ADMIN in the initial namespace. */
	nd = rc ? 0 : pktcraft_get_drops(fd, drops, MAX_DROP_REASONS);
	pktcraft_close(fd);
	if (rc) {
		fprintf(stderr, "pktcraft: stats failed: %s (%s)\n",
			pktcraft_strerror(rc), strerror(-rc));
		return 1;
	}
	if (nd > MAX_DROP_REASONS)
		nd = MAX_DROP_REASONS;
	/*
	 * The module's drops by reason are there for CAP_NET_ADMIN in the
	 * initial namespace (they are other namespaces' verdicts too), and
	 * from a module that has them: else none of them reads non-zero while
	 * fate_dropped does. Then they are left out, not shown as none.
	 */
	for (int i = 0; i < nd; i++)
		shown |= drops[i].module != 0;
	if (nd == -EOPNOTSUPP)
		why = "the loaded module is older than this pktcraft";
	else if (nd < 0)
		why = pktcraft_strerror(nd);
	else if (!shown && st.module.fate_dropped)
		why = "for CAP_NET_ADMIN in the initial namespace only";
	if (why)
		nd = -1;
	if (json) {
		printf("{");
		json_ctrs("module", &st.module);
		if (nd >= 0) {
			printf(", \"drop_reasons\": {");
			for (int i = 0, k = 0; i < nd; i++)
				if (drops[i].module)
					printf("%s\"%.32s\": %llu", k++ ? ", " : "",
					       (const char *)drops[i].name,
					       (unsigned long long)drops[i].module);
			printf("}");
		}
		printf("}\n");
		return 0;
	}
	for (unsigned int i = 0; pktcraft_counter_name(i); i++) {
		printf("%-15s %llu\n", pktcraft_counter_name(i),
		       (unsigned long long)((const uint64_t *)&st.module)[i]);
		if (i != PKTCRAFT_COUNTER_FATE_DROPPED)
			continue;
		if (why && st.module.fate_dropped)
			printf("  (by reason: %s)\n", why);
		for (int k = 0; k < nd; k++)
			if (drops[k].module)
				printf("  %-26.32s %llu\n", (const char *)drops[k].name,
				       (unsigned long long)drops[k].module);
	}
	return 0;
}
