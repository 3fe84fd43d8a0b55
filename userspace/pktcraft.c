// SPDX-License-Identifier: GPL-2.0
/*
 * pktcraft: command line front end of /dev/pktcraft.
 *
 * The options of a request are libpktcraft's option table
 * (pktcraft_opt_next()); this file adds the rows that are the command
 * line's own (output, help). From both come the getopt arrays, --help and
 * `pktcraft options`; the values go into an option set that the library
 * checks and applies to the request. hping3's letters have hping3's
 * meanings, and a destination can be the last argument, so
 * `pktcraft send -S -p 80 -c 3 host` (or `pktcraft -S -p 80 -c 3 host`)
 * works as hping3 users type it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include "libpktcraft.h"
#include "cli.h"

#define EXIT_KERNEL 1
#define EXIT_USAGE 2

static const char *prog = "pktcraft";

/* The command line's own rows: what to show, not what to send. */
enum { C_CPUS, C_WAIT, C_NO_REPLIES, C_DRY_RUN, C_SHOW_REQUEST, C_SHOW_IOCTL, C_WRITE, C_JSON, C_QUIET,
       C_PROGRESS, C_KEEP, C_HELP, C_VERSION };

static const char S_OUT[] = "Output";
static const char S_CPUS[] = "Several CPUs (bursts)";
static const char S_REPLIES[] = "Replies (read by default; not for --flood, --cpus, --dry-run, or over 65536 packets)";

static const struct pktcraft_opt cli_rows[] = {
	[C_CPUS] = { .name = "cpus", .arg = "K", .field = "-", .type = PKTCRAFT_OPT_T_UINT,
		     .min = 1, .max = 1024, .units = "CPUs", .l4 = PKTCRAFT_OPT_L4_ANY, .vary = -1,
		     .section = S_CPUS,
		     .help = "send the burst from K threads, each pinned to one of the first K\n"
			     "CPUs this process may use, with its own open file (and, with\n"
			     "XPS, its CPU's transmit queue); packet i is still sent once,\n"
			     "with its varied values and its pacing deadline. Replies are not\n"
			     "read; not with --fate" },
	[C_WAIT] = { .name = "wait", .arg = "T", .field = "-", .type = PKTCRAFT_OPT_T_DURATION,
		     .max = 3600000000000ULL, .units = "seconds", .l4 = PKTCRAFT_OPT_L4_ANY, .vary = -1,
		     .section = S_REPLIES,
		     .help = "after the last packet, read replies for T seconds (default 1;\n"
			     "a fraction, or ms ...), or until every packet is answered; one\n"
			     "line per reply as hping3's (rtt from kernel timestamps), then\n"
			     "a summary" },
	[C_NO_REPLIES] = { .name = "no-replies", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY, .vary = -1,
			   .section = S_REPLIES,
			   .help = "do not read replies: send, print what was sent, exit" },
	[C_DRY_RUN] = { .name = "dry-run", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY, .vary = -1,
			.section = S_OUT, .help = "build only; print an annotated hex dump, send nothing" },
	[C_SHOW_REQUEST] = { .name = "show-request", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY,
			     .vary = -1, .section = S_OUT,
			     .help = "print the request the options make (the fields of struct\n"
				     "pktcraft_req, JSON) and the packet count, send nothing;\n"
				     "needs no device" },
	[C_SHOW_IOCTL] = { .name = "show-ioctl", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY,
			   .vary = -1, .section = S_OUT,
			   .help = "on stderr, each ioctl made: the command number taken apart,\n"
				   "the structs it carries field by field (offset, size, value,\n"
				   "bytes), the result and what the kernel wrote back" },
	[C_WRITE] = { .name = "write", .arg = "FILE", .field = "-", .type = PKTCRAFT_OPT_T_FILE,
		      .l4 = PKTCRAFT_OPT_L4_ANY, .vary = -1, .section = S_OUT,
		      .help = "append the frame (built or sent) to pcap FILE, pcapng if\n"
			      "FILE ends in .pcapng (-w is hping3's --win)" },
	[C_JSON] = { .name = "json", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY, .vary = -1,
		     .section = S_OUT, .help = "print one JSON object per packet instead of text" },
	[C_QUIET] = { .name = "quiet", .letters = "q", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY,
		      .vary = -1, .section = S_OUT,
		      .help = "print nothing on success (replies: their summary only)" },
	[C_PROGRESS] = { .name = "progress", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY, .vary = -1,
			 .section = S_OUT,
			 .help = "show progress on stderr every second (default: when stderr\n"
				 "is a terminal)" },
	[C_KEEP] = { .name = "keep", .letters = "k", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY,
		     .flags = PKTCRAFT_OPTF_HPING, .vary = -1, .section = S_OUT,
		     .help = "keep the source port (hping3's -k; pktcraft always does)" },
	[C_HELP] = { .name = "help", .letters = "h", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY,
		     .vary = -1, .section = S_OUT, .help = "print this help and exit" },
	[C_VERSION] = { .name = "version", .letters = "v", .field = "-", .l4 = PKTCRAFT_OPT_L4_ANY,
			.vary = -1, .section = S_OUT,
			.help = "print the versions of pktcraft and of the loaded module" },
};

#define NCLI (sizeof(cli_rows) / sizeof(cli_rows[0]))

