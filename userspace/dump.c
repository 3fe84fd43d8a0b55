// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpktcraft: showing the bytes. One walker names every header field of a
 * frame; two printers turn that into an annotated hex dump or into JSON.
 *
 * Without the request, the walker decodes what the bytes say (a lying IHL
 * or data offset is followed when it fits the frame). With the request the
 * frame was built from (pktcraft_dump_*_req), it knows the real header and
 * option sizes: a forced IHL, data offset or length is shown and flagged but
 * not followed, and the option padding pktcraft added is labelled as such.
 * Anything malformed (wrong checksum, lying length, reserved bits, bad
 * option) is flagged in the text and listed under "malformed" in JSON.
 *
 * IPv6 (Ethertype 0x86DD, or a bare packet of version 6): the header, then
 * the extension headers chained by their next header (the request's chain
 * and sizes when it is known), then layer 4 with its checksum over the IPv6
 * pseudo-header (RFC 8200 section 8.1: the final destination of a Routing
 * header, the home address of a Home Address option).
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "libpktcraft.h"
#include "internal.h"

#define NAME_COL 20	/* width of the field name column */
#define BYTES_COL 28	/* width of the bytes column */

struct printer {
	FILE *f;
	int json;
	int in_layer, first_field;
	const uint8_t *frame;
	const struct pktcraft_req *req;	/* NULL: decode from the bytes only */
	const char *layer;		/* JSON key of the current layer */
	int in_ext;			/* JSON: inside the "ext" array */
	int ip6;			/* layer 4 is over IPv6 */
	int csum_partial;		/* layer 4 of a fragment: CSUM_PARTIAL */
	int has_eth;			/* the frame has an Ethernet header */
	char ext_key[16];		/* "ext[N]": the layer of a flag */
	const char *l4_note;		/* appended to the layer 4 title */
	char malformed[1024];		/* "ip.ihl: ...", separated by '\n' */
	/* The request's malformations (pktcraft_req_malformations()), once
	 * the frame is known to be built from it; NULL: judge the bytes. */
	const struct pktcraft_malformation *malf;
	int nmalf;
};

static unsigned int get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* RFC 1071: 16-bit big-endian words, odd byte padded, carries folded. */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += get16(p);
	if (len)
		sum += p[0] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void flag(struct printer *pr, const char *field, const char *fmt, ...)
{
	size_t n = strlen(pr->malformed);
	va_list ap;

	if (n + 2 >= sizeof(pr->malformed))
		return;
	n += snprintf(pr->malformed + n, sizeof(pr->malformed) - n, "%s%s.%s: ",
		      n ? "\n" : "", pr->layer, field);
	if (n >= sizeof(pr->malformed))
		return;
	va_start(ap, fmt);
	vsnprintf(pr->malformed + n, sizeof(pr->malformed) - n, fmt, ap);
	va_end(ap);
}

/*
 * Whether a field is malformed: with the request, what the library judged
 * from it (the one judgment the CLI's warning also shows); from the bytes
 * alone, the decoder's own reason (or NULL).
 */
static const char *judged_key(const struct printer *pr, const char *key)
{
	for (int i = 0; i < pr->nmalf; i++)
		if (pr->malf[i].on_wire && !strcmp(pr->malf[i].field, key))
			return pr->malf[i].why;
	return NULL;
}

static const char *judged(const struct printer *pr, const char *field,
			  const char *from_bytes)
{
	char key[32];

	if (!pr->malf)
		return from_bytes;
	snprintf(key, sizeof(key), "%s.%s", pr->layer, field);
	return judged_key(pr, key);
}

/* JSON: a string of printable ASCII (the only kind this file produces). */
static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
			fputc(*s, f);
	}
	fputc('"', f);
}

static void layer(struct printer *pr, const char *key, const char *title,
		  size_t off, size_t len)
{
	pr->layer = key;
	if (pr->json) {
		fprintf(pr->f, "%s\"%s\":{", !pr->in_layer ? "" : pr->in_ext ? "}]," : "},",
			key);
	} else {
		fprintf(pr->f, "\n%s, %zu byte%s at 0x%04zx%s\n", title, len,
			len == 1 ? "" : "s", off,
			!strcmp(key, "tcp") || !strcmp(key, "udp") || !strcmp(key, "icmp") ||
			!strcmp(key, "icmpv6") ? pr->l4_note : "");
	}
	pr->in_ext = 0;
	pr->in_layer = 1;
	pr->first_field = 1;
}

static void jkey(struct printer *pr, const char *name)
{
	fprintf(pr->f, "%s\"%s\":", pr->first_field ? "" : ",", name);
	pr->first_field = 0;
}

/* The offset and (up to 8) bytes of a field, then its name. */
static void text_prefix(struct printer *pr, size_t off, size_t len,
			const char *name)
{
	size_t i;
	int col = 0;

	fprintf(pr->f, "  %04zx  ", off);
	for (i = 0; i < len && i < 8; i++)
		col += fprintf(pr->f, "%02x ", pr->frame[off + i]);
	if (len > 8)
		col += fprintf(pr->f, "..");
	fprintf(pr->f, "%*s%-*s ", BYTES_COL - col, "", NAME_COL - 1, name);
}

/*
 * A field: its bytes, a name, a value as text and as a JSON value (the
 * text as a JSON string when jvalue is NULL). bad: why it is malformed.
 */
static void field_bad(struct printer *pr, size_t off, size_t len,
		      const char *name, const char *text, const char *jvalue,
		      const char *bad)
{
	if (bad)
		flag(pr, name, "%s", bad);
	if (pr->json) {
		jkey(pr, name);
		if (jvalue)
			fputs(jvalue, pr->f);
		else
			jstr(pr->f, text);
		return;
	}
	text_prefix(pr, off, len, name);
	if (bad)
		fprintf(pr->f, "%s  <- MALFORMED: %s\n", text, bad);
	else
		fprintf(pr->f, "%s\n", text);
}

static void field(struct printer *pr, size_t off, size_t len, const char *name,
		  const char *text, const char *jvalue)
{
	field_bad(pr, off, len, name, text, jvalue, NULL);
}

/* A number shown with fmt (which may use the value twice). */
static void numfield_bad(struct printer *pr, size_t off, size_t len,
			 const char *name, unsigned long long v, const char *fmt,
			 const char *bad)
{
	char text[96], num[24];

	snprintf(text, sizeof(text), fmt, v, v);
	snprintf(num, sizeof(num), "%llu", v);
	field_bad(pr, off, len, name, text, num, bad);
}

static void numfield(struct printer *pr, size_t off, size_t len,
		     const char *name, unsigned long long v, const char *fmt)
{
	numfield_bad(pr, off, len, name, v, fmt, NULL);
}

static void hexstr(FILE *f, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
}

/* Data bytes: full hex in JSON; in text the start, and ASCII if printable. */
static void datafield(struct printer *pr, size_t off, size_t len,
		      const char *name)
{
	const uint8_t *p = pr->frame + off;
	size_t i, shown = len < 16 ? len : 16;
	int printable = 1;

	if (pr->json) {
		jkey(pr, name);
		fputc('"', pr->f);
		hexstr(pr->f, p, len);
		fputc('"', pr->f);
		return;
	}
	text_prefix(pr, off, len, name);
	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			printable = 0;
	if (printable && len <= 48) {
		fprintf(pr->f, "\"%.*s\"\n", (int)len, (const char *)p);
		return;
	}
	for (i = 0; i < shown; i++)
		fprintf(pr->f, "%02x", p[i]);
	fprintf(pr->f, "%s\n", len > shown ? "..." : "");
}

/* csumfield() modes */
#define CSUM_ZERO_NONE		1	/* 0: not checksummed (UDP over IPv4) */
#define CSUM_ZERO_FORBIDDEN	2	/* 0: no checksum, forbidden (UDP over IPv6) */
#define CSUM_PARTIAL		4	/* covers more than these bytes (a fragment) */

