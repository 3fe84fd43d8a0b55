// SPDX-License-Identifier: GPL-2.0
/* pktcraft: command line front end of /dev/pktcraft. */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libpktcraft.h"
#include "cli.h"

#define EXIT_KERNEL 1
#define EXIT_USAGE 2

static const char *prog = "pktcraft";

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", prog);
	exit(EXIT_USAGE);
}

static void help(void)
{
	printf(
"Usage: pktcraft send [OPTIONS]      build an IPv4 packet in the kernel and send it\n"
"       pktcraft send --dry-run ...  build it and show the bytes, send nothing\n"
"       pktcraft send --count N [--rate PPS] [--vary ...] ...   a burst\n"
"       pktcraft stats [--json]      module-wide counters (packets, drops, errors)\n"
"       pktcraft --help | --version\n"
"\n"
"Numbers are decimal or 0x-prefixed hex. Fields the kernel fills (IP total\n"
"length, ID, checksum, source, TCP/UDP/ICMP checksum, IHL, data offset, UDP\n"
"length) are filled unless given; giving one makes it literal, even if wrong.\n"
"\n"
"Egress (default: route lookup in your network namespace, neighbour's MAC):\n"
"  --dev IF            send on interface IF\n"
"  --ifindex N         send on interface index N\n"
"  --dst-mac MAC       destination MAC (default: resolved neighbour)\n"
"  --src-mac MAC       source MAC (default: the device's own)\n"
"\n"
"IPv4:\n"
"  --dst A             destination address (required)\n"
"  --src A             source address (default: chosen by the kernel)\n"
"  --tos N             type of service byte (DSCP/ECN), default 0\n"
"  --ttl N             time to live, default 64\n"
"  --id N              identification (default: chosen by the kernel; 0 is literal)\n"
"  --df, --mf, --rf    set Don't Fragment / More Fragments / reserved (evil) bit\n"
"  --frag-off N        fragment offset in 8-byte units (0..8191)\n"
"  --ip-len N          force total length (malformed if wrong)\n"
"  --ihl N             force header length in 32-bit words (malformed if wrong)\n"
"  --ip-version N      force version field (default 4)\n"
"  --ip-csum N         force header checksum (malformed if wrong)\n"
"  --ip-opt SPEC       IPv4 options: rr[=SLOTS],ts[=SLOTS],nop,eol,raw=HEX\n"
"                      (padded with EOL bytes to a 32-bit boundary)\n"
"\n"
"Layer 4 (default TCP):\n"
"  --udp               UDP instead of TCP\n"
"  --icmp              ICMP instead of TCP (echo request by default)\n"
"  --proto N           opaque layer 4: IP protocol N, payload sent as is\n"
"  --sport N           source port (default 54321)\n"
"  --dport N           destination port (default 80)\n"
"  --seq N             TCP sequence number (default 0)\n"
"  --ack N             TCP acknowledgment number (default 0)\n"
"  --flags F           TCP flags: letters S A F R P U E C, '+N' adds NS/AE,\n"
"                      '.' for none, or a number 0..0x1ff (default S)\n"
"  --win N             TCP window (default 65535)\n"
"  --urg N             TCP urgent pointer (default 0)\n"
"  --tcp-res N         TCP reserved bits 0..7 (malformed if not 0)\n"
"  --doff N            force TCP data offset in words (malformed if wrong)\n"
"  --tcp-opt SPEC      TCP options: mss=N,wscale=N,sackok,ts=VAL:ECR,\n"
"                      sack=L-R[:L-R...],nop,eol,raw=HEX (padded with EOL)\n"
"  --tcp-csum N        force TCP checksum (malformed if wrong)\n"
"  --udp-len N         force UDP length (malformed if wrong)\n"
"  --l4-csum N         force the TCP/UDP/ICMP checksum (same as --tcp-csum)\n"
"  --icmp-type N       ICMP type (default 8, echo request)\n"
"  --icmp-code N       ICMP code (default 0)\n"
"  --icmp-id N         ICMP identifier (default 0)\n"
"  --icmp-seq N        ICMP sequence number (default 0)\n"
"\n"
"Payload (one of):\n"
"  --data STR          the bytes of STR\n"
"  --data-hex HEX      hex bytes (spaces and colons allowed)\n"
"  --data-file F       the contents of file F\n"
"\n"
"Bursts and pacing (one ioctl sends up to 1048576 packets; more are split):\n"
"  --count N           send N packets (default 1; with --rate/--interval and no\n"
"                      --count, or with N = 0: until interrupted)\n"
"  --rate PPS          pace at PPS packets per second (in the kernel, absolute\n"
"                      deadlines; may have a fraction, >= 0.1)\n"
"  --interval T        pace at one packet per T: microseconds, or a number with\n"
"                      ns, us, ms or s (at most 10 s)\n"
"  --vary F=inc:MIN-MAX[/STEP]   vary field F per packet, counting by STEP\n"
"                      (default 1) from its given value (default MIN), wrapping\n"
"                      within MIN-MAX; F: sport, dport, seq, id, src (src takes\n"
"                      addresses); repeatable\n"
"  --vary F=rand:MIN-MAX         vary field F uniformly at random in MIN-MAX\n"
"  --copy              never share one skb between identical packets\n"
"  --progress          show progress on stderr every second (default: when\n"
"                      stderr is a terminal)\n"
"  A burst ends with a summary (sent, bytes, drops, errors, achieved pps; a JSON\n"
"  object with --json). Ctrl-C stops it; the summary shows the partial count.\n"
"\n"
"Output:\n"
"  --dry-run           build only; print an annotated hex dump, send nothing\n"
"  -w, --write FILE    append the frame (built or sent) to pcap FILE\n"
"  --json              print one JSON object per packet instead of text\n"
"  -q, --quiet         print nothing on success\n"
"\n"
"Exit status: 0 sent/built, 1 the kernel refused (the reason is printed),\n"
"2 bad arguments.\n");
}