/* hping3's letters pktcraft has no use for, and why. */
static const struct { char letter; const char *why; } hping_only[] = {
	{ 'T', "traceroute steps the TTL per reply; send -t N and read the time exceeded it gets" },
	{ '8', "scan mode: --dport MIN-MAX sends the probes, and the replies show which ports answer" },
	{ '9', "listen mode receives without sending; pktcraft reads only the replies to its packets" },
	{ 'V', "verbose output: --json has every field of a reply; --dry-run shows the packet" },
	{ 'n', "pktcraft prints no names" },
	{ 'z', "pktcraft binds nothing to Ctrl-Z" },
	{ 'Z', "pktcraft binds nothing to Ctrl-Z" },
	{ 'r', "relative IDs: --json gives each reply's id" },
	{ 'W', "Windows ID order: --json gives each reply's id" },
	{ 'j', "dumping received packets: use tcpdump" },
	{ 'J', "dumping received packets: use tcpdump" },
	{ 'B', "the safe protocol resends what is not answered; pktcraft does not" },
	{ 'u', "end-of-file notices are for --file transfers over many packets" },
	{ 'G', "record route: --ip-opt rr" },
	{ 'm', "pktcraft sends one packet and does not fragment it: --mf and --frag-off" },
	{ 'Q', "sequence-number collection: --json gives each reply's tcp_seq" },
	{ 'e', "a signature: --data or --data-file, sized by -d" },
	{ 'D', "debugging output: --dry-run shows the packet" },
};

/* Every row, the library's then the command line's. */
static const struct pktcraft_opt **all;
static size_t nall, nlib;

static void load_rows(void)
{
	const struct pktcraft_opt *o;
	size_t n = 0;

	for (o = pktcraft_opt_next(NULL); o; o = pktcraft_opt_next(o))
		n++;
	all = calloc(n + NCLI, sizeof(*all));
	if (!all) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(EXIT_KERNEL);
	}
	for (o = pktcraft_opt_next(NULL); o; o = pktcraft_opt_next(o))
		all[nall++] = o;
	nlib = nall;
	for (size_t i = 0; i < NCLI; i++)
		all[nall++] = &cli_rows[i];
}

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* "FILE:LINE" while a batch's lines are parsed, for the messages. */
static char usage_where[300];

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s%s", prog, usage_where, *usage_where ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", prog);
	exit(EXIT_USAGE);
}

/* ------------------------------------------------------------- help */

/* text, as one paragraph wrapped at 80 columns, from column col. */
static void wrapped(FILE *f, const char *text, int col, int indent)
{
	while (*text) {
		size_t line = strlen(text), take = line;

		if (col + line > 80) {	/* break at the last space that fits */
			take = 80 - col;
			while (take > 0 && text[take] != ' ' && text[take] != '\n')
				take--;
			if (!take)
				take = strcspn(text, " \n");
		}
		for (size_t i = 0; i < take; i++)
			fputc(text[i] == '\n' ? ' ' : text[i], f);
		fputc('\n', f);
		text += take;
		while (*text == ' ' || *text == '\n')
			text++;
		col = indent;
		if (*text)
			fprintf(f, "%*s", indent, "");
	}
}

static void help_row(FILE *f, const struct pktcraft_opt *o)
{
	char head[96], also[160] = "", text[640];
	size_t n = 0;
	int col;

	if (o->letters && o->letters[0])
		for (const char *l = o->letters; *l; l++)
			n += snprintf(head + n, sizeof(head) - n, "-%c, ", *l);
	else
		n += snprintf(head + n, sizeof(head) - n, "    ");
	snprintf(head + n, sizeof(head) - n, "--%s%s%s", o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
	if (o->aliases) {
		size_t m = snprintf(also, sizeof(also), " (also");

		for (const char *a = o->aliases; *a; ) {
			size_t w = strcspn(a, " ");

			m += snprintf(also + m, sizeof(also) - m, "%s --%.*s", a == o->aliases ? "" : ",", (int)w, a);
			a += w + (a[w] == ' ');
		}
		snprintf(also + m, sizeof(also) - m, ")");
	}
	snprintf(text, sizeof(text), "%s%s", o->help, also);
	col = fprintf(f, "  %s", head);
	if (col >= 27) {
		fprintf(f, "\n%*s", 28, "");
	} else {
		fprintf(f, "%*s", 28 - col, "");
	}
	wrapped(f, text, 28, 28);
}

static void help(FILE *f)
{
	const char *section = NULL;

	fprintf(f,
"Usage: pktcraft send [OPTIONS] [DESTINATION]  build an IPv4 or IPv6 packet in the kernel,\n"
"                                               send it (IPv6: an IPv6 DESTINATION, or -6)\n"
"       pktcraft [OPTIONS] DESTINATION          the same, as hping3 is typed:\n"
"                                               pktcraft -S -p 80 -c 3 example.org\n"
"       pktcraft send --dry-run ...             build it and show the bytes, send nothing\n"
"       pktcraft send --count N [--rate PPS] [--vary ...] ...   a burst\n"
"       pktcraft batch [--stop] [FILE|-]        many packets in one ioctl: a line of send\n"
"                                               options per packet (stdin without FILE)\n"
"       pktcraft stats [--json]                 module-wide counters (packets, drops, errors;\n"
"                                               a container: its namespace's)\n"
"       pktcraft options [--tsv]                every option: field, range, layer 4 kinds\n"
"       pktcraft --help | --version\n"
"\n"
"Numbers are decimal or 0x-prefixed hex. Fields the kernel fills (IP total\n"
"length, ID, checksum, source, TCP/UDP/ICMP checksum, IHL, data offset, UDP\n"
"length) are filled unless given; giving one makes it literal, even if wrong.\n"
"hping3's letters have hping3's meanings; where its defaults differ from\n"
"pktcraft's (no flags, port 0, window 64, a packet a second ...), see\n"
"pktcraft(8), HPING3 AND NPING. After sending, what answers the packets is\n"
"read and printed as hping3 does, with a summary (pktcraft(8), REPLIES).\n");
	for (size_t i = 0; i < nall; i++) {
		if (all[i]->section != section) {
			section = all[i]->section;
			fprintf(f, "\n%s:\n", section);
		}
		help_row(f, all[i]);
	}
	fprintf(f,
"\n"
"A burst ends with a summary (sent, bytes, drops, errors, achieved pps; a JSON\n"
"object with --json). Ctrl-C stops it; the summary shows the partial count.\n"
"\n"
"Exit status, the same for one packet and a burst: 0 at least one packet sent\n"
"(accepted by the device's queue or driver; a burst's drops are in its summary)\n"
"or built; 1 the kernel refused (the reason is printed), every packet was\n"
"dropped (ENOBUFS), the device cannot be opened, or --write cannot write;\n"
"2 bad arguments (one line names the argument); 128+N stopped by signal N\n"
"(130: Ctrl-C). Replies, or their absence, do not change it.\n");
}

/* ----------------------------------------------------------- options */

static const char *kinds(unsigned int l4, char *buf, size_t len)
{
	static const char *const names[] = { "tcp", "udp", "icmp", "raw" };
	size_t n = 0;

	buf[0] = '\0';
	if ((l4 & PKTCRAFT_OPT_L4_ANY) == PKTCRAFT_OPT_L4_ANY)
		return "any";
	for (int k = 0; k < 4; k++)
		if (l4 & (1u << k))
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "", names[k]);
	return buf;
}