static void csumfield(struct printer *pr, size_t off, const char *name,
		      uint16_t want, int mode)
{
	unsigned int have = get16(pr->frame + off);
	int ok = have == want || (mode & CSUM_ZERO_NONE && have == 0);
	char text[128], json[64], bad[96];

	snprintf(bad, sizeof(bad), "incorrect, should be 0x%04x", want);
	if (mode & CSUM_ZERO_NONE && have == 0) {
		snprintf(text, sizeof(text), "0x0000 (none: not checksummed)");
	} else if (mode & CSUM_ZERO_FORBIDDEN && have == 0) {
		snprintf(text, sizeof(text), "0x0000 (none: forbidden over IPv6)");
		snprintf(bad, sizeof(bad),
			 "0, no checksum: forbidden over IPv6 (RFC 8200 8.1), should be 0x%04x",
			 want);
	} else if (ok) {
		snprintf(text, sizeof(text), "0x%04x (correct)", have);
	} else if (mode & CSUM_PARTIAL) {
		snprintf(text, sizeof(text),
			 "0x%04x (not checked: it covers the whole datagram, this fragment alone gives 0x%04x)",
			 have, want);
	} else {
		snprintf(text, sizeof(text), "0x%04x (INCORRECT)", have);
	}
	snprintf(json, sizeof(json), "%u,\"%s_ok\":%s", have, name,
		 ok ? "true" : "false");
	field_bad(pr, off, 2, name, text, json,
		  ok || (mode & CSUM_PARTIAL && have) ? NULL : bad);
}

static void addrfield(struct printer *pr, size_t off, const char *name)
{
	const uint8_t *a = pr->frame + off;
	char text[20], json[24];

	snprintf(text, sizeof(text), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	snprintf(json, sizeof(json), "\"%s\"", text);
	field(pr, off, 4, name, text, json);
}

static void macfield(struct printer *pr, size_t off, const char *name)
{
	const uint8_t *m = pr->frame + off;
	char text[20], json[24];

	snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x", m[0],
		 m[1], m[2], m[3], m[4], m[5]);
	snprintf(json, sizeof(json), "\"%s\"", text);
	field(pr, off, 6, name, text, json);
}

/* ------------------------------------------------------------- options */

static const char *ip_opt_name(uint8_t t)
{
	switch (t) {
	case 0: return "EOL";
	case 1: return "NOP";
	case 7: return "Record Route";
	case 68: return "Timestamp";
	case 130: return "Security";
	case 131: return "Loose Source Route";
	case 137: return "Strict Source Route";
	case 148: return "Router Alert";
	default: return "unknown";
	}
}

static const char *tcp_opt_name(uint8_t k)
{
	switch (k) {
	case 0: return "EOL";
	case 1: return "NOP";
	case 2: return "MSS";
	case 3: return "Window scale";
	case 4: return "SACK permitted";
	case 5: return "SACK";
	case 8: return "Timestamps";
	case 28: return "User timeout";
	case 29: return "TCP-AO";
	case 30: return "MPTCP";
	case 34: return "Fast Open";
	default: return "unknown";
	}
}

/* Text of one option of olen bytes at o; json gets extra JSON members. */
static void describe_opt(const uint8_t *o, size_t olen, int tcp, char *text,
			 size_t tlen, char *json, size_t jlen)
{
	uint8_t k = o[0];
	size_t n, i;

	json[0] = '\0';
	if (k == 0) {
		snprintf(text, tlen, "EOL (end of option list)");
		return;
	}
	if (k == 1) {
		snprintf(text, tlen, "NOP");
		return;
	}
	if (tcp && k == 2 && olen == 4) {
		snprintf(text, tlen, "MSS %u", get16(o + 2));
		snprintf(json, jlen, ",\"mss\":%u", get16(o + 2));
	} else if (tcp && k == 3 && olen == 3) {
		if (o[2] <= 14)
			snprintf(text, tlen, "Window scale: shift %u (x%u)", o[2],
				 1u << o[2]);
		else
			snprintf(text, tlen, "Window scale: shift %u (above the maximum, 14)",
				 o[2]);
		snprintf(json, jlen, ",\"shift\":%u", o[2]);
	} else if (tcp && k == 4 && olen == 2) {
		snprintf(text, tlen, "SACK permitted");
	} else if (tcp && k == 5 && olen >= 10 && (olen - 2) % 8 == 0) {
		n = snprintf(text, tlen, "SACK");
		i = snprintf(json, jlen, ",\"blocks\":[");
		for (size_t b = 2; b < olen; b += 8) {
			if (n < tlen)
				n += snprintf(text + n, tlen - n, " %u-%u",
					      get32(o + b), get32(o + b + 4));
			if (i < jlen)
				i += snprintf(json + i, jlen - i, "%s[%u,%u]",
					      b > 2 ? "," : "", get32(o + b),
					      get32(o + b + 4));
		}
		if (i < jlen)
			snprintf(json + i, jlen - i, "]");
	} else if (tcp && k == 8 && olen == 10) {
		snprintf(text, tlen, "Timestamps: TSval %u, TSecr %u",
			 get32(o + 2), get32(o + 6));
		snprintf(json, jlen, ",\"tsval\":%u,\"tsecr\":%u", get32(o + 2),
			 get32(o + 6));
	} else if (!tcp && k == 7 && olen >= 3) {
		unsigned int slots = (olen - 3) / 4;
		unsigned int used = o[2] >= 4 ? (o[2] - 4) / 4 : 0;

		snprintf(text, tlen, "Record Route, pointer %u: %u slot%s, %u recorded",
			 o[2], slots, slots == 1 ? "" : "s",
			 used < slots ? used : slots);
		snprintf(json, jlen, ",\"pointer\":%u,\"slots\":%u", o[2], slots);
	} else if (!tcp && k == 68 && olen >= 4) {
		unsigned int flg = o[3] & 15, slots = (olen - 4) / 4;

		snprintf(text, tlen, "Timestamp, pointer %u, overflow %u, flag %u%s: %u slot%s",
			 o[2], o[3] >> 4, flg,
			 flg == 0 ? " (timestamps only)" :
			 flg == 1 ? " (with addresses)" :
			 flg == 3 ? " (prespecified addresses)" : "",
			 slots, slots == 1 ? "" : "s");
		snprintf(json, jlen, ",\"pointer\":%u,\"overflow\":%u,\"flag\":%u",
			 o[2], o[3] >> 4, flg);
	} else if (!tcp && k == 148 && olen == 4) {
		snprintf(text, tlen, "Router Alert, value %u", get16(o + 2));
		snprintf(json, jlen, ",\"value\":%u", get16(o + 2));
	} else {
		n = snprintf(text, tlen, "%s (kind %u), length %zu",
			     tcp ? tcp_opt_name(k) : ip_opt_name(k), k, olen);
		if (!tcp && n < tlen)
			snprintf(text + n, tlen - n, " [copy %u, class %u, number %u]",
				 k >> 7, (k >> 5) & 3, k & 31);
	}
}

/* Bytes [@from, @to) of an option area that are not options, labelled. */
static void byte_run(struct printer *pr, size_t from, size_t to, const char *key,
		     const char *label, const char *kind, const char *what)
{
	if (from >= to)
		return;
	if (pr->json) {
		jkey(pr, key);
		fputc('"', pr->f);
		hexstr(pr->f, pr->frame + from, to - from);
		fputc('"', pr->f);
	} else {
		text_prefix(pr, from, to - from, label);
		fprintf(pr->f, "%zu %sbyte%s %s\n", to - from, kind, to - from == 1 ? "" : "s", what);
	}
}

/*
 * One option of a list (key "kind" or "type": its number): JSON an object
 * of the list, text a row; bad: why it is malformed (flagged) or NULL.
 */
static void option_row(struct printer *pr, size_t off, size_t olen, const char *key,
		       unsigned int num, const char *name, const char *text,
		       const char *json, const char *bad, int first)
{
	if (bad)
		flag(pr, "options", "%s", bad);
	if (pr->json) {
		fprintf(pr->f, "%s{\"%s\":%u,\"name\":", first ? "" : ",", key, num);
		jstr(pr->f, name);
		fprintf(pr->f, ",\"length\":%zu%s,\"hex\":\"", olen, json);
		hexstr(pr->f, pr->frame + off, olen);
		fprintf(pr->f, "\"}");
		return;
	}
	text_prefix(pr, off, olen, "option");
	if (bad)
		fprintf(pr->f, "%s  <- MALFORMED: %s\n", text, bad);
	else
		fprintf(pr->f, "%s\n", text);
}

