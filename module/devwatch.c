// SPDX-License-Identifier: GPL-2.0
/*
 * Device events during a send. A burst registers the device it uses; the
 * netdevice notifier marks the burst and wakes its task when the device
 * goes down, is unregistered or is moved to another namespace (both close
 * a running device first), so a sleeping burst (pacing gap, full
 * send buffer, neighbour resolution) ends at once instead of at its next
 * packet, and the device is never used outside the opener's namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "pktcraft.h"

static LIST_HEAD(pktcraft_watches);
static DEFINE_SPINLOCK(pktcraft_watch_lock);

/**
 * pktcraft_dev_check - is @dev still usable from @net?
 * @net: the opener's namespace
 * @dev: a held device
 *
 * Return: 0, -ENODEV (unregistered, or no longer in @net) or -ENETDOWN.
 */
int pktcraft_dev_check(struct net *net, const struct net_device *dev)
{
	int err = 0;

	rcu_read_lock();
	if (dev_get_by_index_rcu(net, dev->ifindex) != dev)
		err = -ENODEV;
	else if (!netif_running(dev))
		err = -ENETDOWN;
	rcu_read_unlock();
	return err;
}

/**
 * pktcraft_watch_start - watch @dev for the current task
 * @w: on the caller's stack until pktcraft_watch_stop()
 * @net: the opener's namespace
 * @dev: the held egress device
 *
 * Registers first and checks the device afterwards, so that no event can
 * fall between the two.
 *
 * Return: 0, or the state that already forbids sending (see
 * pktcraft_dev_check()); the watch is registered either way.
 */
int pktcraft_watch_start(struct pktcraft_watch *w, struct net *net,
			 const struct net_device *dev)
{
	w->dev = dev;
	w->task = current;
	w->event = 0;
	spin_lock(&pktcraft_watch_lock);
	list_add(&w->node, &pktcraft_watches);
	spin_unlock(&pktcraft_watch_lock);
	return pktcraft_dev_check(net, dev);
}

void pktcraft_watch_stop(struct pktcraft_watch *w)
{
	spin_lock(&pktcraft_watch_lock);
	list_del(&w->node);
	spin_unlock(&pktcraft_watch_lock);
}

static int pktcraft_netdev_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct pktcraft_watch *w;
	int err;

	switch (event) {
	case NETDEV_GOING_DOWN:
	case NETDEV_DOWN:
		err = -ENETDOWN;
		break;
	case NETDEV_UNREGISTER:
		err = -ENODEV;
		break;
	default:
		return NOTIFY_DONE;
	}

	spin_lock(&pktcraft_watch_lock);
	list_for_each_entry(w, &pktcraft_watches, node) {
		if (w->dev != dev)
			continue;
		/*
		 * The first event wins. Deleting a running device or moving
		 * it to another namespace closes it first, so a burst always
		 * ends with -ENETDOWN then, whoever wins the race with the
		 * later NETDEV_UNREGISTER.
		 */
		if (!READ_ONCE(w->event))
			WRITE_ONCE(w->event, err);
		wake_up_process(w->task);
	}
	spin_unlock(&pktcraft_watch_lock);
	return NOTIFY_DONE;
}

static struct notifier_block pktcraft_netdev_nb = {
	.notifier_call = pktcraft_netdev_event,
};

int pktcraft_watch_init(void)
{
	return register_netdevice_notifier(&pktcraft_netdev_nb);
}

void pktcraft_watch_exit(void)
{
	unregister_netdevice_notifier(&pktcraft_netdev_nb);
}
