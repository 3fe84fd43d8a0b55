// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup-drop CGROUP_DIR: attaches a cgroup-skb egress program that drops
 * every packet (returns 0) to the cgroup v2 directory, as systemd's
 * IPAddressDeny=any does, and exits: the attachment stays until the cgroup
 * is removed. Raw bpf(2), no libbpf: two instructions.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char log[4096] = "";
	union bpf_attr a;
	int pfd, cfd;

	if (argc != 2) {
		fprintf(stderr, "usage: cgroup-drop CGROUP_DIR\n");
		return 2;
	}
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_SKB;
	a.expected_attach_type = BPF_CGROUP_INET_EGRESS;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	a.license = (uintptr_t)"GPL";
	a.log_buf = (uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	pfd = syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (pfd < 0) {
		fprintf(stderr, "cgroup-drop: BPF_PROG_LOAD: %s\n%s", strerror(errno), log);
		return 1;
	}
	cfd = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (cfd < 0) {
		fprintf(stderr, "cgroup-drop: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.target_fd = cfd;
	a.attach_bpf_fd = pfd;
	a.attach_type = BPF_CGROUP_INET_EGRESS;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof(a))) {
		fprintf(stderr, "cgroup-drop: BPF_PROG_ATTACH to %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