/* An option that does not fit its list: the rest of the list, flagged. */
static void bad_option(struct printer *pr, size_t off, size_t end, const char *key,
		       unsigned int num, const char *name, const char *bad, int first)
{
	flag(pr, "options", "%s", bad);
	if (pr->json) {
		fprintf(pr->f, "%s{\"%s\":%u,\"malformed\":true,\"hex\":\"", first ? "" : ",",
			key, num);
		hexstr(pr->f, pr->frame + off, end - off);
		fprintf(pr->f, "\"}");
	} else {
		text_prefix(pr, off, end - off, "option");
		fprintf(pr->f, "%s (%s %u)  <- MALFORMED: %s\n", name, key, num, bad);
	}
}

/*
 * An options area of len bytes at off. given: how many of them the request
 * gave (the rest is pktcraft's padding), or len when decoding bytes only.
 */
static void options(struct printer *pr, size_t off, size_t len, size_t given,
		    int tcp)
{
	size_t end = off + given, pad_end = off + len;
	char text[200], json[200];
	int after_eol = 0, first = 1;

	if (pr->json) {
		jkey(pr, "options");
		fputc('[', pr->f);
	}
	while (off < end && !after_eol) {
		uint8_t kind = pr->frame[off];
		size_t olen = 1;

		if (kind > 1) {
			olen = pktc_opt_len(pr->frame, off, end);
			if (!olen) {
				char bytes_bad[96];
				const char *bad;

				snprintf(bytes_bad, sizeof(bytes_bad),
					 "option kind %u claims %u bytes, %zu left", kind,
					 off + 1 < end ? pr->frame[off + 1] : 0, end - off);
				bad = judged(pr, "options", bytes_bad);
				bad_option(pr, off, end, "kind", kind, tcp ? tcp_opt_name(kind) :
					   ip_opt_name(kind), bad ? bad : bytes_bad, first);
				off = end;
				break;
			}
		}
		describe_opt(pr->frame + off, olen, tcp, text, sizeof(text),
			     json, sizeof(json));
		option_row(pr, off, olen, "kind", kind, tcp ? tcp_opt_name(kind) :
			   ip_opt_name(kind), text, json, NULL, first);
		first = 0;
		off += olen;
		after_eol = kind == 0;
	}
	if (pr->json)
		fputc(']', pr->f);
	/* Bytes alone: zeros after an EOL are the padding. */
	if (given == len) {
		size_t z = off;

		while (z < end && !pr->frame[z])
			z++;
		if (z == end)
			end = off;
	}
	/* Given bytes after an EOL, then pktcraft's own padding. */
	byte_run(pr, off, end, "after_eol", "after EOL", "", "after the end of the option list");
	byte_run(pr, end, pad_end, "padding", "padding", "zero (EOL) ", "to a 32-bit boundary");
}

/* ------------------------------------------------------------- layer 4 */

static void payload(struct printer *pr, const char *key, const char *title,
		    size_t off, size_t len)
{
	if (!len)
		return;
	layer(pr, key, title, off, len);
	if (pr->json)	/* the text has it in the title */
		numfield(pr, off, 0, "length", len, "%llu");
	datafield(pr, off, len, "data");
}

static void tcp(struct printer *pr, size_t off, size_t len, uint32_t pseudo,
		const struct pktc_layout *rl)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK",
					     "URG", "ECE", "CWR", "NS/AE" };
	const uint8_t *t = pr->frame + off;
	unsigned int doff, res, fl;
	size_t hlen, given;
	char text[128], bad[80], num[16];
	int i, n;

	if (len < 20) {
		payload(pr, "truncated", "TCP header, truncated", off, len);
		return;
	}
	doff = t[12] >> 4;
	res = (t[12] >> 1) & 7;
	fl = (t[12] & 1) << 8 | t[13];
	hlen = doff * 4;
	bad[0] = '\0';
	if (rl) {
		hlen = rl->l4_hlen;
		given = rl->l4_optlen;
	} else {
		if (hlen < 20 || hlen > len) {
			snprintf(bad, sizeof(bad), hlen < 20 ? "below the minimum of 5 words" :
				 "beyond the %zu bytes of the segment", len);
			hlen = 20;
		}
		given = hlen - 20;
	}
	layer(pr, "tcp", "TCP", off, hlen);
	numfield(pr, off, 2, "sport", get16(t), "%llu");
	numfield(pr, off + 2, 2, "dport", get16(t + 2), "%llu");
	numfield(pr, off + 4, 4, "seq", get32(t + 4), "%llu (0x%08llx)");
	numfield(pr, off + 8, 4, "ack", get32(t + 8), "%llu (0x%08llx)");
	snprintf(text, sizeof(text), "%u words (%u bytes)", doff, doff * 4);
	snprintf(num, sizeof(num), "%u", doff);
	field_bad(pr, off + 12, 1, "doff", text, num,
		  judged(pr, "doff", bad[0] ? bad : NULL));
	numfield_bad(pr, off + 12, 1, "reserved", res, "%llu",
		     judged(pr, "reserved", res ? "reserved bits set" : NULL));
	n = snprintf(text, sizeof(text), "0x%03x (", fl);
	for (i = 0; i < 9; i++)
		if (fl & (1 << i))
			n += snprintf(text + n, sizeof(text) - n, "%s%s",
				      text[n - 1] == '(' ? "" : ", ", names[i]);
	snprintf(text + n, sizeof(text) - n, "%s)", fl ? "" : "none");
	snprintf(num, sizeof(num), "%u", fl);
	field(pr, off + 12, 2, "flags", text, num);
	numfield(pr, off + 14, 2, "window", get16(t + 14), "%llu");
	csumfield(pr, off + 16, "checksum",
		  fold(sum16(t, 16, sum16(t + 18, len - 18, pseudo))), pr->csum_partial);
	numfield(pr, off + 18, 2, "urgent", get16(t + 18), "%llu");
	if (hlen > 20)
		options(pr, off + 20, hlen - 20, given, 1);
	payload(pr, "payload", "Payload", off + hlen, len - hlen);
}

static void udp(struct printer *pr, size_t off, size_t len, uint32_t pseudo)
{
	const uint8_t *u = pr->frame + off;
	unsigned int ulen;
	uint16_t want;
	char bad[64];

	if (len < 8) {
		payload(pr, "truncated", "UDP header, truncated", off, len);
		return;
	}
	ulen = get16(u + 4);
	snprintf(bad, sizeof(bad), "the datagram is %zu bytes", len);
	layer(pr, "udp", "UDP", off, 8);
	numfield(pr, off, 2, "sport", get16(u), "%llu");
	numfield(pr, off + 2, 2, "dport", get16(u + 2), "%llu");
	numfield_bad(pr, off + 4, 2, "length", ulen, "%llu",
		     judged(pr, "length", ulen != len ? bad : NULL));
	/* RFC 768: a computed 0 is sent as 0xffff; 0 means no checksum. */
	want = fold(sum16(u, 6, sum16(u + 8, len - 8, pseudo)));
	csumfield(pr, off + 6, "checksum", want ? want : 0xffff, pr->csum_partial |
		  (pr->ip6 ? CSUM_ZERO_FORBIDDEN : CSUM_ZERO_NONE));
	payload(pr, "payload", "Payload", off + 8, len - 8);
}

static const char *icmp_type_name(uint8_t t)
{
	switch (t) {
	case 0: return "echo reply";
	case 3: return "destination unreachable";
	case 4: return "source quench";
	case 5: return "redirect";
	case 8: return "echo request";
	case 9: return "router advertisement";
	case 10: return "router solicitation";
	case 11: return "time exceeded";
	case 12: return "parameter problem";
	case 13: return "timestamp";
	case 14: return "timestamp reply";
	default: return NULL;
	}
}

static const char *icmp6_type_name(uint8_t t)
{
	switch (t) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded";
	case 4: return "parameter problem";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 130: return "multicast listener query";
	case 131: return "multicast listener report";
	case 132: return "multicast listener done";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	case 137: return "redirect";
	case 143: return "multicast listener report v2";
	default: return NULL;
	}
}

