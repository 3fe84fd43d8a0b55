// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpktcraft: replies. What answers the packets a request sent, read from
 * a packet socket opened before the send (libpktcraft.h, "Replies").
 *
 * The packets one SEND sent are a group: the fields they share (addresses,
 * protocol, ICMP identifier ...) and, per packet, the fields a burst varies
 * (ports, sequence number, the source's low 32 bits) and the time the
 * kernel handed it over (struct pktcraft_fate.xmit_ns). A frame is parsed
 * once (IPv4 or IPv6, extension headers walked; an ICMP error's quoted
 * header too) and compared with every packet of every group.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include "libpktcraft.h"
#include "internal.h"

_Static_assert(sizeof(struct pktcraft_reply) == 112,
	       "struct pktcraft_reply has holes or changed size");

/* Packets kept for matching; an endless paced run forgets the oldest. */
#define MAX_PROBES (1UL << 20)
#define RCVBUF (4 << 20)
/*
 * The receive ring (TPACKET_V2): 4 MiB of 2 KiB frames. A frame's time is
 * taken where the packet tap sees it (the receive path's software stamp,
 * else the tap's clock), never when user space reads it: a plain
 * recvmsg() stamps a frame that arrived before the kernel had switched
 * receive timestamps on (a deferred static key, net_enable_timestamp())
 * with the time of the read, an RTT that can be milliseconds too long.
 */
#define RING_FRAME 2048
#define RING_BLOCK (1 << 16)
#define RING_BLOCKS 64

const char *pktcraft_inject_name(unsigned int inject)
{
	static const char *const names[] = { "queue", "driver", "ip", "rx" };

	return inject <= PKTCRAFT_INJECT_MAX ? names[inject] : NULL;
}

const char *pktcraft_fate_name(unsigned int fate)
{
	static const char *const names[] = { "untracked", "pending", "sent", "delivered",
					     "dropped" };

	return fate <= PKTCRAFT_FATE_DROPPED ? names[fate] : NULL;
}

/* ------------------------------------------------------------ the packets */

/* One packet sent: what a burst varies, and when it was handed over. */
struct probe {
	uint64_t xmit_ns;
	uint32_t seq;		/* TCP sequence number */
	uint32_t src_low;	/* the source's low 32 bits (IPv4: all of it), host order */
	uint16_t sport, dport;
	uint8_t answered;
};

/* The packets of one SEND. */
struct group {
	unsigned long first;	/* the index of its packet 0 */
	unsigned int n;
	int family;
	uint8_t l4, proto;	/* layer 4 kind; its IP protocol number */
	uint8_t icmp_type;
	int icmp_reply;		/* echo-like: the reply's type; -1: none */
	uint16_t icmp_id, icmp_seq;
	uint16_t tcp_flags;
	uint32_t tcp_ack, tcp_len;	/* our ack; what our segment occupies */
	uint8_t dst[16], src[16];	/* IPv4 in the first 4 bytes */
	int src_known, dst_multi;
	/* Fields drawn at random: any value of [lo, hi] matches. */
	int rnd[PKTCRAFT_VARY_NR];
	uint32_t lo[PKTCRAFT_VARY_NR], hi[PKTCRAFT_VARY_NR];
	struct probe *p;
	/*
	 * Finding a reply's packet without trying every one: when no field
	 * varies all packets are alike, and the first not yet answered (the
	 * cursor) is the one; TCP and UDP packets whose ports or sequence
	 * number count are hashed by ports and seq (chains in index order).
	 */
	int uniform;
	unsigned int cursor;
	uint32_t *bucket, *chain, mask;	/* NULL: none */
};

struct pktcraft_listener {
	int fd;
	struct group *g;
	size_t ng, cap;
	unsigned long next, unanswered, kept, lost;
	uint8_t *buf;
	uint8_t *ring;		/* NULL: no ring, recvmsg() */
	size_t ring_len;
	unsigned int frames, cur;
};

/* Field f of packet i, as the kernel varies it (PKTCRAFT_VARY_INC). */
static uint32_t varied(const struct pktcraft_vary *v, uint32_t v0, uint64_t i)
{
	uint64_t span;

	if (v->mode != PKTCRAFT_VARY_INC || v0 < v->min || v0 > v->max)
		return v0;
	span = (uint64_t)v->max - v->min + 1;
	return v->min + (uint32_t)(((uint64_t)(v0 - v->min) + (i % span) * (v->step % span)) % span);
}

static int addr_multi(int family, const uint8_t *a)
{
	if (family == AF_INET6)
		return a[0] == 0xff;
	return (a[0] & 0xf0) == 0xe0 || (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255);
}

/* The reply type of an echo-like ICMP request type, or -1. */
static int icmp_reply_type(int family, uint8_t type)
{
	if (family == AF_INET6)
		return type == 128 ? 129 : -1;
	switch (type) {
	case 8: return 0;
	case 13: return 14;
	case 15: return 16;
	case 17: return 18;
	}
	return -1;
}

#define NO_PROBE UINT32_MAX

static uint32_t probe_key(const struct group *g, uint16_t sport, uint16_t dport, uint32_t seq)
{
	uint32_t h = (uint32_t)sport << 16 | dport;

	if (g->l4 == PKTCRAFT_L4_TCP)
		h ^= seq * 0x9e3779b1u;
	h ^= h >> 15;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h & g->mask;
}

/* The index of a group that needs one (see struct group). */
static int group_index(struct group *g, const struct pktcraft_req *req)
{
	static const int fields[] = { PKTCRAFT_VARY_SPORT, PKTCRAFT_VARY_DPORT,
				      PKTCRAFT_VARY_TCP_SEQ, PKTCRAFT_VARY_IP_SADDR };
	uint32_t size = 16;
	int varies = 0;

	for (size_t k = 0; g->n > 1 && k < sizeof(fields) / sizeof(fields[0]); k++)
		varies |= req->vary[fields[k]].mode != PKTCRAFT_VARY_NONE;
	g->uniform = !varies;
	if (!varies || g->n < 16 || (g->l4 != PKTCRAFT_L4_TCP && g->l4 != PKTCRAFT_L4_UDP) ||
	    g->rnd[PKTCRAFT_VARY_SPORT] || g->rnd[PKTCRAFT_VARY_DPORT] || g->rnd[PKTCRAFT_VARY_TCP_SEQ])
		return 0;
	while (size < 2 * g->n)
		size *= 2;
	g->mask = size - 1;
	g->bucket = malloc(size * sizeof(*g->bucket));
	g->chain = malloc(g->n * sizeof(*g->chain));
	if (!g->bucket || !g->chain) {
		free(g->bucket);
		free(g->chain);
		g->bucket = g->chain = NULL;
		return -ENOMEM;
	}
	memset(g->bucket, 0xff, size * sizeof(*g->bucket));
	for (uint32_t i = g->n; i-- > 0;) {	/* each chain in index order */
		uint32_t h = probe_key(g, g->p[i].sport, g->p[i].dport, g->p[i].seq);

		g->chain[i] = g->bucket[h];
		g->bucket[h] = i;
	}
	return 0;
}

static void group_free(struct group *g)
{
	free(g->p);
	free(g->bucket);
	free(g->chain);
}

static int group_fill(struct group *g, const struct pktcraft_req *req, unsigned int n,
		      const struct pktcraft_fate *fates)
{
	static const int fields[] = { PKTCRAFT_VARY_SPORT, PKTCRAFT_VARY_DPORT,
				      PKTCRAFT_VARY_TCP_SEQ, PKTCRAFT_VARY_IP_SADDR };
	uint32_t src0 = 0, be;

	memset(g, 0, sizeof(*g));
	if (req->size < PKTCRAFT_REQ_SIZE_VER2 || req->l4 > PKTCRAFT_L4_RAW || !n)
		return -EINVAL;
	g->n = n;
	g->family = pktc_family(req);
	g->l4 = req->l4;
	g->proto = req->l4 == PKTCRAFT_L4_TCP ? 6 : req->l4 == PKTCRAFT_L4_UDP ? 17 :
		   req->l4 == PKTCRAFT_L4_ICMP ? (g->family == AF_INET6 ? 58 : 1) : req->ip_protocol;
	if (req->l4 == PKTCRAFT_L4_ICMP) {
		g->icmp_type = req->icmp_type;
		g->icmp_reply = icmp_reply_type(g->family, req->icmp_type);
		g->icmp_id = req->icmp_id;
		g->icmp_seq = req->icmp_seq;
	}
	g->tcp_flags = req->tcp_flags;
	g->tcp_ack = req->tcp_ack;
	g->tcp_len = req->payload_len + !!(req->tcp_flags & PKTCRAFT_TCP_SYN) +
		     !!(req->tcp_flags & PKTCRAFT_TCP_FIN);
	g->src_known = pktc_holds(req, 0);
	if (g->family == AF_INET6) {
		memcpy(g->dst, req->ip6_daddr, 16);
		memcpy(g->src, req->ip6_saddr, 16);
		memcpy(&be, req->ip6_saddr + 12, 4);
		src0 = ntohl(be);
	} else {
		memcpy(g->dst, &req->ip_daddr, 4);
		memcpy(g->src, &req->ip_saddr, 4);
		src0 = ntohl(req->ip_saddr);
	}
	g->dst_multi = addr_multi(g->family, g->dst);
	for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
		const struct pktcraft_vary *v = &req->vary[fields[k]];

		if (n > 1 && v->mode == PKTCRAFT_VARY_RANDOM) {
			g->rnd[fields[k]] = 1;
			g->lo[fields[k]] = v->min;
			g->hi[fields[k]] = v->max;
		}
	}
	if (g->rnd[PKTCRAFT_VARY_IP_SADDR] && !g->src_known)
		g->rnd[PKTCRAFT_VARY_IP_SADDR] = 0;
	g->p = calloc(n, sizeof(*g->p));
	if (!g->p)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct probe *p = &g->p[i];

		if (n > 1) {
			p->sport = varied(&req->vary[PKTCRAFT_VARY_SPORT], req->sport, i);
			p->dport = varied(&req->vary[PKTCRAFT_VARY_DPORT], req->dport, i);
			p->seq = varied(&req->vary[PKTCRAFT_VARY_TCP_SEQ], req->tcp_seq, i);
			p->src_low = varied(&req->vary[PKTCRAFT_VARY_IP_SADDR], src0, i);
		} else {
			p->sport = req->sport;
			p->dport = req->dport;
			p->seq = req->tcp_seq;
			p->src_low = src0;
		}
		p->xmit_ns = fates ? fates[i].xmit_ns : 0;
	}
	if (group_index(g, req)) {
		free(g->p);
		return -ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------ a frame */

/* An ICMP error's quoted packet (ours, if it matches). */
struct quote {
	uint8_t src[16], dst[16];
	uint8_t proto, icmp_type;
	int l4len;		/* bytes of its layer 4 header quoted (0..8) */
	uint16_t sport, dport, icmp_id, icmp_seq;
	uint32_t seq;
};

static uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/*
 * The IP header at p: family, addresses (into src/dst), the layer 4
 * protocol and its offset, through IPv6 extension headers. *l4 < 0: not a
 * first fragment (nothing to match). quoted: a header quoted by an ICMP
 * error, whose lengths say more than there is.
 */
static int parse_ip(const uint8_t *p, size_t len, int quoted, int *family, uint8_t *src,
		    uint8_t *dst, uint8_t *proto, long *l4, size_t *iplen)
{
	if (len < 1)
		return -1;
	if (p[0] >> 4 == 4) {
		size_t ihl = (p[0] & 15) * 4, tot;

		if (len < 20 || ihl < 20 || ihl > len)
			return -1;
		tot = get16(p + 2);
		if (!quoted && (tot < ihl || tot > len))
			return -1;
		*family = AF_INET;
		memcpy(src, p + 12, 4);
		memcpy(dst, p + 16, 4);
		*proto = p[9];
		*l4 = get16(p + 6) & PKTCRAFT_IP_OFFMASK ? -1 : (long)ihl;
		*iplen = quoted ? len : tot;
		return 0;
	}
	if (p[0] >> 4 == 6) {
		size_t off = 40, tot;
		uint8_t nh;

		if (len < 40)
			return -1;
		tot = 40 + get16(p + 4);
		if (!quoted && tot > len)
			return -1;
		if (quoted || tot < 40)
			tot = len;
		*family = AF_INET6;
		memcpy(src, p + 8, 16);
		memcpy(dst, p + 24, 16);
		nh = p[6];
		for (int hops = 0; hops < 16; hops++) {
			size_t hl;

			if (nh != 0 && nh != 43 && nh != 60 && nh != 44 && nh != 51)
				break;
			if (off + 8 > tot)
				return -1;
			if (nh == 44) {
				if (get16(p + off + 2) & 0xfff8) {
					*l4 = -1;	/* not the first fragment */
					goto done;
				}
				hl = 8;
			} else if (nh == 51) {
				hl = ((size_t)p[off + 1] + 2) * 4;
			} else {
				hl = ((size_t)p[off + 1] + 1) * 8;
			}
			nh = p[off];
			off += hl;
		}
		*l4 = off <= tot ? (long)off : -1;
done:
		*proto = nh;
		*iplen = tot;
		return 0;
	}
	return -1;
}

static int is_error(int family, uint8_t type)
{
	if (family == AF_INET6)
		return type >= 1 && type <= 4;
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/*
 * The IP packet at pkt into r (everything but index, dup, rtt_ns,
 * xmit_ns) and, for an ICMP error, its quote q. -1: nothing to match.
 */
static int parse_reply(const uint8_t *pkt, size_t len, size_t wire, struct pktcraft_reply *r,
		       struct quote *q)
{
	const uint8_t *l;
	size_t iplen, n;
	long off;
	int family;

	/* A frame cut short by the ring: its headers are what matters. */
	memset(q, 0, sizeof(*q));
	if (parse_ip(pkt, len, len < wire, &family, r->src, r->dst, &r->proto, &off, &iplen) || off < 0)
		return -1;
	r->family = family;
	r->len = family == AF_INET ? get16(pkt + 2) : 40 + get16(pkt + 4);
	if (family == AF_INET) {
		r->ttl = pkt[8];
		r->tos = pkt[1];
		r->ip_id = get16(pkt + 4);
		r->ip_frag = get16(pkt + 6);
	} else {
		r->ttl = pkt[7];
		r->tos = (get16(pkt) >> 4) & 0xff;
		r->flowlabel = get32(pkt) & 0xfffff;
	}
	l = pkt + off;
	n = iplen - off;
	switch (r->proto) {
	case 6:
		if (n < 20)
			return -1;
		r->kind = PKTCRAFT_REPLY_TCP;
		r->sport = get16(l);
		r->dport = get16(l + 2);
		r->tcp_seq = get32(l + 4);
		r->tcp_ack = get32(l + 8);
		r->tcp_flags = (l[12] & 1) << 8 | l[13];
		r->tcp_win = get16(l + 14);
		return 0;
	case 17:
		if (n < 8)
			return -1;
		r->kind = PKTCRAFT_REPLY_UDP;
		r->sport = get16(l);
		r->dport = get16(l + 2);
		return 0;
	case 1:
	case 58:
		if (n < 8 || (r->proto == 58) != (family == AF_INET6))
			return -1;
		r->icmp_type = l[0];
		r->icmp_code = l[1];
		r->icmp_info = get32(l + 4);
		if (!is_error(family, l[0])) {
			r->kind = PKTCRAFT_REPLY_ECHO;
			r->icmp_id = get16(l + 4);
			r->icmp_seq = get16(l + 6);
			return 0;
		}
		r->kind = PKTCRAFT_REPLY_ICMP_ERROR;
		{
			const uint8_t *in = l + 8;
			size_t inlen = n - 8, qlen;
			int qfam;
			long qoff;

			if (parse_ip(in, inlen, 1, &qfam, q->src, q->dst, &q->proto, &qoff, &qlen) ||
			    qfam != family || qoff < 0)
				return -1;
			in += qoff;
			inlen = (size_t)qoff < qlen ? qlen - qoff : 0;
			q->l4len = inlen < 8 ? (int)inlen : 8;
			if (q->l4len >= 4) {
				q->sport = get16(in);
				q->dport = get16(in + 2);
				q->icmp_type = in[0];
			}
			if (q->l4len >= 8) {
				q->seq = get32(in + 4);
				q->icmp_id = get16(in + 4);
				q->icmp_seq = get16(in + 6);
			}
			r->sport = q->sport;
			r->dport = q->dport;
			if (q->proto == 1 || q->proto == 58) {
				r->icmp_id = q->icmp_id;
				r->icmp_seq = q->icmp_seq;
				r->sport = r->dport = 0;
			}
		}
		return 0;
	}
	return -1;
}

/* ------------------------------------------------------------ matching */

static int alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static int in_range(const struct group *g, int f, uint32_t v)
{
	return v >= g->lo[f] && v <= g->hi[f];
}

/* Our source for packet p: a (the reply's destination, or the quoted source). */
static int our_src(const struct group *g, const struct probe *p, const uint8_t *a)
{
	int n = alen(g->family);
	uint32_t low;

	if (!g->src_known)
		return 1;
	if (memcmp(a, g->src, n - 4))
		return 0;
	low = get32(a + n - 4);
	return g->rnd[PKTCRAFT_VARY_IP_SADDR] ? in_range(g, PKTCRAFT_VARY_IP_SADDR, low) :
	       low == p->src_low;
}

static int port_is(const struct group *g, int f, uint16_t want, uint16_t got)
{
	return g->rnd[f] ? in_range(g, f, got) : want == got;
}

static int seq_is(const struct group *g, const struct probe *p, uint32_t got)
{
	return g->rnd[PKTCRAFT_VARY_TCP_SEQ] ? in_range(g, PKTCRAFT_VARY_TCP_SEQ, got) :
	       p->seq == got;
}

static int probe_matches(const struct group *g, const struct probe *p,
			 const struct pktcraft_reply *r, const struct quote *q)
{
	int n = alen(g->family);

	if (r->family != g->family)
		return 0;
	switch (r->kind) {
	case PKTCRAFT_REPLY_TCP:
		if (g->l4 != PKTCRAFT_L4_TCP || memcmp(r->src, g->dst, n) || !our_src(g, p, r->dst) ||
		    !port_is(g, PKTCRAFT_VARY_DPORT, p->dport, r->sport) ||
		    !port_is(g, PKTCRAFT_VARY_SPORT, p->sport, r->dport))
			return 0;
		if (r->tcp_flags & PKTCRAFT_TCP_ACK)
			return seq_is(g, p, r->tcp_ack - g->tcp_len);
		/* A RST without ACK answers a segment that carried one. */
		return r->tcp_flags & PKTCRAFT_TCP_RST && g->tcp_flags & PKTCRAFT_TCP_ACK &&
		       r->tcp_seq == g->tcp_ack;
	case PKTCRAFT_REPLY_UDP:
		return g->l4 == PKTCRAFT_L4_UDP && !memcmp(r->src, g->dst, n) && our_src(g, p, r->dst) &&
		       port_is(g, PKTCRAFT_VARY_DPORT, p->dport, r->sport) &&
		       port_is(g, PKTCRAFT_VARY_SPORT, p->sport, r->dport);
	case PKTCRAFT_REPLY_ECHO:
		return g->l4 == PKTCRAFT_L4_ICMP && g->icmp_reply >= 0 &&
		       r->icmp_type == g->icmp_reply && r->icmp_id == g->icmp_id &&
		       r->icmp_seq == g->icmp_seq && (g->dst_multi || !memcmp(r->src, g->dst, n)) &&
		       our_src(g, p, r->dst);
	case PKTCRAFT_REPLY_ICMP_ERROR:
		if (q->proto != g->proto || memcmp(q->dst, g->dst, n) || !our_src(g, p, q->src) ||
		    !our_src(g, p, r->dst))
			return 0;
		switch (g->l4) {
		case PKTCRAFT_L4_TCP:
		case PKTCRAFT_L4_UDP:
			if (q->l4len < 4 || !port_is(g, PKTCRAFT_VARY_SPORT, p->sport, q->sport) ||
			    !port_is(g, PKTCRAFT_VARY_DPORT, p->dport, q->dport))
				return 0;
			return g->l4 == PKTCRAFT_L4_UDP || q->l4len < 8 || seq_is(g, p, q->seq);
		case PKTCRAFT_L4_ICMP:
			return q->l4len >= 1 && q->icmp_type == g->icmp_type &&
			       (q->l4len < 8 || (q->icmp_id == g->icmp_id && q->icmp_seq == g->icmp_seq));
		default:
			return 1;
		}
	}
	return 0;
}

/* Packet i of g, if it is answered by r: the first unanswered, else the last. */
static int consider(struct group *g, uint32_t i, const struct pktcraft_reply *r,
		    const struct quote *q, struct probe **first, struct probe **last)
{
	struct probe *p = &g->p[i];

	if ((p->xmit_ns && r->rx_ns && r->rx_ns < p->xmit_ns) || !probe_matches(g, p, r, q))
		return 0;
	if (!p->answered) {
		*first = p;
		return 1;
	}
	*last = p;
	return 0;
}

/* The ports and seq of our packet r names, for the hash: 0 if it names none. */
static int named_key(const struct group *g, const struct pktcraft_reply *r, const struct quote *q,
		     uint32_t *h)
{
	switch (r->kind) {
	case PKTCRAFT_REPLY_TCP:
		if (!(r->tcp_flags & PKTCRAFT_TCP_ACK))
			return 0;	/* a RST without ACK: seq is not ours */
		*h = probe_key(g, r->dport, r->sport, r->tcp_ack - g->tcp_len);
		return 1;
	case PKTCRAFT_REPLY_UDP:
		*h = probe_key(g, r->dport, r->sport, 0);
		return 1;
	case PKTCRAFT_REPLY_ICMP_ERROR:
		if (q->l4len < (g->l4 == PKTCRAFT_L4_TCP ? 8 : 4))
			return 0;
		*h = probe_key(g, q->sport, q->dport, q->seq);
		return 1;
	}
	return 0;
}

static void group_match(struct group *g, const struct pktcraft_reply *r, const struct quote *q,
			struct probe **first, struct probe **last)
{
	uint32_t h;

	if (g->uniform) {	/* all alike: the first unanswered, or the last */
		while (g->cursor < g->n && g->p[g->cursor].answered)
			g->cursor++;
		if (g->cursor < g->n && consider(g, g->cursor, r, q, first, last))
			return;
		if (g->cursor > 0)
			consider(g, g->cursor - 1, r, q, first, last);
		else if (g->n > 1)
			consider(g, g->n - 1, r, q, first, last);
		return;
	}
	if (g->bucket && named_key(g, r, q, &h)) {
		for (uint32_t i = g->bucket[h]; i != NO_PROBE; i = g->chain[i])
			if (consider(g, i, r, q, first, last))
				return;
		return;
	}
	for (uint32_t i = 0; i < g->n; i++)
		if (consider(g, i, r, q, first, last))
			return;
}

/*
 * The packet r answers among the groups: the first one not yet answered,
 * else the last one (a duplicate). NULL: none. Frames seen before a
 * packet was handed over do not answer it.
 */
static struct probe *match(struct group *g, size_t ng, const struct pktcraft_reply *r,
			   const struct quote *q, unsigned long *index)
{
	struct probe *first = NULL, *last = NULL, *p;

	for (size_t k = 0; k < ng && !first; k++)
		group_match(&g[k], r, q, &first, &last);
	p = first ? first : last;
	for (size_t k = 0; p && k < ng; k++)
		if (p >= g[k].p && p < g[k].p + g[k].n)
			*index = g[k].first + (p - g[k].p);
	return p;
}

int pktcraft_reply_match(const struct pktcraft_req *req, unsigned int n,
			 const void *pkt, size_t len, struct pktcraft_reply *r)
{
	struct quote q;
	struct group g;
	struct probe *p;
	unsigned long index = 0;
	int rc;

	rc = group_fill(&g, req, n ? n : 1, NULL);
	if (rc)
		return rc;
	memset(r, 0, sizeof(*r));
	rc = 0;
	if (!parse_reply(pkt, len, len, r, &q)) {
		p = match(&g, 1, r, &q, &index);
		if (p) {
			r->index = index;
			r->rtt_ns = -1;
			rc = 1;
		}
	}
	group_free(&g);
	return rc;
}

/* ------------------------------------------------------------ the listener */

static void ring_open(struct pktcraft_listener *l)
{
	struct tpacket_req tr = {
		.tp_block_size = RING_BLOCK, .tp_block_nr = RING_BLOCKS,
		.tp_frame_size = RING_FRAME, .tp_frame_nr = RING_BLOCKS * (RING_BLOCK / RING_FRAME),
	};
	int v = TPACKET_V2;
	void *m;

	if (setsockopt(l->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(l->fd, SOL_PACKET, PACKET_RX_RING, &tr, sizeof(tr)))
		return;
	m = mmap(NULL, (size_t)RING_BLOCK * RING_BLOCKS, PROT_READ | PROT_WRITE, MAP_SHARED, l->fd, 0);
	if (m == MAP_FAILED) {
		struct tpacket_req none = { 0 };

		setsockopt(l->fd, SOL_PACKET, PACKET_RX_RING, &none, sizeof(none));
		return;
	}
	l->ring = m;
	l->ring_len = (size_t)RING_BLOCK * RING_BLOCKS;
	l->frames = tr.tp_frame_nr;
}

int pktcraft_listen(const struct pktcraft_req *req, struct pktcraft_listener **out)
{
	int outgoing = req->size >= PKTCRAFT_REQ_SIZE_VER4 && req->inject == PKTCRAFT_INJECT_RX;
	/* IPv4 and IPv6 only; the host's own frames too for --inject rx. */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0x40000),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(code[0]) - (outgoing ? 3 : 0),
		.filter = code + (outgoing ? 3 : 0),
	};
	struct pktcraft_listener *l;
	int one = 1, size = RCVBUF, rc;

	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->buf = malloc(PKTCRAFT_MAX_FRAME);
	l->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (!l->buf || l->fd < 0) {
		rc = l->buf ? -errno : -ENOMEM;
		goto fail;
	}
	if (setsockopt(l->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    setsockopt(l->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one))) {
		rc = -errno;
		goto fail;
	}
	/* Room for a burst's replies: beyond rmem_max if allowed. */
	if (setsockopt(l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	ring_open(l);		/* without one, recvmsg() */
	*out = l;
	return 0;
fail:
	if (l->fd >= 0)
		close(l->fd);
	free(l->buf);
	free(l);
	return rc;
}

int pktcraft_listen_fd(const struct pktcraft_listener *l)
{
	return l->fd;
}

unsigned long pktcraft_listen_count(const struct pktcraft_listener *l,
				    unsigned long *unanswered)
{
	if (unanswered)
		*unanswered = l->unanswered;
	return l->next;
}

static void forget_oldest(struct pktcraft_listener *l)
{
	struct group *g = &l->g[0];

	for (unsigned int i = 0; i < g->n; i++)
		l->unanswered -= !g->p[i].answered;
	l->kept -= g->n;
	group_free(g);
	memmove(l->g, l->g + 1, (l->ng - 1) * sizeof(*l->g));
	l->ng--;
}

long pktcraft_listen_sent(struct pktcraft_listener *l, const struct pktcraft_req *req,
			  unsigned int n, const struct pktcraft_fate *fates)
{
	struct group g;
	int rc;

	if (l->ng == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct group *ng = realloc(l->g, cap * sizeof(*ng));

		if (!ng)
			return -ENOMEM;
		l->g = ng;
		l->cap = cap;
	}
	rc = group_fill(&g, req, n ? n : 1, fates);
	if (rc)
		return rc;
	g.first = l->next;
	l->g[l->ng++] = g;
	l->next += g.n;
	l->unanswered += g.n;
	l->kept += g.n;
	while (l->kept > MAX_PROBES && l->ng > 1)
		forget_oldest(l);
	return g.first;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The next frame of the ring into l->buf (the frame given back at once):
 * its length, or -EAGAIN. *wire: its length before the ring cut it.
 */
static ssize_t ring_next(struct pktcraft_listener *l, struct pktcraft_reply *r, size_t *wire)
{
	struct tpacket2_hdr *h = (struct tpacket2_hdr *)(l->ring + (size_t)l->cur * RING_FRAME);
	const struct sockaddr_ll *sll;
	size_t n;

	if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
		return -EAGAIN;
	sll = (const struct sockaddr_ll *)((uint8_t *)h + TPACKET_ALIGN(sizeof(*h)));
	n = h->tp_snaplen;
	if (h->tp_net + n > RING_FRAME)
		n = h->tp_net < RING_FRAME ? RING_FRAME - h->tp_net : 0;
	memcpy(l->buf, (uint8_t *)h + h->tp_net, n);
	*wire = h->tp_len;
	r->rx_ns = (uint64_t)h->tp_sec * 1000000000ULL + h->tp_nsec;
	r->ifindex = sll->sll_ifindex;
	r->pkt_type = sll->sll_pkttype;
	__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	l->cur = (l->cur + 1) % l->frames;
	return n;
}

/* One queued frame: 1 a reply (in r), 0 not one, -EAGAIN none queued. */
static int read_one(struct pktcraft_listener *l, struct pktcraft_reply *r)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec)) + 64];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_ll sll;
	struct iovec iov = { .iov_base = l->buf, .iov_len = PKTCRAFT_MAX_FRAME };
	struct msghdr msg = {
		.msg_name = &sll, .msg_namelen = sizeof(sll),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c;
	struct probe *p;
	struct quote q;
	unsigned long index = 0;
	size_t wire;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	if (l->ring) {
		n = ring_next(l, r, &wire);
		if (n < 0)
			return n;
	} else {
		n = recvmsg(l->fd, &msg, MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
		wire = n;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;

				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				r->rx_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
			}
		r->ifindex = sll.sll_ifindex;
		r->pkt_type = sll.sll_pkttype;
	}
	if (parse_reply(l->buf, n, wire, r, &q))
		return 0;
	p = match(l->g, l->ng, r, &q, &index);
	if (!p)
		return 0;
	r->index = index;
	r->dup = p->answered;
	r->xmit_ns = p->xmit_ns;
	r->rtt_ns = p->xmit_ns && r->rx_ns ? (int64_t)(r->rx_ns - p->xmit_ns) : -1;
	if (!p->answered) {
		p->answered = 1;
		l->unanswered--;
	}
	return 1;
}

int pktcraft_listen_next(struct pktcraft_listener *l, struct pktcraft_reply *r,
			 int timeout_ms)
{
	uint64_t end = timeout_ms > 0 ? mono_ms() + timeout_ms : 0;

	for (;;) {
		struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
		int rc = read_one(l, r), wait;

		if (rc == 1)
			return 1;
		if (rc == 0)
			continue;
		if (rc != -EAGAIN)
			return rc;
		if (!timeout_ms)
			return 0;
		wait = -1;
		if (timeout_ms > 0) {
			uint64_t now = mono_ms();

			if (now >= end)
				return 0;
			wait = end - now;
		}
		rc = poll(&pfd, 1, wait);
		if (rc < 0)
			return -errno;
		if (!rc)
			return 0;
	}
}

unsigned long pktcraft_listen_lost(struct pktcraft_listener *l)
{
	struct tpacket_stats st;
	socklen_t n = sizeof(st);

	if (!getsockopt(l->fd, SOL_PACKET, PACKET_STATISTICS, &st, &n))
		l->lost += st.tp_drops;		/* reading resets them */
	return l->lost;
}

void pktcraft_listen_close(struct pktcraft_listener *l)
{
	if (!l)
		return;
	for (size_t k = 0; k < l->ng; k++)
		group_free(&l->g[k]);
	free(l->g);
	free(l->buf);
	if (l->ring)
		munmap(l->ring, l->ring_len);
	close(l->fd);
	free(l);
}

/* ------------------------------------------------------------ one line */

static const char *icmp_error_name(int family, uint8_t type, uint8_t code, char *buf, size_t len)
{
	static const char *const unreach4[] = {
		"Network Unreachable", "Host Unreachable", "Protocol Unreachable",
		"Port Unreachable", "Fragmentation Needed", "Source Route Failed",
		"Destination Network Unknown", "Destination Host Unknown", "Source Host Isolated",
		"Network Administratively Prohibited", "Host Administratively Prohibited",
		"Network Unreachable for TOS", "Host Unreachable for TOS",
		"Communication Administratively Prohibited", "Host Precedence Violation",
		"Precedence Cutoff in Effect",
	};
	static const char *const unreach6[] = {
		"No Route to Destination", "Communication Administratively Prohibited",
		"Beyond Scope of Source Address", "Address Unreachable", "Port Unreachable",
		"Source Address Failed Policy", "Reject Route to Destination",
		"Error in Source Routing Header",
	};
	const char *pre = family == AF_INET6 ? "ICMPv6" : "ICMP";

	if (family == AF_INET6) {
		if (type == 1 && code < sizeof(unreach6) / sizeof(unreach6[0]))
			snprintf(buf, len, "%s %s", pre, unreach6[code]);
		else if (type == 2)
			snprintf(buf, len, "%s Packet Too Big", pre);
		else if (type == 3)
			snprintf(buf, len, "%s %s", pre, code ? "Fragment Reassembly Time Exceeded" :
				 "Hop Limit Exceeded in Transit");
		else if (type == 4)
			snprintf(buf, len, "%s Parameter Problem", pre);
		else
			snprintf(buf, len, "%s type %u code %u", pre, type, code);
		return buf;
	}
	if (type == 3 && code < sizeof(unreach4) / sizeof(unreach4[0]))
		snprintf(buf, len, "%s %s", pre, unreach4[code]);
	else if (type == 11)
		snprintf(buf, len, "%s %s", pre, code ? "Fragment Reassembly Time Exceeded" :
			 "Time to Live Exceeded in Transit");
	else if (type == 12)
		snprintf(buf, len, "%s Parameter Problem", pre);
	else if (type == 4)
		snprintf(buf, len, "%s Source Quench", pre);
	else if (type == 5)
		snprintf(buf, len, "%s Redirect", pre);
	else
		snprintf(buf, len, "%s type %u code %u", pre, type, code);
	return buf;
}

/* hping3's order of the flag letters (X, Y: ECE, CWR); NS as N. */
static void tcp_flag_letters(uint16_t f, char *buf)
{
	static const struct { uint16_t bit; char c; } order[] = {
		{ PKTCRAFT_TCP_RST, 'R' }, { PKTCRAFT_TCP_SYN, 'S' }, { PKTCRAFT_TCP_ACK, 'A' },
		{ PKTCRAFT_TCP_FIN, 'F' }, { PKTCRAFT_TCP_PSH, 'P' }, { PKTCRAFT_TCP_URG, 'U' },
		{ PKTCRAFT_TCP_ECE, 'X' }, { PKTCRAFT_TCP_CWR, 'Y' }, { PKTCRAFT_TCP_NS, 'N' },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (f & order[i].bit)
			buf[n++] = order[i].c;
	if (!n)
		memcpy(buf + n, "none", 4), n = 4;
	buf[n] = '\0';
}

static void rtt_text(int64_t ns, char *buf, size_t len)
{
	double ms = ns / 1e6;

	if (ns < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, ms < 1 ? "%.3f" : ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f", ms);
}

size_t pktcraft_reply_describe(const struct pktcraft_reply *r, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN], flags[16], rtt[32], name[96], ipv4[48] = "";
	const char *dup = r->dup ? " DUP!" : "";
	int v6 = r->family == AF_INET6;

	inet_ntop(v6 ? AF_INET6 : AF_INET, r->src, ip, sizeof(ip));
	rtt_text(r->rtt_ns, rtt, sizeof(rtt));
	if (!v6)
		snprintf(ipv4, sizeof(ipv4), "%s id=%u", r->ip_frag & PKTCRAFT_IP_DF ? " DF" : "",
			 r->ip_id);
	switch (r->kind) {
	case PKTCRAFT_REPLY_TCP:
		tcp_flag_letters(r->tcp_flags, flags);
		return snprintf(buf, len, "len=%u ip=%s ttl=%u%s sport=%u flags=%s seq=%u win=%u rtt=%s ms%s",
				r->len, ip, r->ttl, ipv4, r->sport, flags, r->index, r->tcp_win, rtt, dup);
	case PKTCRAFT_REPLY_UDP:
		return snprintf(buf, len, "len=%u ip=%s ttl=%u%s sport=%u seq=%u rtt=%s ms%s",
				r->len, ip, r->ttl, ipv4, r->sport, r->index, rtt, dup);
	case PKTCRAFT_REPLY_ECHO:
		return snprintf(buf, len, "len=%u ip=%s ttl=%u%s icmp_id=%u icmp_seq=%u seq=%u rtt=%s ms%s",
				r->len, ip, r->ttl, ipv4, r->icmp_id, r->icmp_seq, r->index, rtt, dup);
	default: {
		char what[64] = "";

		icmp_error_name(r->family, r->icmp_type, r->icmp_code, name, sizeof(name));
		if ((!v6 && r->icmp_type == 3 && r->icmp_code == 4) || (v6 && r->icmp_type == 2))
			snprintf(what, sizeof(what), " mtu=%u", v6 ? r->icmp_info : r->icmp_info & 0xffff);
		else if (r->icmp_type == (v6 ? 4 : 12))
			snprintf(what, sizeof(what), " pointer=%u", v6 ? r->icmp_info : r->icmp_info >> 24);
		return snprintf(buf, len, "%s from ip=%s ttl=%u%s seq=%u rtt=%s ms%s",
				name, ip, r->ttl, what, r->index, rtt, dup);
	}
	}
}

/* ------------------------------------------------------------ send and collect */

int pktcraft_sr(int fd, struct pktcraft_req *req, struct pktcraft_fate *fates,
		unsigned int wait_ms, struct pktcraft_reply *replies, unsigned int max,
		unsigned int *nreplies)
{
	unsigned int n = req->count > 1 ? req->count : 1, got = 0;
	struct pktcraft_fate *own = NULL;
	struct pktcraft_listener *l;
	struct pktcraft_reply r;
	uint64_t saved = 0, end;
	int rc, sent;

	if (nreplies)
		*nreplies = 0;
	if (req->size < PKTCRAFT_REQ_SIZE_VER4)
		fates = NULL;
	else if (!fates && !req->fates && n <= PKTCRAFT_MAX_FATES) {
		own = calloc(n, sizeof(*own));
		if (!own)
			return -ENOMEM;
		fates = own;
	}
	rc = pktcraft_listen(req, &l);
	if (rc) {
		free(own);
		return rc;
	}
	if (req->size >= PKTCRAFT_REQ_SIZE_VER4) {
		saved = req->fates;
		if (fates)
			req->fates = (uintptr_t)fates;
		else
			fates = (struct pktcraft_fate *)(uintptr_t)req->fates;
	}
	sent = pktcraft_send_burst(fd, req);	/* an older module: xmit_ns 0 */
	if (req->size >= PKTCRAFT_REQ_SIZE_VER4)
		req->fates = saved;
	if (sent < 0)
		goto out;
	rc = pktcraft_listen_sent(l, req, n, fates);
	if (rc < 0) {
		sent = rc;
		goto out;
	}
	end = mono_ms() + wait_ms;
	for (;;) {
		unsigned long open;
		uint64_t now = mono_ms();

		pktcraft_listen_count(l, &open);
		if (!open)
			break;
		rc = pktcraft_listen_next(l, &r, now >= end ? 0 : (int)(end - now));
		if (rc <= 0)
			break;
		if (got < max && replies)
			replies[got] = r;
		got++;
	}
	/* What is already queued (duplicates too), once everything is answered. */
	while (pktcraft_listen_next(l, &r, 0) == 1) {
		if (got < max && replies)
			replies[got] = r;
		got++;
	}
	if (nreplies)
		*nreplies = got;
out:
	pktcraft_listen_close(l);
	free(own);
	return sent;
}
