// SPDX-License-Identifier: GPL-2.0
/*
 * pktcraft CLI: bursts (--count, --vary), pacing (--rate, --interval) with
 * progress and a summary, and `pktcraft stats`.
 *
 * Pacing is done by the kernel (gap_ns) against absolute CLOCK_MONOTONIC
 * deadlines; long runs are cut into bursts of at most ~0.25 s (or 16384
 * packets unpaced) whose start_ns continue the same schedule, so progress
 * can be shown and a signal ends the run between or inside bursts.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "cli.h"

#define UNPACED_CHUNK 16384
#define PACED_CHUNK_NS 250000000ULL	/* a paced burst lasts about this */

static const char *const vary_names[PKTCRAFT_VARY_NR] = {
	[PKTCRAFT_VARY_SPORT] = "sport",
	[PKTCRAFT_VARY_DPORT] = "dport",
	[PKTCRAFT_VARY_TCP_SEQ] = "seq",
	[PKTCRAFT_VARY_IP_ID] = "id",
	[PKTCRAFT_VARY_IP_SADDR] = "src",
};

static const uint32_t vary_limit[PKTCRAFT_VARY_NR] = {
	0xffff, 0xffff, UINT32_MAX, 0xffff, UINT32_MAX,
};

static int parse_value(int f, const char *s, uint32_t *v)
{
	uint64_t n;
	uint32_t be;

	if (f == PKTCRAFT_VARY_IP_SADDR) {
		if (pktcraft_parse_ipv4(s, &be))
			return -EINVAL;
		*v = ntohl(be);
		return 0;
	}
	if (pktcraft_parse_uint(s, vary_limit[f], &n))
		return -EINVAL;
	*v = n;
	return 0;
}

int cli_parse_vary(struct pktcraft_req *req, const char *arg, char *err,
		   size_t errlen)
{
	char buf[128], *eq, *colon, *dash, *slash;
	unsigned int mode;
	uint32_t min, max;
	uint64_t step = 0;
	int f;

	if (strlen(arg) >= sizeof(buf))
		goto bad;
	strcpy(buf, arg);
	eq = strchr(buf, '=');
	colon = eq ? strchr(eq, ':') : NULL;
	if (!colon)
		goto bad;
	*eq = *colon = '\0';
	for (f = 0; f < PKTCRAFT_VARY_NR; f++)
		if (!strcmp(buf, vary_names[f]))
			break;
	if (f == PKTCRAFT_VARY_NR) {
		snprintf(err, errlen, "unknown field '%s' (sport, dport, seq, id, src)", buf);
		return -EINVAL;
	}
	if (!strcmp(eq + 1, "inc"))
		mode = PKTCRAFT_VARY_INC;
	else if (!strcmp(eq + 1, "rand") || !strcmp(eq + 1, "random"))
		mode = PKTCRAFT_VARY_RANDOM;
	else
		goto bad;
	slash = strchr(colon + 1, '/');
	if (slash) {
		*slash = '\0';
		if (mode != PKTCRAFT_VARY_INC ||
		    pktcraft_parse_uint(slash + 1, UINT32_MAX, &step) || !step) {
			snprintf(err, errlen, "the step (/STEP) is a number 1..%u, for inc only",
				 UINT32_MAX);
			return -EINVAL;
		}
	}
	dash = strchr(colon + 1, '-');
	if (!dash)
		goto bad;
	*dash = '\0';
	if (parse_value(f, colon + 1, &min) || parse_value(f, dash + 1, &max) ||
	    min > max) {
		snprintf(err, errlen, "%s: MIN-MAX must be %s with MIN <= MAX",
			 vary_names[f], f == PKTCRAFT_VARY_IP_SADDR ?
			 "IPv4 addresses" : "numbers in the field's range");
		return -EINVAL;
	}
	return pktcraft_req_set_vary(req, f, mode, min, max, step);
bad:
	snprintf(err, errlen, "'%s' is not FIELD=inc:MIN-MAX[/STEP] or FIELD=rand:MIN-MAX",
		 arg);
	return -EINVAL;
}