static void addr6field(struct printer *pr, size_t off, const char *name)
{
	char text[INET6_ADDRSTRLEN], json[INET6_ADDRSTRLEN + 2];

	inet_ntop(AF_INET6, pr->frame + off, text, sizeof(text));
	snprintf(json, sizeof(json), "\"%s\"", text);
	field(pr, off, 16, name, text, json);
}

/* ICMP, or ICMPv6 over IPv6 (checksummed with the pseudo-header then). */
static void icmp(struct printer *pr, size_t off, size_t len, uint32_t pseudo)
{
	const uint8_t *c = pr->frame + off;
	const char *tname = !len ? NULL : pr->ip6 ? icmp6_type_name(c[0]) :
			    icmp_type_name(c[0]);
	char text[64], num[8];
	int echo;

	if (len < 8) {
		payload(pr, "truncated", pr->ip6 ? "ICMPv6 header, truncated" :
			"ICMP header, truncated", off, len);
		return;
	}
	echo = pr->ip6 ? c[0] == 128 || c[0] == 129 :
	       c[0] == 0 || c[0] == 8 || c[0] == 13 || c[0] == 14;
	layer(pr, pr->ip6 ? "icmpv6" : "icmp", pr->ip6 ? "ICMPv6" : "ICMP", off, 8);
	snprintf(text, sizeof(text), tname ? "%u (%s)" : "%u", c[0], tname);
	snprintf(num, sizeof(num), "%u", c[0]);
	field(pr, off, 1, "type", text, num);
	numfield(pr, off + 1, 1, "code", c[1], "%llu");
	csumfield(pr, off + 2, "checksum",
		  fold(sum16(c, 2, sum16(c + 4, len - 4, pr->ip6 ? pseudo : 0))),
		  pr->csum_partial);
	numfield(pr, off + 4, 2, "id", get16(c + 4),
		 echo ? "%llu (0x%04llx)" : "%llu (0x%04llx; unused for this type)");
	numfield(pr, off + 6, 2, "seq", get16(c + 6),
		 echo ? "%llu" : "%llu (unused for this type)");
	if (pr->ip6 && c[0] == 2)
		numfield(pr, off + 4, 4, "mtu", get32(c + 4), "%llu");
	if (pr->ip6 && c[0] == 4)
		numfield(pr, off + 4, 4, "pointer", get32(c + 4), "%llu");
	if (pr->ip6 && c[0] == 136) {
		static const char *const na[] = { "R router", "S solicited", "O override" };
		const char *sep = "";
		int n = snprintf(text, sizeof(text), "0x%02x (", c[4]);

		for (int i = 0; i < 3; i++)
			if (c[4] & 0x80 >> i) {
				n += snprintf(text + n, sizeof(text) - n, "%s%s", sep, na[i]);
				sep = ", ";
			}
		snprintf(text + n, sizeof(text) - n, "%s)", *sep ? "" : "none");
		snprintf(num, sizeof(num), "%u", c[4]);
		field(pr, off + 4, 1, "na_flags", text, num);
	}
	if (pr->ip6 && (c[0] == 135 || c[0] == 136 || c[0] == 137) && len >= 24)
		addr6field(pr, off + 8, "target");
	if (pr->ip6 && c[0] == 137 && len >= 40)
		addr6field(pr, off + 24, "destination");
	payload(pr, "payload", "Payload", off + 8, len - 8);
}

/* ---------------------------------------------------------------- IPv4 */

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case 0: return "HOPOPT (IPv6 only)";
	case 1: return "ICMP";
	case 2: return "IGMP";
	case 4: return "IPv4 in IPv4";
	case 6: return "TCP";
	case 17: return "UDP";
	case 41: return "IPv6";
	case 47: return "GRE";
	case 50: return "ESP";
	case 51: return "AH";
	case 89: return "OSPF";
	case 103: return "PIM";
	case 112: return "VRRP";
	case 132: return "SCTP";
	case 136: return "UDP-Lite";
	case 253: case 254: return "experimental";
	case 255: return "reserved";
	default: return NULL;
	}
}

/* The request's layout, if the frame with the IP header at l3 is its packet. */
static int real_layout(const struct pktcraft_req *req, const uint8_t *l3,
		       size_t avail, struct pktc_layout *rl)
{
	if (!req || avail < 20 || !pktc_layout(req, rl) || rl->ip_len > avail)
		return 0;
	/* The protocol byte is always what the request says (or filled). */
	if (req->l4 != PKTCRAFT_L4_RAW &&
	    l3[9] != (req->l4 == PKTCRAFT_L4_TCP ? 6 :
		      req->l4 == PKTCRAFT_L4_UDP ? 17 : 1))
		return 0;
	return 1;
}

static void ipv4(struct printer *pr, size_t off, size_t len)
{
	const uint8_t *ip = pr->frame + off;
	struct pktcraft_malformation malf[16];
	unsigned int ihl, frag, tot;
	size_t hlen, given, iplen;
	struct pktc_layout rl, *r = NULL;
	char text[128], bad[96], num[16];
	uint32_t pseudo;
	int l4;

	if (len < 20) {
		payload(pr, "truncated", "IPv4 header, truncated", off, len);
		return;
	}
	ihl = ip[0] & 15;
	frag = get16(ip + 6);
	tot = get16(ip + 2);
	hlen = ihl * 4;
	if (real_layout(pr->req, ip, len, &rl)) {
		r = &rl;
		pr->nmalf = pktcraft_req_malformations(pr->req, malf, 16);
		if (pr->nmalf > 16)
			pr->nmalf = 16;
		pr->malf = malf;
	}
	layer(pr, "ip", "IPv4", off, r ? r->ip_hlen : hlen <= len && hlen >= 20 ? hlen : 20);

	snprintf(text, sizeof(text), "%u", ip[0] >> 4);
	snprintf(num, sizeof(num), "%u", ip[0] >> 4);
	field_bad(pr, off, 1, "version", text, num,
		  judged(pr, "version", ip[0] >> 4 != 4 ? "not 4" : NULL));

	bad[0] = '\0';
	if (r) {
		hlen = r->ip_hlen;
		given = r->ip_optlen;
	} else {
		if (hlen < 20 || hlen > len) {
			snprintf(bad, sizeof(bad), hlen < 20 ?
				 "below the minimum of 5 words" :
				 "beyond the %zu bytes of the packet", len);
			hlen = 20;
		}
		given = hlen - 20;
	}
	snprintf(text, sizeof(text), "%u words (%u bytes)", ihl, ihl * 4);
	snprintf(num, sizeof(num), "%u", ihl);
	field_bad(pr, off, 1, "ihl", text, num, judged(pr, "ihl", bad[0] ? bad : NULL));
	snprintf(text, sizeof(text), "0x%02x (DSCP %u, ECN %u)", ip[1], ip[1] >> 2,
		 ip[1] & 3);
	snprintf(num, sizeof(num), "%u", ip[1]);
	field(pr, off + 1, 1, "tos", text, num);

	/* The real length: the request's, or the frame's (minus padding). */
	bad[0] = '\0';
	if (r) {
		iplen = r->ip_len;
	} else {
		iplen = len;
		if (tot > len)
			snprintf(bad, sizeof(bad), "the frame carries only %zu bytes",
				 len);
		else if (tot < hlen)
			snprintf(bad, sizeof(bad), "shorter than the header");
		else
			iplen = tot;	/* what follows is link padding */
	}
	numfield_bad(pr, off + 2, 2, "total_length", tot, "%llu",
		     judged(pr, "total_length", bad[0] ? bad : NULL));
	numfield(pr, off + 4, 2, "id", get16(ip + 4), "%llu (0x%04llx)");
	snprintf(text, sizeof(text), "0x%04x (%s%s%s%soffset %u = %u bytes)", frag,
		 frag & 0x8000 ? "RF, " : "", frag & 0x4000 ? "DF, " : "",
		 frag & 0x2000 ? "MF, " : "",
		 frag & 0xe000 ? "" : "no flags, ",
		 frag & 0x1fff, (frag & 0x1fff) * 8);
	snprintf(num, sizeof(num), "%u", frag);
	field_bad(pr, off + 6, 2, "frag", text, num,
		  judged(pr, "frag", frag & 0x8000 ? "reserved flag (RF) set" : NULL));
	if (pr->json) {
		jkey(pr, "flags");
		fprintf(pr->f, "{\"rf\":%u,\"df\":%u,\"mf\":%u},\"frag_offset\":%u",
			!!(frag & 0x8000), !!(frag & 0x4000), !!(frag & 0x2000),
			frag & 0x1fff);
	}
	numfield(pr, off + 8, 1, "ttl", ip[8], "%llu");
	snprintf(text, sizeof(text), proto_name(ip[9]) ? "%u (%s)" : "%u", ip[9],
		 proto_name(ip[9]));
	snprintf(num, sizeof(num), "%u", ip[9]);
	field(pr, off + 9, 1, "protocol", text, num);
	csumfield(pr, off + 10, "checksum",
		  fold(sum16(ip, 10, sum16(ip + 12, hlen - 12, 0))), 0);
	addrfield(pr, off + 12, "src");
	addrfield(pr, off + 16, "dst");
	if (hlen > 20)
		options(pr, off + 20, hlen - 20, given, 0);

	/* Layer 4: what the request built, else what the protocol says. */
	pr->l4_note = r && frag & 0x1fff ?
		      " (in a non-first fragment: receivers read it as data)" : "";
	pseudo = sum16(ip + 12, 8, ip[9] + (uint32_t)(iplen - hlen));
	l4 = r ? pr->req->l4 : frag & 0x1fff ? -1 :
	     ip[9] == 6 ? PKTCRAFT_L4_TCP : ip[9] == 17 ? PKTCRAFT_L4_UDP :
	     ip[9] == 1 ? PKTCRAFT_L4_ICMP : PKTCRAFT_L4_RAW;
	switch (l4) {
	case PKTCRAFT_L4_TCP:
		tcp(pr, off + hlen, iplen - hlen, pseudo, r);
		break;
	case PKTCRAFT_L4_UDP:
		udp(pr, off + hlen, iplen - hlen, pseudo);
		break;
	case PKTCRAFT_L4_ICMP:
		icmp(pr, off + hlen, iplen - hlen, 0);
		break;
	case PKTCRAFT_L4_RAW:
		payload(pr, "payload", "Payload (opaque)", off + hlen, iplen - hlen);
		break;
	default:
		payload(pr, "fragment", "Fragment data (not a first fragment)",
			off + hlen, iplen - hlen);
	}
	if (iplen < len)
		payload(pr, "eth_padding", "Ethernet padding (to the 60-byte minimum)",
			off + iplen, len - iplen);
	pr->malf = NULL;
}

