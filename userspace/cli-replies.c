// SPDX-License-Identifier: GPL-2.0
/*
 * pktcraft CLI: what answered the packets (hping3's reply lines and a
 * ping-like summary), and each packet's fate in the kernel (--fate). The
 * matching is the library's (userspace/replies.c); this file prints.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include "cli.h"

static volatile sig_atomic_t reply_signal;

static void on_signal(int sig)
{
	reply_signal = sig;
}

int cli_replies_open(struct cli_replies *cr, const struct pktcraft_req *req)
{
	int rc = pktcraft_listen(req, &cr->l);

	if (rc) {
		fprintf(stderr, "pktcraft: warning: replies are not read: a packet socket: %s\n",
			strerror(-rc));
		cr->l = NULL;
	}
	cr->rtt_min = INT64_MAX;
	return rc;
}

static const char *ifname(unsigned int ifindex, char *buf)
{
	if (!ifindex || !if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "?");
	return buf;
}

/* The length of the UTF-8 sequence @s starts with (RFC 3629), 0 if none. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;	/* not overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;	/* no surrogate */
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;	/* up to U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * @s as a JSON string: a device's name may hold '"', '\\' and any byte
 * above 0x7f (dev_valid_name()). Those two go out escaped, UTF-8 as it is,
 * and a byte that is not UTF-8 as the code point of the same number, so
 * that the output stays valid JSON.
 */
static const char *json_str(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n;

	while (*p && o + 7 < len) {
		if (*p == '"' || *p == '\\') {
			o += snprintf(buf + o, len - o, "\\%c", *p++);
		} else if (*p >= 0x80 && (n = utf8_len(p))) {
			memcpy(buf + o, p, n);
			o += n;
			p += n;
		} else if (*p < 0x20 || *p > 0x7e) {
			o += snprintf(buf + o, len - o, "\\u%04x", *p++);
		} else {
			buf[o++] = *p++;
		}
	}
	buf[o] = '\0';
	return buf;
}

static void json_reply(const struct pktcraft_reply *r, const char *line)
{
	char esc[7 * 320 + 1];	/* the longest line, every byte escaped */
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], dev[IF_NAMESIZE];
	static const char *const kinds[] = { "tcp", "udp", "echo", "icmp-error" };
	int fam = r->family == AF_INET6 ? AF_INET6 : AF_INET;

	inet_ntop(fam, r->src, src, sizeof(src));
	inet_ntop(fam, r->dst, dst, sizeof(dst));
	printf("{\"reply\": {\"seq\": %u, \"kind\": \"%s\", \"len\": %u, \"src\": \"%s\", "
	       "\"dst\": \"%s\", \"ttl\": %u, \"tos\": %u, \"proto\": %u, \"dev\": \"%s\", "
	       "\"outgoing\": %s, \"dup\": %s",
	       r->index, r->kind < 4 ? kinds[r->kind] : "?", r->len, src, dst, r->ttl, r->tos,
	       r->proto, json_str(ifname(r->ifindex, dev), esc, sizeof(esc)),
	       r->pkt_type == 4 ? "true" : "false",
	       r->dup ? "true" : "false");
	if (fam == AF_INET)
		printf(", \"id\": %u, \"df\": %s", r->ip_id, r->ip_frag & PKTCRAFT_IP_DF ? "true" : "false");
	else
		printf(", \"flowlabel\": %u", r->flowlabel);
	if (r->kind == PKTCRAFT_REPLY_TCP)
		printf(", \"sport\": %u, \"dport\": %u, \"flags\": %u, \"tcp_seq\": %u, \"tcp_ack\": %u, "
		       "\"win\": %u", r->sport, r->dport, r->tcp_flags, r->tcp_seq, r->tcp_ack, r->tcp_win);
	else if (r->kind == PKTCRAFT_REPLY_UDP)
		printf(", \"sport\": %u, \"dport\": %u", r->sport, r->dport);
	else
		printf(", \"icmp_type\": %u, \"icmp_code\": %u, \"icmp_id\": %u, \"icmp_seq\": %u",
		       r->icmp_type, r->icmp_code, r->icmp_id, r->icmp_seq);
	if (r->kind == PKTCRAFT_REPLY_ICMP_ERROR)
		printf(", \"quoted_sport\": %u, \"quoted_dport\": %u, \"icmp_info\": %u", r->sport,
		       r->dport, r->icmp_info);
	if (r->rtt_ns >= 0)
		printf(", \"rtt_ms\": %.6f", r->rtt_ns / 1e6);
	else
		printf(", \"rtt_ms\": null");
	printf(", \"rx_ns\": %llu, \"line\": \"%s\"}}\n", (unsigned long long)r->rx_ns,
	       json_str(line, esc, sizeof(esc)));
}

