// SPDX-License-Identifier: LGPL-2.1-or-later
/* libpktcraft: parsing numbers, addresses, flags and options. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "libpktcraft.h"

/* Decimal, or hexadecimal with 0x; no sign, no octal, nothing trailing. */
int pktcraft_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	int base = 10;
	char *end;
	uint64_t v;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	/* Digits only: strtoull() would take a sign, blanks, a second 0x. */
	if (!*s || strspn(s, base == 16 ? "0123456789abcdefABCDEF" : "0123456789") != strlen(s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Six groups of one or two hex digits, colon-separated; nothing else. */
int pktcraft_parse_mac(const char *s, uint8_t mac[6])
{
	static const char hex[] = "0123456789abcdefABCDEF";
	uint8_t b[6];
	int i;

	for (i = 0; i < 6; i++) {
		size_t n = strspn(s, hex);
		char digits[3] = "";

		if (n < 1 || n > 2 || (s[n] != (i < 5 ? ':' : '\0')))
			return -EINVAL;
		memcpy(digits, s, n);
		b[i] = strtoul(digits, NULL, 16);
		s += n + 1;
	}
	memcpy(mac, b, 6);
	return 0;
}

int pktcraft_parse_ipv4(const char *s, uint32_t *be_addr)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*be_addr = a.s_addr;
	return 0;
}

/* Hex digits, optionally separated by spaces or colons. */
int pktcraft_parse_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == ':') {
			if (hi >= 0)
				return -EINVAL;
			continue;
		}
		if (!isxdigit((unsigned char)*s))
			return -EINVAL;
		v = isdigit((unsigned char)*s) ? *s - '0' :
		    tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == max)
			return -E2BIG;
		out[n++] = hi << 4 | v;
		hi = -1;
	}
	if (hi >= 0)
		return -EINVAL;
	*len = n;
	return 0;
}

/* nping's flag names (--flags syn,ack), and "all" (its eight) / "none". */
static const struct {
	const char *name;
	uint16_t bits;
} flag_names[] = {
	{ "fin", PKTCRAFT_TCP_FIN }, { "syn", PKTCRAFT_TCP_SYN },
	{ "rst", PKTCRAFT_TCP_RST }, { "psh", PKTCRAFT_TCP_PSH },
	{ "push", PKTCRAFT_TCP_PSH }, { "ack", PKTCRAFT_TCP_ACK },
	{ "urg", PKTCRAFT_TCP_URG }, { "ece", PKTCRAFT_TCP_ECE },
	{ "ecn", PKTCRAFT_TCP_ECE }, { "cwr", PKTCRAFT_TCP_CWR },
	{ "ns", PKTCRAFT_TCP_NS }, { "all", 0xff }, { "none", 0 },
	/*
	 * AccECN's name for NS, in a list only ("syn,ae"): alone, "AE" is
	 * the letters A and E, ACK|ECE, as hping3's users write them.
	 */
	{ "ae", PKTCRAFT_TCP_NS },
};
#define FLAG_NAMES_ALONE	(sizeof(flag_names) / sizeof(flag_names[0]) - 1)

/* @n bytes of @s a flag name? Only the first @nr of flag_names[]. */
static int flag_name(const char *s, size_t n, size_t nr, uint16_t *bits)
{
	for (size_t i = 0; i < nr; i++)
		if (strlen(flag_names[i].name) == n &&
		    !strncasecmp(s, flag_names[i].name, n)) {
			*bits = flag_names[i].bits;
			return 1;
		}
	return 0;
}

/*
 * Letters S A F R P U E C ("+N" adds NS/AE, "." none), names separated by
 * commas ("syn,ack"; one name alone is a name: "ece" is ECE, but "AE" is
 * ACK|ECE: AE by name only in a list, "syn,ae"), or a number.
 */
