// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpktcraft: showing the bytes. One walker names every header field of a
 * frame; two printers turn that into an annotated hex dump or into JSON.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <pcap/pcap.h>
#include "libpktcraft.h"

struct printer {
	FILE *f;
	int json;
	int first_layer, first_field;
	const uint8_t *frame;
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

static void layer(struct printer *pr, const char *name, size_t off, size_t len)
{
	if (pr->json) {
		fprintf(pr->f, "%s\"%s\":{", pr->first_layer ? "" : "},", name);
	} else {
		fprintf(pr->f, "%s%s (%zu bytes at 0x%04zx)\n",
			pr->first_layer ? "" : "\n", name, len, off);
	}
	pr->first_layer = 0;
	pr->first_field = 1;
}

/* A field: its bytes, a name, a value as text and as a JSON value. */
static void field(struct printer *pr, size_t off, size_t len, const char *name,
		  const char *text, const char *jvalue)
{
	size_t i;
	int col = 0;

	if (pr->json) {
		fprintf(pr->f, "%s\"%s\":%s", pr->first_field ? "" : ",", name,
			jvalue ? jvalue : text);
		pr->first_field = 0;
		return;
	}
	fprintf(pr->f, "  %04zx  ", off);
	for (i = 0; i < len && i < 8; i++)
		col += fprintf(pr->f, "%02x ", pr->frame[off + i]);
	if (len > 8)
		col += fprintf(pr->f, "..");
	fprintf(pr->f, "%*s%-16s %s\n", 26 - col, "", name, text);
}

static void fieldf(struct printer *pr, size_t off, size_t len,
		   const char *name, unsigned long long v, const char *fmt)
{
	char text[64], num[32];

	snprintf(text, sizeof(text), fmt, v, v);
	snprintf(num, sizeof(num), "%llu", v);
	field(pr, off, len, name, text, num);
}

static void hexfield(struct printer *pr, size_t off, size_t len,
		     const char *name)
{
	char text[2 * 65536 + 3];
	size_t i, n = 0;

	text[n++] = '"';
	for (i = 0; i < len; i++)
		n += sprintf(text + n, "%02x", pr->frame[off + i]);
	text[n++] = '"';
	text[n] = '\0';
	if (pr->json) {
		field(pr, off, len, name, text, NULL);
		return;
	}
	text[n - 1] = '\0';
	field(pr, off, len, name, text + 1, NULL);
}

static void csumfield(struct printer *pr, size_t off, const char *name,
		      uint16_t want)
{
	unsigned int have = get16(pr->frame + off);
	char text[64], json[96];

	if (have == want)
		snprintf(text, sizeof(text), "0x%04x (correct)", have);
	else
		snprintf(text, sizeof(text), "0x%04x (INCORRECT, should be 0x%04x)",
			 have, want);
	snprintf(json, sizeof(json), "%u,\"%s_ok\":%s", have, name,
		 have == want ? "true" : "false");
	field(pr, off, 2, name, text, json);
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
	default: return "unknown";
	}
}

/* Options area: one field per option; what follows EOL is padding. */
static void options(struct printer *pr, size_t off, size_t len, int tcp)
{
	size_t end = off + len;
	char name[32], text[128];

	while (off < end) {
		uint8_t kind = pr->frame[off];
		size_t olen = 1;

		if (kind > 1) {
			olen = off + 1 < end ? pr->frame[off + 1] : 0;
			if (olen < 2 || off + olen > end) {
				hexfield(pr, off, end - off, "opt_malformed");
				return;
			}
		}
		snprintf(name, sizeof(name), "opt_%s", tcp ? tcp_opt_name(kind) :
			 ip_opt_name(kind));
		for (char *c = name; *c; c++)
			if (*c == ' ')
				*c = '_';
		if (tcp && kind == 2 && olen == 4)
			snprintf(text, sizeof(text), "MSS %u", get16(pr->frame + off + 2));
		else if (tcp && kind == 3 && olen == 3)
			snprintf(text, sizeof(text), "shift %u", pr->frame[off + 2]);
		else if (tcp && kind == 8 && olen == 10)
			snprintf(text, sizeof(text), "TSval %u TSecr %u",
				 get32(pr->frame + off + 2), get32(pr->frame + off + 6));
		else
			snprintf(text, sizeof(text), "kind %u, %zu bytes", kind, olen);
		if (pr->json) {
			hexfield(pr, off, olen, name);
		} else {
			field(pr, off, olen, name, text, NULL);
		}
		off += olen;
		if (kind == 0 && off < end) {
			if (pr->json)
				hexfield(pr, off, end - off, "padding");
			else
				field(pr, off, end - off, "padding",
				      "zero bytes after EOL (32-bit alignment)", NULL);
			return;
		}
	}
}