static void show_reply(struct cli_replies *cr, const struct pktcraft_reply *r)
{
	char line[320];

	if (r->dup)
		cr->dups++;
	else
		cr->received++;
	if (!r->dup && r->rtt_ns >= 0) {
		cr->rtt_n++;
		cr->rtt_sum += r->rtt_ns;
		if (r->rtt_ns < cr->rtt_min)
			cr->rtt_min = r->rtt_ns;
		if (r->rtt_ns > cr->rtt_max)
			cr->rtt_max = r->rtt_ns;
	}
	pktcraft_reply_describe(r, line, sizeof(line));
	if (cr->json)
		json_reply(r, line);
	else if (!cr->quiet)
		printf("%s\n", line);
}

/* ------------------------------------------------------------ fates */

static void count_reason(struct cli_replies *cr, const char *name)
{
	int i;

	for (i = 0; i < cr->nreasons; i++)
		if (!strcmp(cr->reasons[i].name, name))
			break;
	if (i == cr->nreasons) {
		if (cr->nreasons == CLI_MAX_REASONS)
			return;
		snprintf(cr->reasons[i].name, sizeof(cr->reasons[i].name), "%s", name);
		cr->nreasons++;
	}
	cr->reasons[i].n++;
}

static void show_fate(struct cli_replies *cr, unsigned long seq, const struct pktcraft_fate *f,
		      unsigned int fate_ms)
{
	char reason[33], where[33], dev[17], after[48] = "", esc[8 * 17];
	const char *name = pktcraft_fate_name(f->fate);

	snprintf(reason, sizeof(reason), "%.32s", (const char *)f->reason_name);
	snprintf(where, sizeof(where), "%.32s", (const char *)f->where);
	snprintf(dev, sizeof(dev), "%.16s", (const char *)f->dev);
	if (f->fate <= PKTCRAFT_FATE_DROPPED)
		cr->fates[f->fate]++;
	if (f->fate == PKTCRAFT_FATE_DROPPED)
		count_reason(cr, reason[0] ? reason : "?");
	if (f->end_ns && f->xmit_ns && f->end_ns >= f->xmit_ns)
		snprintf(after, sizeof(after), " (+%.0f \u00b5s)", (f->end_ns - f->xmit_ns) / 1e3);
	if (cr->json) {
		printf("{\"fate\": {\"seq\": %lu, \"fate\": \"%s\", \"reason\": \"%s\", \"reason_code\": %u, "
		       "\"where\": \"%s\", \"dev\": \"%s\", \"ifindex\": %u, \"rx\": %s, "
		       "\"other_ns\": %s, \"xmit_ns\": %llu, \"end_ns\": %llu}}\n",
		       seq, name ? name : "?", reason, f->reason, where,
		       json_str(dev, esc, sizeof(esc)), f->ifindex,
		       f->flags & PKTCRAFT_FATE_F_RX ? "true" : "false",
		       f->flags & PKTCRAFT_FATE_F_OTHER_NS ? "true" : "false",
		       (unsigned long long)f->xmit_ns, (unsigned long long)f->end_ns);
		return;
	}
	if (cr->quiet)
		return;
	switch (f->fate) {
	case PKTCRAFT_FATE_SENT:
		printf("fate seq=%lu: sent%s%s%s\n", seq, dev[0] ? " by " : "", dev, after);
		break;
	case PKTCRAFT_FATE_DELIVERED:
		printf("fate seq=%lu: delivered%s%s%s%s\n", seq, dev[0] ? " on " : "", dev,
		       f->flags & PKTCRAFT_FATE_F_OTHER_NS ? " (another namespace)" : "", after);
		break;
	case PKTCRAFT_FATE_DROPPED:
		printf("fate seq=%lu: dropped %s%s%s%s%s%s%s\n", seq, reason[0] ? reason : "?",
		       where[0] ? " in " : "", where, dev[0] ? " on " : "", dev,
		       f->flags & PKTCRAFT_FATE_F_OTHER_NS ? " (another namespace)" : "", after);
		break;
	case PKTCRAFT_FATE_PENDING:
		printf("fate seq=%lu: pending after %u ms\n", seq, fate_ms);
		break;
	default:
		printf("fate seq=%lu: %s%s\n", seq, f->xmit_ns ? "not followed (an older module?)" :
		       "never handed over", "");
		break;
	}
}