enum {
	O_DEV = 256, O_IFINDEX, O_DST_MAC, O_SRC_MAC, O_SRC, O_DST, O_TOS,
	O_TTL, O_ID, O_DF, O_MF, O_RF, O_FRAG_OFF, O_IP_LEN, O_IHL,
	O_IP_VERSION, O_IP_CSUM, O_IP_OPT, O_UDP, O_ICMP, O_PROTO, O_SPORT,
	O_DPORT, O_SEQ, O_ACK, O_FLAGS, O_WIN, O_URG, O_TCP_RES, O_DOFF,
	O_TCP_OPT, O_TCP_CSUM, O_UDP_LEN, O_L4_CSUM, O_ICMP_TYPE, O_ICMP_CODE,
	O_ICMP_ID, O_ICMP_SEQ, O_DATA, O_DATA_HEX, O_DATA_FILE, O_DRY_RUN,
	O_JSON, O_HELP, O_VERSION,
	O_COUNT, O_RATE, O_INTERVAL, O_VARY, O_COPY, O_PROGRESS,
};

static const struct option long_opts[] = {
	{ "dev", required_argument, NULL, O_DEV },
	{ "ifindex", required_argument, NULL, O_IFINDEX },
	{ "dst-mac", required_argument, NULL, O_DST_MAC },
	{ "src-mac", required_argument, NULL, O_SRC_MAC },
	{ "src", required_argument, NULL, O_SRC },
	{ "dst", required_argument, NULL, O_DST },
	{ "tos", required_argument, NULL, O_TOS },
	{ "ttl", required_argument, NULL, O_TTL },
	{ "id", required_argument, NULL, O_ID },
	{ "df", no_argument, NULL, O_DF },
	{ "mf", no_argument, NULL, O_MF },
	{ "rf", no_argument, NULL, O_RF },
	{ "frag-off", required_argument, NULL, O_FRAG_OFF },
	{ "ip-len", required_argument, NULL, O_IP_LEN },
	{ "ihl", required_argument, NULL, O_IHL },
	{ "ip-version", required_argument, NULL, O_IP_VERSION },
	{ "ip-csum", required_argument, NULL, O_IP_CSUM },
	{ "ip-opt", required_argument, NULL, O_IP_OPT },
	{ "udp", no_argument, NULL, O_UDP },
	{ "icmp", no_argument, NULL, O_ICMP },
	{ "proto", required_argument, NULL, O_PROTO },
	{ "sport", required_argument, NULL, O_SPORT },
	{ "dport", required_argument, NULL, O_DPORT },
	{ "seq", required_argument, NULL, O_SEQ },
	{ "ack", required_argument, NULL, O_ACK },
	{ "flags", required_argument, NULL, O_FLAGS },
	{ "win", required_argument, NULL, O_WIN },
	{ "urg", required_argument, NULL, O_URG },
	{ "tcp-res", required_argument, NULL, O_TCP_RES },
	{ "doff", required_argument, NULL, O_DOFF },
	{ "tcp-opt", required_argument, NULL, O_TCP_OPT },
	{ "tcp-csum", required_argument, NULL, O_TCP_CSUM },
	{ "udp-len", required_argument, NULL, O_UDP_LEN },
	{ "l4-csum", required_argument, NULL, O_L4_CSUM },
	{ "icmp-type", required_argument, NULL, O_ICMP_TYPE },
	{ "icmp-code", required_argument, NULL, O_ICMP_CODE },
	{ "icmp-id", required_argument, NULL, O_ICMP_ID },
	{ "icmp-seq", required_argument, NULL, O_ICMP_SEQ },
	{ "data", required_argument, NULL, O_DATA },
	{ "data-hex", required_argument, NULL, O_DATA_HEX },
	{ "data-file", required_argument, NULL, O_DATA_FILE },
	{ "dry-run", no_argument, NULL, O_DRY_RUN },
	{ "write", required_argument, NULL, 'w' },
	{ "json", no_argument, NULL, O_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "count", required_argument, NULL, O_COUNT },
	{ "rate", required_argument, NULL, O_RATE },
	{ "interval", required_argument, NULL, O_INTERVAL },
	{ "vary", required_argument, NULL, O_VARY },
	{ "copy", no_argument, NULL, O_COPY },
	{ "progress", no_argument, NULL, O_PROGRESS },
	{ "help", no_argument, NULL, O_HELP },
	{ "version", no_argument, NULL, O_VERSION },
	{ NULL, 0, NULL, 0 },
};