int pktcraft_parse_tcp_flags(const char *s, uint16_t *flags)
{
	static const char letters[] = "FSRPAUEC";
	uint16_t f = 0, bits;
	uint64_t v;

	if (!*s)
		return -EINVAL;
	if (isdigit((unsigned char)*s)) {
		if (pktcraft_parse_uint(s, PKTCRAFT_TCP_FLAGS_ALL, &v))
			return -EINVAL;
		*flags = v;
		return 0;
	}
	if (strchr(s, ',') || flag_name(s, strlen(s), FLAG_NAMES_ALONE, &bits)) {
		for (const char *p = s; ; ) {
			size_t n = strcspn(p, ",");

			if (!flag_name(p, n, sizeof(flag_names) / sizeof(flag_names[0]), &bits))
				return -EINVAL;
			f |= bits;
			if (!p[n])
				break;
			p += n + 1;
		}
		*flags = f;
		return 0;
	}
	for (; *s; s++) {
		const char *p = strchr(letters, toupper((unsigned char)*s));

		if (*s == '+' && (s[1] == 'N' || s[1] == 'n') && !s[2]) {
			f |= PKTCRAFT_TCP_NS;
			break;
		}
		if (*s == '.' || *s == '0')
			continue;	/* "0" or "." alone: no flags */
		if (!p || !*s)
			return -EINVAL;
		f |= 1u << (p - letters);
	}
	*flags = f;
	return 0;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* One comma-separated item: name or name=value. */
struct opt_item {
	char name[16];
	char *val;
};

static int next_item(char **cursor, struct opt_item *it, char *err,
		     size_t errlen)
{
	char *s = *cursor, *comma, *eq;

	if (!s || !*s)
		return 0;
	comma = strchr(s, ',');
	if (comma)
		*comma = '\0';
	*cursor = comma ? comma + 1 : NULL;
	eq = strchr(s, '=');
	if (eq)
		*eq = '\0';
	if (strlen(s) >= sizeof(it->name) || !*s)
		return fail(err, errlen, "bad option item '%s'", s);
	strcpy(it->name, s);
	it->val = eq ? eq + 1 : NULL;
	return 1;
}

static int put(uint8_t *out, size_t *len, const uint8_t *b, size_t n,
	       char *err, size_t errlen)
{
	if (*len + n > PKTCRAFT_MAX_OPTLEN)
		return fail(err, errlen, "options exceed %d bytes",
			    PKTCRAFT_MAX_OPTLEN);
	memcpy(out + *len, b, n);
	*len += n;
	return 0;
}

static int need_uint(const struct opt_item *it, uint64_t max, uint64_t *v,
		     char *err, size_t errlen)
{
	if (!it->val || pktcraft_parse_uint(it->val, max, v))
		return fail(err, errlen, "%s needs a number 0..%llu", it->name,
			    (unsigned long long)max);
	return 0;
}

static int raw_item(const struct opt_item *it, uint8_t *out, size_t *len,
		    char *err, size_t errlen)
{
	uint8_t b[PKTCRAFT_MAX_OPTLEN];
	size_t n;

	if (!it->val || pktcraft_parse_hex(it->val, b, sizeof(b), &n))
		return fail(err, errlen, "raw needs hex bytes (at most %d)",
			    PKTCRAFT_MAX_OPTLEN);
	return put(out, len, b, n, err, errlen);
}

static void be16(uint8_t *p, uint32_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v);
}