/* ---------------------------------------------------------------- IPv6 */

/* Extension header kinds the walker decodes (from the bytes: by number). */
enum { X_HBH, X_DST, X_RT, X_FRAG, X_RAW, X_AH };

static const char *const ext_kind_key[] = { "hbh", "dst", "rt", "frag", "ext", "ah" };
static const char *const ext_kind_title[] = {
	"Hop-by-Hop Options", "Destination Options", "Routing", "Fragment",
	"Extension header", "Authentication Header",
};

/* The kind of extension header a next header number announces, or -1. */
static int ext_kind(uint8_t nh)
{
	switch (nh) {
	case 0: return X_HBH;
	case 60: return X_DST;
	case 43: return X_RT;
	case 44: return X_FRAG;
	case 51: return X_AH;
	/* RFC 7045's others: Mobility, HIP, Shim6, experimental */
	case 135: case 139: case 140: case 253: case 254: return X_RAW;
	default: return -1;
	}
}

static const char *ip6_proto_name(uint8_t p)
{
	switch (p) {
	case 0: return "Hop-by-Hop Options";
	case 43: return "Routing";
	case 44: return "Fragment";
	case 58: return "ICMPv6";
	case 59: return "No Next Header";
	case 60: return "Destination Options";
	case 135: return "Mobility";
	case 139: return "HIP";
	case 140: return "Shim6";
	default: return proto_name(p);
	}
}

/* What a request builds after the IPv6 header: its chain and sizes. */
struct ip6_layout {
	int n;				/* extension headers */
	struct {
		int kind;		/* X_* */
		uint8_t number;		/* its protocol number */
		size_t len;		/* the whole header */
		size_t given;		/* HBH, DST: 2 + the TLVs given */
	} ext[PKTCRAFT_MAX_EXT];
	uint8_t l4_number;		/* what follows the last one */
	struct pktc_layout l4;		/* pktc_layout(): l4_hlen, l4_optlen */
	size_t plen;			/* everything after the 40 bytes */
};

/*
 * The request's layout (its struct pktcraft_ext array read in this process,
 * where the request was made): 0 when it has none (not IPv6, out of range).
 */
static int ip6_layout(const struct pktcraft_req *req, struct ip6_layout *l)
{
	const struct pktcraft_ext *e = pktc_exts(req);
	static const uint8_t numbers[] = { 0, 60, 43, 44 };

	if (pktc_family(req) != AF_INET6 || !pktc_layout(req, &l->l4) ||
	    (req->ext_nr && !e) || l->l4.ip_len < 40)
		return 0;
	l->n = e ? req->ext_nr : 0;
	l->plen = l->l4.ip_len - 40;
	for (int i = 0; i < l->n; i++) {
		if (e[i].type > PKTCRAFT_EXT_RAW)
			return 0;
		/* AH's length counts 4-octet units, as the kernel writes it */
		l->ext[i].kind = e[i].type != PKTCRAFT_EXT_RAW ? (int)e[i].type :
				 e[i].proto == 51 ? X_AH : X_RAW;
		l->ext[i].number = e[i].type == PKTCRAFT_EXT_RAW ? e[i].proto :
				   numbers[e[i].type];
		l->ext[i].len = pktc_ext_size(&e[i]);
		l->ext[i].given = 2 + (size_t)e[i].len;
	}
	l->l4_number = req->l4 == PKTCRAFT_L4_TCP ? 6 : req->l4 == PKTCRAFT_L4_UDP ? 17 :
		       req->l4 == PKTCRAFT_L4_ICMP ? 58 : req->ip_protocol;
	return 1;
}

/* What the walk learnt on the way to layer 4. */
struct ip6_state {
	const uint8_t *src, *dst;	/* for the pseudo-header */
	int frag;			/* a Fragment header was seen */
	unsigned int frag_off, frag_m;
};

/*
 * IPv6 fields: the library's judgment (with the request) when it has one,
 * else the walker's own from the bytes and the request's layout. The
 * library names an extension header's fields ipv6.ext[N].nh and .len.
 */
static const char *judged_or(const struct printer *pr, const char *field,
			     const char *mine)
{
	const char *lib = pr->malf ? judged(pr, field, NULL) : NULL;
	char key[48];

	if (!lib && pr->malf && pr->layer == pr->ext_key) {
		snprintf(key, sizeof(key), "ipv6.%s.%s", pr->ext_key,
			 !strcmp(field, "next_header") ? "nh" : "len");
		if (!strcmp(field, "next_header") || !strcmp(field, "hdr_ext_len") ||
		    !strcmp(field, "reserved"))
			lib = judged_key(pr, key);
	}
	return lib ? lib : mine;
}

/* A next header field, checked against what follows when that is known. */
static void nhfield(struct printer *pr, size_t off, int want)
{
	uint8_t nh = pr->frame[off];
	const char *name = ip6_proto_name(nh);
	char text[96], num[8], bad[96];

	snprintf(text, sizeof(text), name ? "%u (%s)" : "%u", nh, name);
	snprintf(num, sizeof(num), "%u", nh);
	bad[0] = '\0';
	if (want >= 0 && nh != want)
		snprintf(bad, sizeof(bad), "%u, but what follows is %d%s%s%s", nh, want,
			 ip6_proto_name(want) ? " (" : "",
			 ip6_proto_name(want) ? ip6_proto_name(want) : "",
			 ip6_proto_name(want) ? ")" : "");
	field_bad(pr, off, 1, "next_header", text, num,
		  judged_or(pr, "next_header", bad[0] ? bad : NULL));
}

