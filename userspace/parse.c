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
	if (!isxdigit((unsigned char)*s) || (base == 10 && !isdigit((unsigned char)*s)))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int pktcraft_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		mac[i] = b[i];
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
	{ "ns", PKTCRAFT_TCP_NS }, { "ae", PKTCRAFT_TCP_NS },
	{ "all", 0xff }, { "none", 0 },
};

static int flag_name(const char *s, size_t n, uint16_t *bits)
{
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (strlen(flag_names[i].name) == n &&
		    !strncasecmp(s, flag_names[i].name, n)) {
			*bits = flag_names[i].bits;
			return 1;
		}
	return 0;
}

/*
 * Letters S A F R P U E C ("+N" adds NS/AE, "." none), names separated by
 * commas ("syn,ack"; one name alone is a name: "ece" is ECE), or a number.
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
	if (strchr(s, ',') || flag_name(s, strlen(s), &bits)) {
		for (const char *p = s; ; ) {
			size_t n = strcspn(p, ",");

			if (!flag_name(p, n, &bits))
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
