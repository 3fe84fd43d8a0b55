// SPDX-License-Identifier: GPL-2.0
/*
 * Counters: per open file, per network namespace and module-wide, read with
 * PKTCRAFT_IOC_GET_STATS; the module-wide ones also in
 * /sys/class/misc/pktcraft/stats/<name>, for root. GET_STATS' module column
 * is the module's for an opener with CAP_NET_ADMIN in the initial user
 * namespace, else its namespace's: what other namespaces sent, dropped or
 * got wrong is not a container's to watch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "pktcraft.h"

#define CTR_AT(field, idx) \
	static_assert(offsetof(struct pktcraft_counters, field) == \
		      (idx) * sizeof(__u64))
CTR_AT(packets, PKTCRAFT_C_PACKETS);
CTR_AT(bytes, PKTCRAFT_C_BYTES);
CTR_AT(drop_queue, PKTCRAFT_C_DROP_QUEUE);
CTR_AT(drop_down, PKTCRAFT_C_DROP_DOWN);
CTR_AT(drop_nomem, PKTCRAFT_C_DROP_NOMEM);
CTR_AT(drop_xmit, PKTCRAFT_C_DROP_XMIT);
CTR_AT(err_inval, PKTCRAFT_C_ERR_INVAL);
CTR_AT(err_fault, PKTCRAFT_C_ERR_FAULT);
CTR_AT(err_nodev, PKTCRAFT_C_ERR_NODEV);
CTR_AT(err_msgsize, PKTCRAFT_C_ERR_MSGSIZE);
CTR_AT(err_netdown, PKTCRAFT_C_ERR_NETDOWN);
CTR_AT(err_unreach, PKTCRAFT_C_ERR_UNREACH);
CTR_AT(err_nomem, PKTCRAFT_C_ERR_NOMEM);
CTR_AT(err_intr, PKTCRAFT_C_ERR_INTR);
CTR_AT(err_other, PKTCRAFT_C_ERR_OTHER);
CTR_AT(fate_sent, PKTCRAFT_C_FATE_SENT);
CTR_AT(fate_delivered, PKTCRAFT_C_FATE_DELIVERED);
CTR_AT(fate_dropped, PKTCRAFT_C_FATE_DROPPED);
CTR_AT(fate_pending, PKTCRAFT_C_FATE_PENDING);
CTR_AT(reserved, PKTCRAFT_C_NR);
static_assert(sizeof(struct pktcraft_counters) == 32 * sizeof(__u64));
static_assert(offsetof(struct pktcraft_stats, drops) ==
	      PKTCRAFT_STATS_SIZE_VER0);
static_assert(sizeof(struct pktcraft_stats) == PKTCRAFT_STATS_SIZE_VER1);
static_assert(sizeof(struct pktcraft_drop_count) ==
	      PKTCRAFT_DROP_COUNT_SIZE_VER0);
static_assert(PKTCRAFT_DROP_OTHER_NS == SKB_NOT_DROPPED_YET);

/*
 * A packet adds to its file's counters (atomics: threads may share a file)
 * and, per CPU, to its namespace's and the module's, so that a reader sums
 * those over the CPUs without a lock and without a walk of the files.
 */
DEFINE_PER_CPU(struct pktcraft_pcpu_ctrs, pktcraft_module_ctrs);

/* A reader sees each CPU's u64 whole only where a long is 64 bits. */
static_assert(BITS_PER_LONG == 64);

/* Tracked packets' drops by reason, every namespace's, since the load. */
static atomic64_t module_drops[PKTCRAFT_DROP_SLOTS];

/* A network namespace's counters, from its birth or the module's load. */
struct pktcraft_net {
	struct pktcraft_pcpu_ctrs __percpu *ctrs;
};

static unsigned int pktcraft_net_id __read_mostly;

static int __net_init pktcraft_net_init(struct net *net)
{
	struct pktcraft_net *pn = net_generic(net, pktcraft_net_id);

	/*
	 * Charged to the memory cgroup of whoever makes the namespace, as the
	 * rest of it is (for those there at load: of whoever loads pktcraft).
	 */
	pn->ctrs = alloc_percpu_gfp(struct pktcraft_pcpu_ctrs,
				    GFP_KERNEL_ACCOUNT);
	return pn->ctrs ? 0 : -ENOMEM;
}

static void __net_exit pktcraft_net_exit(struct net *net)
{
	struct pktcraft_net *pn = net_generic(net, pktcraft_net_id);

	free_percpu(pn->ctrs);
}