/* One TCP option item other than eol, nop and raw: b is its scratch space. */
static int tcp_item(struct opt_item *it, uint8_t *b, uint8_t *out, size_t *len,
		    char *err, size_t errlen)
{
	uint64_t v = 0, e = 0;
	int rc = 0;

	if (!strcmp(it->name, "mss")) {
		rc = need_uint(it, 0xffff, &v, err, errlen);
		b[0] = 2, b[1] = 4, be16(b + 2, v);
		return rc ?: put(out, len, b, 4, err, errlen);
	}
	if (!strcmp(it->name, "wscale")) {
		rc = need_uint(it, 0xff, &v, err, errlen);
		b[0] = 3, b[1] = 3, b[2] = v;
		return rc ?: put(out, len, b, 3, err, errlen);
	}
	if (!strcmp(it->name, "sackok")) {
		b[0] = 4, b[1] = 2;
		return put(out, len, b, 2, err, errlen);
	}
	if (!strcmp(it->name, "ts")) {
		char *colon = it->val ? strchr(it->val, ':') : NULL;

		if (!colon)
			return fail(err, errlen, "ts needs VAL:ECR");
		*colon = '\0';
		if (pktcraft_parse_uint(it->val, UINT32_MAX, &v) ||
		    pktcraft_parse_uint(colon + 1, UINT32_MAX, &e))
			return fail(err, errlen, "ts needs VAL:ECR (32-bit numbers)");
		b[0] = 8, b[1] = 10;
		be32(b + 2, v);
		be32(b + 6, e);
		return put(out, len, b, 10, err, errlen);
	}
	if (!strcmp(it->name, "sack")) {
		/* sack=L-R[:L-R]... : one option with up to 4 blocks */
		char *blk = it->val;
		size_t n = 2;

		while (blk && *blk) {
			char *next = strchr(blk, ':'), *dash;

			if (next)
				*next++ = '\0';
			dash = strchr(blk, '-');
			if (!dash || n + 8 > 34)
				return fail(err, errlen, "sack needs L-R[:L-R]... (at most 4 blocks)");
			*dash = '\0';
			if (pktcraft_parse_uint(blk, UINT32_MAX, &v) ||
			    pktcraft_parse_uint(dash + 1, UINT32_MAX, &e))
				return fail(err, errlen, "sack edges are 32-bit numbers");
			be32(b + n, v);
			be32(b + n + 4, e);
			n += 8;
			blk = next;
		}
		if (n == 2)
			return fail(err, errlen, "sack needs L-R");
		b[0] = 5, b[1] = n;
		return put(out, len, b, n, err, errlen);
	}
	return fail(err, errlen, "unknown TCP option '%s' (mss, wscale, sackok, ts, sack, nop, eol, raw)",
		    it->name);
}

/*
 * One IP option item other than eol, nop and raw: Record Route (type 7,
 * length, pointer 4) or Timestamp, timestamps only (type 68, length,
 * pointer 5, flag 0), with SLOTS empty 4-byte slots (default 9).
 */
static int ip_item(struct opt_item *it, uint8_t *b, uint8_t *out, size_t *len,
		   char *err, size_t errlen)
{
	int rr = !strcmp(it->name, "rr"), head = rr ? 3 : 4;
	uint64_t slots = 9;

	if (!rr && strcmp(it->name, "ts"))
		return fail(err, errlen, "unknown IP option '%s' (rr[=N], ts[=N], nop, eol, raw)",
			    it->name);
	if (it->val && need_uint(it, 9, &slots, err, errlen))
		return -EINVAL;
	if (!slots)
		return fail(err, errlen, "%s needs 1..9 slots", it->name);
	memset(b, 0, PKTCRAFT_MAX_OPTLEN);
	b[0] = rr ? 7 : 68, b[1] = head + 4 * slots, b[2] = head + 1;
	return put(out, len, b, b[1], err, errlen);
}

/* A comma-separated option list: eol, nop and raw=HEX here, the rest by item(). */
static int parse_opts(const char *spec, uint8_t *out, size_t *len, char *err,
		      size_t errlen,
		      int (*item)(struct opt_item *, uint8_t *, uint8_t *, size_t *,
				  char *, size_t))
{
	char *copy = strdup(spec), *cur = copy;
	struct opt_item it;
	int rc = 0, more;

	if (!copy)
		return -ENOMEM;
	while (!rc && (more = next_item(&cur, &it, err, errlen)) > 0) {
		uint8_t b[PKTCRAFT_MAX_OPTLEN];

		if (!strcmp(it.name, "eol") || !strcmp(it.name, "nop")) {
			b[0] = it.name[0] == 'n';
			rc = put(out, len, b, 1, err, errlen);
		} else if (!strcmp(it.name, "raw")) {
			rc = raw_item(&it, out, len, err, errlen);
		} else {
			rc = item(&it, b, out, len, err, errlen);
		}
	}
	free(copy);
	return rc ? rc : (more < 0 ? more : 0);
}

int pktcraft_parse_tcp_opts(const char *spec, uint8_t *out, size_t *len,
			    char *err, size_t errlen)
{
	return parse_opts(spec, out, len, err, errlen, tcp_item);
}