struct cli {
	struct pktcraft_req req;
	const char *opt_name;		/* the option being parsed */
	uint8_t *payload;
	size_t payload_len;
	int payload_set, dry_run, json, quiet, have_dst, l4_set;
	int tcp_fields, udp_fields, icmp_fields, port_fields, icmp_type_set;
	const char *pcap;
	int malformed;			/* reasons are printed as a warning */
	char why[256];
	/* bursts (cli-burst.c) */
	struct burst_opts burst;
	int count_set, paced;
	unsigned int given;		/* 1 << PKTCRAFT_VARY_*: given fields */
};

static uint64_t num(struct cli *c, const char *arg, uint64_t max)
{
	uint64_t v;

	if (pktcraft_parse_uint(arg, max, &v))
		usage_error("--%s: '%s' is not a number in 0..%llu (decimal or 0x hex)",
			    c->opt_name, arg, (unsigned long long)max);
	return v;
}

static void note_malformed(struct cli *c, const char *what)
{
	size_t n = strlen(c->why);

	c->malformed = 1;
	snprintf(c->why + n, sizeof(c->why) - n, "%s%s", n ? ", " : "", what);
}

static void set_payload(struct cli *c, uint8_t *buf, size_t len)
{
	if (c->payload_set)
		usage_error("--%s: only one of --data, --data-hex, --data-file",
			    c->opt_name);
	c->payload = buf;
	c->payload_len = len;
	c->payload_set = 1;
}