static const char *flagnames(unsigned int f, int cli, char *buf, size_t len)
{
	static const char *const names[] = { "malforms", "repeat", "kind", "implies-kind",
					     "range", "burst", "payload", "forces", "hping3",
					     "device" };
	size_t n = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (f & (1u << k))
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "", names[k]);
	if (cli)
		snprintf(buf + n, len - n, "%scli", n ? "," : "");
	return buf;
}

/* roff text: '-' as \-, '\' as \e, quotes as \(dq; a line starting with '.' guarded. */
static void roff(const char *t)
{
	if (*t == '.' || *t == '\'')
		fputs("\\&", stdout);
	for (; *t; t++) {
		if (*t == '-')
			fputs("\\-", stdout);
		else if (*t == '\\')
			fputs("\\e", stdout);
		else if (*t == '"')
			fputs("\\(dq", stdout);
		else if (*t == '\n')
			fputc(' ', stdout);
		else
			fputc(*t, stdout);
	}
}

/*
 * The man page's option list (make man puts it between the markers of
 * man/pktcraft.8; tests/cli/man-options checks it is current).
 */
static void options_roff(void)
{
	const char *section = NULL;

	for (size_t i = 0; i < nall; i++) {
		const struct pktcraft_opt *o = all[i];

		if (o->section != section) {
			section = o->section;
			printf(".SS \"");
			roff(section);
			printf("\"\n");
		}
		printf(".TP\n");
		for (const char *l = o->letters; l && *l; l++)
			printf("\\fB\\-%c\\fR, ", *l);
		printf("\\fB\\-\\-");
		roff(o->name);
		printf("\\fR");
		if (o->arg) {
			printf(" \\fI");
			roff(o->arg);
			printf("\\fR");
		}
		printf("\n");
		if (o->help[0] >= 'a' && o->help[0] <= 'z')
			printf("%c", o->help[0] - 'a' + 'A');
		roff(o->help + (o->help[0] >= 'a' && o->help[0] <= 'z'));
		printf(".\n");
		if (o->aliases) {
			printf("Also ");
			for (const char *a = o->aliases; *a; ) {
				size_t w = strcspn(a, " ");
				char name[64];

				snprintf(name, sizeof(name), "%.*s", (int)w, a);
				printf("%s\\fB\\-\\-", a == o->aliases ? "" : ", ");
				roff(name);
				printf("\\fR");
				a += w + (a[w] == ' ');
			}
			printf(".\n");
		}
		if (o->type == PKTCRAFT_OPT_T_UINT || o->type == PKTCRAFT_OPT_T_HEX) {
			printf("Range %llu..%llu", (unsigned long long)o->min, (unsigned long long)o->max);
			if (o->units) {
				printf(", in ");
				roff(o->units);
			}
			printf(".\n");
		}
		if ((o->l4 & PKTCRAFT_OPT_L4_ANY) != PKTCRAFT_OPT_L4_ANY) {
			static const char *const up[] = { "TCP", "UDP", "ICMP", "opaque" };
			int n = 0;

			printf("For ");
			for (int j = 0; j < 4; j++)
				if (o->l4 & (1u << j))
					printf("%s%s", n++ ? " and " : "", up[j]);
			printf(" packets.\n");
		}
		if (o->family)
			printf("%s packets only.\n", o->family == AF_INET6 ? "IPv6" : "IPv4");
	}
}

static const char *family_name(int family)
{
	return family == AF_INET6 ? "ipv6" : family == AF_INET ? "ipv4" : "any";
}

/* pktcraft options [--tsv | --roff]: the table, for people and for scripts. */
static int cmd_options(int argc, char **argv)
{
	int tsv = argc > 1 && !strcmp(argv[1], "--tsv");

	if (argc > 1 && !strcmp(argv[1], "--roff")) {
		options_roff();
		return 0;
	}
	if (argc > 1 + tsv)
		usage_error("options: unexpected argument '%s'", argv[1 + tsv]);
	if (tsv)
		printf("name\taliases\tletters\targ\tfield\tmin\tmax\tunits\tkinds\tflags\tsection\thelp\tfamily\n");
	for (size_t i = 0; i < nall; i++) {
		const struct pktcraft_opt *o = all[i];
		char k[32], fl[128], help[640], range[64] = "";
		size_t j;

		snprintf(help, sizeof(help), "%s", o->help);
		for (j = 0; help[j]; j++)
			if (help[j] == '\n')
				help[j] = ' ';
		if (o->type == PKTCRAFT_OPT_T_UINT || o->type == PKTCRAFT_OPT_T_HEX)
			snprintf(range, sizeof(range), "%llu..%llu", (unsigned long long)o->min,
				 (unsigned long long)o->max);
		if (tsv) {
			printf("%s\t%s\t%s\t%s\t%s\t%llu\t%llu\t%s\t%s\t%s\t%s\t%s\t%s\n", o->name,
			       o->aliases ? o->aliases : "", o->letters ? o->letters : "",
			       o->arg ? o->arg : "", o->field, (unsigned long long)o->min,
			       (unsigned long long)o->max, o->units ? o->units : "",
			       kinds(o->l4, k, sizeof(k)), flagnames(o->flags, i >= nlib, fl, sizeof(fl)),
			       o->section, help, family_name(o->family));
			continue;
		}
		printf("--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		if (o->letters)
			for (const char *l = o->letters; *l; l++)
				printf(", -%c", *l);
		if (o->aliases)
			printf(" (also %s)", o->aliases);
		printf("\n    field %s%s%s%s%s; layer 4: %s%s%s; %s\n    %s\n", o->field,
		       range[0] ? ", " : "", range, o->units ? " " : "", o->units ? o->units : "",
		       kinds(o->l4, k, sizeof(k)), o->flags || i >= nlib ? "; " : "",
		       flagnames(o->flags, i >= nlib, fl, sizeof(fl)),
		       o->family ? family_name(o->family) : "IPv4 and IPv6", help);
	}
	return 0;
}

/* -------------------------------------------------------------- send */

struct cli {
	struct pktcraft_req req;
	struct pktcraft_optset *set;
	const char *pcap;
	int dry_run, show_request, show_ioctl, json, quiet, progress, have_dst, no_replies;
	int wait_set;
	unsigned int cpus;
	uint64_t wait_ns;
};

static void json_bytes(const char *name, const uint8_t *p, size_t n)
{
	printf(", \"%s\": \"", name);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\"");
}