static void tcp(struct printer *pr, size_t off, size_t len, uint32_t pseudo)
{
	const uint8_t *t = pr->frame + off;
	static const char names[] = "FSRPAUEC";
	unsigned int doff = t[12] >> 4, fl = (t[12] & 1) << 8 | t[13];
	size_t hlen = doff * 4 < 20 ? 20 : doff * 4;
	char text[96];
	int i, n;

	if (len < 20) {
		hexfield(pr, off, len, "truncated");
		return;
	}
	if (hlen > len)
		hlen = len;
	layer(pr, "tcp", off, hlen);
	fieldf(pr, off, 2, "sport", get16(t), "%llu");
	fieldf(pr, off + 2, 2, "dport", get16(t + 2), "%llu");
	fieldf(pr, off + 4, 4, "seq", get32(t + 4), "%llu (0x%08llx)");
	fieldf(pr, off + 8, 4, "ack", get32(t + 8), "%llu (0x%08llx)");
	fieldf(pr, off + 12, 1, "doff", doff, "%llu words");
	fieldf(pr, off + 12, 1, "reserved", (t[12] >> 1) & 7, "%llu");
	n = snprintf(text, sizeof(text), "0x%03x", fl);
	n += snprintf(text + n, sizeof(text) - n, " [");
	for (i = 0; i < 8; i++)
		if (fl & (1 << i))
			n += snprintf(text + n, sizeof(text) - n, "%c", names[i]);
	snprintf(text + n, sizeof(text) - n, "%s]", fl & 0x100 ? "+NS" : "");
	if (pr->json) {
		char num[16];

		snprintf(num, sizeof(num), "%u", fl);
		field(pr, off + 12, 2, "flags", text, num);
	} else {
		field(pr, off + 12, 2, "flags", text, NULL);
	}
	fieldf(pr, off + 14, 2, "window", get16(t + 14), "%llu");
	csumfield(pr, off + 16, "checksum",
		  fold(sum16(t, 16, sum16(t + 18, len - 18, pseudo))));
	fieldf(pr, off + 18, 2, "urgent", get16(t + 18), "%llu");
	if (hlen > 20)
		options(pr, off + 20, hlen - 20, 1);
	if (len > hlen) {
		layer(pr, "payload", off + hlen, len - hlen);
		fieldf(pr, off + hlen, 0, "length", len - hlen, "%llu");
		hexfield(pr, off + hlen, len - hlen, "data");
	}
}

static void l4_generic(struct printer *pr, const char *name, size_t off,
		       size_t len, size_t hlen)
{
	if (len > hlen) {
		layer(pr, name, off + hlen, len - hlen);
		fieldf(pr, off + hlen, 0, "length", len - hlen, "%llu");
		hexfield(pr, off + hlen, len - hlen, "data");
	}
}

static void udp(struct printer *pr, size_t off, size_t len, uint32_t pseudo)
{
	const uint8_t *u = pr->frame + off;
	uint16_t want;

	if (len < 8) {
		hexfield(pr, off, len, "truncated");
		return;
	}
	layer(pr, "udp", off, 8);
	fieldf(pr, off, 2, "sport", get16(u), "%llu");
	fieldf(pr, off + 2, 2, "dport", get16(u + 2), "%llu");
	fieldf(pr, off + 4, 2, "length", get16(u + 4), "%llu");
	want = fold(sum16(u, 6, sum16(u + 8, len - 8, pseudo)));
	csumfield(pr, off + 6, "checksum", want ? want : 0xffff);
	l4_generic(pr, "payload", off, len, 8);
}

static void icmp(struct printer *pr, size_t off, size_t len)
{
	const uint8_t *c = pr->frame + off;

	if (len < 8) {
		hexfield(pr, off, len, "truncated");
		return;
	}
	layer(pr, "icmp", off, 8);
	fieldf(pr, off, 1, "type", c[0], c[0] == 8 ? "%llu (echo request)" :
	       c[0] == 0 ? "%llu (echo reply)" : "%llu");
	fieldf(pr, off + 1, 1, "code", c[1], "%llu");
	csumfield(pr, off + 2, "checksum",
		  fold(sum16(c, 2, sum16(c + 4, len - 4, 0))));
	fieldf(pr, off + 4, 2, "id", get16(c + 4), "%llu");
	fieldf(pr, off + 6, 2, "seq", get16(c + 6), "%llu");
	l4_generic(pr, "payload", off, len, 8);
}