static const char *tlv_name(uint8_t t)
{
	switch (t) {
	case 0x00: return "Pad1";
	case 0x01: return "PadN";
	case 0x04: return "Tunnel Encapsulation Limit";
	case 0x05: return "Router Alert";
	case 0x06: return "Quick-Start";
	case 0x07: return "CALIPSO";
	case 0x08: return "SMF_DPD";
	case 0x63: return "RPL Option";
	case 0x6d: return "MPL Option";
	case 0x8a: return "Endpoint Identification";
	case 0xc2: return "Jumbo Payload";
	case 0xc9: return "Home Address";
	case 0xee: return "IP_DFF";
	default: return "unknown";
	}
}

/* Text (and JSON members) of one TLV of olen bytes at o. */
static void describe_tlv(const uint8_t *o, size_t olen, char *text, size_t tlen,
			 char *json, size_t jlen)
{
	static const char *const action[] = { "skip", "discard",
					      "discard, ICMP", "discard, ICMP unless multicast" };
	uint8_t t = o[0];

	json[0] = '\0';
	if (t == 0) {
		snprintf(text, tlen, "Pad1");
	} else if (t == 1) {
		snprintf(text, tlen, "PadN, %zu bytes", olen);
	} else if (t == 5 && olen == 4) {
		unsigned int v = get16(o + 2);

		snprintf(text, tlen, "Router Alert, value %u%s", v,
			 v == 0 ? " (MLD)" : v == 1 ? " (RSVP)" : v == 2 ? " (Active Networks)" : "");
		snprintf(json, jlen, ",\"value\":%u", v);
	} else if (t == 0xc2 && olen == 6) {
		snprintf(text, tlen, "Jumbo Payload, length %u", get32(o + 2));
		snprintf(json, jlen, ",\"jumbo_length\":%u", get32(o + 2));
	} else if (t == 4 && olen == 3) {
		snprintf(text, tlen, "Tunnel Encapsulation Limit %u", o[2]);
		snprintf(json, jlen, ",\"value\":%u", o[2]);
	} else if (t == 0xc9 && olen == 18) {
		char a[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, o + 2, a, sizeof(a));
		snprintf(text, tlen, "Home Address %s", a);
		snprintf(json, jlen, ",\"address\":\"%s\"", a);
	} else {
		snprintf(text, tlen, "%s (type %u), length %zu [unrecognised: %s; %s en route]",
			 tlv_name(t), t, olen, action[t >> 6],
			 t & 0x20 ? "may change" : "does not change");
	}
}

/*
 * The TLVs of a Hop-by-Hop or Destination Options header: [off, off + len)
 * of which the first given bytes are the request's (the rest is the padding
 * pktcraft added), or all when decoding bytes only.
 */
static void tlvs(struct printer *pr, size_t off, size_t len, size_t given,
		 struct ip6_state *st)
{
	size_t end = off + given, o = off, padrun = 0, padstart = off;
	char text[200], json[200], bad[96];
	int first = 1;

	if (pr->json) {
		jkey(pr, "options");
		fputc('[', pr->f);
	}
	while (o < end) {
		uint8_t t = pr->frame[o];
		size_t olen = 1;
		const char *why = NULL;

		if (t) {
			if (o + 1 >= end || o + 2 + pr->frame[o + 1] > end) {
				snprintf(bad, sizeof(bad), "option type %u claims %u bytes, %zu left",
					 t, o + 1 < end ? 2 + pr->frame[o + 1] : 2, end - o);
				bad_option(pr, o, end, "type", t, tlv_name(t), bad, first);
				first = 0;
				o = end;
				break;
			}
			olen = 2 + pr->frame[o + 1];
		}
		describe_tlv(pr->frame + o, olen, text, sizeof(text), json, sizeof(json));
		if (t > 1) {
			padrun = 0;
		} else {
			if (!padrun)
				padstart = o;
			padrun += olen;
		}
		bad[0] = '\0';
		if (t == 1) {
			for (size_t i = 2; i < olen; i++)
				if (pr->frame[o + i]) {
					snprintf(bad, sizeof(bad), "PadN at byte %zu of the header: padding bytes not zero",
						 o - off + 2);
					break;
				}
		}
		if (!bad[0] && t <= 1 && padrun > 7 && padrun - olen <= 7)
			snprintf(bad, sizeof(bad),
				 "%zu bytes of padding in a row from byte %zu of the header (more than 7: RFC 4942)",
				 padrun, padstart - off + 2);
		if (bad[0])
			why = bad;
		if (t == 0xc9 && olen == 18)
			st->src = pr->frame + o + 2;
		option_row(pr, o, olen, "type", t, tlv_name(t), text, json, why, first);
		first = 0;
		o += olen;
	}
	if (pr->json)
		fputc(']', pr->f);
	if (end < off + len) {
		const uint8_t *p = pr->frame + end;
		size_t n = off + len - end;
		int ok = n == 1 ? p[0] == 0 : p[0] == 1 && p[1] == n - 2;

		for (size_t i = 2; ok && i < n; i++)
			ok = !p[i];
		char run[120] = "";

		if (ok && padrun + n > 7) {	/* the options ended with padding too */
			snprintf(run, sizeof(run),
				 "%zu bytes of padding in a row (%zu given, %zu added; more than 7: RFC 4942)",
				 padrun + n, padrun, n);
			flag(pr, "options", "%s", run);
		}
		if (!ok)
			flag(pr, "padding", "not a Pad1 or a zero PadN of %zu bytes", n);
		byte_run(pr, end, off + len, "padding", "padding", "",
			 n == 1 ? "(Pad1) to a multiple of 8 octets" :
			 "(PadN) to a multiple of 8 octets");
		if (run[0] && !pr->json)
			fprintf(pr->f, "%*s<- MALFORMED: %s\n", NAME_COL + 8, "", run);
	}
}

/* Addresses at off, n of them: JSON a list under key, text rows "label[i]". */
static void addrlist(struct printer *pr, size_t off, size_t n, const char *key,
		     const char *label)
{
	char a[INET6_ADDRSTRLEN], name[24];

	if (pr->json) {
		jkey(pr, key);
		fputc('[', pr->f);
	}
	for (size_t i = 0; i < n; i++) {
		inet_ntop(AF_INET6, pr->frame + off + 16 * i, a, sizeof(a));
		if (pr->json) {
			fprintf(pr->f, "%s\"%s\"", i ? "," : "", a);
			continue;
		}
		snprintf(name, sizeof(name), "%s[%zu]", label, i);
		text_prefix(pr, off + 16 * i, 16, name);
		fprintf(pr->f, "%s\n", a);
	}
	if (pr->json)
		fputc(']', pr->f);
}

static const char *rt_type_name(uint8_t t)
{
	switch (t) {
	case 0: return "Source Route, deprecated by RFC 5095";
	case 1: return "Nimrod, deprecated";
	case 2: return "Type 2, Mobile IPv6";
	case 3: return "RPL Source Route";
	case 4: return "Segment Routing (SRH)";
	default: return NULL;
	}
}

/* A Routing header's body (len >= 4 bytes from off + 2). */
static void routing(struct printer *pr, size_t off, size_t len, struct ip6_state *st)
{
	const uint8_t *h = pr->frame + off;
	uint8_t type = h[2], left = h[3];
	size_t naddr = len >= 8 ? (len - 8) / 16 : 0;
	char text[96], num[8], bad[96];

	snprintf(text, sizeof(text), rt_type_name(type) ? "%u (%s)" : "%u", type,
		 rt_type_name(type));
	snprintf(num, sizeof(num), "%u", type);
	field(pr, off + 2, 1, "routing_type", text, num);
	bad[0] = '\0';
	if (type == 4 && len >= 8 && left > h[4])
		snprintf(bad, sizeof(bad), "%u, beyond the last entry (%u)", left, h[4]);
	else if ((type == 0 || type == 2) && left > naddr)
		snprintf(bad, sizeof(bad), "%u, but the header holds %zu address%s", left,
			 naddr, naddr == 1 ? "" : "es");
	numfield_bad(pr, off + 3, 1, "segments_left", left, "%llu",
		     judged_or(pr, "segments_left", bad[0] ? bad : NULL));
	if (len < 8) {
		if (len > 4)
			datafield(pr, off + 4, len - 4, "data");
		return;
	}
	if (type == 4) {
		size_t nseg = h[4] + 1u;

		bad[0] = '\0';
		if (nseg > naddr) {
			snprintf(bad, sizeof(bad), "%u: %zu segments, the header holds %zu", h[4],
				 nseg, naddr);
			nseg = naddr;
		}
		numfield_bad(pr, off + 4, 1, "last_entry", h[4], "%llu",
			     judged_or(pr, "last_entry", bad[0] ? bad : NULL));
		numfield(pr, off + 5, 1, "flags", h[5], "0x%02llx");
		numfield(pr, off + 6, 2, "tag", get16(h + 6), "%llu (0x%04llx)");
		addrlist(pr, off + 8, nseg, "addresses", "segment");
		if (left && nseg)
			st->dst = h + 8;
		if (8 + 16 * nseg < len)
			datafield(pr, off + 8 + 16 * nseg, len - 8 - 16 * nseg, "tlvs");
		return;
	}
	if (type == 0 || type == 2) {
		numfield(pr, off + 4, 4, "reserved", get32(h + 4), "0x%08llx");
		addrlist(pr, off + 8, naddr, "addresses", "address");
		if (8 + 16 * naddr < len)
			datafield(pr, off + 8 + 16 * naddr, len - 8 - 16 * naddr, "data");
	} else {
		datafield(pr, off + 4, len - 4, "data");
	}
	/* RFC 8200 8.1: the final destination, the last address. */
	if (left && len >= 24 && (len - 8) % 16 == 0)
		st->dst = h + len - 16;
}