static void json_vary(const char *before, const struct pktcraft_vary *v)
{
	printf("%s{\"mode\": %u, \"step\": %u, \"min\": %u, \"max\": %u}", before,
	       v->mode, v->step, v->min, v->max);
}

/*
 * --show-request: the request as the library filled it, field by field
 * (IPv6 addresses as text, the extension headers with their bytes).
 */
static void show_request(const struct pktcraft_req *r, uint64_t count)
{
	const struct pktcraft_ext *e = (const struct pktcraft_ext *)(uintptr_t)r->ext;
	char src[16], dst[16], src6[INET6_ADDRSTRLEN], dst6[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET, &r->ip_saddr, src, sizeof(src));
	inet_ntop(AF_INET, &r->ip_daddr, dst, sizeof(dst));
	printf("{\"count\": %llu, \"flags\": %u, \"ifindex\": %u",
	       (unsigned long long)count, r->flags, r->ifindex);
	json_bytes("dst_mac", r->dst_mac, 6);
	json_bytes("src_mac", r->src_mac, 6);
	printf(", \"ip_version\": %u, \"ip_ihl\": %u, \"ip_tos\": %u, \"ip_ttl\": %u, "
	       "\"ip_protocol\": %u, \"tcp_doff\": %u, \"tcp_res\": %u, \"ip_tot_len\": %u, "
	       "\"ip_id\": %u, \"ip_frag\": %u, \"ip_csum\": %u, \"ip_saddr\": \"%s\", "
	       "\"ip_daddr\": \"%s\", \"sport\": %u, \"dport\": %u, \"tcp_seq\": %u, "
	       "\"tcp_ack\": %u, \"tcp_flags\": %u, \"tcp_win\": %u, \"l4_csum\": %u, "
	       "\"tcp_urg\": %u, \"payload_len\": %u",
	       r->ip_version, r->ip_ihl, r->ip_tos, r->ip_ttl, r->ip_protocol, r->tcp_doff,
	       r->tcp_res, r->ip_tot_len, r->ip_id, r->ip_frag, r->ip_csum, src, dst,
	       r->sport, r->dport, r->tcp_seq, r->tcp_ack, r->tcp_flags, r->tcp_win,
	       r->l4_csum, r->tcp_urg, r->payload_len);
	json_bytes("payload", (const uint8_t *)(uintptr_t)r->payload, r->payload_len);
	printf(", \"l4\": %u, \"ip_optlen\": %u, \"tcp_optlen\": %u, \"icmp_type\": %u, "
	       "\"icmp_code\": %u, \"udp_len\": %u, \"icmp_id\": %u, \"icmp_seq\": %u",
	       r->l4, r->ip_optlen, r->tcp_optlen, r->icmp_type, r->icmp_code, r->udp_len,
	       r->icmp_id, r->icmp_seq);
	json_bytes("ip_opts", r->ip_opts, r->ip_optlen);
	json_bytes("tcp_opts", r->tcp_opts, r->tcp_optlen);
	printf(", \"req_count\": %u, \"burst_flags\": %u, \"gap_ns\": %llu, \"vary\": [",
	       r->count, r->burst_flags, (unsigned long long)r->gap_ns);
	for (int f = 0; f < PKTCRAFT_VARY_NR; f++)
		json_vary(f ? ", " : "", &r->vary[f]);
	inet_ntop(AF_INET6, r->ip6_saddr, src6, sizeof(src6));
	inet_ntop(AF_INET6, r->ip6_daddr, dst6, sizeof(dst6));
	printf("], \"family\": %u, \"ip6_nexthdr\": %u, \"ext_nr\": %u, \"ip6_flowlabel\": %u, "
	       "\"ip6_saddr\": \"%s\", \"ip6_daddr\": \"%s\", \"ext\": [",
	       r->family, r->ip6_nexthdr, r->ext_nr, r->ip6_flowlabel, src6, dst6);
	for (unsigned int i = 0; e && i < r->ext_nr; i++) {
		printf("%s{\"type\": %u, \"flags\": %u, \"nexthdr\": %u, \"hdrlen\": %u, "
		       "\"proto\": %u, \"rt_type\": %u, \"segleft\": %u, \"frag_off\": %u, "
		       "\"frag_id\": %u, \"len\": %u", i ? ", " : "", e[i].type, e[i].flags,
		       e[i].nexthdr, e[i].hdrlen, e[i].proto, e[i].rt_type, e[i].segleft,
		       e[i].frag_off, e[i].frag_id, e[i].len);
		json_bytes("rt_data", e[i].rt_data, 4);
		json_bytes("data", (const uint8_t *)(uintptr_t)e[i].data, e[i].data ? e[i].len : 0);
		printf("}");
	}
	printf("]");
	json_vary(", \"vary_flowlabel\": ", &r->vary_flowlabel);
	printf(", \"inject\": %u, \"fate_ms\": %u}\n", r->inject, r->fate_ms);
}