int pktcraft_parse_ip_opts(const char *spec, uint8_t *out, size_t *len,
			   char *err, size_t errlen)
{
	return parse_opts(spec, out, len, err, errlen, ip_item);
}

int pktcraft_parse_ipv6(const char *s, uint8_t addr[16])
{
	struct in6_addr a;

	if (!s || inet_pton(AF_INET6, s, &a) != 1)
		return -EINVAL;
	memcpy(addr, &a, sizeof(a));
	return 0;
}

/* ------------------------------------------------ IPv6 extension headers */

static int num(const char *s, uint64_t max, uint64_t *v)
{
	return !s || pktcraft_parse_uint(s, max, v);
}

/* TLVS of a Hop-by-Hop or Destination Options header: pad1,padn=N,ra=N,... */
static int ext_tlvs(char *list, uint8_t *out, size_t max, size_t *len, char *err,
		    size_t errlen)
{
	static const char what[] = "(pad1, padn=N, ra=N, jumbo=N, raw=HEX)";
	size_t n = 0;

	for (char *item = list; item && *item; ) {
		char *comma = strchr(item, ','), *val = strchr(item, '=');
		uint8_t b[8];
		size_t k = 0;
		uint64_t v;

		if (comma)
			*comma = '\0';
		if (val && (!comma || val < comma))
			*val++ = '\0';
		else
			val = NULL;
		if (!strcmp(item, "pad1") && !val) {
			b[k++] = 0;
		} else if (!strcmp(item, "padn")) {
			if (num(val, 257, &v) || v < 2)
				return fail(err, errlen, "padn=N: N is the option's length in bytes, 2..257");
			if (n + v > max)
				goto big;
			out[n] = 1;
			out[n + 1] = v - 2;
			memset(out + n + 2, 0, v - 2);
			n += v;
		} else if (!strcmp(item, "ra")) {
			if (num(val, 0xffff, &v))
				return fail(err, errlen, "ra=N: N is the Router Alert value, 0..65535");
			b[k++] = 5;
			b[k++] = 2;
			be16(b + k, v);
			k += 2;
		} else if (!strcmp(item, "jumbo")) {
			if (num(val, UINT32_MAX, &v))
				return fail(err, errlen, "jumbo=N: N is the Jumbo Payload length, a 32-bit number");
			b[k++] = 0xc2;
			b[k++] = 4;
			be32(b + k, v);
			k += 4;
		} else if (!strcmp(item, "raw")) {
			size_t got;

			if (!val || pktcraft_parse_hex(val, out + n, max - n, &got))
				return fail(err, errlen, "raw=HEX: hex bytes (at most %zu in all)", max);
			n += got;
		} else {
			return fail(err, errlen, "unknown option '%s%s' %s", item,
				    val ? "=..." : "", what);
		}
		if (n + k > max)
			goto big;
		memcpy(out + n, b, k);
		n += k;
		item = comma ? comma + 1 : NULL;
	}
	*len = n;
	return 0;
big:
	return fail(err, errlen, "the options exceed %zu bytes", max);
}

/* A modifier is a ':'-separated word that begins with a letter past 'f'. */
static int is_modifier(const char *t)
{
	return isalpha((unsigned char)*t) && tolower((unsigned char)*t) > 'f';
}

