// SPDX-License-Identifier: GPL-2.0
/*
 * pktcraft CLI: bursts (--count, --vary), pacing (--rate, --interval) with
 * progress and a summary, and `pktcraft stats`.
 *
 * Pacing is done by the kernel (gap_ns) against absolute CLOCK_MONOTONIC
 * deadlines; long runs are cut into bursts of at most ~0.25 s (or 16384
 * packets unpaced; 1024 while replies are read, between SENDs) whose start_ns
 * continue the same schedule, so progress
 * can be shown and SIGINT or SIGTERM ends the run between or inside bursts.
 * A stop and continue (Ctrl-Z, fg) does not: the run goes on from the
 * first packet not handed over, a paced one at its rate, later by the time
 * it was stopped: a SIGCONT, or the EINTR of a stop that ends without one
 * (the cgroup freezer, a debugger), moves its schedule's origin.
 *
 * --cpus K: K threads, each pinned to one of the CPUs the process may use
 * and with its own open file, so that each SEND runs on its CPU and, through
 * XPS, on that CPU's transmit queue. The run is cut into blocks of at most
 * one SEND, of equal size (the last one shorter), as many for each thread
 * when there are at least K; thread k sends blocks
 * k, k + K, k + 2K, ..., each from the request advanced to its first packet
 * and paced to that packet's deadline, so every packet of the run is sent
 * exactly once whatever the count (or until interrupted). A signal or one
 * thread's error ends every thread's SEND under way (SIGURG, the kick).
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
/*
 * The signal that ends the run (SIGINT, SIGTERM): set by the handler in
 * whichever thread the kernel picked, read by every thread (lock-free).
 */
static atomic_int stop_signal;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "stop_signal is set in a signal handler");

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* --cpus: the kick that ends a thread's SEND with EINTR; it does nothing else. */
static void on_kick(int sig)
{
	(void)sig;
}

/* Continues after a stop (SIGCONT): a paced run moves its schedule. */
static atomic_uint continued;

static void on_continue(int sig)
{
	(void)sig;
	continued++;
}

/*
 * Packets a SEND of @n handled before it returned @rc when a signal
 * stopped it, else -1. A signal ends a burst with EINTR (written back in
 * result_err when some were sent); the packets it had handed over are
 * sent + dropped. EINTR also comes from a stop and continue (Ctrl-Z, fg):
 * then, without stop_signal, the caller goes on with the rest.
 */
static int64_t interrupted_after(int rc, const struct pktcraft_req *req, uint64_t n)
{
	uint64_t handed = (uint64_t)req->sent + req->dropped;

	/* Zeroed before the SEND: 0 when it stopped before the burst began. */
	if (rc == -EINTR || (rc > 0 && n > 1 && req->result_err == -EINTR))
		return n > 1 && handed < n ? (int64_t)handed : 0;
	return -1;
}