static void version(void)
{
	char mod[64];

	printf("pktcraft %s (libpktcraft %s)\n", PKTCRAFT_VERSION, pktcraft_version());
	if (pktcraft_module_version(mod, sizeof(mod)) == 0)
		printf("module %s (loaded)\n", mod);
	else
		printf("module not loaded\n");
}

/* getopt's arrays, from the rows: val is 256 + the row's index. */
static struct option *long_opts(char *shortopts, size_t len)
{
	struct option *lo;
	size_t n = 0, s = 0;

	for (size_t i = 0; i < nall; i++) {
		n++;
		for (const char *a = all[i]->aliases; a && *a; a += strcspn(a, " "), a += *a == ' ')
			n++;
	}
	lo = calloc(n + 1, sizeof(*lo));
	if (!lo)
		usage_error("out of memory");
	n = 0;
	shortopts[s++] = ':';	/* missing arguments reported as ':' */
	for (size_t i = 0; i < nall; i++) {
		const struct pktcraft_opt *o = all[i];
		int has = o->arg ? required_argument : no_argument;

		lo[n++] = (struct option){ o->name, has, NULL, 256 + (int)i };
		for (const char *a = o->aliases; a && *a; ) {
			size_t w = strcspn(a, " ");
			char *name = strndup(a, w);

			if (!name)
				usage_error("out of memory");
			lo[n++] = (struct option){ name, has, NULL, 256 + (int)i };
			a += w + (a[w] == ' ');
		}
		for (const char *l = o->letters; l && *l && s + 3 < len; l++) {
			shortopts[s++] = *l;
			if (o->arg)
				shortopts[s++] = ':';
		}
	}
	shortopts[s] = '\0';
	return lo;
}

static size_t row_of_letter(int c)
{
	for (size_t i = 0; i < nall; i++)
		if (all[i]->letters && strchr(all[i]->letters, c))
			return i;
	return nall;
}

static void add(struct cli *c, const struct pktcraft_opt *o, const char *value)
{
	char err[256];

	if (pktcraft_optset_add(c->set, o->name, value, err, sizeof(err)))
		usage_error("%s", err);
}

/* --wait T: seconds, or a number with ns, us, ms, s; at most an hour. */
static int parse_wait(const char *arg, uint64_t *ns)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "", 1e9 }, { "s", 1e9 }, { "ms", 1e6 }, { "us", 1e3 }, { "ns", 1 },
	};
	char *end;
	double v;

	if (!((*arg >= '0' && *arg <= '9') || *arg == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || !(v >= 0))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			v *= units[i].ns;
			if (v > 3600e9)
				return -EINVAL;
			*ns = (uint64_t)(v + 0.5);
			return 0;
		}
	return -EINVAL;
}

/* Set while a batch's lines are parsed: --help and --version are refused. */
static int in_batch;

static void parse_send(struct cli *c, int argc, char **argv)
{
	static char shortopts[256];
	static struct option *lo;	/* built once: a batch parses many lines */
	int opt;

	if (!lo)
		lo = long_opts(shortopts, sizeof(shortopts));

	opterr = 0;	/* one message per bad argument: ours */
	optind = 0;	/* glibc: start afresh (a batch parses many lines) */
	while ((opt = getopt_long(argc, argv, shortopts, lo, NULL)) != -1) {
		size_t i;

		if (opt == '?' || opt == ':') {
			const char *arg = argv[optind - 1];

			for (size_t k = 0; optopt && k < sizeof(hping_only) / sizeof(hping_only[0]); k++)
				if (hping_only[k].letter == optopt)
					usage_error("-%c is hping3's, not pktcraft's: %s", optopt,
						    hping_only[k].why);
			if (opt == ':' && optopt && optopt < 256)
				usage_error("-%c needs an argument", optopt);
			if (opt == ':')
				usage_error("%s needs an argument", arg);
			if (optopt && optopt < 256)
				usage_error("unknown option '-%c'", optopt);
			usage_error("unknown option '%s'", arg);
		}
		i = opt >= 256 ? (size_t)opt - 256 : row_of_letter(opt);
		if (i >= nall)
			usage_error("unknown option '%s'", argv[optind - 1]);
		if (i < nlib) {
			add(c, all[i], optarg);
			if (!strcmp(all[i]->name, "dst"))
				c->have_dst = 1;
			continue;
		}
		switch (i - nlib) {
		case C_CPUS: {
			int cpus[1024], n = cli_allowed_cpus(cpus, 1024);
			uint64_t k;

			if (pktcraft_parse_uint(optarg, 1024, &k) || !k)
				usage_error("--cpus: '%s' is not a number of CPUs (1 to 1024)", optarg);
			if (n >= 0 && (uint64_t)n < k)
				usage_error("--cpus %llu: this process may run on %d CPU%s (taskset, cpuset)",
					    (unsigned long long)k, n, n == 1 ? "" : "s");
			c->cpus = k;
			break;
		}
		case C_WAIT:
			c->wait_set = 1;
			if (parse_wait(optarg, &c->wait_ns))
				usage_error("--wait: '%s' is not a duration: seconds (1.5), or a number with ns, us, ms or s (at most 3600 s)",
					    optarg);
			break;
		case C_NO_REPLIES:
			c->no_replies = 1;
			break;
		case C_DRY_RUN:
			c->dry_run = 1;
			break;
		case C_SHOW_REQUEST:
			c->show_request = 1;
			break;
		case C_SHOW_IOCTL:
			c->show_ioctl = 1;
			break;
		case C_WRITE:
			c->pcap = optarg;
			break;
		case C_JSON:
			c->json = 1;
			break;
		case C_QUIET:
			c->quiet = 1;
			break;
		case C_PROGRESS:
			c->progress = 1;
			break;
		case C_KEEP:
			break;
		case C_HELP:
		case C_VERSION:
			if (in_batch)
				usage_error("%s belongs on the command line, not on a batch line",
					    argv[optind - 1]);
			if (i - nlib == C_HELP)
				help(stdout);
			else
				version();
			exit(0);
		}
	}
	/* The destination may be the last argument, as in hping3 and nping. */
	if (optind < argc) {
		if (optind + 1 < argc || c->have_dst)
			usage_error("unexpected argument '%s' (one destination: the last argument or --dst)",
				    argv[c->have_dst ? optind : optind + 1]);
		add(c, pktcraft_opt_find("dst"), argv[optind]);
		c->have_dst = 1;
	}
	if (!c->have_dst)
		usage_error("a destination is required (--dst A, or A as the last argument)");
}