int pktcraft_parse_ext(const char *spec, struct pktcraft_ext *e, uint8_t *data,
		       size_t max, size_t *len, char *err, size_t errlen)
{
	static const char kinds[] = "hbh[=TLVS], dst[=TLVS], rt=TYPE:ADDR,..., frag=ID:OFFSET, ext=NH:HEX";
	char *copy, *body, *mods = NULL, *val, *p;
	uint8_t rt_hdr[4];
	int have_left = 0, have_hdr = 0, have_raw = 0, rc = -EINVAL;
	uint64_t v, left = 0;
	size_t n = 0;

	memset(e, 0, sizeof(*e));
	*len = 0;
	if (max > PKTCRAFT_MAX_EXT_LEN)
		max = PKTCRAFT_MAX_EXT_LEN;
	if (!spec || !*spec)
		return fail(err, errlen, "an empty spec (%s)", kinds);
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	/* The trailing modifiers: from the first ':' followed by a modifier word. */
	for (p = strchr(copy, ':'); p; p = strchr(p + 1, ':'))
		if (is_modifier(p + 1)) {
			char *q;

			for (q = p + 1; (q = strchr(q, ':')); q++)
				if (!is_modifier(q + 1))
					break;
			if (q)
				continue;	/* a word inside the body ("ra" of TLVs) */
			*p = '\0';
			mods = p + 1;
			break;
		}
	body = copy;
	val = strchr(body, '=');
	p = strchr(body, ':');
	if (val && (!p || val < p))
		*val++ = '\0';
	else if (p) {
		*p = '\0';
		val = NULL;
		fail(err, errlen, "'%s' needs '=' (%s)", body, kinds);
		goto out;
	} else {
		val = NULL;
	}

	if (!strcmp(body, "hbh") || !strcmp(body, "dst")) {
		e->type = body[0] == 'h' ? PKTCRAFT_EXT_HBH : PKTCRAFT_EXT_DST;
		if (val && (rc = ext_tlvs(val, data, max - 2, &n, err, errlen)))
			goto out;
		rc = -EINVAL;
	} else if (!strcmp(body, "rt")) {
		char *colon = val ? strchr(val, ':') : NULL;

		e->type = PKTCRAFT_EXT_RT;
		if (colon)
			*colon = '\0';
		if (num(val, 0xff, &v)) {
			fail(err, errlen, "rt=TYPE:ADDR,ADDR...: TYPE is 0..255");
			goto out;
		}
		e->rt_type = v;
		for (char *a = colon ? colon + 1 : NULL; a && *a; ) {
			char *comma = strchr(a, ',');

			if (comma)
				*comma = '\0';
			if (n + 16 > max - 8) {
				fail(err, errlen, "rt: at most %zu addresses", (max - 8) / 16);
				goto out;
			}
			if (pktcraft_parse_ipv6(a, data + n)) {
				fail(err, errlen, "rt: '%s' is not an IPv6 address", a);
				goto out;
			}
			n += 16;
			a = comma ? comma + 1 : NULL;
		}
	} else if (!strcmp(body, "frag")) {
		char *colon = val ? strchr(val, ':') : NULL;

		e->type = PKTCRAFT_EXT_FRAG;
		if (colon)
			*colon++ = '\0';
		if (num(val, UINT32_MAX, &v)) {
			fail(err, errlen, "frag=ID:OFFSET: ID is a 32-bit number");
			goto out;
		}
		e->frag_id = v;
		if (num(colon, 0x1fff, &v)) {
			fail(err, errlen, "frag=ID:OFFSET: OFFSET is 0..8191, in 8-byte units");
			goto out;
		}
		e->frag_off = v;
	} else if (!strcmp(body, "ext")) {
		char *colon = val ? strchr(val, ':') : NULL;

		e->type = PKTCRAFT_EXT_RAW;
		if (colon)
			*colon++ = '\0';
		if (num(val, 0xff, &v) || !colon) {
			fail(err, errlen, "ext=NH:HEX: NH is the header's protocol number 0..255, HEX its bytes after the first two");
			goto out;
		}
		e->proto = v;
		if (pktcraft_parse_hex(colon, data, max - 2, &n)) {
			fail(err, errlen, "ext=NH:HEX: HEX is hex bytes (at most %zu)", max - 2);
			goto out;
		}
	} else {
		fail(err, errlen, "unknown extension header '%s' (%s)", body, kinds);
		goto out;
	}
	/* Modifiers. */
	for (char *m = mods; m && *m; ) {
		char *colon = strchr(m, ':'), *mv;
		int is_rt = e->type == PKTCRAFT_EXT_RT;

		if (colon)
			*colon = '\0';
		mv = strchr(m, '=');
		if (mv)
			*mv++ = '\0';
		if (!strcmp(m, "nh") || !strcmp(m, "len")) {
			if (num(mv, 0xff, &v)) {
				fail(err, errlen, ":%s=N: N is 0..255", m);
				goto out;
			}
			if (m[0] == 'n') {
				e->flags |= PKTCRAFT_EXT_F_NEXTHDR;
				e->nexthdr = v;
			} else {
				e->flags |= PKTCRAFT_EXT_F_HDRLEN;
				e->hdrlen = v;
			}
		} else if (!strcmp(m, "nopad") && !mv) {
			if (e->type != PKTCRAFT_EXT_HBH && e->type != PKTCRAFT_EXT_DST) {
				fail(err, errlen, ":nopad is for hbh and dst (their padding)");
				goto out;
			}
			e->flags |= PKTCRAFT_EXT_F_NOPAD;
		} else if (!strcasecmp(m, "m") && !mv) {
			if (e->type != PKTCRAFT_EXT_FRAG) {
				fail(err, errlen, ":m (More Fragments) is for frag");
				goto out;
			}
			e->flags |= PKTCRAFT_EXT_F_MORE;
		} else if (!strcmp(m, "left") && is_rt) {
			if (num(mv, 0xff, &left)) {
				fail(err, errlen, ":left=N: N is 0..255");
				goto out;
			}
			have_left = 1;
		} else if (!strcmp(m, "hdr") && is_rt) {
			size_t got;

			if (!mv || pktcraft_parse_hex(mv, rt_hdr, sizeof(rt_hdr), &got) || got != 4) {
				fail(err, errlen, ":hdr=HEX: the 4 bytes after Segments Left, 8 hex digits");
				goto out;
			}
			have_hdr = 1;
		} else if (!strcmp(m, "raw") && is_rt) {
			if (n) {
				fail(err, errlen, "rt: addresses or :raw=HEX, not both");
				goto out;
			}
			if (!mv || pktcraft_parse_hex(mv, data, max - 8, &n)) {
				fail(err, errlen, ":raw=HEX: hex bytes (at most %zu)", max - 8);
				goto out;
			}
			have_raw = 1;
		} else if (!strcmp(m, "left") || !strcmp(m, "hdr") || !strcmp(m, "raw")) {
			fail(err, errlen, ":%s is for rt", m);
			goto out;
		} else {
			fail(err, errlen, "unknown modifier ':%s' (nh=N, len=N, nopad, m, left=N, hdr=HEX, raw=HEX)", m);
			goto out;
		}
		m = colon ? colon + 1 : NULL;
	}

	if (e->type == PKTCRAFT_EXT_RT) {
		unsigned int addrs = have_raw ? 0 : n / 16;

		/* Segment Routing's list holds the destination too (RFC 8754). */
		e->segleft = have_left ? left : e->rt_type == 4 && addrs ? addrs - 1 : addrs;
		if (have_hdr)
			memcpy(e->rt_data, rt_hdr, 4);
		else if (e->rt_type == 4 && addrs)
			e->rt_data[0] = addrs - 1;	/* Last Entry */
	}
	/* Without a forced Hdr Ext Len the header is a multiple of 8 bytes. */
	if (!(e->flags & PKTCRAFT_EXT_F_HDRLEN)) {
		size_t size = e->type == PKTCRAFT_EXT_FRAG ? 8 : e->type == PKTCRAFT_EXT_RT ? 8 + n : 2 + n;

		if ((e->type == PKTCRAFT_EXT_HBH || e->type == PKTCRAFT_EXT_DST) &&
		    !(e->flags & PKTCRAFT_EXT_F_NOPAD))
			size = (size + 7) & ~(size_t)7;
		if (size % 8) {
			fail(err, errlen, "the header would be %zu bytes, not a multiple of 8 (give :len=N to force its length%s)",
			     size, e->type == PKTCRAFT_EXT_RAW ? "; ext=NH:HEX wants 6, 14, 22 ... bytes of HEX" : "");
			goto out;
		}
		/* AH's length counts 4-octet units less 2, in one byte (RFC 4302). */
		if (e->type == PKTCRAFT_EXT_RAW && e->proto == 51 && size > 1024) {
			fail(err, errlen, "an Authentication Header (ext=51:) is at most 1024 bytes, not %zu: its length counts 4-byte units less 2 in one byte (give :len=N to force it)",
			     size);
			goto out;
		}
	}
	e->len = n;
	e->data = n ? (uintptr_t)data : 0;
	*len = n;
	rc = 0;
out:
	free(copy);
	return rc;
}