static struct pernet_operations pktcraft_net_ops = {
	.init	= pktcraft_net_init,
	.exit	= pktcraft_net_exit,
	.id	= &pktcraft_net_id,
	.size	= sizeof(struct pktcraft_net),
};

int pktcraft_stats_init(void)
{
	return register_pernet_subsys(&pktcraft_net_ops);
}

void pktcraft_stats_exit(void)
{
	unregister_pernet_subsys(&pktcraft_net_ops);
}

/* A new file's counters count for @net, which the file holds, too. */
void pktcraft_stats_open(struct pktcraft_ctrs *file, struct net *net)
{
	struct pktcraft_net *pn = net_generic(net, pktcraft_net_id);

	file->ns = pn->ctrs;
}
EXPORT_SYMBOL_IF_KUNIT(pktcraft_stats_open);

/* Sums per-CPU counters @pc into @sum; no lock, as a counter only grows. */
static void sum_ctrs(u64 *sum, const struct pktcraft_pcpu_ctrs __percpu *pc)
{
	int cpu, i;

	memset(sum, 0, PKTCRAFT_C_NR * sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct pktcraft_pcpu_ctrs *c = per_cpu_ptr(pc, cpu);

		for (i = 0; i < PKTCRAFT_C_NR; i++)
			sum[i] += READ_ONCE(c->v[i]);
	}
}

/* Adds @d to counter @idx: the file's, its namespace's and the module's. */
static void ctr_add(struct pktcraft_ctrs *file, int idx, u64 d)
{
	atomic64_add(d, &file->v[idx]);
	this_cpu_add(file->ns->v[idx], d);
	this_cpu_add(pktcraft_module_ctrs.v[idx], d);
}

/* Adds a burst's local tally to the counters. */
void pktcraft_stats_flush(struct pktcraft_ctrs *file, struct pktcraft_tally *t)
{
	int i;

	for (i = 0; i < PKTCRAFT_C_NR; i++) {
		u64 d = t->v[i] - t->flushed[i];

		if (!d)
			continue;
		ctr_add(file, i, d);
		t->flushed[i] = t->v[i];
	}
}

void pktcraft_stats_inc(struct pktcraft_ctrs *file, int idx)
{
	ctr_add(file, idx, 1);
}

/*
 * One dropped tracked packet: in the file's counters under @file_slot, in
 * the module's under @module_slot (the slots: PKTCRAFT_DROP_SLOTS).
 */
void pktcraft_stats_drop(struct pktcraft_ctrs *file, u32 file_slot,
			 u32 module_slot)
{
	atomic64_inc(&file->drops[file_slot]);
	atomic64_inc(&module_drops[module_slot]);
}

/* Counts one failed request by its errno. */
void pktcraft_stats_err(struct pktcraft_ctrs *file, int err)
{
	int i;

	switch (-err) {
	case EINVAL:
	case E2BIG:
		i = PKTCRAFT_C_ERR_INVAL;
		break;
	case EFAULT:
		i = PKTCRAFT_C_ERR_FAULT;
		break;
	case ENODEV:
		i = PKTCRAFT_C_ERR_NODEV;
		break;
	case EMSGSIZE:
		i = PKTCRAFT_C_ERR_MSGSIZE;
		break;
	case ENETDOWN:
		i = PKTCRAFT_C_ERR_NETDOWN;
		break;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
		i = PKTCRAFT_C_ERR_UNREACH;
		break;
	case ENOMEM:
		i = PKTCRAFT_C_ERR_NOMEM;
		break;
	case EINTR:
		i = PKTCRAFT_C_ERR_INTR;
		break;
	default:
		i = PKTCRAFT_C_ERR_OTHER;
		break;
	}
	pktcraft_stats_inc(file, i);
}

static void read_ctrs(struct pktcraft_counters *out, const atomic64_t *c)
{
	__u64 *v = (__u64 *)out;
	int i;

	for (i = 0; i < PKTCRAFT_C_NR; i++)
		v[i] = atomic64_read(&c[i]);
}

/*
 * Version 1: writes the reasons with a count, as @see_all may see them, to
 * the caller's array (at most st->nr_drops entries, st->drop_size apart;
 * none without PKTCRAFT_STATS_F_DROPS) and sets st->nr_drops to how many
 * there are.
 */