static void read_file(struct cli *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(65536 + 1);
	size_t n;

	if (!f)
		usage_error("--data-file: cannot open '%s': %s", path,
			    strerror(errno));
	if (!buf)
		usage_error("out of memory");
	n = fread(buf, 1, 65536 + 1, f);
	if (ferror(f))
		usage_error("--data-file: cannot read '%s': %s", path,
			    strerror(errno));
	fclose(f);
	if (n > 65535)
		usage_error("--data-file: '%s' is larger than 65535 bytes", path);
	set_payload(c, buf, n);
}

static void set_l4(struct cli *c, int l4)
{
	if (c->l4_set && c->req.l4 != l4)
		usage_error("--%s: only one of --udp, --icmp, --proto", c->opt_name);
	c->l4_set = 1;
	c->req.l4 = l4;
}

static void parse_send(struct cli *c, int argc, char **argv)
{
	struct pktcraft_req *r = &c->req;
	char err[160];
	size_t n;
	int opt;

	while ((opt = getopt_long(argc, argv, "w:q", long_opts, NULL)) != -1) {
		const char *a = optarg;

		c->opt_name = "";
		for (const struct option *o = long_opts; o->name; o++)
			if (o->val == opt)
				c->opt_name = o->name;

		switch (opt) {
		case O_DEV:
			r->ifindex = if_nametoindex(a);
			if (!r->ifindex)
				usage_error("--dev: no interface '%s' in this network namespace",
					    a);
			break;
		case O_IFINDEX:
			r->ifindex = num(c, a, INT32_MAX);
			break;
		case O_DST_MAC:
			if (pktcraft_parse_mac(a, r->dst_mac))
				usage_error("--dst-mac: '%s' is not a MAC (aa:bb:cc:dd:ee:ff)", a);
			break;
		case O_SRC_MAC:
			if (pktcraft_parse_mac(a, r->src_mac))
				usage_error("--src-mac: '%s' is not a MAC (aa:bb:cc:dd:ee:ff)", a);
			break;
		case O_SRC:
		case O_DST:
			if (pktcraft_parse_ipv4(a, opt == O_SRC ? &r->ip_saddr :
						&r->ip_daddr))
				usage_error("--%s: '%s' is not an IPv4 address",
					    c->opt_name, a);
			if (opt == O_SRC) {
				r->flags |= PKTCRAFT_F_IP_SADDR;
				c->given |= 1u << PKTCRAFT_VARY_IP_SADDR;
			}
			else
				c->have_dst = 1;
			break;
		case O_TOS:
			r->ip_tos = num(c, a, 0xff);
			break;
		case O_TTL:
			r->ip_ttl = num(c, a, 0xff);
			break;
		case O_ID:
			r->ip_id = num(c, a, 0xffff);
			r->flags |= PKTCRAFT_F_IP_ID;
			c->given |= 1u << PKTCRAFT_VARY_IP_ID;
			break;
		case O_DF:
			r->ip_frag |= PKTCRAFT_IP_DF;
			break;
		case O_MF:
			r->ip_frag |= PKTCRAFT_IP_MF;
			break;
		case O_RF:
			r->ip_frag |= PKTCRAFT_IP_RF;
			note_malformed(c, "reserved IP flag set");
			break;
		case O_FRAG_OFF:
			r->ip_frag = (r->ip_frag & ~PKTCRAFT_IP_OFFMASK) |
				     num(c, a, PKTCRAFT_IP_OFFMASK);
			break;
		case O_IP_LEN:
			r->ip_tot_len = num(c, a, 0xffff);
			r->flags |= PKTCRAFT_F_IP_TOT_LEN;
			break;
		case O_IHL:
			r->ip_ihl = num(c, a, 15);
			r->flags |= PKTCRAFT_F_IP_IHL;
			break;
		case O_IP_VERSION:
			r->ip_version = num(c, a, 15);
			if (r->ip_version != 4)
				note_malformed(c, "IP version is not 4");
			break;
		case O_IP_CSUM:
			r->ip_csum = num(c, a, 0xffff);
			r->flags |= PKTCRAFT_F_IP_CSUM;
			break;
		case O_IP_OPT:
			n = r->ip_optlen;
			if (pktcraft_parse_ip_opts(a, r->ip_opts, &n, err, sizeof(err)))
				usage_error("--ip-opt: %s", err);
			r->ip_optlen = n;
			break;
		case O_UDP:
			set_l4(c, PKTCRAFT_L4_UDP);
			break;
		case O_ICMP:
			set_l4(c, PKTCRAFT_L4_ICMP);
			break;
		case O_PROTO:
			set_l4(c, PKTCRAFT_L4_RAW);
			r->ip_protocol = num(c, a, 0xff);
			break;
		case O_SPORT:
			r->sport = num(c, a, 0xffff);
			c->port_fields = 1;
			c->given |= 1u << PKTCRAFT_VARY_SPORT;
			break;
		case O_DPORT:
			r->dport = num(c, a, 0xffff);
			c->port_fields = 1;
			c->given |= 1u << PKTCRAFT_VARY_DPORT;
			break;
		case O_SEQ:
			r->tcp_seq = num(c, a, UINT32_MAX);
			c->tcp_fields = 1;
			c->given |= 1u << PKTCRAFT_VARY_TCP_SEQ;
			break;
		case O_ACK:
			r->tcp_ack = num(c, a, UINT32_MAX);
			c->tcp_fields = 1;
			break;
		case O_FLAGS:
			if (pktcraft_parse_tcp_flags(a, &r->tcp_flags))
				usage_error("--flags: '%s' is not S,A,F,R,P,U,E,C letters (+N) or a number 0..0x1ff",
					    a);
			c->tcp_fields = 1;
			break;
		case O_WIN:
			r->tcp_win = num(c, a, 0xffff);
			c->tcp_fields = 1;
			break;
		case O_URG:
			r->tcp_urg = num(c, a, 0xffff);
			c->tcp_fields = 1;
			break;
		case O_TCP_RES:
			r->tcp_res = num(c, a, 7);
			c->tcp_fields = 1;
			if (r->tcp_res)
				note_malformed(c, "TCP reserved bits set");
			break;
		case O_DOFF:
			r->tcp_doff = num(c, a, 15);
			r->flags |= PKTCRAFT_F_L4_LEN;
			c->tcp_fields = 1;
			break;
		case O_TCP_OPT:
			n = r->tcp_optlen;
			if (pktcraft_parse_tcp_opts(a, r->tcp_opts, &n, err, sizeof(err)))
				usage_error("--tcp-opt: %s", err);
			r->tcp_optlen = n;
			c->tcp_fields = 1;
			break;
		case O_TCP_CSUM:
		case O_L4_CSUM:
			r->l4_csum = num(c, a, 0xffff);
			r->flags |= PKTCRAFT_F_L4_CSUM;
			break;
		case O_UDP_LEN:
			r->udp_len = num(c, a, 0xffff);
			r->flags |= PKTCRAFT_F_L4_LEN;
			c->udp_fields = 1;
			break;
		case O_ICMP_TYPE:
			r->icmp_type = num(c, a, 0xff);
			c->icmp_fields = 1;
			c->icmp_type_set = 1;
			break;
		case O_ICMP_CODE:
			r->icmp_code = num(c, a, 0xff);
			c->icmp_fields = 1;
			break;
		case O_ICMP_ID:
			r->icmp_id = num(c, a, 0xffff);
			c->icmp_fields = 1;
			break;
		case O_ICMP_SEQ:
			r->icmp_seq = num(c, a, 0xffff);
			c->icmp_fields = 1;
			break;
		case O_DATA:
			set_payload(c, (uint8_t *)a, strlen(a));
			break;
		case O_DATA_HEX: {
			uint8_t *buf = malloc(65536);

			if (!buf || pktcraft_parse_hex(a, buf, 65535, &n))
				usage_error("--data-hex: not hex bytes (at most 65535)");
			set_payload(c, buf, n);
			break;
		}
		case O_DATA_FILE:
			read_file(c, a);
			break;
		case O_DRY_RUN:
			c->dry_run = 1;
			break;
		case 'w':
			c->pcap = a;
			break;
		case O_JSON:
			c->json = 1;
			break;
		case 'q':
			c->quiet = 1;
			break;
		case O_COUNT:
			c->burst.count = num(c, a, INT64_MAX);
			c->count_set = 1;
			break;
		case O_RATE:
		case O_INTERVAL:
			if (c->paced)
				usage_error("--%s: only one of --rate, --interval", c->opt_name);
			if (opt == O_RATE ? cli_parse_rate(a, &c->burst.gap_ns) :
			    cli_parse_interval(a, &c->burst.gap_ns))
				usage_error(opt == O_RATE ?
					    "--rate: '%s' is not a rate in 0.1..1e9 packets/s" :
					    "--interval: '%s' is not a duration (microseconds, or with ns/us/ms/s; 1 ns..10 s)",
					    a);
			c->paced = 1;
			break;
		case O_VARY:
			if (cli_parse_vary(r, a, err, sizeof(err)))
				usage_error("--vary: %s", err);
			break;
		case O_COPY:
			r->burst_flags |= PKTCRAFT_BURST_F_COPY;
			break;
		case O_PROGRESS:
			c->burst.progress = 1;
			break;
		case O_HELP:
			help();
			exit(0);
		default:
			usage_error("unknown or incomplete option '%s'",
				    argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (!c->have_dst)
		usage_error("--dst is required");
}

/* An option list whose lengths do not add up (raw bytes can do that). */
static const char *bad_options(const uint8_t *o, size_t len)
{
	size_t i = 0;

	while (i < len && o[i] != 0) {
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len)
			return "an option length does not fit";
		i += o[i + 1];
	}
	return NULL;
}

/*
 * The forced fields that make the packet malformed: lengths that disagree
 * with the real sizes, forced checksums, an opaque payload posing as a
 * protocol pktcraft builds itself, option lists that do not parse. (The
 * reserved bits and the version are noted while parsing.)
 */
static void note_forced(struct cli *c)
{
	const struct pktcraft_req *r = &c->req;
	unsigned int ip_hlen = 20 + ((r->ip_optlen + 3) & ~3u);
	unsigned int l4_hlen = r->l4 == PKTCRAFT_L4_TCP ?
			       20 + ((r->tcp_optlen + 3) & ~3u) :
			       r->l4 == PKTCRAFT_L4_RAW ? 0 : 8;
	unsigned int len = ip_hlen + l4_hlen + r->payload_len;
	static const char *const l4name[] = { "TCP", "UDP", "ICMP", "" };
	const char *why;
	char what[96];

	if (r->flags & PKTCRAFT_F_IP_IHL && r->ip_ihl * 4u != ip_hlen) {
		snprintf(what, sizeof(what), "IHL %u words, the header is %u",
			 r->ip_ihl, ip_hlen / 4);
		note_malformed(c, what);
	}
	if (r->flags & PKTCRAFT_F_IP_TOT_LEN && r->ip_tot_len != len) {
		snprintf(what, sizeof(what), "IP total length %u, the packet is %u bytes",
			 r->ip_tot_len, len);
		note_malformed(c, what);
	}
	if (r->flags & PKTCRAFT_F_L4_LEN && r->l4 == PKTCRAFT_L4_TCP &&
	    r->tcp_doff * 4u != l4_hlen) {
		snprintf(what, sizeof(what), "TCP data offset %u words, the header is %u",
			 r->tcp_doff, l4_hlen / 4);
		note_malformed(c, what);
	}
	if (r->flags & PKTCRAFT_F_L4_LEN && r->l4 == PKTCRAFT_L4_UDP &&
	    r->udp_len != len - ip_hlen) {
		snprintf(what, sizeof(what), "UDP length %u, the datagram is %u bytes",
			 r->udp_len, len - ip_hlen);
		note_malformed(c, what);
	}
	if (r->flags & PKTCRAFT_F_IP_CSUM) {
		snprintf(what, sizeof(what), "IP checksum forced to 0x%04x",
			 r->ip_csum);
		note_malformed(c, what);
	}
	if (r->flags & PKTCRAFT_F_L4_CSUM && r->l4 < PKTCRAFT_L4_RAW) {
		snprintf(what, sizeof(what), "%s checksum forced to 0x%04x%s",
			 l4name[r->l4], r->l4_csum,
			 r->l4 == PKTCRAFT_L4_UDP && !r->l4_csum ? " (none)" : "");
		note_malformed(c, what);
	}
	if (r->l4 == PKTCRAFT_L4_RAW &&
	    (r->ip_protocol == 1 || r->ip_protocol == 6 || r->ip_protocol == 17)) {
		snprintf(what, sizeof(what),
			 "opaque payload as IP protocol %u: no %s header or checksum built",
			 r->ip_protocol, r->ip_protocol == 1 ? "ICMP" :
			 r->ip_protocol == 6 ? "TCP" : "UDP");
		note_malformed(c, what);
	}
	if (r->l4 == PKTCRAFT_L4_RAW && (r->ip_protocol == 0 || r->ip_protocol == 255)) {
		snprintf(what, sizeof(what), "IP protocol %u is %s", r->ip_protocol,
			 r->ip_protocol ? "reserved" : "IPv6-only (HOPOPT)");
		note_malformed(c, what);
	}
	why = bad_options(r->ip_opts, r->ip_optlen);
	if (why) {
		snprintf(what, sizeof(what), "IP options: %s", why);
		note_malformed(c, what);
	}
	why = r->l4 == PKTCRAFT_L4_TCP ? bad_options(r->tcp_opts, r->tcp_optlen) : NULL;
	if (why) {
		snprintf(what, sizeof(what), "TCP options: %s", why);
		note_malformed(c, what);
	}
}

/* Fields of the other layer 4 kinds must stay zero for the kernel. */
static void finish_request(struct cli *c)
{
	struct pktcraft_req *r = &c->req;
	uint16_t sport = r->sport ? r->sport : 54321;
	uint16_t dport = r->dport ? r->dport : 80;

	if (!(c->given & 1u << PKTCRAFT_VARY_SPORT))
		r->sport = sport;	/* --dport alone keeps the default sport */
	if (!(c->given & 1u << PKTCRAFT_VARY_DPORT))
		r->dport = dport;
	if (r->l4 != PKTCRAFT_L4_TCP) {
		if (c->tcp_fields)
			usage_error("TCP options (--seq, --ack, --flags, --win, --urg, --tcp-res, --doff, --tcp-opt) need TCP");
		r->tcp_flags = 0;
		r->tcp_win = 0;
	}
	if (r->l4 != PKTCRAFT_L4_UDP && c->udp_fields)
		usage_error("--udp-len needs --udp");
	if (r->l4 != PKTCRAFT_L4_ICMP && c->icmp_fields)
		usage_error("--icmp-type/--icmp-code/--icmp-id/--icmp-seq need --icmp");
	if (r->l4 == PKTCRAFT_L4_ICMP || r->l4 == PKTCRAFT_L4_RAW) {
		if (c->port_fields)
			usage_error("--sport/--dport need TCP or UDP");
		r->sport = r->dport = 0;
	}
	if (r->l4 == PKTCRAFT_L4_ICMP && !c->icmp_type_set)
		r->icmp_type = 8;	/* echo request, also with --icmp-id etc. */
	if (r->l4 == PKTCRAFT_L4_RAW && r->flags & PKTCRAFT_F_L4_CSUM)
		usage_error("--l4-csum needs TCP, UDP or ICMP");
	pktcraft_req_set_payload(r, c->payload, c->payload_len);
	note_forced(c);
}

static int run_burst(struct cli *c)
{
	int fd, rc;

	if (c->malformed)
		fprintf(stderr, "%s: warning: the packets are deliberately malformed (%s)\n",
			prog, c->why);
	fd = pktcraft_open();
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog,
			PKTCRAFT_DEVICE, pktcraft_strerror(fd));
		return EXIT_KERNEL;
	}
	rc = cli_run_burst(fd, &c->req, &c->burst);
	pktcraft_close(fd);
	return rc;
}

