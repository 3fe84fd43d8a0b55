/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libpktcraft: describe IPv4 packets and have /dev/pktcraft build and send
 * them. Every function returning int returns 0 (or a count) on success and
 * a negative errno on failure; pktcraft_strerror() explains it.
 */
#ifndef LIBPKTCRAFT_H
#define LIBPKTCRAFT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/pktcraft.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PKTCRAFT_LIB_VERSION "0.1.0"
#define PKTCRAFT_MAX_FRAME 65600

/* Device */
int pktcraft_open(void);		/* fd or -errno */
void pktcraft_close(int fd);

/*
 * The library's own version ("0.1.0"), which can differ from the
 * PKTCRAFT_LIB_VERSION a program was compiled with when the shared library
 * is newer. pktcraft_module_version() copies the loaded module's version
 * (/sys/module/pktcraft/version) into buf: 0, or -ENOENT when the module is
 * not loaded, -ENOSPC when buf is too small.
 */
const char *pktcraft_version(void);
int pktcraft_module_version(char *buf, size_t len);

/*
 * Requests: init zeroes everything, sets size, TTL 64 and a TCP SYN with
 * window 65535. The payload is pointed at, not copied: data must stay valid
 * until the request is sent or built (-EMSGSIZE above 65535 bytes).
 */
void pktcraft_req_init(struct pktcraft_req *req);
int pktcraft_req_set_payload(struct pktcraft_req *req, const void *data,
			     size_t len);

/*
 * Builder helpers. A request may also be filled field by field (see
 * linux/pktcraft.h), keeping in mind that the fields the kernel fills
 * (ip_id, ip_saddr, ip_tot_len, ip_csum, ip_ihl, l4_csum, tcp_doff,
 * udp_len) must stay 0 unless their PKTCRAFT_F_* flag is set, and that the
 * fields of the other layer 4 kinds must be 0. Each helper returns 0 or
 * -errno and leaves the request unchanged when it fails.
 */
int pktcraft_req_set_dst(struct pktcraft_req *req, const char *addr);
/* Also makes the source literal (PKTCRAFT_F_IP_SADDR), even 0.0.0.0. */
int pktcraft_req_set_src(struct pktcraft_req *req, const char *addr);
/* An IP ID used as given, even 0 (PKTCRAFT_F_IP_ID). */
void pktcraft_req_set_ip_id(struct pktcraft_req *req, uint16_t id);
/* "aa:bb:cc:dd:ee:ff"; the default (all zero) is the neighbour / device. */
int pktcraft_req_set_dst_mac(struct pktcraft_req *req, const char *mac);
int pktcraft_req_set_src_mac(struct pktcraft_req *req, const char *mac);
/*
 * "name (link type N kind, M-byte link addresses)" of an interface, for
 * messages: 0, or -ENODEV.
 */
int pktcraft_dev_describe(unsigned int ifindex, char *buf, size_t len);
/*
 * "PROG: WHAT failed: explanation (strerror)" on stderr, and for
 * EOPNOTSUPP a line naming the device's kind (req may be NULL).
 */
void pktcraft_perror(const char *prog, const char *what, int err,
		     const struct pktcraft_req *req);
/*
 * The open file's send buffer (bounds what its packets in flight may take):
 * set_bytes 0 only reads it; otherwise SO_SNDBUF semantics (doubled, capped
 * at net.core.wmem_max unless force, which needs CAP_NET_ADMIN). 0 or -errno.
 */
int pktcraft_sndbuf(int fd, uint32_t set_bytes, int force, uint32_t *bytes,
		    uint32_t *in_flight);
/* Egress interface by name: -ENODEV if none in this network namespace. */
int pktcraft_req_set_dev(struct pktcraft_req *req, const char *ifname);
/*
 * PKTCRAFT_L4_*: clears the fields of the other kinds (the TCP SYN and
 * window set by pktcraft_req_init() included); ICMP starts as an echo
 * request (type 8). For PKTCRAFT_L4_RAW set ip_protocol yourself.
 */