void cli_sent(struct cli_replies *cr, const struct pktcraft_req *req, unsigned int n,
	      const struct pktcraft_fate *fates)
{
	struct pktcraft_reply r;

	if (fates && cr->fate)
		for (unsigned int i = 0; i < n; i++)
			show_fate(cr, cr->index + i, &fates[i], req->fate_ms);
	cr->index += n;
	if (!cr->l)
		return;
	if (pktcraft_listen_sent(cr->l, req, n, fates) < 0)
		return;
	while (pktcraft_listen_next(cr->l, &r, 0) == 1)
		show_reply(cr, &r);
	fflush(stdout);
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cli_replies_wait(struct cli_replies *cr, uint64_t sent, int interrupted)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;	/* no SA_RESTART */
	struct pktcraft_reply r;

	if (!cr->l)
		return 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (!interrupted && sent) {
		uint64_t end = mono_ms() + cr->wait_ms;

		for (;;) {
			unsigned long open;
			uint64_t now = mono_ms();
			int rc;

			pktcraft_listen_count(cr->l, &open);
			if (!open || reply_signal)
				break;
			rc = pktcraft_listen_next(cr->l, &r, now >= end ? 0 : (int)(end - now));
			if (rc == -EINTR && !reply_signal)
				continue;	/* a continue after a stop (SIGCONT) */
			if (rc <= 0)
				break;
			show_reply(cr, &r);
			fflush(stdout);
		}
	}
	/* What is queued already (duplicates too). */
	while (pktcraft_listen_next(cr->l, &r, 0) == 1)
		show_reply(cr, &r);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	cr->lost = pktcraft_listen_lost(cr->l);
	pktcraft_listen_close(cr->l);
	cr->l = NULL;
	cr->listened = 1;
	fflush(stdout);
	return reply_signal;
}

void cli_replies_summary(struct cli_replies *cr, const char *dst, uint64_t sent)
{
	if (cr->fate) {
		if (cr->json) {
			printf("{\"fates\": {\"sent\": %lu, \"delivered\": %lu, \"dropped\": %lu, "
			       "\"pending\": %lu, \"untracked\": %lu, \"reasons\": {",
			       cr->fates[PKTCRAFT_FATE_SENT], cr->fates[PKTCRAFT_FATE_DELIVERED],
			       cr->fates[PKTCRAFT_FATE_DROPPED], cr->fates[PKTCRAFT_FATE_PENDING],
			       cr->fates[PKTCRAFT_FATE_UNTRACKED]);
			for (int i = 0; i < cr->nreasons; i++)
				printf("%s\"%s\": %lu", i ? ", " : "", cr->reasons[i].name,
				       cr->reasons[i].n);
			printf("}}}\n");
		} else {
			printf("fates: %lu sent, %lu delivered, %lu dropped", cr->fates[PKTCRAFT_FATE_SENT],
			       cr->fates[PKTCRAFT_FATE_DELIVERED], cr->fates[PKTCRAFT_FATE_DROPPED]);
			for (int i = 0; i < cr->nreasons; i++)
				printf("%s%s %lu", i ? ", " : " (", cr->reasons[i].name, cr->reasons[i].n);
			printf("%s, %lu pending\n", cr->nreasons ? ")" : "",
			       cr->fates[PKTCRAFT_FATE_PENDING]);
		}
	}
	if (!cr->listened)
		return;
	if (cr->json) {
		printf("{\"replies\": {\"dst\": \"%s\", \"transmitted\": %llu, \"received\": %lu, "
		       "\"duplicates\": %lu, \"loss_pct\": %.1f", dst, (unsigned long long)sent,
		       cr->received, cr->dups,
		       sent ? 100.0 * (sent - (cr->received < sent ? cr->received : sent)) / sent : 0.0);
		if (cr->rtt_n)
			printf(", \"rtt_min_ms\": %.6f, \"rtt_avg_ms\": %.6f, \"rtt_max_ms\": %.6f",
			       cr->rtt_min / 1e6, cr->rtt_sum / cr->rtt_n / 1e6, cr->rtt_max / 1e6);
		printf(", \"socket_drops\": %lu}}\n", cr->lost);
	} else {
		printf("--- %s pktcraft statistic ---\n", dst);
		printf("%llu packet%s transmitted, %lu received, %.0f%% loss", (unsigned long long)sent,
		       sent == 1 ? "" : "s", cr->received,
		       sent ? 100.0 * (sent - (cr->received < sent ? cr->received : sent)) / sent : 0.0);
		if (cr->dups)
			printf(", +%lu duplicate%s", cr->dups, cr->dups == 1 ? "" : "s");
		if (cr->rtt_n)
			printf(", rtt min/avg/max = %.3f/%.3f/%.3f ms", cr->rtt_min / 1e6,
			       cr->rtt_sum / cr->rtt_n / 1e6, cr->rtt_max / 1e6);
		printf("\n");
		if (cr->lost)
			printf("(%lu frames lost by the packet socket, its buffer full: replies may be among them)\n",
			       cr->lost);
	}
	fflush(stdout);
}
