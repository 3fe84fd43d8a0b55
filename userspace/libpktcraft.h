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

/* Requests: init zeroes everything, sets size, TTL 64 and a TCP SYN. */
void pktcraft_req_init(struct pktcraft_req *req);
int pktcraft_req_set_payload(struct pktcraft_req *req, const void *data,
			     size_t len);

/* Returns the number of packets sent (1) or -errno. */
int pktcraft_send(int fd, const struct pktcraft_req *req);
/*
 * Builds the frame into buf. On success and on -ENOSPC *frame_len is the
 * frame's length. With do_send the same frame is also transmitted.
 */
int pktcraft_build(int fd, const struct pktcraft_req *req, void *buf,
		   size_t buf_len, size_t *frame_len, int do_send);

/* What an errno means for a pktcraft request. */
const char *pktcraft_strerror(int err);

/*
 * Parsers shared by every front end. On failure they return -EINVAL and put
 * a one-line reason into err (errlen bytes).
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

/* Appends frames to a pcap file (created if missing). */
int pktcraft_pcap_append(const char *path, const uint8_t *frame, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LIBPKTCRAFT_H */