/* The library's one judgment of what is malformed, as a warning. */
static void warn_malformed(const struct pktcraft_req *req, int burst)
{
	struct pktcraft_malformation m[16];
	int n = pktcraft_req_malformations(req, m, 16);

	if (!n)
		return;
	fprintf(stderr, "%s: warning: the packet%s deliberately malformed (", prog,
		burst ? "s are" : " is");
	for (int i = 0; i < n && i < 16; i++)
		fprintf(stderr, "%s%s: %s", i ? ", " : "", m[i].field, m[i].why);
	fprintf(stderr, ")\n");
}

static int cmd_send(int argc, char **argv)
{
	static uint8_t frame[PKTCRAFT_MAX_FRAME];
	struct cli c = { .wait_ns = 1000000000ULL };
	struct cli_replies cr = { 0 };
	struct pktcraft_fate fate1;
	char dst[INET6_ADDRSTRLEN];
	int show, fd, rc, burst, replies;
	uint64_t count;
	size_t len = 0;
	char err[256];

	c.set = pktcraft_optset_new(0);
	if (!c.set)
		usage_error("out of memory");
	pktcraft_req_init(&c.req);
	parse_send(&c, argc, argv);
	if (pktcraft_optset_apply(c.set, &c.req, err, sizeof(err)))
		usage_error("%s", err);
	count = pktcraft_optset_count(c.set);
	if (c.show_request) {
		show_request(&c.req, count);
		pktcraft_optset_free(c.set);
		return 0;
	}
	burst = count != 1 || c.req.gap_ns || cli_has_vary(&c.req) || c.req.burst_flags;
	if (c.cpus > 1 && !burst && !c.dry_run)
		usage_error("--cpus needs a burst (--count N, --flood, --rate, --vary or a port range)");
	if (c.cpus > 1 && c.req.fate_ms)
		usage_error("--cpus does not combine with --fate (each packet's fate is read by one thread)");
	if (burst && c.pcap)
		usage_error("--write needs a single packet (no --count, --rate, --vary, ranges)");
	if (burst && c.dry_run) {	/* a dry run shows packet 0 */
		memset(c.req.vary, 0, sizeof(c.req.vary));
		memset(&c.req.vary_flowlabel, 0, sizeof(c.req.vary_flowlabel));
		c.req.burst_flags = 0;
		c.req.count = 0;
		c.req.gap_ns = 0;
		burst = 0;
	}

	fd = pktcraft_open();
	if (fd < 0) {
		if (c.show_ioctl) {	/* what would have crossed */
			pktcraft_ioc_describe(stderr, !burst && (c.dry_run || c.json || c.pcap) ?
					      PKTCRAFT_IOC_BUILD : PKTCRAFT_IOC_SEND);
			pktcraft_struct_describe(stderr, "pktcraft_req", &c.req, c.req.size, NULL);
		}
		fprintf(stderr, "%s: cannot open %s: %s\n", prog,
			PKTCRAFT_DEVICE, pktcraft_strerror(fd));
		return EXIT_KERNEL;
	}
	if (c.show_ioctl)
		pktcraft_show_ioctl(stderr);
	if (pktcraft_optset_has(c.set, "badcksum")) {
		rc = pktcraft_req_set_bad_csum(fd, &c.req);
		if (rc < 0) {
			pktcraft_perror(prog, "--badcksum (building the packet)", rc, &c.req);
			pktcraft_close(fd);
			return EXIT_KERNEL;
		}
	}
	warn_malformed(&c.req, burst);
	/*
	 * Replies, as hping3 prints them: not for a dry run, a flood (hping3
	 * prints none) or more packets than the kernel gives times for.
	 */
	replies = !c.no_replies && !c.dry_run && !pktcraft_optset_has(c.set, "flood") && c.cpus <= 1 &&
		  (count ? count <= PKTCRAFT_MAX_FATES : c.req.gap_ns != 0);
	cr.wait_ms = (c.wait_ns + 999999) / 1000000;
	cr.json = c.json;
	cr.quiet = c.quiet;
	cr.fate = c.req.fate_ms != 0;
	if (replies)
		cli_replies_open(&cr, &c.req);
	inet_ntop(c.req.family == AF_INET6 ? AF_INET6 : AF_INET, c.req.family == AF_INET6 ?
		  (const void *)c.req.ip6_daddr : (const void *)&c.req.ip_daddr, dst, sizeof(dst));
	if (burst) {
		struct burst_opts o = {
			.count = count ? count : UINT64_MAX,
			.gap_ns = c.req.gap_ns,
			.progress = c.progress,
			.json = c.json,
			.quiet = c.quiet,
			.replies = cr.l || cr.fate ? &cr : NULL,
			.dst = dst,
			.cpus = c.cpus,
		};

		rc = cli_run_burst(fd, &c.req, &o);
		pktcraft_close(fd);
		return rc;
	}
	show = c.dry_run || c.json || c.pcap;
	memset(&fate1, 0, sizeof(fate1));
	if (!c.dry_run && (cr.l || cr.fate))	/* the RTT's start, --fate */
		c.req.fates = (uintptr_t)&fate1;
	/*
	 * Nothing sent on EINTR (the neighbour's resolution, interrupted by a
	 * stop and continue: Ctrl-Z, fg; SIGINT ends the process here): again.
	 */
	do {
		if (show)
			rc = pktcraft_build(fd, &c.req, frame, sizeof(frame), &len, !c.dry_run);
		else
			rc = pktcraft_send(fd, &c.req);
	} while (rc == -EINTR);
	c.req.fates = 0;
	pktcraft_close(fd);
	if (rc < 0) {
		pktcraft_perror(prog, c.dry_run ? "build" : "send", rc, &c.req);
		if (cr.l)
			pktcraft_listen_close(cr.l);
		return EXIT_KERNEL;
	}
	if (c.pcap && (rc = pktcraft_pcap_append(c.pcap, frame, len))) {
		fprintf(stderr, "%s: %s%s: cannot write '%s': %s%s\n", prog,
			c.dry_run ? "" : "the packet was sent, but ",
			"--write", c.pcap, strerror(-rc),
			rc == -EINVAL ? " (not a capture of Ethernet frames in that format)" : "");
		return EXIT_KERNEL;
	}
	if (c.json)
		pktcraft_dump_json_req(stdout, frame, len, !c.dry_run, &c.req);
	else if (c.dry_run && !c.quiet)
		pktcraft_dump_text_req(stdout, frame, len, &c.req);
	else if (!c.quiet)
		printf("sent 1 packet\n");
	if (!c.dry_run && (cr.l || cr.fate)) {
		cli_sent(&cr, &c.req, 1, &fate1);
		cli_replies_wait(&cr, 1, 0);
		cli_replies_summary(&cr, dst, 1);
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: writing the output: %s\n", prog, strerror(errno));
		return EXIT_KERNEL;
	}
	pktcraft_optset_free(c.set);
	return 0;
}