static void ipv4(struct printer *pr, size_t off, size_t len)
{
	const uint8_t *ip = pr->frame + off;
	unsigned int ihl = ip[0] & 15, frag = get16(ip + 6);
	size_t hlen = ihl * 4, l4len, iplen, trailer = 0;
	uint32_t pseudo;
	char text[64];

	if (len < 20) {
		hexfield(pr, off, len, "truncated");
		return;
	}
	/* Decode what is really there: a lying IHL is shown, not followed. */
	if (hlen < 20 || hlen > len)
		hlen = 20;
	layer(pr, "ip", off, hlen);
	fieldf(pr, off, 1, "version", ip[0] >> 4, "%llu");
	fieldf(pr, off, 1, "ihl", ihl, "%llu words");
	fieldf(pr, off + 1, 1, "tos", ip[1], "0x%02llx");
	fieldf(pr, off + 2, 2, "total_length", get16(ip + 2), "%llu");
	fieldf(pr, off + 4, 2, "id", get16(ip + 4), "%llu (0x%04llx)");
	snprintf(text, sizeof(text), "0x%04x [%s%s%s] offset %u (%u bytes)",
		 frag, frag & 0x8000 ? "RF " : "", frag & 0x4000 ? "DF " : "",
		 frag & 0x2000 ? "MF" : "", frag & 0x1fff, (frag & 0x1fff) * 8);
	if (pr->json) {
		char num[16];

		snprintf(num, sizeof(num), "%u", frag);
		field(pr, off + 6, 2, "frag", text, num);
	} else {
		field(pr, off + 6, 2, "frag", text, NULL);
	}
	fieldf(pr, off + 8, 1, "ttl", ip[8], "%llu");
	fieldf(pr, off + 9, 1, "protocol", ip[9], ip[9] == 6 ? "%llu (TCP)" :
	       ip[9] == 17 ? "%llu (UDP)" : ip[9] == 1 ? "%llu (ICMP)" : "%llu");
	csumfield(pr, off + 10, "checksum",
		  fold(sum16(ip, 10, sum16(ip + 12, hlen - 12, 0))));
	addrfield(pr, off + 12, "src");
	addrfield(pr, off + 16, "dst");
	if (hlen > 20)
		options(pr, off + 20, hlen - 20, 0);

	/* Bytes past the total length are link padding, not layer 4. */
	iplen = get16(ip + 2);
	if (iplen >= hlen && iplen < len) {
		trailer = len - iplen;
		len = iplen;
	}
	l4len = len - hlen;
	pseudo = sum16(ip + 12, 8, ip[9] + (uint32_t)l4len);
	if (frag & 0x1fff)
		l4_generic(pr, "fragment", off, len, hlen);
	else if (ip[9] == 6)
		tcp(pr, off + hlen, l4len, pseudo);
	else if (ip[9] == 17)
		udp(pr, off + hlen, l4len, pseudo);
	else if (ip[9] == 1)
		icmp(pr, off + hlen, l4len);
	else
		l4_generic(pr, "payload", off, len, hlen);
	if (trailer) {
		layer(pr, "padding", off + len, trailer);
		hexfield(pr, off + len, trailer, "data");
	}
}

static void walk(struct printer *pr, size_t len)
{
	const uint8_t *f = pr->frame;
	size_t off = 0;

	if (len >= 14 && get16(f + 12) == 0x0800) {
		layer(pr, "eth", 0, 14);
		macfield(pr, 0, "dst");
		macfield(pr, 6, "src");
		fieldf(pr, 12, 2, "type", 0x0800, "0x%04llx (IPv4)");
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

void pktcraft_dump_text(FILE *f, const uint8_t *frame, size_t len)
{
	struct printer pr = { .f = f, .first_layer = 1, .frame = frame };

	fprintf(f, "Frame: %zu bytes\n\n", len);
	walk(&pr, len);
	hexdump(f, frame, len);
}

void pktcraft_dump_json(FILE *f, const uint8_t *frame, size_t len, int sent)
{
	struct printer pr = { .f = f, .json = 1, .first_layer = 1,
			      .frame = frame };
	size_t i;

	fprintf(f, "{\"sent\":%s,\"len\":%zu,\"frame\":\"", sent ? "true" : "false",
		len);
	for (i = 0; i < len; i++)
		fprintf(f, "%02x", frame[i]);
	fprintf(f, "\",");
	walk(&pr, len);
	fprintf(f, "}}\n");
}

int pktcraft_pcap_append(const char *path, const uint8_t *frame, size_t len)
{
	struct pcap_pkthdr h = { .caplen = len, .len = len };
	pcap_dumper_t *d;
	struct stat st;
	pcap_t *p;

	p = pcap_open_dead(DLT_EN10MB, 65535);
	if (!p)
		return -ENOMEM;
	if (stat(path, &st) == 0 && st.st_size > 0)
		d = pcap_dump_open_append(p, path);
	else
		d = pcap_dump_open(p, path);
	if (!d) {
		pcap_close(p);
		return -EIO;
	}
	gettimeofday(&h.ts, NULL);
	pcap_dump((u_char *)d, &h, frame);
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}