int cli_parse_rate(const char *arg, uint64_t *gap_ns)
{
	char *end;
	double pps;

	errno = 0;
	pps = strtod(arg, &end);
	if (errno || end == arg || *end || !(pps >= 0.1) || pps > 1e9)
		return -EINVAL;
	*gap_ns = (uint64_t)(1e9 / pps + 0.5);
	return 0;
}

int cli_parse_interval(const char *arg, uint64_t *gap_ns)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "", 1e3 }, { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	char *end;
	double v;
	size_t i;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || !(v > 0))
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		v *= units[i].ns;
		if (v < 1 || v > (double)PKTCRAFT_MAX_GAP_NS)
			return -EINVAL;
		*gap_ns = (uint64_t)(v + 0.5);
		return 0;
	}
	return -EINVAL;
}

static uint32_t field_value(const struct pktcraft_req *r, int f)
{
	switch (f) {
	case PKTCRAFT_VARY_SPORT:
		return r->sport;
	case PKTCRAFT_VARY_DPORT:
		return r->dport;
	case PKTCRAFT_VARY_TCP_SEQ:
		return r->tcp_seq;
	case PKTCRAFT_VARY_IP_ID:
		return r->ip_id;
	default:
		return ntohl(r->ip_saddr);
	}
}

static void set_field(struct pktcraft_req *r, int f, uint32_t v)
{
	switch (f) {
	case PKTCRAFT_VARY_SPORT:
		r->sport = v;
		break;
	case PKTCRAFT_VARY_DPORT:
		r->dport = v;
		break;
	case PKTCRAFT_VARY_TCP_SEQ:
		r->tcp_seq = v;
		break;
	case PKTCRAFT_VARY_IP_ID:
		r->ip_id = v;
		r->flags |= PKTCRAFT_F_IP_ID;
		break;
	default:
		r->ip_saddr = htonl(v);
		r->flags |= PKTCRAFT_F_IP_SADDR;
		break;
	}
}

int cli_has_vary(const struct pktcraft_req *req)
{
	for (int f = 0; f < PKTCRAFT_VARY_NR; f++)
		if (req->vary[f].mode)
			return 1;
	return 0;
}