/* The write-back fields, zeroed before a SEND (see interrupted_after()). */
static void clear_result(struct pktcraft_req *req)
{
	req->sent = 0;
	req->result_err = 0;
	req->dropped = 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * After a stop (Ctrl-Z, fg), a paced run goes on at its rate, later by the
 * time it was stopped, rather than sending at once what it missed: the
 * schedule's origin @t0 moves so that packet @next is due @ahead_ns from
 * now (when it is not due later already).
 */
static uint64_t resume_origin(uint64_t t0, uint64_t next, uint64_t gap_ns,
			      uint64_t ahead_ns)
{
	uint64_t due = now_ns() + ahead_ns;

	return gap_ns && due > t0 + next * gap_ns ? due - next * gap_ns : t0;
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
/* The kick: ignored by default and not sent to us otherwise (as Go's runtime uses it). */
#define PKTCRAFT_KICK_SIGNAL SIGURG
#define RESUME_SETTLE_NS 20000000	/* after a continue: see send_block() */
struct cpus_run {
	const struct pktcraft_req *base;	/* packet 0 of the run */
	uint64_t total, gap_ns;
	atomic_ullong t0;			/* the schedule's origin */
	uint64_t block, blocks;			/* packets a block; blocks */
	unsigned int nr;			/* threads */
	atomic_ullong sent;
	atomic_uint finished;
	atomic_int failed;			/* a thread's error ends the run */
};

struct cpu_worker {
	struct cpus_run *run;
	pthread_t th;
	int cpu, fd, err, started;
	atomic_int finished;
	unsigned int idx;
	unsigned int continued;			/* SIGCONTs it has acted on */
	uint64_t done;				/* packets handed to SEND */
	uint64_t end;				/* CLOCK_MONOTONIC ns it finished */
	struct pktcraft_counters file;		/* of its open file */
};

/* The run is over for every thread: a signal, or one thread's error. */
static int run_stopped(struct cpus_run *r)
{
	return stop_signal || atomic_load(&r->failed);
}

static void sleep_ns(long ns)
{
	struct timespec ts = { ns / 1000000000L, ns % 1000000000L };

	nanosleep(&ts, NULL);
}

/*
 * After a continue (SIGCONT), the new origin of a paced run: each thread
 * proposes the one that makes its next packet due RESUME_SETTLE_NS from
 * now, and the latest wins (the thread furthest behind the schedule);
 * every thread waits RESUME_SETTLE_NS, then reads the same. (The threads
 * return from their interrupted SENDs within microseconds of the continue
 * and wait RESUME_SETTLE_NS before they propose. A thread held up longer
 * than that, on a loaded host, may read the origin before the latest
 * proposal and send up to one block early.)
 */
static void cpus_continued(struct cpu_worker *w, uint64_t first)
{
	struct cpus_run *r = w->run;
	unsigned long long t0 = atomic_load(&r->t0), want;

	w->continued = continued;
	do
		want = resume_origin(t0, first, r->gap_ns, RESUME_SETTLE_NS);
	while (want > t0 && !atomic_compare_exchange_weak(&r->t0, &t0, want));
	sleep_ns(RESUME_SETTLE_NS);
}

/*
 * Sends packets [first, first + n) of the run from @w's file, paced to
 * their deadlines, going on after an EINTR that did not stop the run (a
 * stop and continue); 0, or 1 when the run is stopped.
 */
static int send_block(struct cpu_worker *w, uint64_t first, uint64_t n)
{
	struct cpus_run *r = w->run;
	struct pktcraft_req req;

	while (n && !run_stopped(r)) {
		int64_t handled;
		int rc;

		if (r->gap_ns && w->continued != continued) {
			cpus_continued(w, first);
			continue;
		}
		req = *r->base;
		pktcraft_req_vary_advance(&req, first);	/* checked by the library */
		req.count = n;
		clear_result(&req);
		if (r->gap_ns) {
			uint64_t early = PKTCRAFT_MAX_GAP_NS / 2;

			req.gap_ns = r->gap_ns;
			req.start_ns = atomic_load(&r->t0) + first * r->gap_ns;
			/* SEND takes a start at most PKTCRAFT_MAX_GAP_NS ahead. */
			if (req.start_ns > now_ns() + early) {
				struct timespec ts = {
					.tv_sec = (req.start_ns - early) / 1000000000ULL,
					.tv_nsec = (req.start_ns - early) % 1000000000ULL,
				};

				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
				continue;	/* a kick, a continue, or it is time */
			}
		}
		rc = pktcraft_send_burst(w->fd, &req);
		if (rc > 0)
			atomic_fetch_add(&r->sent, rc);
		handled = interrupted_after(rc, &req, n);
		if (handled >= 0) {	/* a signal: stop, or go on with the rest */
			w->done += handled;
			first += handled;
			n -= handled;
			/*
			 * Stopped or frozen (no SIGCONT after a cgroup freezer
			 * or a debugger): once the other threads are back too,
			 * the schedule moves as after a continue.
			 */
			if (r->gap_ns && !run_stopped(r)) {
				sleep_ns(RESUME_SETTLE_NS);
				cpus_continued(w, first);
			}
			continue;
		}
		if (rc < 0 && rc != -ENOBUFS) {	/* ENOBUFS: all dropped, go on */
			w->err = rc;
			break;
		}
		if (rc > 0 && n > 1 && req.result_err) {
			w->err = req.result_err;
			break;
		}
		w->done += n;
		return 0;
	}
	if (w->err)
		atomic_store(&r->failed, 1);
	return 1;
}

static void *cpu_worker(void *arg)
{
	struct cpu_worker *w = arg;
	struct cpus_run *r = w->run;
	struct pktcraft_stats st;
	cpu_set_t one;
	uint64_t b;

	CPU_ZERO(&one);
	CPU_SET(w->cpu, &one);
	w->err = -pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
	if (w->err)
		atomic_store(&r->failed, 1);
	for (b = w->idx; !w->err && b < r->blocks; b += r->nr) {
		uint64_t first = b * r->block;
		uint64_t n = r->total - first < r->block ? r->total - first : r->block;

		if (send_block(w, first, n))
			break;
	}
	w->end = now_ns();
	if (!pktcraft_get_stats(w->fd, &st))
		w->file = st.file;
	atomic_store(&w->finished, 1);
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
		.base = req, .total = o->count, .gap_ns = o->gap_ns, .nr = o->cpus,
	};
	struct sigaction kick = { .sa_handler = on_kick };	/* no SA_RESTART */
	int tty = isatty(STDERR_FILENO), show = o->progress || tty;
	struct pktcraft_counters file = { 0 };
	uint64_t done = 0, start, last_progress, t_end;
	int cpus[CPU_SETSIZE], err = 0, progressed = 0;
	struct cpu_worker *w;
	unsigned int i;

	/*
	 * Blocks of at most one SEND, as many for each thread: a multiple of K
	 * blocks of equal size (the last one shorter), so that no thread has
	 * one block more than the others to send after they are done.
	 */
	r.block = block_size(o->gap_ns);
	if (r.total == UINT64_MAX) {
		r.blocks = UINT64_MAX;
	} else {
		r.blocks = (r.total + r.block - 1) / r.block;
		r.blocks = (r.blocks + r.nr - 1) / r.nr * r.nr;
		r.block = (r.total + r.blocks - 1) / r.blocks;
		r.blocks = (r.total + r.block - 1) / r.block;
	}
	sigemptyset(&kick.sa_mask);
	sigaction(PKTCRAFT_KICK_SIGNAL, &kick, NULL);
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
	start = last_progress = now_ns();
	atomic_init(&r.t0, start);
	for (i = 0; i < o->cpus && !err; i++) {
		w[i] = (struct cpu_worker){ .run = &r, .cpu = cpus[i], .idx = i, .fd = fd,
					    .continued = continued };
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

		for (i = 0; i < o->cpus; i++)
			started += w[i].started;
		if (atomic_load(&r.finished) == started)
			break;
		sleep_ns(50000000);
		/*
		 * A stop (a signal, a thread's error) ends the SENDs under way:
		 * each thread still running is kicked every 50 ms, so that one
		 * that was kicked just before it entered a SEND is kicked in it.
		 */
		if (run_stopped(&r))
			for (i = 0; i < o->cpus; i++)
				if (w[i].started && !atomic_load(&w[i].finished))
					pthread_kill(w[i].th, PKTCRAFT_KICK_SIGNAL);
		if (show && now_ns() - last_progress >= 1000000000ULL) {
			progress(atomic_load(&r.sent), r.total, start, tty);
			last_progress = now_ns();
			progressed = 1;
		}
	}
	t_end = start;	/* the last thread's end, not the 50 ms poll's */
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
	summary(req, o, &file, r.sent, (t_end - start) / 1e9, err);
	fflush(stdout);
	if (stop_signal)
		return 128 + stop_signal;
	return err ? 1 : 0;
}

int cli_run_burst(int fd, struct pktcraft_req *req, const struct burst_opts *o)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	/* SA_RESTART: a write to a full pipe goes on; SEND's EINTR is its own. */
	struct sigaction cont = { .sa_handler = on_continue, .sa_flags = SA_RESTART };
	uint64_t total = o->count, done = 0, sent = 0, start, t_end, last_progress;
	uint64_t t0;			/* the schedule's origin */
	unsigned int seen_continued;
	int tty = isatty(STDERR_FILENO), show = o->progress || tty;
	int err = 0, progressed = 0;
	struct cli_replies *cr = o->replies;
	struct pktcraft_fate *fates = NULL;
	struct pktcraft_req as_sent;
	struct pktcraft_stats st;
	int64_t handled;

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
	sigemptyset(&cont.sa_mask);
	sigaction(SIGCONT, &cont, NULL);
	if (o->cpus > 1) {
		free(fates);
		return run_cpus(fd, req, o);
	}

	start = t0 = last_progress = now_ns();
	seen_continued = continued;
	while (done < total && !stop_signal) {
		uint64_t chunk = total - done;
		int rc;

		if (seen_continued != continued) {	/* stopped, then continued */
			seen_continued = continued;
			t0 = resume_origin(t0, done, o->gap_ns, 0);
		}

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
		clear_result(req);
		as_sent = *req;
		req->fates = (uintptr_t)fates;	/* the RTT's start, --fate; 0: none */
		rc = pktcraft_send_burst(fd, req);
		req->fates = 0;
		handled = interrupted_after(rc, req, chunk);
		if (handled < 0)
			handled = chunk;
		if (cr && handled && (rc > 0 || rc == -ENOBUFS || rc == -EINTR))
			cli_sent(cr, &as_sent, handled, fates);
		/* Counting fields go on where this burst stops. */
		pktcraft_req_vary_advance(req, handled);
		if (rc > 0)
			sent += rc;
		if (rc == -ENOBUFS) {		/* all dropped: go on */
			done += chunk;
			continue;
		}
		if ((uint64_t)handled < chunk) {	/* a signal: stop, or go on */
			done += handled;
			/*
			 * Stopped: by a signal (SIGCONT then moves the origin
			 * again, harmlessly), or frozen (cgroup freezer, a
			 * debugger), which ends without one.
			 */
			t0 = resume_origin(t0, done, o->gap_ns, 0);
			continue;
		}
		if (rc < 0) {
			err = rc;
			break;
		}
		if (chunk > 1 && req->result_err) {
			err = req->result_err;
			break;
		}
		done += chunk;
		if (show && now_ns() - last_progress >= 1000000000ULL) {
			progress(sent, total, start, tty);
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
	summary(req, o, &st.file, sent, (t_end - start) / 1e9, err);
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
			printf("Usage: pktcraft stats [--json]   module-wide counters of /dev/pktcraft\n"
			       "(without CAP_NET_ADMIN in the initial user namespace: your network namespace's)\n");
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