static int is_help(const char *a)
{
	return !strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help");
}

/*
 * One batch line into argv words: blanks separate, '...' and "..." quote
 * (no escapes); a '#' is a character like any other (a line whose first
 * word starts with one is a comment, skipped before). Returns the word
 * count, -1 for an unterminated quote; the words point into @line.
 */
static int split_words(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line, *w;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
			if (*p == '\'' || *p == '"') {
				char q = *p++, *end = strchr(p, q);

				if (!end)
					return -1;
				memmove(w, p, end - p);
				w += end - p;
				p = end + 1;
			} else {
				*w++ = *p++;
			}
		}
		if (*p)
			p++;
		*w = '\0';
	}
}

/*
 * A batch line's request, parsed as `pktcraft send` would parse it. Returns
 * the option set, which owns the payload the request points at: free it
 * only once the request has been sent.
 */
static struct pktcraft_optset *parse_batch_line(struct pktcraft_req *req, char *line,
						 unsigned int set_flags)
{
	char *argv[130], err[256];
	struct cli c = { 0 };
	uint64_t count;
	int argc;

	argv[0] = "send";
	argc = split_words(line, argv + 1, 128);
	if (argc < 0)
		usage_error("an unterminated quote, or more than 128 words");
	c.set = pktcraft_optset_new(set_flags);
	if (!c.set)
		usage_error("out of memory");
	pktcraft_req_init(&c.req);
	parse_send(&c, argc + 1, argv);
	if (c.dry_run || c.show_request || c.show_ioctl || c.pcap || c.json ||
	    c.progress || c.quiet)
		usage_error("output options belong on the batch command line, not on a request's");
	/* What only `pktcraft send` does with them: the batch would ignore them. */
	if (c.cpus || c.wait_set || c.no_replies)
		usage_error("--cpus, --wait and --no-replies are `pktcraft send`'s; a batch sends each request once and reads no replies");
	if (pktcraft_optset_has(c.set, "fate") || pktcraft_optset_has(c.set, "fate-wait"))
		usage_error("--fate: a batch reports no fates (send the request with `pktcraft send --fate`)");
	if (pktcraft_optset_has(c.set, "badcksum"))
		usage_error("--badcksum is not available in a batch (build the packet with send --dry-run)");
	if (pktcraft_optset_apply(c.set, &c.req, err, sizeof(err)))
		usage_error("%s", err);
	count = pktcraft_optset_count(c.set);
	if (!count || count > PKTCRAFT_MAX_COUNT || c.req.gap_ns)
		usage_error("a burst in a batch has a --count of 1..%u and no pacing",
			    PKTCRAFT_MAX_COUNT);
	if (count > 1 || cli_has_vary(&c.req) || c.req.burst_flags)
		c.req.count = count;
	*req = c.req;
	return c.set;
}

