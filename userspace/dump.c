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
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
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
static const char *judged(const struct printer *pr, const char *field,
			  const char *from_bytes)
{
	char key[32];

	if (!pr->malf)
		return from_bytes;
	snprintf(key, sizeof(key), "%s.%s", pr->layer, field);
	for (int i = 0; i < pr->nmalf; i++)
		if (pr->malf[i].on_wire && !strcmp(pr->malf[i].field, key))
			return pr->malf[i].why;
	return NULL;
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
		fprintf(pr->f, "%s\"%s\":{", pr->in_layer ? "}," : "", key);
	} else {
		fprintf(pr->f, "\n%s, %zu byte%s at 0x%04zx%s\n", title, len,
			len == 1 ? "" : "s", off,
			!strcmp(key, "tcp") || !strcmp(key, "udp") ||
			!strcmp(key, "icmp") ? pr->l4_note : "");
	}
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

static void csumfield(struct printer *pr, size_t off, const char *name,
		      uint16_t want, int zero_ok)
{
	unsigned int have = get16(pr->frame + off);
	int ok = have == want || (zero_ok && have == 0);
	char text[64], json[64], bad[48];

	if (zero_ok && have == 0)
		snprintf(text, sizeof(text), "0x0000 (none: not checksummed)");
	else if (ok)
		snprintf(text, sizeof(text), "0x%04x (correct)", have);
	else
		snprintf(text, sizeof(text), "0x%04x (INCORRECT)", have);
	snprintf(bad, sizeof(bad), "incorrect, should be 0x%04x", want);
	snprintf(json, sizeof(json), "%u,\"%s_ok\":%s", have, name,
		 ok ? "true" : "false");
	field_bad(pr, off, 2, name, text, json, ok ? NULL : bad);
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
				if (!bad)
					bad = bytes_bad;
				flag(pr, "options", "%s", bad);
				if (pr->json) {
					fprintf(pr->f, "%s{\"kind\":%u,\"malformed\":true,\"hex\":\"",
						first ? "" : ",", kind);
					hexstr(pr->f, pr->frame + off, end - off);
					fprintf(pr->f, "\"}");
				} else {
					text_prefix(pr, off, end - off, "option");
					fprintf(pr->f, "%s (kind %u)  <- MALFORMED: %s\n",
						tcp ? tcp_opt_name(kind) :
						ip_opt_name(kind), kind, bad);
				}
				off = end;
				break;
			}
		}
		describe_opt(pr->frame + off, olen, tcp, text, sizeof(text),
			     json, sizeof(json));
		if (pr->json) {
			fprintf(pr->f, "%s{\"kind\":%u,\"name\":", first ? "" : ",",
				kind);
			jstr(pr->f, tcp ? tcp_opt_name(kind) : ip_opt_name(kind));
			fprintf(pr->f, ",\"length\":%zu%s,\"hex\":\"", olen, json);
			hexstr(pr->f, pr->frame + off, olen);
			fprintf(pr->f, "\"}");
		} else {
			text_prefix(pr, off, olen, "option");
			fprintf(pr->f, "%s\n", text);
		}
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
		  fold(sum16(t, 16, sum16(t + 18, len - 18, pseudo))), 0);
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
	csumfield(pr, off + 6, "checksum", want ? want : 0xffff, 1);
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

static void icmp(struct printer *pr, size_t off, size_t len)
{
	const uint8_t *c = pr->frame + off;
	const char *tname = len ? icmp_type_name(c[0]) : NULL;
	char text[64], num[8];
	int echo;

	if (len < 8) {
		payload(pr, "truncated", "ICMP header, truncated", off, len);
		return;
	}
	echo = c[0] == 0 || c[0] == 8 || c[0] == 13 || c[0] == 14;
	layer(pr, "icmp", "ICMP", off, 8);
	snprintf(text, sizeof(text), tname ? "%u (%s)" : "%u", c[0], tname);
	snprintf(num, sizeof(num), "%u", c[0]);
	field(pr, off, 1, "type", text, num);
	numfield(pr, off + 1, 1, "code", c[1], "%llu");
	csumfield(pr, off + 2, "checksum",
		  fold(sum16(c, 2, sum16(c + 4, len - 4, 0))), 0);
	numfield(pr, off + 4, 2, "id", get16(c + 4),
		 echo ? "%llu (0x%04llx)" : "%llu (0x%04llx; unused for this type)");
	numfield(pr, off + 6, 2, "seq", get16(c + 6),
		 echo ? "%llu" : "%llu (unused for this type)");
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
		icmp(pr, off + hlen, iplen - hlen);
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

static void walk(struct printer *pr, size_t len)
{
	const uint8_t *f = pr->frame;
	size_t off = 0;

	if (len >= 14 && get16(f + 12) == 0x0800) {
		layer(pr, "eth", "Ethernet II", 0, 14);
		macfield(pr, 0, "dst");
		macfield(pr, 6, "src");
		numfield(pr, 12, 2, "type", 0x0800, "0x%04llx (IPv4)");
		off = 14;
	}
	ipv4(pr, off, len - off);
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
	fprintf(f, "%s\"malformed\":[", pr.in_layer ? "}," : "");
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
