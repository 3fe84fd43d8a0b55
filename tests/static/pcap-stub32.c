// SPDX-License-Identifier: GPL-2.0
/*
 * libpcap stand-in for the 32-bit CLI (tests/static/cli32): Debian's
 * multilib gcc has no i386 libpcap, and the only use of libpcap in the CLI
 * is --write (append the frame to a pcap file). Here that fails cleanly:
 * pcap_open_dead() returns NULL. Everything that talks to the kernel is
 * the real code.
 */
#include <stddef.h>
#include <pcap/pcap.h>

pcap_t *pcap_open_dead(int linktype, int snaplen)
{
	(void)linktype;
	(void)snaplen;
	return NULL;
}

pcap_dumper_t *pcap_dump_open(pcap_t *p, const char *fname)
{
	(void)p;
	(void)fname;
	return NULL;
}

pcap_dumper_t *pcap_dump_open_append(pcap_t *p, const char *fname)
{
	(void)p;
	(void)fname;
	return NULL;
}

void pcap_dump(u_char *user, const struct pcap_pkthdr *h, const u_char *sp)
{
	(void)user;
	(void)h;
	(void)sp;
}

void pcap_dump_close(pcap_dumper_t *d)
{
	(void)d;
}

void pcap_close(pcap_t *p)
{
	(void)p;
}

char *pcap_geterr(pcap_t *p)
{
	(void)p;
	return (char *)"libpcap is not available in the 32-bit test build";
}