static int cmd_batch(int argc, char **argv)
{
	struct pktcraft_req *reqs = NULL;
	struct pktcraft_optset **sets = NULL;
	unsigned long *lines = NULL;
	const char *file = NULL;
	char what[80];
	unsigned long failed = 0, nreq = 0, cap = 0, i;
	unsigned long long sent = 0;
	int stop = 0, quiet = 0, show = 0, show_req = 0, fd, rc;
	int32_t *res;
	char *line = NULL;
	size_t linecap = 0;
	ssize_t len;
	const char *name;
	struct stat st;
	unsigned long lineno = 0;
	FILE *in;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--stop")) {
			stop = 1;
		} else if (!strcmp(argv[a], "-q") || !strcmp(argv[a], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[a], "--show-ioctl")) {
			show = 1;
		} else if (!strcmp(argv[a], "--show-request")) {
			show_req = 1;
		} else if (is_help(argv[a])) {
			printf("Usage: pktcraft batch [--stop] [--quiet] [--show-ioctl] [--show-request] [FILE|-]\n"
			       "Each line of FILE (stdin without one, or -) holds the options and the\n"
			       "destination of one `pktcraft send`; blank lines and lines whose first\n"
			       "word starts with # are skipped.\n"
			       "Every line is checked before anything is sent; then the requests go to\n"
			       "the kernel in PKTCRAFT_IOC_SEND_BATCH calls of up to %u.\n"
			       "--stop: stop at the first request that fails (refused, or a burst\n"
			       "cut short).\n"
			       "--show-ioctl: decode each ioctl, its requests and results, on stderr.\n"
			       "--show-request: print each line's request as `send --show-request`\n"
			       "does, one per line, and send nothing.\n"
			       "Exit status: 0 every request sent, 1 some refused or dropped (each is\n"
			       "printed), 2 a bad line (named: FILE:LINE), 128+N stopped by signal N.\n",
			       PKTCRAFT_MAX_BATCH);
			return 0;
		} else if (argv[a][0] == '-' && argv[a][1]) {
			usage_error("batch: unknown option '%s'", argv[a]);
		} else if (file) {
			usage_error("batch: one FILE only ('%s')", argv[a]);
		} else {
			file = argv[a];
		}
	}
	in = !file || !strcmp(file, "-") ? stdin : fopen(file, "re");
	if (!in) {
		fprintf(stderr, "%s: batch: cannot open '%s': %s\n", prog, file, strerror(errno));
		return EXIT_USAGE;
	}
	name = in == stdin ? "<stdin>" : file;
	/*
	 * A pipe or FIFO by name (/dev/stdin, a FIFO -E names too): read as
	 * standard input, which PKTCRAFT_OPTSET_NO_STDIN keeps -E from, so
	 * that no payload takes the lines that follow. A regular file opened
	 * again has an offset of its own.
	 */
	if (in != stdin && !fstat(fileno(in), &st) && !S_ISREG(st.st_mode)) {
		if (dup2(fileno(in), STDIN_FILENO) < 0) {
			fprintf(stderr, "%s: batch: '%s': %s\n", prog, file, strerror(errno));
			return EXIT_USAGE;
		}
		fclose(in);
		in = stdin;
	}
	while ((len = getline(&line, &linecap, in)) > 0) {
		char *p = line + strspn(line, " \t\r\n");

		lineno++;
		snprintf(usage_where, sizeof(usage_where), "%s:%lu", name, lineno);
		if (memchr(line, '\0', len))
			usage_error("a NUL byte in the line");
		if (!*p || *p == '#')
			continue;
		if (nreq == cap) {
			cap = cap ? 2 * cap : 64;
			reqs = realloc(reqs, cap * sizeof(*reqs));
			lines = realloc(lines, cap * sizeof(*lines));
			sets = realloc(sets, cap * sizeof(*sets));
			if (!reqs || !lines || !sets)
				usage_error("out of memory");
		}
		lines[nreq] = lineno;
		in_batch = 1;
		/* Its payload may not come from the stdin that holds the lines. */
		sets[nreq] = parse_batch_line(&reqs[nreq], line,
					      in == stdin ? PKTCRAFT_OPTSET_NO_STDIN : 0);
		nreq++;
	}
	*usage_where = '\0';
	free(line);
	if (in != stdin)
		fclose(in);
	if (!nreq)
		usage_error("batch: no request in %s", name);
	if (show_req) {
		for (i = 0; i < nreq; i++) {
			show_request(&reqs[i], pktcraft_optset_count(sets[i]));
			pktcraft_optset_free(sets[i]);
		}
		free(sets);
		free(reqs);
		free(lines);
		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "%s: writing the output: %s\n", prog, strerror(errno));
			return EXIT_KERNEL;
		}
		return 0;
	}
	res = calloc(nreq, sizeof(*res));
	if (!res)
		usage_error("out of memory");

	fd = pktcraft_open();
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, PKTCRAFT_DEVICE,
			pktcraft_strerror(fd));
		return EXIT_KERNEL;
	}
	if (show)
		pktcraft_show_ioctl(stderr);
	rc = pktcraft_send_batch(fd, reqs, sizeof(*reqs), nreq, res,
				 stop ? PKTCRAFT_BATCH_F_STOP : 0);
	pktcraft_close(fd);
	if (rc < 0) {
		pktcraft_perror(prog, "batch", rc, NULL);
		return EXIT_KERNEL;
	}
	for (i = 0; i < (unsigned long)rc; i++) {
		const struct pktcraft_req *r = &reqs[i];

		snprintf(what, sizeof(what), "batch: request %lu (line %lu)", i + 1, lines[i]);
		if (res[i] <= 0) {
			failed++;
			pktcraft_perror(prog, what, res[i], r);
			continue;
		}
		sent += res[i];
		if (r->count > 1 && (r->result_err || r->dropped)) {	/* a burst cut short */
			failed++;
			fprintf(stderr, "%s: %s: %d of %u sent, %u dropped%s%s\n", prog, what,
				res[i], r->count, r->dropped, r->result_err ? ", stopped: " : "",
				r->result_err ? pktcraft_strerror(r->result_err) : "");
		}
	}
	if (!quiet)
		printf("%d of %lu requests handled, %llu packet%s sent, %lu refused or dropped\n",
		       rc, nreq, sent, sent == 1 ? "" : "s", failed);
	for (i = 0; i < nreq; i++)
		pktcraft_optset_free(sets[i]);
	free(sets);
	free(res);
	free(reqs);
	free(lines);
	if (fflush(stdout) || ferror(stdout))
		return EXIT_KERNEL;
	return failed || (unsigned long)rc < nreq ? EXIT_KERNEL : 0;
}

int main(int argc, char **argv)
{
	load_rows();
	if (argc < 2) {
		help(stderr);
		return EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-v")) {
		version();
		return 0;
	}
	if (!strcmp(argv[1], "send"))
		return cmd_send(argc - 1, argv + 1);
	if (!strcmp(argv[1], "stats"))
		return cmd_stats(argc - 1, argv + 1);
	if (!strcmp(argv[1], "batch"))
		return cmd_batch(argc - 1, argv + 1);
	if (!strcmp(argv[1], "options"))
		return cmd_options(argc - 1, argv + 1);
	/* hping3's order: options and a destination, no command. */
	return cmd_send(argc, argv);
}