static int put_drops(struct pktcraft_ctrs *file, struct pktcraft_stats *st,
		     bool see_all)
{
	void __user *ua = u64_to_user_ptr(st->drops);
	struct pktcraft_drop_count dc;
	u32 slot, n = 0;

	if (!(st->flags & PKTCRAFT_STATS_F_DROPS)) {
		st->drops = 0;
		st->nr_drops = 0;
		st->drop_size = 0;
	} else if (!st->drops) {
		if (st->nr_drops || st->drop_size)
			return -EINVAL;
	} else if (st->drop_size < sizeof(dc) ||
		   st->drop_size > PKTCRAFT_MAX_STRIDE || st->drop_size % 8) {
		return -EINVAL;
	}
	for (slot = 0; slot < PKTCRAFT_DROP_SLOTS; slot++) {
		const char *name = pktcraft_drop_name(slot);

		memset(&dc, 0, sizeof(dc));
		dc.file = atomic64_read(&file->drops[slot]);
		if (see_all)
			dc.module = atomic64_read(&module_drops[slot]);
		if (!name || (!dc.file && !dc.module))
			continue;
		dc.reason = slot == SKB_DROP_REASON_MAX ? PKTCRAFT_DROP_OTHER :
							 slot;
		strscpy(dc.name, name, sizeof(dc.name));
		if (n < st->nr_drops) {
			if (copy_to_user(ua, &dc, sizeof(dc)) ||
			    clear_user(ua + sizeof(dc),
				       st->drop_size - sizeof(dc)))
				return -EFAULT;
			ua += st->drop_size;
		}
		n++;
	}
	st->nr_drops = n;
	return 0;
}

/**
 * pktcraft_stats_get - PKTCRAFT_IOC_GET_STATS
 * @file: the open file's counters
 * @ustats: user struct; size (at least version 0) and flags are read, and
 *          with PKTCRAFT_STATS_F_DROPS (version 1) drops, nr_drops and
 *          drop_size
 * @see_all: the caller may see the module's counters and drops by reason
 *           (CAP_NET_ADMIN in the initial namespace: they include other
 *           namespaces'); else the module column is the file's namespace's,
 *           and no drops by reason but the file's
 *
 * Writes the newest version that fits in size, zeroes the rest of the
 * caller's struct and sets size to the bytes filled.
 *
 * Return: 0, -EFAULT, -EINVAL (size below version 0, unknown flags,
 * PKTCRAFT_STATS_F_DROPS below version 1, a bad drop_size, nr_drops or
 * drop_size without an array) or -E2BIG (size above a page).
 */
long pktcraft_stats_get(struct pktcraft_ctrs *file,
			struct pktcraft_stats __user *ustats, bool see_all)
{
	struct pktcraft_stats *st;
	u32 usize, flags, n;
	long err;

	if (get_user(usize, &ustats->size) || get_user(flags, &ustats->flags))
		return -EFAULT;
	if (usize < PKTCRAFT_STATS_SIZE_VER0 || flags & ~PKTCRAFT_STATS_F_ALL)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	/* Whole versions only: a size between two is the older one. */
	n = usize >= PKTCRAFT_STATS_SIZE_VER1 ? PKTCRAFT_STATS_SIZE_VER1 :
						 PKTCRAFT_STATS_SIZE_VER0;
	if (flags & PKTCRAFT_STATS_F_DROPS && n < PKTCRAFT_STATS_SIZE_VER1)
		return -EINVAL;

	st = kzalloc(sizeof(*st), GFP_KERNEL);	/* reserved fields read 0 */
	if (!st)
		return -ENOMEM;
	err = -EFAULT;
	if (flags & PKTCRAFT_STATS_F_DROPS &&
	    copy_from_user(&st->drops, &ustats->drops,
			   PKTCRAFT_STATS_SIZE_VER1 - PKTCRAFT_STATS_SIZE_VER0))
		goto out;
	st->size = n;
	st->flags = flags;
	read_ctrs(&st->file, file->v);
	sum_ctrs((u64 *)&st->module, see_all ? &pktcraft_module_ctrs : file->ns);
	if (n >= PKTCRAFT_STATS_SIZE_VER1) {
		err = put_drops(file, st, see_all);
		if (err)
			goto out;
	}
	err = 0;
	if (copy_to_user(ustats, st, n) ||
	    clear_user((void __user *)ustats + n, usize - n))
		err = -EFAULT;
out:
	kfree(st);
	return err;
}

/*
 * /sys/class/misc/pktcraft/stats/<counter>: module-wide, one number each;
 * root's only (0400), as every namespace's traffic is in them.
 */