int pktcraft_req_set_l4(struct pktcraft_req *req, int l4);
/* "SA", "FPU+N", "." or a number, as pktcraft --flags. */
int pktcraft_req_set_tcp_flags(struct pktcraft_req *req, const char *flags);
/*
 * Replace the options with those of a spec, as pktcraft --tcp-opt / --ip-opt:
 * "mss=1460,sackok,ts=1:0,nop,wscale=7", "rr=3,nop". On -EINVAL the reason
 * is put into err (errlen bytes; err may be NULL).
 */
int pktcraft_req_set_tcp_opts(struct pktcraft_req *req, const char *spec,
			      char *err, size_t errlen);
int pktcraft_req_set_ip_opts(struct pktcraft_req *req, const char *spec,
			     char *err, size_t errlen);

/* Returns the number of packets sent (1) or -errno. */
int pktcraft_send(int fd, const struct pktcraft_req *req);
/*
 * A burst of req->count packets (see PKTCRAFT_IOC_SEND): the number the
 * device accepted, even when an error or a signal stopped the burst early,
 * or -errno when none was. With count > 1 the kernel also writes req->sent,
 * req->result_err (0 or the -errno that stopped it) and req->dropped.
 */
int pktcraft_send_burst(int fd, struct pktcraft_req *req);
/*
 * Per-packet variation of a field (PKTCRAFT_VARY_SPORT ...): mode
 * PKTCRAFT_VARY_NONE clears it, _INC counts from the request's value by step
 * (0 means 1) wrapping within [min, max], _RANDOM draws from [min, max].
 * Addresses are given in host byte order (ntohl). The request's own value
 * must lie in the range. -EINVAL for an unknown field or mode, min > max.
 */
int pktcraft_req_set_vary(struct pktcraft_req *req, unsigned int field,
			  unsigned int mode, uint32_t min, uint32_t max,
			  uint32_t step);
/* Counters of this open file and of the module (zeroed, then filled). */
int pktcraft_get_stats(int fd, struct pktcraft_stats *st);
/*
 * Builds the frame into buf. On success and on -ENOSPC *frame_len is the
 * frame's length. With do_send the same frame is also transmitted.
 */
int pktcraft_build(int fd, const struct pktcraft_req *req, void *buf,
		   size_t buf_len, size_t *frame_len, int do_send);

/* What an errno means for a pktcraft request. */
const char *pktcraft_strerror(int err);

/*
 * Parsers shared by every front end. On failure they return -EINVAL (-E2BIG:
 * hex longer than max); the option parsers append to out at *len and put a
 * one-line reason into err (errlen bytes).
 */
int pktcraft_parse_uint(const char *s, uint64_t max, uint64_t *out);
int pktcraft_parse_mac(const char *s, uint8_t mac[6]);
int pktcraft_parse_ipv4(const char *s, uint32_t *be_addr);
int pktcraft_parse_hex(const char *s, uint8_t *out, size_t max, size_t *len);
int pktcraft_parse_tcp_flags(const char *s, uint16_t *flags);
int pktcraft_parse_tcp_opts(const char *spec, uint8_t *out, size_t *len,
			    char *err, size_t errlen);
int pktcraft_parse_ip_opts(const char *spec, uint8_t *out, size_t *len,
			   char *err, size_t errlen);

/* Decoding a frame: annotated text (like tshark -V -x, in short) or JSON. */
void pktcraft_dump_text(FILE *f, const uint8_t *frame, size_t len);
void pktcraft_dump_json(FILE *f, const uint8_t *frame, size_t len, int sent);
/*
 * The same, knowing the request the frame was built from: headers are
 * decoded with their real sizes (a forced IHL, data offset or length is
 * shown and flagged as malformed, not followed) and the option padding
 * pktcraft added is labelled. Both flag what is malformed (text: "<-
 * MALFORMED: why" and a summary; JSON: the "malformed" list).
 */
void pktcraft_dump_text_req(FILE *f, const uint8_t *frame, size_t len,
			    const struct pktcraft_req *req);
void pktcraft_dump_json_req(FILE *f, const uint8_t *frame, size_t len, int sent,
			    const struct pktcraft_req *req);

/* Appends frames to a pcap file (created if missing). */
int pktcraft_pcap_append(const char *path, const uint8_t *frame, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LIBPKTCRAFT_H */