/* A Fragment header (8 bytes at off). */
static void fragment(struct printer *pr, size_t off, struct ip6_state *st)
{
	const uint8_t *h = pr->frame + off;
	unsigned int frag = get16(h + 2);
	char text[128], num[16];

	numfield_bad(pr, off + 1, 1, "reserved", h[1], "%llu",
		     judged_or(pr, "reserved", h[1] ? "not 0" : NULL));
	snprintf(text, sizeof(text), "0x%04x (offset %u = %u bytes, %s%s)", frag,
		 frag >> 3, (frag >> 3) * 8, frag & 1 ? "M: more fragments" : "last fragment",
		 frag & 6 ? ", reserved bits set" : "");
	snprintf(num, sizeof(num), "%u", frag);
	field_bad(pr, off + 2, 2, "frag", text, num,
		  judged_or(pr, "frag", frag & 6 ? "reserved bits set" : NULL));
	if (pr->json)
		fprintf(pr->f, ",\"frag_offset\":%u,\"res\":%u,\"m\":%u", frag >> 3,
			(frag >> 1) & 3, frag & 1);
	numfield(pr, off + 4, 4, "id", get32(h + 4), "%llu (0x%08llx)");
	st->frag = 1;
	st->frag_off = frag >> 3;
	st->frag_m = frag & 1;
}

/*
 * Extension header i, of a kind and number, at off with avail bytes left in the
 * packet. re: the request's view of it (NULL: the bytes'); want: the next
 * header that must follow (-1: unknown). Returns its size, or 0 when the
 * walk cannot go on (truncated, or it runs past the packet).
 */
static size_t ext_header(struct printer *pr, int i, int kind, uint8_t number, size_t off,
			 size_t avail, const struct ip6_layout *r, int want,
			 struct ip6_state *st)
{
	const uint8_t *h = pr->frame + off;
	size_t size, given;
	char title[96], text[64], num[8], bad[128];

	snprintf(pr->ext_key, sizeof(pr->ext_key), "ext[%d]", i);
	if (r) {
		size = r->ext[i].len;
	} else if (avail < 2) {
		size = 8;
	} else {
		size = kind == X_FRAG ? 8 : kind == X_AH ? (h[1] + 2u) * 4 : (h[1] + 1u) * 8;
	}
	/* the layer: one object of the "ext" list in JSON */
	pr->layer = pr->ext_key;
	if (pr->json) {
		fprintf(pr->f, "%s", !pr->in_layer ? "\"ext\":[{" : pr->in_ext ? "},{" :
			"},\"ext\":[{");
		pr->in_layer = pr->in_ext = 1;
		pr->first_field = 1;
		jkey(pr, "kind");
		jstr(pr->f, ext_kind_key[kind]);
		jkey(pr, "number");
		fprintf(pr->f, "%u", number);
	} else {
		const char *name = ip6_proto_name(number);

		if (kind == X_RAW)
			snprintf(title, sizeof(title), "%s %u%s%s%s", ext_kind_title[kind], number,
				 name ? " (" : "", name ? name : "", name ? ")" : "");
		else
			snprintf(title, sizeof(title), "%s (%u)", ext_kind_title[kind], number);
		fprintf(pr->f, "\n%s: %s, %zu byte%s at 0x%04zx\n", pr->ext_key, title,
			size > avail ? avail : size, size == 1 ? "" : "s", off);
	}
	if (avail < 2 || (kind == X_FRAG && avail < 8)) {
		flag(pr, "length", "truncated: %zu byte%s of the header", avail,
		     avail == 1 ? "" : "s");
		if (avail)
			datafield(pr, off, avail, "truncated");
		return 0;
	}
	nhfield(pr, off, want);
	if (kind != X_FRAG) {
		bad[0] = '\0';
		if (!r && size > avail)
			snprintf(bad, sizeof(bad), "%u (%zu bytes): runs past the packet, %zu bytes left",
				 h[1], size, avail);
		else if (r && (kind == X_AH ? (h[1] + 2u) * 4 : (h[1] + 1u) * 8) != size)
			snprintf(bad, sizeof(bad), "%u (%u bytes), the header is %zu bytes", h[1],
				 kind == X_AH ? (h[1] + 2u) * 4 : (h[1] + 1u) * 8, size);
		snprintf(text, sizeof(text), kind == X_AH ? "%u ((%u + 2) * 4 = %u bytes)" :
			 "%u ((%u + 1) * 8 = %u bytes)", h[1], h[1],
			 kind == X_AH ? (h[1] + 2u) * 4 : (h[1] + 1u) * 8);
		snprintf(num, sizeof(num), "%u", h[1]);
		field_bad(pr, off + 1, 1, "hdr_ext_len", text, num,
			  judged_or(pr, "hdr_ext_len", bad[0] ? bad : NULL));
		if (size > avail) {
			if (avail > 2)
				datafield(pr, off + 2, avail - 2, "data");
			return 0;
		}
	}
	switch (kind) {
	case X_HBH:
	case X_DST:
		given = r && r->ext[i].given <= size ? r->ext[i].given : size;
		tlvs(pr, off + 2, size - 2, given - 2, st);
		break;
	case X_RT:
		if (size >= 4)
			routing(pr, off, size, st);
		break;
	case X_FRAG:
		fragment(pr, off, st);
		break;
	default:
		if (size > 2)
			datafield(pr, off + 2, size - 2, "data");
	}
	return size;
}