struct pktcraft_ctr_attr {
	struct device_attribute attr;
	int idx;
};

static ssize_t ctr_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	int idx = container_of(attr, struct pktcraft_ctr_attr, attr)->idx;
	u64 sum[PKTCRAFT_C_NR];

	sum_ctrs(sum, &pktcraft_module_ctrs);
	return sysfs_emit(buf, "%llu\n", sum[idx]);
}

#define CTR_ATTR(name, i) \
	static struct pktcraft_ctr_attr ctr_attr_##name = { \
		.attr = __ATTR(name, 0400, ctr_show, NULL), .idx = (i) }
CTR_ATTR(packets, PKTCRAFT_C_PACKETS);
CTR_ATTR(bytes, PKTCRAFT_C_BYTES);
CTR_ATTR(drop_queue, PKTCRAFT_C_DROP_QUEUE);
CTR_ATTR(drop_down, PKTCRAFT_C_DROP_DOWN);
CTR_ATTR(drop_nomem, PKTCRAFT_C_DROP_NOMEM);
CTR_ATTR(drop_xmit, PKTCRAFT_C_DROP_XMIT);
CTR_ATTR(err_inval, PKTCRAFT_C_ERR_INVAL);
CTR_ATTR(err_fault, PKTCRAFT_C_ERR_FAULT);
CTR_ATTR(err_nodev, PKTCRAFT_C_ERR_NODEV);
CTR_ATTR(err_msgsize, PKTCRAFT_C_ERR_MSGSIZE);
CTR_ATTR(err_netdown, PKTCRAFT_C_ERR_NETDOWN);
CTR_ATTR(err_unreach, PKTCRAFT_C_ERR_UNREACH);
CTR_ATTR(err_nomem, PKTCRAFT_C_ERR_NOMEM);
CTR_ATTR(err_intr, PKTCRAFT_C_ERR_INTR);
CTR_ATTR(err_other, PKTCRAFT_C_ERR_OTHER);
CTR_ATTR(fate_sent, PKTCRAFT_C_FATE_SENT);
CTR_ATTR(fate_delivered, PKTCRAFT_C_FATE_DELIVERED);
CTR_ATTR(fate_dropped, PKTCRAFT_C_FATE_DROPPED);
CTR_ATTR(fate_pending, PKTCRAFT_C_FATE_PENDING);
/*
 * Dropped tracked packets by the kernel's reason: one "NAME count" a line;
 * root only, as they may be other namespaces' verdicts.
 */
static ssize_t drop_reasons_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	ssize_t len = 0;
	u32 slot;

	for (slot = 0; slot < PKTCRAFT_DROP_SLOTS; slot++) {
		s64 n = atomic64_read(&module_drops[slot]);
		const char *name = pktcraft_drop_name(slot);

		if (n && name)
			len += sysfs_emit_at(buf, len, "%s %lld\n", name, n);
	}
	return len;
}

static struct device_attribute dev_attr_drop_reasons =
	__ATTR(drop_reasons, 0400, drop_reasons_show, NULL);

static struct attribute *pktcraft_stats_attrs[] = {
	&ctr_attr_packets.attr.attr,
	&ctr_attr_bytes.attr.attr,
	&ctr_attr_drop_queue.attr.attr,
	&ctr_attr_drop_down.attr.attr,
	&ctr_attr_drop_nomem.attr.attr,
	&ctr_attr_drop_xmit.attr.attr,
	&ctr_attr_err_inval.attr.attr,
	&ctr_attr_err_fault.attr.attr,
	&ctr_attr_err_nodev.attr.attr,
	&ctr_attr_err_msgsize.attr.attr,
	&ctr_attr_err_netdown.attr.attr,
	&ctr_attr_err_unreach.attr.attr,
	&ctr_attr_err_nomem.attr.attr,
	&ctr_attr_err_intr.attr.attr,
	&ctr_attr_err_other.attr.attr,
	&ctr_attr_fate_sent.attr.attr,
	&ctr_attr_fate_delivered.attr.attr,
	&ctr_attr_fate_dropped.attr.attr,
	&ctr_attr_fate_pending.attr.attr,
	&dev_attr_drop_reasons.attr,
	NULL,
};

static const struct attribute_group pktcraft_stats_group = {
	.name = "stats",
	.attrs = pktcraft_stats_attrs,
};

const struct attribute_group *pktcraft_stats_groups[] = {
	&pktcraft_stats_group,
	NULL,
};