static int cmd_send(int argc, char **argv)
{
	static uint8_t frame[PKTCRAFT_MAX_FRAME];
	int show = 0, fd, rc;
	struct cli c = { 0 };
	size_t len = 0;

	pktcraft_req_init(&c.req);
	parse_send(&c, argc, argv);
	finish_request(&c);
	if (cli_has_vary(&c.req)) {
		char err[160];

		if (cli_vary_start(&c.req, c.given, err, sizeof(err)))
			usage_error("%s", err);
	}
	if ((c.count_set && c.burst.count != 1) || c.paced ||
	    cli_has_vary(&c.req) || c.req.burst_flags) {
		if (!c.count_set)
			c.burst.count = c.paced ? UINT64_MAX : 1;
		else if (!c.burst.count)
			c.burst.count = UINT64_MAX;
		if (c.pcap)
			usage_error("-w/--write needs a single packet (no --count, --rate, --vary)");
		c.burst.json = c.json;
		c.burst.quiet = c.quiet;
		if (!c.dry_run)
			return run_burst(&c);
		/* A dry run shows packet 0. */
		memset(c.req.vary, 0, sizeof(c.req.vary));
		c.req.burst_flags = 0;
	}
	if (c.malformed)
		fprintf(stderr, "%s: warning: the packet is deliberately malformed (%s)\n",
			prog, c.why);

	fd = pktcraft_open();
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog,
			PKTCRAFT_DEVICE, pktcraft_strerror(fd));
		return EXIT_KERNEL;
	}
	show = c.dry_run || c.json || c.pcap;
	if (show)
		rc = pktcraft_build(fd, &c.req, frame, sizeof(frame), &len,
				    !c.dry_run);
	else
		rc = pktcraft_send(fd, &c.req);
	pktcraft_close(fd);
	if (rc < 0) {
		pktcraft_perror(prog, c.dry_run ? "build" : "send", rc, &c.req);
		return EXIT_KERNEL;
	}

	if (c.pcap && (rc = pktcraft_pcap_append(c.pcap, frame, len))) {
		fprintf(stderr, "%s: cannot write pcap '%s': %s\n", prog, c.pcap,
			strerror(-rc));
		return EXIT_KERNEL;
	}
	if (c.json)
		pktcraft_dump_json_req(stdout, frame, len, !c.dry_run, &c.req);
	else if (c.dry_run && !c.quiet)
		pktcraft_dump_text_req(stdout, frame, len, &c.req);
	else if (!c.quiet)
		printf("sent 1 packet%s\n", len ? "" : "");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		help();
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		help();
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("pktcraft %s\n", PKTCRAFT_LIB_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "send"))
		return cmd_send(argc - 1, argv + 1);
	if (!strcmp(argv[1], "stats"))
		return cmd_stats(argc - 1, argv + 1);
	usage_error("unknown command '%s'", argv[1]);
	return EXIT_USAGE;
}