int cli_vary_start(struct pktcraft_req *req, unsigned int given, char *err,
		   size_t errlen)
{
	for (int f = 0; f < PKTCRAFT_VARY_NR; f++) {
		const struct pktcraft_vary *v = &req->vary[f];
		uint32_t cur = field_value(req, f);

		if (!v->mode)
			continue;
		if (!(given & (1u << f))) {
			set_field(req, f, v->min);
			continue;
		}
		if (cur < v->min || cur > v->max) {
			snprintf(err, errlen, "--vary %s: the given start value %u is outside %u-%u",
				 vary_names[f], cur, v->min, v->max);
			return -EINVAL;
		}
		set_field(req, f, cur);	/* makes an ID or source literal */
	}
	return 0;
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

int cli_run_burst(int fd, struct pktcraft_req *req, const struct burst_opts *o)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	uint32_t start_val[PKTCRAFT_VARY_NR];
	uint64_t total = o->count, done = 0, sent = 0, t0, t_end, last_progress;
	int tty = isatty(STDERR_FILENO), show = o->progress || tty;
	int err = 0, progressed = 0;
	struct pktcraft_stats st;
	double secs;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (int f = 0; f < PKTCRAFT_VARY_NR; f++)
		start_val[f] = field_value(req, f);

	t0 = last_progress = now_ns();
	while (done < total && !stop_signal) {
		uint64_t chunk = total - done;
		int rc;

		if (chunk > PKTCRAFT_MAX_COUNT)
			chunk = PKTCRAFT_MAX_COUNT;
		if (o->gap_ns) {
			uint64_t per = PACED_CHUNK_NS / o->gap_ns;

			if (chunk > (per ? per : 1))
				chunk = per ? per : 1;
			req->gap_ns = o->gap_ns;
			req->start_ns = t0 + done * o->gap_ns;
		} else if (chunk > UNPACED_CHUNK) {
			chunk = UNPACED_CHUNK;
		}
		/* Counting fields go on where the previous burst stopped. */
		for (int f = 0; f < PKTCRAFT_VARY_NR; f++) {
			const struct pktcraft_vary *v = &req->vary[f];
			uint64_t span = (uint64_t)v->max - v->min + 1, off;

			if (v->mode != PKTCRAFT_VARY_INC)
				continue;
			off = (uint64_t)(start_val[f] - v->min) +
			      (done % span) * (v->step % span) % span;
			set_field(req, f, v->min + (uint32_t)(off % span));
		}
		req->count = chunk;
		rc = pktcraft_send_burst(fd, req);
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
	if (progressed && tty)
		fputc('\n', stderr);

	secs = (t_end - t0) / 1e9;
	if (pktcraft_get_stats(fd, &st))
		memset(&st, 0, sizeof(st));
	if (err)
		pktcraft_perror("pktcraft", "send", err, req);
	if (stop_signal)
		fprintf(stderr, "pktcraft: interrupted by signal %d\n",
			(int)stop_signal);
	if (o->json) {
		printf("{\"sent\": %llu, \"requested\": %llu, \"bytes\": %llu, "
		       "\"dropped\": %llu, \"errors\": %llu, \"seconds\": %.6f, "
		       "\"pps\": %.3f, \"interrupted\": %s, \"error\": %d}\n",
		       (unsigned long long)sent,
		       (unsigned long long)(total == UINT64_MAX ? 0 : total),
		       (unsigned long long)st.file.bytes,
		       (unsigned long long)sum_drops(&st.file),
		       (unsigned long long)sum_errors(&st.file), secs,
		       secs > 0 ? sent / secs : 0.0,
		       stop_signal ? "true" : "false", -err);
	} else if (!o->quiet || err || stop_signal) {
		printf("sent %llu packet%s (%llu bytes), %llu dropped, %llu errors in %.3f s: %.1f pps\n",
		       (unsigned long long)sent, sent == 1 ? "" : "s",
		       (unsigned long long)st.file.bytes,
		       (unsigned long long)sum_drops(&st.file),
		       (unsigned long long)sum_errors(&st.file), secs,
		       secs > 0 ? sent / secs : 0.0);
	}
	fflush(stdout);
	if (stop_signal)
		return 128 + stop_signal;
	return err ? 1 : 0;
}

/* ---------------------------------------------------------- stats */
static const char *const ctr_names[] = {
	"packets", "bytes", "drop_queue", "drop_down", "drop_nomem",
	"drop_xmit", "err_inval", "err_fault", "err_nodev", "err_msgsize",
	"err_netdown", "err_unreach", "err_nomem", "err_intr", "err_other",
};
#define NCTR (sizeof(ctr_names) / sizeof(ctr_names[0]))
_Static_assert(NCTR * 8 == offsetof(struct pktcraft_counters, reserved),
	       "ctr_names does not match struct pktcraft_counters");

static void json_ctrs(const char *name, const struct pktcraft_counters *c)
{
	const uint64_t *v = (const uint64_t *)c;

	printf("\"%s\": {", name);
	for (size_t i = 0; i < NCTR; i++)
		printf("%s\"%s\": %llu", i ? ", " : "", ctr_names[i],
		       (unsigned long long)v[i]);
	printf("}");
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pktcraft_stats st;
	int json = 0, opt, fd, rc;

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
	pktcraft_close(fd);
	if (rc) {
		fprintf(stderr, "pktcraft: stats failed: %s (%s)\n",
			pktcraft_strerror(rc), strerror(-rc));
		return 1;
	}
	if (json) {
		printf("{");
		json_ctrs("module", &st.module);
		printf("}\n");
		return 0;
	}
	for (size_t i = 0; i < NCTR; i++)
		printf("%-12s %llu\n", ctr_names[i],
		       (unsigned long long)((const uint64_t *)&st.module)[i]);
	return 0;
}
