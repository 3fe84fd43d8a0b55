// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup-drop egress|sock6 CGROUP_DIR: attaches to the cgroup v2 directory
 *   egress  a cgroup-skb egress program that drops every packet (returns
 *           0), as systemd's IPAddressDeny=any does;
 *   sock6   a cgroup-sock program at socket creation that refuses AF_INET6
 *           sockets (EPERM) and allows every other, as an LSM profile
 *           without "network inet6" would;
 * and exits: the attachment stays until the cgroup is removed. Raw bpf(2),
 * no libbpf.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const struct bpf_insn drop_all[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const struct bpf_insn no_inet6[] = {
		/* r2 = ctx->family; r0 = 1; if (r2 == AF_INET6) r0 = 0 */
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_1,
		  .off = offsetof(struct bpf_sock, family) },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
		{ .code = BPF_JMP | BPF_JNE | BPF_K, .dst_reg = BPF_REG_2, .off = 1, .imm = AF_INET6 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int egress = argc == 3 && !strcmp(argv[1], "egress");
	char log[4096] = "";
	union bpf_attr a;
	int pfd, cfd;

	if (argc != 3 || (!egress && strcmp(argv[1], "sock6"))) {
		fprintf(stderr, "usage: cgroup-drop egress|sock6 CGROUP_DIR\n");
		return 2;
	}
	memset(&a, 0, sizeof(a));
	a.prog_type = egress ? BPF_PROG_TYPE_CGROUP_SKB : BPF_PROG_TYPE_CGROUP_SOCK;
	a.expected_attach_type = egress ? BPF_CGROUP_INET_EGRESS : BPF_CGROUP_INET_SOCK_CREATE;
	a.insns = (uintptr_t)(egress ? drop_all : no_inet6);
	a.insn_cnt = egress ? sizeof(drop_all) / sizeof(drop_all[0]) :
			      sizeof(no_inet6) / sizeof(no_inet6[0]);
	a.license = (uintptr_t)"GPL";
	a.log_buf = (uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	pfd = syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (pfd < 0) {
		fprintf(stderr, "cgroup-drop: BPF_PROG_LOAD: %s\n%s", strerror(errno), log);
		return 1;
	}
	cfd = open(argv[2], O_RDONLY | O_DIRECTORY);
	if (cfd < 0) {
		fprintf(stderr, "cgroup-drop: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.target_fd = cfd;
	a.attach_bpf_fd = pfd;
	a.attach_type = egress ? BPF_CGROUP_INET_EGRESS : BPF_CGROUP_INET_SOCK_CREATE;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof(a))) {
		fprintf(stderr, "cgroup-drop: BPF_PROG_ATTACH to %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	return 0;
}