static void ipv6(struct printer *pr, size_t off, size_t len)
{
	const uint8_t *ip = pr->frame + off;
	struct pktcraft_malformation malf[16];
	struct ip6_layout rl, *r = NULL;
	struct ip6_state st = { .src = ip + 8, .dst = ip + 24 };
	unsigned int ver, plen, flow;
	size_t iplen, p, end, l4len;
	char text[128], bad[128], num[16];
	uint32_t pseudo;
	int l4, want, i;
	uint8_t nh;

	if (len < 40) {
		payload(pr, "truncated", "IPv6 header, truncated", off, len);
		return;
	}
	ver = ip[0] >> 4;
	flow = (ip[1] & 15) << 16 | get16(ip + 2);
	plen = get16(ip + 4);
	if (pr->req && ip6_layout(pr->req, &rl) && rl.plen <= len - 40) {
		r = &rl;
		pr->nmalf = pktcraft_req_malformations(pr->req, malf, 16);
		if (pr->nmalf > 16)
			pr->nmalf = 16;
		pr->malf = malf;
	}
	layer(pr, "ipv6", "IPv6", off, 40);
	snprintf(text, sizeof(text), "%u", ver);
	field_bad(pr, off, 1, "version", text, text,
		  judged_or(pr, "version", ver != 6 ? "not 6" : NULL));
	snprintf(text, sizeof(text), "0x%02x (DSCP %u, ECN %u)", (ip[0] & 15) << 4 | ip[1] >> 4,
		 ((ip[0] & 15) << 4 | ip[1] >> 4) >> 2, (ip[1] >> 4) & 3);
	snprintf(num, sizeof(num), "%u", (ip[0] & 15) << 4 | ip[1] >> 4);
	field(pr, off, 2, "traffic_class", text, num);
	numfield(pr, off + 1, 3, "flow_label", flow, "0x%05llx (%llu)");

	/* The real length: the request's, or the frame's. */
	bad[0] = '\0';
	if (r) {
		iplen = 40 + r->plen;
		if (plen != r->plen)
			snprintf(bad, sizeof(bad), "payload length %u, the payload is %zu bytes",
				 plen, r->plen);
	} else {
		size_t tail = len - 40 - plen;
		int padding = plen <= len - 40 && pr->has_eth && off + len == 60;

		for (size_t k = off + 40 + plen; padding && k < off + len; k++)
			padding = !pr->frame[k];
		iplen = padding ? 40 + plen : len;
		if (plen > len - 40)
			snprintf(bad, sizeof(bad), "the frame carries only %zu bytes after the header",
				 len - 40);
		else if (!padding && tail)
			snprintf(bad, sizeof(bad), "%zu bytes follow the %u it declares", tail, plen);
	}
	numfield_bad(pr, off + 4, 2, "payload_length", plen, "%llu",
		     judged_or(pr, "payload_length", bad[0] ? bad : NULL));
	nhfield(pr, off + 6, r ? (r->n ? r->ext[0].number : r->l4_number) : -1);
	numfield(pr, off + 7, 1, "hop_limit", ip[7], "%llu");
	addr6field(pr, off + 8, "src");
	addr6field(pr, off + 24, "dst");

	/* The extension headers: the request's chain, else the bytes'. */
	nh = ip[6];
	p = off + 40;
	end = off + iplen;
	l4 = -2;	/* -2: go on to layer 4; -1: stopped (truncated ...) */
	for (i = 0; ; i++) {
		int kind = r ? (i < r->n ? r->ext[i].kind : -1) : ext_kind(nh);
		size_t size;

		if (kind < 0 || (!r && st.frag && st.frag_off))
			break;
		if (!r && i >= PKTCRAFT_MAX_EXT * 4) {	/* 8 bytes each: bounded anyway */
			l4 = -1;
			break;
		}
		want = !r ? -1 : i + 1 < r->n ? r->ext[i + 1].number : r->l4_number;
		size = ext_header(pr, i, kind, r ? r->ext[i].number : nh, p, end - p, r,
				  want, &st);
		if (!size) {
			l4 = -1;
			break;
		}
		nh = pr->frame[p];
		p += size;
	}
	if (r && r->n)
		nh = r->l4_number;

	/* Layer 4: what the request built, else what the next header says. */
	l4len = end - p;
	pr->ip6 = 1;
	pr->l4_note = r && st.frag && st.frag_off ?
		      " (in a non-first fragment: receivers read it as data)" : "";
	pr->csum_partial = !r && st.frag && st.frag_m ? CSUM_PARTIAL : 0;
	pseudo = sum16(st.src, 16, sum16(st.dst, 16, (uint32_t)(l4len >> 16) +
					 (l4len & 0xffff) + (r ? r->l4_number : nh)));
	if (l4 == -2)
		l4 = r ? pr->req->l4 : st.frag && st.frag_off ? -3 :
		     nh == 6 ? PKTCRAFT_L4_TCP : nh == 17 ? PKTCRAFT_L4_UDP :
		     nh == 58 ? PKTCRAFT_L4_ICMP : nh == 59 ? -4 : PKTCRAFT_L4_RAW;
	switch (l4) {
	case PKTCRAFT_L4_TCP:
		tcp(pr, p, l4len, pseudo, r ? &r->l4 : NULL);
		break;
	case PKTCRAFT_L4_UDP:
		udp(pr, p, l4len, pseudo);
		break;
	case PKTCRAFT_L4_ICMP:
		icmp(pr, p, l4len, pseudo);
		break;
	case PKTCRAFT_L4_RAW:
		payload(pr, "payload", "Payload (opaque)", p, l4len);
		break;
	case -3:
		payload(pr, "fragment", "Fragment data (not a first fragment)", p, l4len);
		break;
	case -4:
		payload(pr, "payload", "Data after No Next Header", p, l4len);
		break;
	default:	/* stopped: the rest was shown */
		break;
	}
	if (iplen < len)
		payload(pr, "eth_padding", "Ethernet padding (to the 60-byte minimum)",
			off + iplen, len - iplen);
	pr->ip6 = 0;
	pr->csum_partial = 0;
	pr->malf = NULL;
}

static void walk(struct printer *pr, size_t len)
{
	const uint8_t *f = pr->frame;
	unsigned int type = len >= 14 ? get16(f + 12) : 0;

	if (type == 0x0800 || type == 0x86dd) {
		layer(pr, "eth", "Ethernet II", 0, 14);
		macfield(pr, 0, "dst");
		macfield(pr, 6, "src");
		numfield(pr, 12, 2, "type", type, type == 0x0800 ? "0x%04llx (IPv4)" :
			 "0x%04llx (IPv6)");
		pr->has_eth = 1;
		if (type == 0x86dd)
			ipv6(pr, 14, len - 14);
		else
			ipv4(pr, 14, len - 14);
		return;
	}
	/* No link layer: the request's family, else the version. */
	if (pr->req ? pktc_family(pr->req) == AF_INET6 : len && f[0] >> 4 == 6)
		ipv6(pr, 0, len);
	else
		ipv4(pr, 0, len);
}

static void hexdump(FILE *f, const uint8_t *p, size_t len)
{
	size_t i, j;

	fprintf(f, "\n");
	for (i = 0; i < len; i += 16) {
		fprintf(f, "%04zx  ", i);
		for (j = i; j < i + 16; j++) {
			if (j < len)
				fprintf(f, "%02x ", p[j]);
			else
				fprintf(f, "   ");
			if (j == i + 7)
				fprintf(f, " ");
		}
		fprintf(f, " ");
		for (j = i; j < i + 16 && j < len; j++)
			fputc(p[j] >= 32 && p[j] < 127 ? p[j] : '.', f);
		fprintf(f, "\n");
	}
}

void pktcraft_dump_text_req(FILE *f, const uint8_t *frame, size_t len,
			    const struct pktcraft_req *req)
{
	struct printer pr = { .f = f, .frame = frame, .req = req };
	const char *m;

	fprintf(f, "Frame: %zu bytes\n", len);
	walk(&pr, len);
	if (pr.malformed[0]) {
		fprintf(f, "\nMalformed:\n");
		for (m = pr.malformed; *m; ) {
			const char *nl = strchr(m, '\n');
			int n = nl ? (int)(nl - m) : (int)strlen(m);

			fprintf(f, "  %.*s\n", n, m);
			m += n + !!nl;
		}
	}
	hexdump(f, frame, len);
}

void pktcraft_dump_text(FILE *f, const uint8_t *frame, size_t len)
{
	pktcraft_dump_text_req(f, frame, len, NULL);
}

void pktcraft_dump_json_req(FILE *f, const uint8_t *frame, size_t len, int sent,
			    const struct pktcraft_req *req)
{
	struct printer pr = { .f = f, .json = 1, .frame = frame, .req = req };
	char *m, *nl;

	/* "sent" counts packets, as in a burst's summary: 0 or 1 here. */
	fprintf(f, "{\"sent\":%d,\"len\":%zu,\"frame\":\"", !!sent, len);
	hexstr(f, frame, len);
	fprintf(f, "\",");
	walk(&pr, len);
	fprintf(f, "%s\"malformed\":[", !pr.in_layer ? "" : pr.in_ext ? "}]," : "},");
	for (m = pr.malformed; *m; m = nl + 1) {
		nl = strchr(m, '\n');
		if (nl)
			*nl = '\0';
		fprintf(f, "%s", m == pr.malformed ? "" : ",");
		jstr(f, m);
		if (!nl)
			break;
	}
	fprintf(f, "]}\n");
}

void pktcraft_dump_json(FILE *f, const uint8_t *frame, size_t len, int sent)
{
	pktcraft_dump_json_req(f, frame, len, sent, NULL);
}
